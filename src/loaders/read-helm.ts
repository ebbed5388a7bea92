import JSON5 from 'json5';
import type { MetricsFile, MetricValue, TaskSettings } from './parse-metrics.js';
import { visitJson } from './visit-json.js';
import { isRecord } from '../model/is-record.js';

/*
 * HELM's run outputs (`benchmark_output/runs/<suite>/<run spec>/`): `stats.json`, a list of statistics
 * `{ name: { name, split, sub_split?, perturbation?: { name, … } }, count, sum, sum_squared, min, max,
 * mean, variance?, stddev? }`, each the mean over instances of one trial, merged over the run's trials
 * (`count` is the number of trials); and `run_spec.json`, whose `adapter_spec` says how the model was
 * prompted (method, in-context examples, instances, outputs, temperature, model).
 */

/** HELM's layout: `benchmark_output/runs/<suite>/<run spec>/stats.json`. */
const STATS_PATH = /(^|\/)benchmark_output\/runs\/[^/]+\/[^/]+\/stats\.json$/i;

/**
 * HELM's bookkeeping, not the model's quality: counts (`num_prompt_tokens`, `num_instances`), timings
 * and costs (`inference_runtime`, `training_co2_cost`), how generation stopped (`finish_reason_*`),
 * `batch_size` and `prompt_truncated`.
 */
const BOOKKEEPING =
  /^(?:num_.+|.+_tokens|training_.+|inference_.+|finish_reason_.+|batch_size|prompt_truncated|.+_(?:time|runtime|cost))$/;

/** The other files HELM writes in a run's folder. */
const RUN_FILE =
  /(^|\/)benchmark_output\/runs\/[^/]+\/[^/]+\/(?:run_spec|per_instance_stats|scenario_state|scenario|instances|display_predictions|display_requests)\.json$/i;

/** Why the other files of a HELM run's folder are listed as not reviewed. */
export const HELM_RUN_FILE_REASON =
  "a HELM run's own file (run spec, scenario, requests, per-instance statistics): run_spec.json's settings are read with the run's stats.json, the rest is not read";

/**
 * Whether a path is one of the files HELM writes beside a run's `stats.json` (`run_spec.json`,
 * `scenario_state.json`, `per_instance_stats.json`, …).
 */
export function isHelmRunFile(path: string): boolean {
  return RUN_FILE.test(path);
}

/** Whether a path is where HELM writes a run's statistics. */
export function isHelmStatsPath(path: string): boolean {
  return STATS_PATH.test(path);
}

/** Whether the keys of a JSON list's first object are a HELM statistic's (`name`, `count`, `sum`). */
export function isHelmStatsKeys(keys: readonly string[]): boolean {
  return ['name', 'count', 'sum'].every((key) => keys.includes(key));
}

/**
 * The `run_spec.json` beside a `stats.json`; `undefined` for a file of another name.
 * @example findHelmRunSpecPath('benchmark_output/runs/v1/mmlu:subject=anatomy/stats.json') // 'benchmark_output/runs/v1/mmlu:subject=anatomy/run_spec.json'
 */
export function findHelmRunSpecPath(statsPath: string): string | undefined {
  return /(^|\/)stats\.json$/i.test(statsPath)
    ? statsPath.replace(/stats\.json$/i, 'run_spec.json')
    : undefined;
}

/**
 * Reads a HELM `stats.json`, or gives `undefined` when the text is not a list of HELM statistics.
 * One metric per statistic: the task is its split (`test`, and its `sub_split`), the value its mean.
 * A statistic under a perturbation (`robustness`, `fairness`: the worst case over perturbed inputs) is
 * a slice of its own, `test · robustness`, listed under its split in `groups`, so that a slice that
 * regressed while the split held is said. HELM's bookkeeping (counts, tokens, timings, costs, finish
 * reasons) is left out. A mean over several trials has the standard error of a mean over them,
 * `sqrt(variance / (count - 1))` (HELM's variance is the trials' population variance, else computed
 * from `sum_squared`); one trial gives none. Each split's `num_instances` is its sample count. A
 * statistic without a name or a numeric mean (where `count` is not 0) is a problem, the rest is read.
 */
export function readHelmStats(text: string): MetricsFile | undefined {
  const stats = parseList(text);
  if (stats === undefined || !stats.some(isStat)) return undefined;
  const lines = findElementLines(text);
  const file: MetricsFile = {
    format: 'helm',
    metrics: [],
    tasks: {},
    evaluator: {},
    groups: {},
    problems: [],
  };
  stats.forEach((stat, index) => readStat(stat, lines[index], file));
  return file;
}

/**
 * The run's settings from its `run_spec.json` added to every task: the in-context examples
 * (`max_train_instances`, as n-shot), `max_eval_instances` (the sample limit), the adapter method (the
 * inference mode), `num_outputs` and `temperature`; its model is the evaluator's. A text that is not
 * a run spec leaves the file as it is.
 */
