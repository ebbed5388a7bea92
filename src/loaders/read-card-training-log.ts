import type { LogEntry, TrainingLog } from './parse-training-log.js';

/** `### Training results` (any heading level from 2 to 4), as the Trainer's card writes it. */
const HEADING = /^#{2,4}\s+Training results\s*$/i;
const FENCE = /^\s*(```|~~~)/;
const SEPARATOR = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** What the Trainer writes in the first column before the first training loss was logged. */
const NO_LOG = 'no log';

/**
 * The "Training results" table of a Hugging Face Trainer model card (`README.md`) read as the run's
 * training log: one entry per row, at its `Step`, with its `Epoch`, its `Validation Loss` as the eval loss
 * and its `Training Loss` as the train loss. The Trainer fills that column with the last training loss
 * logged at or before the row's step (`No log` before the first), so a value repeated from the row
 * above is that same logged loss and is not counted again. Metric columns (`Wer`, `Accuracy`...) are
 * not part of the log. `nan` and `inf` are read as Python writes them. A row whose step or loss is not a
 * number is a problem with its line, and the other rows still load. Gives `undefined` when the card
 * has no such heading followed by a table with `Step` and a loss column (a hand-written results table
 * is not the Trainer's). Tables inside code blocks are skipped.
 * @example readCardTrainingLog('### Training results\n\n| Training Loss | Epoch | Step | Validation Loss |\n|:-:|:-:|:-:|:-:|\n| No log | 1.0 | 10 | 0.9 |\n')?.entries // [{ step: 10, epoch: 1, evalLosses: { '': 0.9 } }]
 */
export function readCardTrainingLog(text: string): TrainingLog | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const start = findTableStart(lines);
  if (start === undefined) return undefined;
  const header = splitRow(lines[start] ?? '').map((cell) => cell.toLowerCase());
  const column = {
    train: header.indexOf('training loss'),
    epoch: header.indexOf('epoch'),
    step: header.indexOf('step'),
    eval: header.indexOf('validation loss'),
  };
  if (column.step < 0 || (column.train < 0 && column.eval < 0)) return undefined;
  const log: TrainingLog = { format: 'hf-model-card', entries: [], problems: [] };
  let lastTrain: string | undefined;
  for (let index = start + 2; index < lines.length; index += 1) {
    const raw = lines[index] ?? '';
    if (!raw.trim().startsWith('|')) break;
    const cells = splitRow(raw);
    const read = (at: number): { cell: string; value?: number } => {
      const cell = cells[at] ?? '';
      const value = parseNumber(cell);
      return value === undefined ? { cell } : { cell, value };
    };
    const line = index + 1;
    const step = read(column.step);
    if (step.value === undefined || !Number.isFinite(step.value)) {
      log.problems.push({ line, reason: `Step is not a number: ${show(step.cell)}` });
      continue;
    }
    const entry: LogEntry = { step: step.value, evalLosses: {} };
    const epoch = column.epoch < 0 ? undefined : read(column.epoch).value;
    if (epoch !== undefined) entry.epoch = epoch;
    const problem = readLosses(entry, { train: read(column.train), eval: read(column.eval) }, lastTrain);
    if (problem !== undefined) {
      log.problems.push({ line, reason: problem });
      continue;
    }
    if (column.train >= 0) lastTrain = read(column.train).cell;
    log.entries.push(entry);
  }
  return log;
}

/** Sets the row's losses on the entry; gives the reason when one is neither a number nor `No log`. */
function readLosses(
  entry: LogEntry,
  cells: { train: { cell: string; value?: number }; eval: { cell: string; value?: number } },
  lastTrain: string | undefined,
): string | undefined {
  const { train, eval: evaluation } = cells;
  if (train.value === undefined && train.cell !== '' && train.cell.toLowerCase() !== NO_LOG)
    return `Training Loss is not a number: ${show(train.cell)}`;
  if (evaluation.value === undefined && evaluation.cell !== '' && evaluation.cell.toLowerCase() !== NO_LOG)
    return `Validation Loss is not a number: ${show(evaluation.cell)}`;
  if (train.value !== undefined && train.cell !== lastTrain) entry.trainLoss = train.value;
  if (evaluation.value !== undefined) entry.evalLosses[''] = evaluation.value;
  return undefined;
}

/** The 0-based line of the table's header under the heading: the header, then its separator row. */
function findTableStart(lines: readonly string[]): number | undefined {
  let fenced = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (FENCE.test(line)) fenced = !fenced;
    if (fenced || !HEADING.test(line)) continue;
    let next = index + 1;
    while (next < lines.length && (lines[next] ?? '').trim() === '') next += 1;
    if ((lines[next] ?? '').trim().startsWith('|') && SEPARATOR.test((lines[next + 1] ?? '').trim()))
      return next;
  }
  return undefined;
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

/** A cell as Python formats a float (`0.1011`, `nan`, `inf`); undefined when it is no number. */
function parseNumber(cell: string): number | undefined {
  if (DECIMAL.test(cell)) return Number(cell);
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(cell);
  if (!special) return undefined;
  if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** A cell quoted for a problem message, cut short. */
function show(cell: string): string {
  const quoted = JSON.stringify(cell);
  return quoted.length > 40 ? `${quoted.slice(0, 37)}...` : quoted;
}
