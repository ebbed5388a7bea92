import { nameLogColumns } from './name-log-columns.js';
import { parseCsvRecords } from './parse-csv-records.js';
import { visitJson } from './visit-json.js';
import JSON5 from 'json5';
import { ParseError } from '../model/errors.js';
import type { RlSignal } from '../model/report-schema.js';
import { findRlMethod, readRlSignals } from './read-rl-signals.js';
import { readCardTrainingLog } from './read-card-training-log.js';
import { isRecord } from '../model/is-record.js';

export type TrainingLogFormat =
  'hf-trainer-state' | 'llamafactory-trainer-log' | 'csv' | 'lightning-csv' | 'hf-model-card';

/** One logged point of a training run: a training step, an evaluation, or both (CSV rows may hold both). */
export interface LogEntry {
  step: number;
  epoch?: number;
  /** `loss` of a training entry (not the end-of-run average `train_loss`). */
  trainLoss?: number;
  /** `eval_loss` under the key `''`; `eval_<name>_loss` under the key `<name>`. */
  evalLosses: Record<string, number>;
  learningRate?: number;
  gradNorm?: number;
  /** Reinforcement-learning signals logged with the entry (reward, entropy, KL...), when any. */
  rl?: Partial<Record<RlSignal, number>>;
}

/** A training log read from one file; values are kept as written, including NaN and ±Infinity. */
export interface TrainingLog {
  format: TrainingLogFormat;
  /** In file order. */
  entries: LogEntry[];
  globalStep?: number;
  maxSteps?: number;
  numEpochs?: number;
  bestMetric?: number;
  bestCheckpoint?: string;
  /** End-of-run `train_loss` average, when logged. */
  summaryTrainLoss?: number;
  /** The kind of RL run its keys show (`GRPO`, `PPO`, `verl`, `RL`), when it logged RL signals. */
  rlMethod?: string;
  /** Entries that could not be read (1-based `line` when known); the other entries are still loaded. */
  problems: { line?: number; reason: string }[];
}

type Problem = TrainingLog['problems'][number];

/**
 * Parses a training log, choosing the format by the file's extension: `.json` is an HF Trainer
 * `trainer_state.json` (its `log_history`), `.jsonl` a LLaMA-Factory `trainer_log.jsonl` (`current_steps`,
 * `loss`, `eval_loss`, `lr`, ...), `.csv` a table with a step column (`step`, `global_step` or
 * `current_steps`) and loss columns (`loss`, `eval_loss`, `eval_<name>_loss`; W&B-style `train/loss` and
 * `eval/loss` headers, and PyTorch Lightning's and NeMo's `train_loss_step`, `reduced_train_loss` and
 * `val_loss`, are read too: see `nameLogColumns`; a Lightning `metrics.csv` is format `lightning-csv`),
 * `.md` a model card's "Training results" table (see `readCardTrainingLog`). NaN and Infinity written by
 * Python are read as numbers. An entry whose
 * step or loss is not a number becomes a problem with its line and the rest still loads.
 * Throws `ParseError` (with the line when known) when the file is empty, cannot be parsed as a whole,
 * has an unsupported extension, or is not a training log.
 * @example parseTrainingLog('step,loss\n10,1.5\n', 'log.csv').entries // [{ step: 10, trainLoss: 1.5, evalLosses: {} }]
 */
export function parseTrainingLog(text: string, path: string): TrainingLog {
  const format = findFormat(path);
  if (!format) {
    throw new ParseError(
      `${path} is not a supported training log: expected trainer_state.json, trainer_log.jsonl, a .csv file or a model card (.md)`,
    );
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ParseError(`${path} is empty: it holds no training log entries`, 1);
  if (format === 'hf-trainer-state') return parseTrainerState(body, path);
  if (format === 'llamafactory-trainer-log') return parseTrainerLogLines(body, path);
  if (format === 'hf-model-card') return parseCardLog(body, path);
  return parseCsvLog(body, path);
}

function findFormat(path: string): TrainingLogFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.jsonl')) return 'llamafactory-trainer-log';
  if (lower.endsWith('.json')) return 'hf-trainer-state';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.md')) return 'hf-model-card';
  return undefined;
}