export function applyHelmRunSpec(file: MetricsFile, runSpec: string): MetricsFile {
  const spec = parseObject(runSpec);
  const adapter = isRecord(spec?.adapter_spec) ? spec.adapter_spec : undefined;
  if (adapter === undefined) return file;
  const number = (key: string): number | undefined =>
    typeof adapter[key] === 'number' ? adapter[key] : undefined;
  const settings: TaskSettings = {};
  const shots = number('max_train_instances');
  if (shots !== undefined) settings.nShot = shots;
  const limit = number('max_eval_instances');
  if (limit !== undefined) settings.limit = limit;
  if (typeof adapter.method === 'string') settings.mode = adapter.method;
  const outputs = number('num_outputs');
  if (outputs !== undefined) settings.outputs = outputs;
  const temperature = number('temperature');
  if (temperature !== undefined) settings.temperature = temperature;
  const tasks = Object.fromEntries(
    Object.entries(file.tasks).map(([task, own]) => [task, { ...settings, ...own }]),
  );
  const model = typeof adapter.model === 'string' ? { model: adapter.model } : {};
  return { ...file, tasks, evaluator: { ...file.evaluator, ...model } };
}

function readStat(stat: unknown, line: number | undefined, file: MetricsFile): void {
  const where = line === undefined ? {} : { line };
  const name = isStat(stat) ? stat.name : undefined;
  if (!isStat(stat) || typeof name?.name !== 'string' || name.name === '') {
    file.problems.push({ ...where, reason: 'a statistic without a name: it is left out' });
    return;
  }
  const split = typeof name.split === 'string' ? name.split : 'all';
  const splitTask = typeof name.sub_split === 'string' ? `${split} · ${name.sub_split}` : split;
  const perturbation = isRecord(name.perturbation) ? name.perturbation.name : undefined;
  const task = typeof perturbation === 'string' ? `${splitTask} · ${perturbation}` : splitTask;
  if (name.name === 'num_instances' && task === splitTask && typeof stat.mean === 'number')
    (file.tasks[splitTask] ??= {}).samples = { effective: stat.mean };
  if (BOOKKEEPING.test(name.name) || stat.count === 0) return;
  const key = `${task}/${name.name}`;
  if (typeof stat.mean !== 'number') {
    file.problems.push({ ...where, reason: `${key} has no numeric mean: it is left out` });
    return;
  }
  if (file.metrics.some((metric) => metric.key === key)) {
    file.problems.push({ ...where, reason: `${key} appears twice: only the first is read` });
    return;
  }
  const metric: MetricValue = { key, task, metric: name.name, value: stat.mean, ...where };
  const stderr = findStderr(stat);
  if (stderr !== undefined) metric.stderr = stderr;
  file.metrics.push(metric);
  file.tasks[task] ??= {};
  if (task !== splitTask) {
    const slices = (file.groups[splitTask] ??= []);
    if (!slices.includes(task)) slices.push(task);
  }
}

/** The standard error of a mean over trials; none for one trial or a spread that is not a number. */
function findStderr(stat: Stat): number | undefined {
  const count = stat.count;
  if (typeof count !== 'number' || count < 2 || typeof stat.mean !== 'number') return undefined;
  const variance =
    typeof stat.variance === 'number'
      ? stat.variance
      : typeof stat.sum_squared === 'number'
        ? stat.sum_squared / count - stat.mean ** 2
        : undefined;
  if (variance === undefined || !Number.isFinite(variance)) return undefined;
  return Math.sqrt(Math.max(0, variance) / (count - 1));
}

interface Stat {
  name: Record<string, unknown>;
  count?: unknown;
  mean?: unknown;
  variance?: unknown;
  sum_squared?: unknown;
}

function isStat(value: unknown): value is Stat {
  return isRecord(value) && isRecord(value.name) && 'count' in value;
}

/** A JSON list; Python writes `NaN` and `Infinity` into it, which JSON5 reads. */
function parseList(text: string): unknown[] | undefined {
  const parsed = parseLenient(text);
  return Array.isArray(parsed) ? parsed : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const parsed = parseLenient(text);
  return isRecord(parsed) ? parsed : undefined;
}

function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      return JSON5.parse(text);
    } catch {
      return undefined;
    }
  }
}

/** The 1-based line each element of the top-level list starts on. */
function findElementLines(text: string): number[] {
  const lines: number[] = [];
  visitJson(text, {
    onObjectBegin: (_offset, _length, line, _column, path) => {
      const at = path();
      if (at.length === 1 && typeof at[0] === 'number') lines[at[0]] = line + 1;
    },
  });
  return lines;
}
