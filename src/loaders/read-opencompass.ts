import { ParseError } from '../model/errors.js';
import { computeWilsonStderr } from '../stats/compute-wilson-interval.js';
import { computeDirection } from './compute-direction.js';
import { parseCsvRecords, type CsvRecord } from './parse-csv-records.js';
import type { MetricsFile, MetricValue, TaskSettings } from './parse-metrics.js';

/*
 * OpenCompass's summary table (`outputs/<config>/<time>/summary/summary_<time>.csv`, written by its
 * summarizers): a header `dataset,version,metric,mode,<model>...`, then one row per dataset and metric
 * with each model's score in its column, formatted `47.37`, or `-` where the model has none. `version` is
 * a hash of the dataset's prompt and evaluation settings (OpenCompass: "users can verify whether two
 * evaluation results are comparable using this column"), `mode` how answers were obtained (`gen`,
 * `ppl`). Summary groups (averages of other rows) have no version: `ceval,-,naive_average,gen,47.03`.
 * Rows whose metric is `-` are missing datasets or section dividers (`--------- Exam ---------,-,-,-,-`).
 */

/** OpenCompass's own file name for the table: `summary_<%Y%m%d_%H%M%S>.csv`. */
const SUMMARY_NAME = /^(.*\/)?summary_(\d{8}_\d{6})\.csv$/i;
/** The folder OpenCompass gives each run: `<time>/summary/`. */
const RUN_FOLDER = /(^|\/)\d{8}_\d{6}\/summary\/$/;
/** A run's result for one model and dataset: `<time>/results/<model>/<dataset>.json`. */
const RESULT_FILE = /^(.*\/)?(\d{8}_\d{6})\/results\/([^/]+\/[^/]+\.json)$/i;
/** The first columns of every summary table, before the models'. */
const HEADER = ['dataset', 'version', 'metric', 'mode'];
/** Columns between `mode` and the models' that count items (AISBench, an OpenCompass fork, writes it). */
const COUNT_COLUMNS = new Set(['total_count']);
/** A score, optionally followed by the items behind it: `82.00`, `82.00 (41/50)`. */
const SCORE = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(?:\s*\((\d+)\s*\/\s*(\d+)\))?$/i;

/**
 * Whether a path is named as OpenCompass names its summary table (`summary_20240923_083857.csv`).
 * @example isOpenCompassSummaryPath('outputs/default/20240923_083857/summary/summary_20240923_083857.csv') // true
 */
export function isOpenCompassSummaryPath(path: string): boolean {
  return SUMMARY_NAME.test(path);
}

/**
 * The series a summary table (or a run's result for one dataset) belongs to and the time it ran: runs
 * of one config live in timestamped folders side by side
 * (`outputs/default/<time>/summary/summary_<time>.csv`, `outputs/default/<time>/results/<model>/<dataset>.json`),
 * so the series is the folder above the run's, and the file within it; `undefined` for other names.
 * @example findOpenCompassRun('outputs/default/20240923_083857/summary/summary_20240923_083857.csv') // { series: 'outputs/default/opencompass:summary', time: '20240923_083857' }
 */
export function findOpenCompassRun(path: string): { series: string; time: string } | undefined {
  const result = RESULT_FILE.exec(path);
  if (result?.[2] && result[3])
    return { series: `${result[1] ?? ''}opencompass:results/${result[3]}`, time: result[2] };
  const match = SUMMARY_NAME.exec(path);
  if (!match?.[2]) return undefined;
  const folder = (match[1] ?? '').replace(RUN_FOLDER, '$1');
  return { series: `${folder}opencompass:summary`, time: match[2] };
}

/**
 * Whether a CSV header is an OpenCompass summary table's: `dataset,version,metric,mode` then at least one
 * column (a model).
 */
export function isOpenCompassHeader(cells: readonly string[]): boolean {
  return cells.length > HEADER.length && HEADER.every((name, index) => cells[index]?.trim() === name);
}

type Row = CsvRecord;

interface Columns {
  /** The models' columns: their index and name. */
  models: { index: number; name: string }[];
  /** A column counting the items behind each row, when there is one. */
  count?: number;
}

/**
 * Reads an OpenCompass summary table. One metric per dataset, metric and model: the task is the
 * dataset, the metric its name, with the model in brackets when the table has several
 * (`accuracy[qwen2-1.5b-instruct-hf]`; with one, its name is the evaluator's model, so that a renamed
 * checkpoint is still compared). OpenCompass writes higher-is-better scores (accuracy, pass@1, BLEU) as
 * percentages: they are read as fractions (47.37 → 0.4737), so that tolerances in points apply as to
 * lm-eval's; other metrics (`average_ppl`) are read as written. `version` and `mode` are the dataset's
 * task version and inference mode in the comparability guard. A summary group (no version) takes the
 * direction its datasets share, and never has a standard error, so an average is never tested beside
 * the scores it averages. A score with its items (`82.00 (41/50)`, or a `total_count` column) has the
 * standard error of the Wilson interval of its correct answers, and the items as the task's sample
 * count; other scores have none. `-` is no score; a cell that is no number is a problem with its line.
 * Throws ParseError when the header is not `dataset,version,metric,mode,<model>...`.
 */