function parseTrainerState(text: string, path: string): TrainingLog {
  const root = parseJson(text);
  if (!isRecord(root) || !Array.isArray(root.log_history)) {
    throw new ParseError(`${path} is not an HF trainer_state.json: it has no "log_history" list`, 1);
  }
  const log: TrainingLog = { format: 'hf-trainer-state', entries: [], problems: [] };
  const failed: { index: number; reason: string }[] = [];
  root.log_history.forEach((item: unknown, index: number) => {
    const reason = readRecord(item, ['step'], log);
    if (reason !== undefined) failed.push({ index, reason: `log_history entry: ${reason}` });
  });
  if (failed.length > 0) {
    const lines = findLogHistoryLines(text);
    for (const { index, reason } of failed) log.problems.push(withLine(reason, lines[index]));
  }
  const fields: [string, 'globalStep' | 'maxSteps' | 'numEpochs' | 'bestMetric'][] = [
    ['global_step', 'globalStep'],
    ['max_steps', 'maxSteps'],
    ['num_train_epochs', 'numEpochs'],
    ['best_metric', 'bestMetric'],
  ];
  for (const [key, field] of fields) {
    const value = root[key];
    if (typeof value === 'number') log[field] = value;
    else if (value !== undefined && value !== null)
      log.problems.push({ reason: `${key} is not a number: ${show(value)}` });
  }
  if (typeof root.best_model_checkpoint === 'string') log.bestCheckpoint = root.best_model_checkpoint;
  return log;
}

function parseTrainerLogLines(text: string, path: string): TrainingLog {
  const log: TrainingLog = { format: 'llamafactory-trainer-log', entries: [], problems: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const line = index + 1;
    let item: unknown;
    try {
      item = parseJson(raw);
    } catch (error) {
      log.problems.push({ line, reason: error instanceof ParseError ? error.message : String(error) });
      return;
    }
    if (isRecord(item) && typeof item.total_steps === 'number') log.maxSteps = item.total_steps;
    const reason = readRecord(item, ['current_steps', 'step'], log);
    if (reason !== undefined) log.problems.push({ line, reason });
  });
  const first = log.problems[0];
  if (log.entries.length === 0 && first) {
    throw new ParseError(`${path} is not a LLaMA-Factory trainer log: ${first.reason}`, first.line);
  }
  return log;
}

function parseCardLog(text: string, path: string): TrainingLog {
  const log = readCardTrainingLog(text);
  if (!log) {
    throw new ParseError(
      `${path} is not a training log: it has no "Training results" table with a Step and a loss column`,
    );
  }
  return log;
}

const CSV_STEP_KEYS = ['global_step', 'step', 'current_steps'];

function parseCsvLog(text: string, path: string): TrainingLog {
  const records = parseCsvRecords(text, 'invalid CSV');
  const [header, ...rows] = records;
  if (!header) throw new ParseError(`${path} is empty: it holds no training log entries`, 1);
  const keys = nameLogColumns(header.cells);
  if (!CSV_STEP_KEYS.some((key) => keys.includes(key))) {
    throw new ParseError(
      `${path} is not a training log: no step column (step, global_step or current_steps)`,
      1,
    );
  }
  if (!keys.some((key) => key !== undefined && (key === 'loss' || findEvalSet(key) !== undefined))) {
    throw new ParseError(
      `${path} is not a training log: no loss column (loss, train_loss, eval_loss, val_loss or eval_<name>_loss)`,
      1,
    );
  }
  const log: TrainingLog = { format: findCsvFormat(path, keys), entries: [], problems: [] };
  for (const { cells: record, line } of rows) {
    if (record.length !== header.cells.length) {
      log.problems.push({ line, reason: `expected ${header.cells.length} columns, found ${record.length}` });
      continue;
    }
    const item: Record<string, unknown> = {};
    record.forEach((cell, column) => {
      const key = keys[column];
      const value = cell.trim();
      if (key === undefined || value === '' || key in item) return;
      item[key] = parseCsvNumber(value) ?? value;
    });
    const reason = readRecord(item, CSV_STEP_KEYS, log);
    if (reason !== undefined) log.problems.push({ line, reason });
  }
  return log;
}

/**
 * PyTorch Lightning's `CSVLogger` (and NeMo's, which is Lightning's) writes `metrics.csv` with an `epoch`
 * and a `step` column and one sparse row per logging call; any other CSV is a plain table of steps.
 */
