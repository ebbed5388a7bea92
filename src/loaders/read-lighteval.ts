import type { MetricsFile, MetricValue, TaskSettings } from './parse-metrics.js';
import type { TreeEntry, TreeNode } from './read-metrics-tree.js';
import { isRecord } from '../model/is-record.js';

/*
 * lighteval's results files (`results/<model>/results_<time>.json`, written by its EvaluationTracker;
 * the Open LLM Leaderboard v1 files have the same layout): `config_general`, `results` keyed
 * `suite|task|n_shot` (`lighteval|gsm8k|5`; recent versions drop the suite: `gsm8k|0`) plus an `all`
 * average, `versions`, `config_tasks` (metric directions, document counts) and `summary_tasks` (hashes of
 * the examples and prompts).
 */

type ObjectNode = Extract<TreeNode, { kind: 'object' }>;
type Problem = MetricsFile['problems'][number];

/** Top-level sections only lighteval's tracker writes. */
const LIGHTEVAL_KEYS = ['config_general', 'summary_tasks', 'summary_general', 'config_tasks'];

/** lighteval's average over every task: a summary of the others, never a metric of its own. */
const AVERAGE_TASK = 'all';

/**
 * Whether a results file is lighteval's: one of its own sections (`config_general`, `summary_tasks`,
 * `summary_general`, `config_tasks`) beside `results`.
 */
export function isLightevalResults(root: ObjectNode): boolean {
  return root.entries.some((entry) => LIGHTEVAL_KEYS.includes(entry.key));
}

/** Why a Parquet file in a lighteval details folder, but not named as its details files are, is listed as not reviewed. */
export const LIGHTEVAL_DETAILS_REASON =
  "in a lighteval details folder but not named details_<task>_<time>.parquet: an evaluation's log, not training data, and not read";

/**
 * Whether a path is one of lighteval's per-item details files, written with `--save-details`:
 * `details_<task>_<time>.parquet`, or any Parquet file under a `details/` folder
 * (`details/<model>/<time>/…`). Such a file is an evaluation's log, never a dataset to profile; those
 * named `details_<task>_<time>.parquet` are read as per-item logs (`read-lighteval-details.ts`).
 * @example isLightevalDetailsPath('evals/details/gpt2/2024-02-26T15-36-31/details_lighteval|gsm8k|5_2024-02-26T15-36-31.parquet') // true
 */
export function isLightevalDetailsPath(path: string): boolean {
  if (!/\.parquet$/i.test(path)) return false;
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  return /^details_/i.test(name) || parts.slice(0, -1).some((folder) => folder.toLowerCase() === 'details');
}

/**
 * Splits a lighteval results key into its task and few-shot count: `lighteval|gsm8k|5` →
 * `{ task: 'lighteval|gsm8k', nShot: 5 }`, `gsm8k|0` → `{ task: 'gsm8k', nShot: 0 }`. A key without a
 * trailing count is its own task.
 * @example splitLightevalKey('leaderboard|arc:challenge|25') // { task: 'leaderboard|arc:challenge', nShot: 25 }
 */
export function splitLightevalKey(key: string): { task: string; nShot?: number } {
  const match = /^(.+)\|(\d+)$/.exec(key);
  if (!match?.[1] || match[2] === undefined) return { task: key };
  return { task: match[1], nShot: Number(match[2]) };
}

/**
 * Reads a lighteval results file. Each task is named by its key without the few-shot count, which goes to
 * the task's settings with the task version, `max_samples` (as the sample limit), the examples' hash
 * (`hash_examples`), the full prompts' hash and the effective document count, so that a changed few-shot
 * count or example set makes the task incomparable instead of removed and added (a task run with two
 * counts in one file keeps them in its names). The `all` average is skipped. `X_stderr` is X's
 * standard error; `config_tasks` gives each metric's direction. `text` is the file's text, for what the
 * tree leaves out.
 */
export function readLighteval(root: ObjectNode, text: string): MetricsFile {
  const problems: Problem[] = [];
  const metrics: MetricValue[] = [];
  const tasks: Record<string, TaskSettings> = {};
  const general = asObject(findEntry(root, 'config_general')?.value);
  const limit = readNumber(findEntry(general, 'max_samples')?.value);
  const directions = readDirections(text);
  const entries = (asObject(findEntry(root, 'results')?.value)?.entries ?? []).filter(
    (entry) => entry.key !== AVERAGE_TASK,
  );
  const runs = new Map<string, number>();
  for (const entry of entries) {
    const { task } = splitLightevalKey(entry.key);
    runs.set(task, (runs.get(task) ?? 0) + 1);
  }
  for (const entry of entries) {
    const split = splitLightevalKey(entry.key);
    // A task run with two few-shot counts in one file keeps the count in its name: each is its own task.
    const task = (runs.get(split.task) ?? 0) > 1 ? entry.key : split.task;
    const { nShot } = split;
    if (entry.value.kind !== 'object') {
      problems.push(withLine(`results."${entry.key}" is not an object of metrics`, entry.line));
      continue;
    }
    metrics.push(...readTaskMetrics(task, entry.value, directions, problems));
    const settings = readTaskSettings(root, entry.key);
    if (nShot !== undefined) settings.nShot = nShot;
    if (limit !== undefined) settings.limit = limit;
    tasks[task] = settings;
  }
  const model = readString(findEntry(general, 'model_name')?.value);
  return {
    format: 'lighteval',
    metrics,
    tasks,
    evaluator: model === undefined ? {} : { model },
    groups: {},
    problems,
  };
}

