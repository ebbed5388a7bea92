import { posix } from 'node:path';
import { agreesAtCardPrecision } from './agrees-at-card-precision.js';
import { decodeText } from '../loaders/decode-text.js';
import { readEvalResultsYaml, readModelCard, type CardValue } from '../loaders/read-model-card.js';
import type { Side } from '../model/report-schema.js';
import type { Snapshot } from '../model/snapshot.js';
import type { CardMismatch, ModelCardEntry } from '../checks/check-context.js';
import type { AnalyzeStepInput } from './read-sides.js';
import { findLmEvalMismatches, type LmEvalFile } from './find-lm-eval-mismatches.js';
import { parseMetricsFile } from '../loaders/parse-metrics.js';
import { filesOn } from '../sources/discover-artifacts.js';

/** The flat results files the Hugging Face Trainer writes next to the card it generates. */
const RESULTS_FILES = ['all_results.json', 'eval_results.json', 'test_results.json'];
const CARD = 'README.md';
const EVAL_RESULTS_FOLDER = '.eval_results/';
/** Training-side numbers a card may show that are no evaluation result. */
const NOT_RESULTS = /^(?:train|epoch|step|totalflos|learningrate|seed|batchsize)/;

/**
 * Model cards against the results files beside them, in every folder whose card, `.eval_results/` or
 * Trainer results (`all_results.json`, `eval_results.json`, `test_results.json`) the pull request
 * touched, and above every lm-eval results file it touched (each folder up to the root with a card):
 * each number the card states (its `model-index`, its `- Name: value` lines, its `.eval_results/*.yaml`)
 * that names a Trainer result there is compared with it at the card's own precision, and each
 * `model-index` number or `.eval_results` entry whose dataset (and metric) clearly name an lm-eval task's
 * metric in the folder or under it is compared with that (see `findLmEvalMismatches`).
 */
export async function analyzeModelCards(input: AnalyzeStepInput): Promise<ModelCardEntry[]> {
  const { pair, present, log } = input;
  const lmEvalOn = (side: Side): string[] =>
    input.changes
      .filter((change) => change.artifact.kind === 'metrics')
      .flatMap((change) => filesOn(change.artifact, side))
      .filter((path) => present[side].has(path));
  const folders = new Set<string>();
  const touchedLmEval = new Set(lmEvalOn('head'));
  for (const path of pair.changedFiles) {
    const folder = modelFolderOf(path);
    if (folder !== undefined) folders.add(folder);
    if (touchedLmEval.has(path)) for (const above of cardFoldersAbove(path, present.head)) folders.add(above);
  }
  const entries: ModelCardEntry[] = [];
  for (const folder of [...folders].sort()) {
    const compare = async (side: Side, snapshot: Snapshot): Promise<CardMismatch[]> => {
      const paths = present[side];
      const results = await readResults(snapshot, folder, paths);
      const lmEvalPaths = lmEvalOn(side).filter((p) => folder === '.' || p.startsWith(`${folder}/`));
      if (results.size === 0 && lmEvalPaths.length === 0) return [];
      const cards = [join(folder, CARD), ...[...paths].filter((p) => isEvalResultsYaml(p, folder))];
      const stated: [string, CardValue[]][] = [];
      for (const card of cards.filter((p) => paths.has(p))) {
        const values = await readCard(snapshot, card).catch((error: unknown) => {
          log.note(card, side)(error);
          return [];
        });
        stated.push([card, values]);
      }
      const named = stated.some(([, values]) => values.some((value) => value.dataset !== undefined));
      const lmEval = named ? await readLmEval(snapshot, lmEvalPaths) : [];
      return stated.flatMap(([card, values]) => [
        ...findMismatches(card, values, results),
        ...findLmEvalMismatches(card, values, lmEval),
      ]);
    };
    const head = await compare('head', pair.head);
    if (head.length === 0) continue;
    entries.push({ folder, base: await compare('base', pair.base), head });
  }
  return entries;
}

/** The folders above a path (its own first, the root last) that hold a card on head. */
function cardFoldersAbove(path: string, paths: ReadonlySet<string>): string[] {
  const folders: string[] = [];
  let folder = posix.dirname(path);
  for (;;) {
    if (paths.has(join(folder, CARD))) folders.push(folder);
    if (folder === '.') return folders;
    folder = posix.dirname(folder);
  }
}