function findCsvFormat(path: string, keys: readonly (string | undefined)[]): TrainingLogFormat {
  const name = path.split('/').at(-1)?.toLowerCase();
  return name === 'metrics.csv' && keys.includes('epoch') && keys.includes('step') ? 'lightning-csv' : 'csv';
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads a CSV cell as written by Python or pandas (`nan`, `inf`, `-Infinity` included); undefined when not a number. */
function parseCsvNumber(cell: string): number | undefined {
  if (DECIMAL.test(cell)) return Number(cell);
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(cell);
  if (!special) return undefined;
  if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/**
 * Reads one logged record into `log`: an entry, and the end-of-run `train_loss` as the summary.
 * Returns the reason when the record cannot be read.
 */
function readRecord(item: unknown, stepKeys: string[], log: TrainingLog): string | undefined {
  if (!isRecord(item)) return `expected an object, found ${show(item)}`;
  if ('train_loss' in item && log.format !== 'csv' && log.format !== 'lightning-csv') {
    const summary = item.train_loss;
    if (typeof summary === 'number') log.summaryTrainLoss = summary;
    else if (summary !== null) return `train_loss is not a number: ${show(summary)}`;
  }
  const stepKey = stepKeys.find((key) => item[key] !== undefined && item[key] !== null);
  if (stepKey === undefined) return `no ${stepKeys.join(' or ')}`;
  const step = item[stepKey];
  if (typeof step !== 'number' || !Number.isFinite(step)) return `${stepKey} is not a number: ${show(step)}`;
  const entry: LogEntry = { step, evalLosses: {} };
  for (const [key, value] of Object.entries(item)) {
    const field = FIELDS[key];
    const evalSet = field ? undefined : findEvalSet(key);
    if ((field === undefined && evalSet === undefined) || value === null) continue;
    if (typeof value !== 'number') return `${key} is not a number: ${show(value)}`;
    if (field) entry[field] = value;
    else if (evalSet !== undefined) entry.evalLosses[evalSet] = value;
  }
  const rl = readRlSignals(item);
  if (rl.invalid) return `${rl.invalid.key} is not a number: ${show(rl.invalid.value)}`;
  if (Object.keys(rl.values).length > 0) {
    entry.rl = rl.values;
    // SFT (`entropy`) and KTO (`kl`) runs log some of these keys too: only a reward makes a run RL.
    const method = findRlMethod(Object.keys(item));
    if (method !== undefined && (log.rlMethod === undefined || log.rlMethod === 'RL')) log.rlMethod = method;
  }
  log.entries.push(entry);
  return undefined;
}

const FIELDS: Partial<Record<string, 'epoch' | 'trainLoss' | 'learningRate' | 'gradNorm'>> = {
  epoch: 'epoch',
  loss: 'trainLoss',
  learning_rate: 'learningRate',
  lr: 'learningRate',
  grad_norm: 'gradNorm',
};

/** `eval_loss` → `''`, `eval_<name>_loss` → `<name>`, anything else undefined. */
function findEvalSet(key: string): string | undefined {
  if (key === 'eval_loss') return '';
  const match = /^eval_(.+)_loss$/.exec(key);
  return match?.[1];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Python's json module writes NaN, Infinity and -Infinity, which JSON.parse rejects and JSON5 reads.
    try {
      return JSON5.parse(text);
    } catch (error) {
      const { lineNumber, columnNumber } = error as { lineNumber?: unknown; columnNumber?: unknown };
      const line = asLine(lineNumber);
      const where = line === undefined ? '' : ` at line ${line}, column ${String(columnNumber)}`;
      const message = error instanceof Error ? error.message : String(error);
      const reason = message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '');
      throw new ParseError(`invalid JSON${where}: ${reason}`, line, { cause: error });
    }
  }
}

/** 1-based start line of each `log_history` entry; the scanner tolerates Python's NaN and Infinity. */
function findLogHistoryLines(text: string): (number | undefined)[] {
  const lines: (number | undefined)[] = [];
  const record = (startLine: number, path: () => (string | number)[]): void => {
    const [key, index, ...rest] = path();
    if (key === 'log_history' && typeof index === 'number' && rest.length === 0) lines[index] = startLine + 1;
  };
  visitJson(text, {
    onObjectBegin: (_offset, _length, startLine, _startCharacter, path) => record(startLine, path),
    onArrayBegin: (_offset, _length, startLine, _startCharacter, path) => record(startLine, path),
    onLiteralValue: (_value, _offset, _length, startLine, _startCharacter, path) => record(startLine, path),
  });
  return lines;
}

function withLine(reason: string, line: number | undefined): Problem {
  return line === undefined ? { reason } : { line, reason };
}

function asLine(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** A value quoted for a problem message, cut short so a huge cell never floods the report. */
function show(value: unknown): string {
  const text =
    typeof value === 'number' || value === undefined ? String(value) : (stringify(value) ?? typeof value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** JSON of a value read from the file; a value nested too deeply for `JSON.stringify` is said to be. */
function stringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError)
      return `${Array.isArray(value) ? 'a list' : 'a value'} nested too deeply to show`;
    throw error;
  }
}