function readTaskMetrics(
  task: string,
  node: ObjectNode,
  directions: Map<string, boolean>,
  problems: Problem[],
): MetricValue[] {
  const values = new Map(node.entries.map((entry) => [entry.key, entry]));
  const metrics: MetricValue[] = [];
  for (const entry of node.entries) {
    if (entry.key.endsWith('_stderr')) continue;
    const value = readNumber(entry.value);
    if (value === undefined) {
      if (entry.value.kind !== 'scalar' || entry.value.value !== null)
        problems.push(withLine(`results."${task}"."${entry.key}" is not a number`, entry.line));
      continue;
    }
    const metric: MetricValue = { key: `${task}/${entry.key}`, task, metric: entry.key, value };
    const stderr = readNumber(values.get(`${entry.key}_stderr`)?.value);
    if (stderr !== undefined && Number.isFinite(stderr) && stderr >= 0) metric.stderr = stderr;
    const higher = directions.get(entry.key);
    if (higher !== undefined) metric.higherIsBetter = higher;
    if (entry.line !== undefined) metric.line = entry.line;
    metrics.push(metric);
  }
  return metrics;
}

/** The version, hashes and document count lighteval records for one results key. */
function readTaskSettings(root: ObjectNode, key: string): TaskSettings {
  const settings: TaskSettings = {};
  const version = findEntry(asObject(findEntry(root, 'versions')?.value), key)?.value;
  if (version?.kind === 'scalar' && (typeof version.value === 'number' || typeof version.value === 'string'))
    settings.version = String(version.value);
  const summary = asObject(findEntry(asObject(findEntry(root, 'summary_tasks')?.value), key)?.value);
  const hashes = asObject(findEntry(summary, 'hashes')?.value);
  const examples = readString(findEntry(hashes, 'hash_examples')?.value);
  if (examples !== undefined) settings.hash = examples;
  const prompts = readString(findEntry(hashes, 'hash_full_prompts')?.value);
  if (prompts !== undefined) settings.promptHash = prompts;
  const config = findTaskConfig(asObject(findEntry(root, 'config_tasks')?.value), key);
  const original = readNumber(findEntry(config, 'original_num_docs')?.value);
  const effective = readNumber(findEntry(config, 'effective_num_docs')?.value);
  if (original !== undefined || effective !== undefined)
    settings.samples = {
      ...(original !== undefined ? { original } : {}),
      ...(effective !== undefined ? { effective } : {}),
    };
  return settings;
}

/** `config_tasks` is keyed `suite|task` (older files: also with the few-shot count); recent results keys lack the suite. */
function findTaskConfig(configs: ObjectNode | undefined, key: string): ObjectNode | undefined {
  const { task } = splitLightevalKey(key);
  const exact = findEntry(configs, key) ?? findEntry(configs, task);
  if (exact) return asObject(exact.value);
  const bySuffix = configs?.entries.find((entry) => entry.key.endsWith(`|${task}`));
  return asObject(bySuffix?.value);
}

/**
 * Each metric's `higher_is_better` from `config_tasks.*.metric[]` (or `metrics[]`), read from the text:
 * the metrics tree keeps no objects inside lists. A file JSON.parse refuses (Python's bare `NaN`) gives
 * none, and names decide.
 */
function readDirections(text: string): Map<string, boolean> {
  const directions = new Map<string, boolean>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return directions;
  }
  const configs = isRecord(parsed) && isRecord(parsed['config_tasks']) ? parsed['config_tasks'] : {};
  for (const config of Object.values(configs)) {
    if (!isRecord(config)) continue;
    for (const list of [config['metric'], config['metrics']]) {
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        if (!isRecord(item)) continue;
        const { metric_name: name, higher_is_better: higher } = item;
        if (typeof name === 'string' && typeof higher === 'boolean') directions.set(name, higher);
      }
    }
  }
  return directions;
}

function readNumber(node: TreeNode | undefined): number | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'number') return node.value;
  if (typeof node.value === 'string' && /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i.test(node.value))
    return Number(node.value);
  return undefined;
}

function readString(node: TreeNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' && node.value !== ''
    ? node.value
    : undefined;
}

function findEntry(node: ObjectNode | undefined, key: string): TreeEntry | undefined {
  return node?.entries.findLast((entry) => entry.key === key);
}

function asObject(node: TreeNode | undefined): ObjectNode | undefined {
  return node?.kind === 'object' ? node : undefined;
}

function withLine(reason: string, line: number | undefined): Problem {
  return line === undefined ? { reason } : { line, reason };
}