export function readOpenCompassSummary(text: string): MetricsFile {
  const [header, ...rows] = readRows(text);
  if (!header || !isOpenCompassHeader(header.cells))
    throw new ParseError(
      'not an OpenCompass summary table: its header is not dataset,version,metric,mode,<model>…',
      1,
    );
  const columns = readColumns(header.cells);
  const file: MetricsFile = {
    format: 'opencompass',
    metrics: [],
    tasks: {},
    evaluator: columns.models.length === 1 ? { model: columns.models[0]?.name ?? '' } : {},
    groups: {},
    problems: [],
  };
  const scored = rows.filter((row) => !isDivider(row.cells));
  const shared = findSharedDirection(scored.filter((row) => !isGroup(row.cells)));
  for (const row of scored) readRow(row, columns, shared, file);
  return file;
}

function readRows(text: string): Row[] {
  return parseCsvRecords(text, 'not a readable CSV file');
}

function readColumns(header: readonly string[]): Columns {
  const columns: Columns = { models: [] };
  header.slice(HEADER.length).forEach((cell, offset) => {
    const index = HEADER.length + offset;
    const name = cell.trim();
    if (COUNT_COLUMNS.has(name)) columns.count = index;
    else columns.models.push({ index, name });
  });
  return columns;
}

/** A row without a metric: a dataset with no result, a section divider, or the header repeated. */
function isDivider(cells: readonly string[]): boolean {
  const metric = cells[2]?.trim() ?? '';
  return metric === '' || metric === '-' || metric === 'metric';
}

/** A summary group: an average (or sum) of other rows, which has no dataset version of its own. */
function isGroup(cells: readonly string[]): boolean {
  return (cells[1]?.trim() ?? '-') === '-';
}

/** The direction every dataset's metric has by its name, when they agree; `unknown` otherwise. */
function findSharedDirection(rows: readonly Row[]): 'higher' | 'lower' | 'unknown' {
  const found = new Set(rows.map((row) => directionOf(row.cells[0] ?? '', row.cells[2] ?? '')));
  const [only] = found;
  return found.size === 1 && only !== undefined ? only : 'unknown';
}

function directionOf(task: string, metric: string): 'higher' | 'lower' | 'unknown' {
  return computeDirection(task.trim(), metric.trim(), undefined, {});
}

function readRow(
  row: Row,
  columns: Columns,
  shared: 'higher' | 'lower' | 'unknown',
  file: MetricsFile,
): void {
  const [task = '', version = '-', name = '', mode = '-'] = row.cells.map((cell) => cell.trim());
  const group = isGroup(row.cells);
  const byName = directionOf(task, name);
  const direction = byName === 'unknown' && group ? shared : byName;
  const count = columns.count === undefined ? undefined : readCount(row.cells[columns.count]);
  const settings: TaskSettings = (file.tasks[task] ??= {});
  if (!group) settings.version = version;
  if (mode !== '-' && mode !== '') settings.mode = mode;
  for (const model of columns.models) {
    const cell = row.cells[model.index]?.trim() ?? '-';
    if (cell === '-' || cell === '') continue;
    const score = SCORE.exec(cell);
    const metric = columns.models.length === 1 ? name : `${name}[${model.name}]`;
    if (!score?.[1]) {
      const shown = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
      file.problems.push({
        line: row.line,
        reason: `${task} / ${metric} is ${JSON.stringify(shown)}, not a number`,
      });
      continue;
    }
    const value = direction === 'higher' ? Number(score[1]) / 100 : Number(score[1]);
    const read: MetricValue = { key: `${task}/${metric}`, task, metric, value, line: row.line };
    if (file.metrics.some((other) => other.key === read.key)) {
      file.problems.push({
        line: row.line,
        reason: `${task} / ${metric} appears twice: only the first row is read`,
      });
      continue;
    }
    if (direction !== 'unknown') read.higherIsBetter = direction === 'higher';
    const items = readItems(score, count);
    if (items && !group) {
      settings.samples = { effective: items.trials };
      const stderr = findStderr(value, items, direction);
      if (stderr !== undefined) read.stderr = stderr;
    }
    file.metrics.push(read);
  }
}

/** The correct answers and items behind a score: `(41/50)` after it, or the row's count column. */
function readItems(
  score: RegExpExecArray,
  count: number | undefined,
): { successes?: number; trials: number } | undefined {
  if (score[2] !== undefined && score[3] !== undefined)
    return { successes: Number(score[2]), trials: Number(score[3]) };
  return count === undefined ? undefined : { trials: count };
}

function readCount(cell: string | undefined): number | undefined {
  const count = Number(cell?.trim());
  return Number.isInteger(count) && count > 0 ? count : undefined;
}

/**
 * The standard error of a proportion read from its items: the Wilson interval of the correct answers
 * (counted, or the score times the items); none for a score that is not a proportion.
 */
function findStderr(
  value: number,
  items: { successes?: number; trials: number },
  direction: 'higher' | 'lower' | 'unknown',
): number | undefined {
  if (direction !== 'higher' || !(value >= 0 && value <= 1) || items.trials <= 0) return undefined;
  const successes = items.successes ?? value * items.trials;
  if (successes > items.trials) return undefined;
  return computeWilsonStderr(successes, items.trials);
}