/** The lm-eval results files among `paths`; a file that cannot be read is skipped. */
async function readLmEval(snapshot: Snapshot, paths: readonly string[]): Promise<LmEvalFile[]> {
  const files: LmEvalFile[] = [];
  for (const path of paths) {
    const bytes = await snapshot.readFile(path);
    if (bytes === undefined) continue;
    try {
      const results = parseMetricsFile(decodeText(bytes), path);
      if (results.format === 'lm-eval' || results.format === 'lm-eval-legacy') files.push({ path, results });
    } catch {
      // An unreadable results file is the metrics loader's to report.
    }
  }
  return files;
}

/** The model folder a changed path belongs to, when it is a card or a results file of one. */
function modelFolderOf(path: string): string | undefined {
  const name = posix.basename(path);
  const folder = posix.dirname(path);
  if (name === CARD || RESULTS_FILES.includes(name)) return folder;
  if (posix.basename(folder) === '.eval_results' && /\.ya?ml$/.test(name)) return posix.dirname(folder);
  return undefined;
}

function join(folder: string, name: string): string {
  return folder === '.' ? name : `${folder}/${name}`;
}

function isEvalResultsYaml(path: string, folder: string): boolean {
  const prefix = join(folder, EVAL_RESULTS_FOLDER);
  return path.startsWith(prefix) && !path.slice(prefix.length).includes('/') && /\.ya?ml$/.test(path);
}

async function readCard(snapshot: Snapshot, path: string): Promise<CardValue[]> {
  const bytes = await snapshot.readFile(path);
  if (bytes === undefined) return [];
  const text = decodeText(bytes);
  return path.endsWith(CARD) ? readModelCard(text) : readEvalResultsYaml(text);
}

/** Numbers of the folder's Trainer results files, by key, with the file each is from. */
async function readResults(
  snapshot: Snapshot,
  folder: string,
  paths: ReadonlySet<string>,
): Promise<Map<string, { file: string; value: number }>> {
  const results = new Map<string, { file: string; value: number }>();
  for (const name of RESULTS_FILES) {
    const file = join(folder, name);
    if (!paths.has(file)) continue;
    const bytes = await snapshot.readFile(file);
    let parsed: unknown;
    try {
      parsed = bytes === undefined ? undefined : JSON.parse(decodeText(bytes));
    } catch {
      // An unreadable results file is the metrics loader's to report.
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue;
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'number' && Number.isFinite(value) && !results.has(key))
        results.set(key, { file, value });
    }
  }
  return results;
}

/**
 * The card's numbers that name a result (its label equal to a key, or to the key without `eval_` or
 * `test_`, ignoring case and punctuation) but match none of the results it names, at the card's
 * precision (rounded or cut to its decimals, or as a percentage of a fraction).
 */
export function findMismatches(
  card: string,
  values: readonly CardValue[],
  results: ReadonlyMap<string, { file: string; value: number }>,
): CardMismatch[] {
  const mismatches: CardMismatch[] = [];
  for (const stated of values) {
    const name = normalise(stated.label);
    if (NOT_RESULTS.test(name)) continue;
    const named = [...results].filter(([key]) => keyNames(key).includes(name));
    if (named.length === 0 || named.some(([, result]) => agreesAtCardPrecision(stated, result.value)))
      continue;
    const [key, result] = named[0] ?? [];
    if (key === undefined || result === undefined) continue;
    mismatches.push({ card, stated, results: result.file, key, actual: result.value });
  }
  return mismatches;
}

/** `eval_rouge1` → `evalrouge1` and `rouge1`. */
function keyNames(key: string): string[] {
  const full = normalise(key);
  const bare = normalise(key.replace(/^(?:eval|test)_/, ''));
  return full === bare ? [full] : [full, bare];
}

function normalise(label: string): string {
  return label
    .toLowerCase()
    .replace(/\btraining\b/g, 'train')
    .replace(/\bvalidation\b/g, 'eval')
    .replace(/[^a-z0-9]/g, '');
}
