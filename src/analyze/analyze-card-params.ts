import { posix } from 'node:path';
import { decodeText } from '../loaders/decode-text.js';
import { readCardHyperparameters } from '../loaders/read-card-hyperparameters.js';
import type { ParamsFile } from '../loaders/parse-params.js';
import { folderOf } from '../model/paths.js';
import type { Side } from '../model/report-schema.js';
import type { Snapshot } from '../model/snapshot.js';
import { filesOn } from '../sources/discover-artifacts.js';
import { equalValues } from '../diff/diff-params.js';
import { createCardFilter } from './create-card-filter.js';
import type { AnalyzeStepInput } from './read-sides.js';

const CARD = 'README.md';

/** One card whose list changed, on both sides, for `buildParamsEntry`. */
export interface CardParams {
  path: string;
  base: ParamsFile;
  head: ParamsFile;
}

/**
 * The "Training hyperparameters" list of each model card (`README.md`) the pull request touched, as
 * that run's hyperparameters, diffed like any config so the params checks judge it: only where the
 * model folder has no hyperparameter file tuneguard reads (a params artifact in the card's folder or the
 * folder above, on either side; `training_args.bin` is none), since a config is the run's own record
 * and wins. Only a list on both sides whose values changed is a change of the run: a card that brings or
 * drops its list (a new model pushed, a card rewritten by hand) has nothing to compare, and a list with
 * the same values on both sides was not touched. Cards the config's `ignore` names are left out; when
 * the config lists `params`, only the files it names are read.
 */
export async function analyzeCardParams(input: AnalyzeStepInput): Promise<CardParams[]> {
  const { pair, present } = input;
  const reviewed = createCardFilter(input.config, 'params');
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
    if (base && head && !sameValues(base, head)) entries.push({ path: card, base, head });
  }
  return entries;
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

function sameValues(base: ParamsFile, head: ParamsFile): boolean {
  if (base.values.size !== head.values.size) return false;
  return [...base.values].every(
    ([key, value]) => head.values.has(key) && equalValues(value, head.values.get(key) ?? null),
  );
}
