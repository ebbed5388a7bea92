import picomatch from 'picomatch';
import { parseYamlDocument } from '../loaders/parse-yaml.js';
import { folderOf, isSafeGlob, isUnderFolder } from '../model/paths.js';
import type { SnapshotPair } from '../model/snapshot.js';
import { guessSplit } from '../model/splits.js';
import { findDatasetFormat } from '../model/vocabulary.js';
import { readSidePrefix } from './read-prefix.js';
import { isRecord } from '../model/is-record.js';

/** One split a dataset card declares: its name, its config, and the files it names (from the repository root). */
export interface CardSplit {
  split: string;
  config?: string;
  glob: string;
  match: (path: string) => boolean;
}

/** The data files a dataset card (`README.md` with `configs:` in its front matter) declares, by split. */
export interface DatasetCard {
  path: string;
  splits: CardSplit[];
}

const CARD_NAME = /(?:^|\/)readme\.md$/i;

/**
 * The `README.md` files that may be dataset cards: those in a folder that holds, at any depth, a file of
 * a dataset format (`.jsonl`, `.json`, `.csv`, `.tsv`, `.parquet`). A card elsewhere declares no file
 * tuneguard could read.
 * @example findCardPaths(['README.md', 'data/train.jsonl', 'docs/README.md']) // ['README.md']
 */
export function findCardPaths(paths: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of paths) {
    if (findDatasetFormat(path) === undefined) continue;
    for (let folder = folderOf(path); !folders.has(folder); folder = folderOf(folder)) {
      folders.add(folder);
      if (folder === '') break;
    }
  }
  return paths.filter((path) => CARD_NAME.test(path) && folders.has(folderOf(path))).sort();
}

/**
 * The splits a dataset card declares in its YAML front matter, as the Hugging Face Hub reads them:
 * `configs: [{ config_name, data_files }]`, where `data_files` is a path or glob (the `train` split), a
 * list of them, a list of `{ split, path }` (`path` one glob or a list), or a mapping of split to globs.
 * Globs are relative to the card's folder. `undefined` for a file without front matter or `configs:`,
 * or whose front matter is not valid YAML (the names of its files then say what they are).
 * @example parseDatasetCard('---\nconfigs:\n- config_name: default\n  data_files:\n  - split: test\n    path: data/test-*\n---\n', 'README.md')?.splits[0]?.glob // 'data/test-*'
 */
export function parseDatasetCard(text: string, path: string): DatasetCard | undefined {
  const frontMatter = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text)?.[1];
  if (frontMatter === undefined) return undefined;
  let data: unknown;
  try {
    data = parseYamlDocument(frontMatter).doc.toJS();
  } catch {
    return undefined;
  }
  const configs = isRecord(data) ? data['configs'] : undefined;
  if (!Array.isArray(configs)) return undefined;
  const folder = folderOf(path);
  const splits: CardSplit[] = [];
  for (const entry of configs) {
    if (!isRecord(entry)) continue;
    const name = entry['config_name'];
    const config = typeof name === 'string' ? name : undefined;
    for (const [split, glob] of listDataFiles(entry['data_files'])) {
      const full = joinCardPath(folder, glob);
      // The card comes with the pull request: a glob built to backtrack is left out, and the files it
      // would name are then known by their names, as without a card.
      if (!isSafeGlob(full)) continue;
      splits.push({
        split,
        ...(config ? { config } : {}),
        glob: full,
        match: picomatch(full, { dot: true }),
      });
    }
  }
  return splits.length > 0 ? { path, splits } : undefined;
}

/** `[split, glob]` pairs of one config's `data_files`, in every form the Hub accepts. */
function listDataFiles(value: unknown): [string, string][] {
  const globs = (paths: unknown): string[] =>
    typeof paths === 'string' ? [paths] : Array.isArray(paths) ? paths.filter(isString) : [];
  if (typeof value === 'string') return [['train', value]];
  if (Array.isArray(value)) {
    return value.flatMap((item): [string, string][] => {
      if (typeof item === 'string') return [['train', item]];
      if (!isRecord(item)) return [];
      const split = typeof item['split'] === 'string' ? item['split'] : 'train';
      return globs(item['path']).map((glob) => [split, glob]);
    });
  }
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([split, paths]) =>
      globs(paths).map((glob): [string, string] => [split, glob]),
    );
  }
  return [];
}

function joinCardPath(folder: string, glob: string): string {
  const relative = glob.replace(/^\.\//, '');
  return folder === '' ? relative : `${folder}/${relative}`;
}

/** Reads the dataset cards of a pair: each card as the head has it, or the base for a card the head deleted. */
export async function readDatasetCards(
  pair: SnapshotPair,
  present: { head: ReadonlySet<string>; base: ReadonlySet<string> },
): Promise<DatasetCard[]> {
  const cards: DatasetCard[] = [];
  for (const path of findCardPaths([...new Set([...present.head, ...present.base])])) {
    const prefix = await readSidePrefix(pair, present, path);
    const card = prefix === undefined ? undefined : parseDatasetCard(prefix.text, path);
    if (card) cards.push(card);
  }
  return cards;
}

/**
 * The split the nearest dataset card above a file declares for it, with the reason to show; `undefined`
 * when no card names it or it is of no dataset format. A declared name that is not one of tuneguard's
 * splits is read the way a file name is (`test_prefs` is a test split, `train_sft` a train split).
 * @example findCardSplit(cards, 'data/test-00000-of-00001.parquet') // { split: 'test', reason: 'README.md declares it split test (config default)' }
 */
export function findCardSplit(
  cards: readonly DatasetCard[],
  path: string,
): { split: string; reason: string } | undefined {
  if (findDatasetFormat(path) === undefined) return undefined;
  const nearest = cards
    .filter((card) => isUnderFolder(path, folderOf(card.path)))
    .sort((a, b) => b.path.length - a.path.length);
  for (const card of nearest) {
    const declared = card.splits.find((split) => split.match(path));
    if (!declared) continue;
    const split = guessSplit(declared.split);
    const read = split === declared.split ? '' : `, read as ${split}`;
    const config = declared.config === undefined ? '' : ` (config ${declared.config})`;
    return { split, reason: `${card.path} declares it split ${declared.split}${config}${read}` };
  }
  return undefined;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
