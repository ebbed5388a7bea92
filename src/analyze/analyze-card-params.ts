import { posix } from 'node:path';
import type { Config } from '../config/schema.js';
import { decodeText } from '../loaders/decode-text.js';
import { readCardHyperparameters } from '../loaders/read-card-hyperparameters.js';
import type { ParamsFile } from '../loaders/parse-params.js';
import { folderOf } from '../model/paths.js';
import type { FileStatus, Side } from '../model/report-schema.js';
import type { Snapshot } from '../model/snapshot.js';
import { createGlobMatcher } from '../sources/create-glob-matcher.js';
import { filesOn } from '../sources/discover-artifacts.js';
import { equalValues } from '../diff/diff-params.js';
import type { AnalyzeStepInput } from './read-sides.js';

const CARD = 'README.md';

/** One card's list on both sides, for `buildParamsEntry`. */
export interface CardParams {
  path: string;
  status: FileStatus;
  base?: ParamsFile;
  head?: ParamsFile;
}

/**
 * The "Training hyperparameters" list of each model card (`README.md`) the pull request touched, as
 * that run's hyperparameters, diffed like any config so the params checks judge it: only where the
 * model folder has no hyperparameter file tuneguard reads (a params artifact in the card's folder or the
 * folder above, on either side; `training_args.bin` is none), since a config is the run's own record
 * and wins. A card whose list holds the same values on both sides is left out (the change did not touch
 * it), as is a card without a list on either side, a list taken out of a card that stays, and cards the
 * config's `ignore` names; when the config lists `params`, only the files it names are read.
 */
export async function analyzeCardParams(input: AnalyzeStepInput): Promise<CardParams[]> {
  const { pair, present } = input;
  const reviewed = createCardFilter(input.config);
  const configFolders = listConfigFolders(input);
  const cards = pair.changedFiles.filter((path) => posix.basename(path) === CARD && reviewed(path)).sort();
  const entries: CardParams[] = [];
  for (const card of cards) {
    const folder = folderOf(card);
    if (configFolders.has(folder) || (folder !== '' && configFolders.has(folderOf(folder)))) continue;
    const read = async (side: Side, snapshot: Snapshot): Promise<ParamsFile | undefined> =>
      present[side].has(card) ? readList(snapshot, card) : undefined;
    const base = await read('base', pair.base);
    const head = await read('head', pair.head);
    const status = computeListStatus(base, head, present.head.has(card));
    if (status !== undefined)
      entries.push({ path: card, status, ...(base ? { base } : {}), ...(head ? { head } : {}) });
  }
  return entries;
}

/** Cards out of the config's `ignore`, and none when the config lists `params` (that list is the whole kind). */
function createCardFilter(config: Config): (path: string) => boolean {
  if (config.params !== undefined) return () => false;
  const ignored = createGlobMatcher(config.ignore);
  return (path) => !ignored(path);
}

/** The folders that hold a hyperparameter file tuneguard reads, on either side. */
function listConfigFolders(input: AnalyzeStepInput): Set<string> {
  const folders = new Set<string>();
  for (const { artifact } of input.changes) {
    if (artifact.kind !== 'params') continue;
    for (const side of ['base', 'head'] as const)
      for (const path of filesOn(artifact, side)) folders.add(folderOf(path));
  }
  return folders;
}

/** The card's list; a card that is no UTF-8 text holds none (the card's other readers say so). */
async function readList(snapshot: Snapshot, path: string): Promise<ParamsFile | undefined> {
  const bytes = await snapshot.readFile(path);
  if (bytes === undefined) return undefined;
  try {
    return readCardHyperparameters(decodeText(bytes));
  } catch {
    return undefined;
  }
}

/**
 * The list's status between the sides; `undefined` when neither has one, both hold the same values, or
 * head's card stays without its list (the card was rewritten, not the run's hyperparameters).
 */
function computeListStatus(
  base: ParamsFile | undefined,
  head: ParamsFile | undefined,
  cardOnHead: boolean,
): FileStatus | undefined {
  if (!base) return head ? 'added' : undefined;
  if (!head) return cardOnHead ? undefined : 'removed';
  return sameValues(base, head) ? undefined : 'modified';
}

function sameValues(base: ParamsFile, head: ParamsFile): boolean {
  if (base.values.size !== head.values.size) return false;
  return [...base.values].every(
    ([key, value]) => head.values.has(key) && equalValues(value, head.values.get(key) ?? null),
  );
}
