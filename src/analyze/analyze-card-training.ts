import { posix } from 'node:path';
import { decodeText } from '../loaders/decode-text.js';
import { readCardTrainingLog } from '../loaders/read-card-training-log.js';
import type { TrainingLog } from '../loaders/parse-training-log.js';
import type { FileStatus, Side, TrainingReport } from '../model/report-schema.js';
import type { Snapshot } from '../model/snapshot.js';
import { profileTrainingLog } from './analyze-training.js';
import { createCardFilter } from './create-card-filter.js';
import type { AnalyzeStepInput, SidePaths } from './read-sides.js';

const CARD = 'README.md';
const STATE = 'trainer_state.json';

/**
 * The "Training results" table of each model card (`README.md`) the pull request touched, as that run's
 * training log, profiled like any other so the training checks judge it: only where no
 * `trainer_state.json` lies beside the card on head (in its folder, or a folder right under it such as
 * `checkpoint-500/` or `last-checkpoint/`), since the state is the same log in full and wins. A card
 * whose table is the same on both sides is left out (the change did not touch the log), as is a card
 * without such a table on either side, and so are cards the config's `ignore` names; when the config
 * lists `training-logs`, only the cards it names are read, as any listed log is. A row that cannot be
 * read is a problem of the card on its side.
 */
export async function analyzeCardTraining(input: AnalyzeStepInput): Promise<TrainingReport[]> {
  const { pair, present, config, log } = input;
  const reports: TrainingReport[] = [];
  const reviewed = createCardFilter(config, 'training-logs');
  const cards = pair.changedFiles.filter((path) => posix.basename(path) === CARD && reviewed(path)).sort();
  for (const card of cards) {
    if (hasTrainerState(present, posix.dirname(card))) continue;
    const read = async (side: Side, snapshot: Snapshot): Promise<TrainingLog | undefined> => {
      if (!present[side].has(card)) return undefined;
      const parsed = await readTable(snapshot, card);
      if (parsed) log.addProblems(card, side, parsed.problems);
      return parsed;
    };
    const base = await read('base', pair.base);
    const head = await read('head', pair.head);
    const status = computeTableStatus(base, head);
    if (status === undefined) continue;
    reports.push({
      path: card,
      status,
      ...(base ? { base: profileTrainingLog(base, config) } : {}),
      ...(head ? { head: profileTrainingLog(head, config) } : {}),
    });
  }
  return reports;
}

/** Whether head has a `trainer_state.json` in the folder or in a folder right under it. */
function hasTrainerState(present: SidePaths, folder: string): boolean {
  const prefix = folder === '.' ? '' : `${folder}/`;
  for (const path of present.head) {
    if (!path.startsWith(prefix) || posix.basename(path) !== STATE) continue;
    if (path.slice(prefix.length).split('/').length <= 2) return true;
  }
  return false;
}

/** The card's table as a log; a card that is no UTF-8 text holds none (the card's other readers say so). */
async function readTable(snapshot: Snapshot, path: string): Promise<TrainingLog | undefined> {
  const bytes = await snapshot.readFile(path);
  if (bytes === undefined) return undefined;
  let text: string;
  try {
    text = decodeText(bytes);
  } catch {
    return undefined;
  }
  return readCardTrainingLog(text);
}

/** The table's status between the sides; `undefined` when neither has one or both hold the same rows. */
function computeTableStatus(
  base: TrainingLog | undefined,
  head: TrainingLog | undefined,
): FileStatus | undefined {
  if (!base) return head ? 'added' : undefined;
  if (!head) return 'removed';
  return JSON.stringify(base.entries) === JSON.stringify(head.entries) ? undefined : 'modified';
}
