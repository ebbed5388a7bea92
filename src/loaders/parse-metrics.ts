import { ParseError } from '../model/errors.js';
import { computeDirection } from './compute-direction.js';
import {
  parseJsonTree,
  parseTomlTree,
  parseYamlTree,
  type TreeEntry,
  type TreeNode,
} from './read-metrics-tree.js';
import { isInspectJsonKeys, parseInspectJsonLog } from './read-inspect-log.js';
import { isLightevalResults, readLighteval } from './read-lighteval.js';
import { readHelmStats } from './read-helm.js';
import { readOpenCompassSummary } from './read-opencompass.js';
import { readPromptfooFile } from './read-promptfoo.js';
import { readSeeds } from './read-seeds.js';
import type { SampleLog } from './read-sample-log.js';

export type MetricsFormat =
  | 'lm-eval'
  | 'lm-eval-legacy'
  | 'lighteval'
  | 'inspect'
  | 'hf-results'
  | 'generic'
  | 'promptfoo'
  | 'opencompass'
  | 'helm';

/** One number read from an evaluation results file. */
export interface MetricValue {
  /** Unique in the file: `${task}/${metric}`. */
  key: string;
  task: string;
  /** lm-eval `acc,none` → `acc`; a non-`none` filter is kept: `exact_match,strict-match` → `exact_match[strict-match]`. */
  metric: string;
  /** May be NaN when the file says so (Python writes `NaN` into JSON). */
  value: number;
  /** lm-eval `acc_stderr,none` / legacy `acc_stderr`; absent when missing, `N/A`, negative or not finite. */
  stderr?: number;
  /** From lm-eval `higher_is_better[task][metric]` when present. */
  higherIsBetter?: boolean;
  /** 1-based line of the metric's key in the file. */
  line?: number;
}

/**
 * A metric whose value is text or a boolean (`"status": "converged"`, `"e": "3"`), as DVC keeps them:
 * compared as a value (the same or not), with no direction and no difference.
 */
export interface TextMetricValue {
  /** Unique in the file, in the same form as a number's key: `${task}/${metric}`. */
  key: string;
  task: string;
  metric: string;
  /** The text; a boolean is `true` or `false`. */
  text: string;
  /** 1-based line of the metric's key in the file. */
  line?: number;
}

/** Evaluation settings of one task; a change in any of them makes two runs incomparable. */
export interface TaskSettings {
  nShot?: number;
  version?: string;
  limit?: number;
  samples?: { original?: number; effective?: number };
  /** lm-eval's task hash; lighteval's `hash_examples`. */
  hash?: string;
  /** lighteval's `hash_full_prompts`: the prompts as sent, few-shot examples included. */
  promptHash?: string;
  /** Inspect AI: how many times each sample was run. */
  epochs?: number;
  /** Inspect AI: the dataset's name and location. */
  dataset?: string;
  /** How answers were obtained: OpenCompass's `gen`/`ppl`, HELM's adapter method (`generation`, …). */
  mode?: string;
  /** HELM: outputs sampled per item (`num_outputs`). */
  outputs?: number;
  /** HELM: the sampling temperature. */
  temperature?: number;
}

/** An evaluation results file, normalised across lm-eval, Hugging Face and generic layouts. */
export interface MetricsFile {
  format: MetricsFormat;
  metrics: MetricValue[];
  /** Generic files only: metrics whose value is text or a boolean; absent when there are none. */
  texts?: TextMetricValue[];
  /** From `n-shot` / `versions` / `n-samples` / `task_hashes` / `config.limit` (legacy: `config.num_fewshot`). */
  tasks: Record<string, TaskSettings>;
  /**
   * lm-eval `config.model` (else `model_name`), `config.model_args`, `lm_eval_version`, `git_hash`,
   * and the prompt settings that change what is measured: the chat template's and system
   * instruction's hashes, and `fewshot_as_multiturn`.
   */
  evaluator: {
    model?: string;
    modelArgs?: string;
    version?: string;
    gitHash?: string;
    chatTemplate?: string;
    systemInstruction?: string;
    fewshotAsMultiturn?: boolean;
    /** lm-eval's seeds (see `readSeeds`): runs of one model that differ only here are repeats. */
    seeds?: string;
  };
  /** lm-eval `group_subtasks`: each group (e.g. `mmlu_stem`) with its subtasks; empty for other layouts. */
  groups: Record<string, string[]>;
  /** Parts that could not be read (e.g. a metric whose value is a string); the rest is still loaded. */
  problems: { line?: number; reason: string }[];
  /** Per-item outcomes the file itself holds (promptfoo's tests), paired across runs like `samples_*.jsonl`. */
  samples?: SampleLog[];
}

type ObjectNode = Extract<TreeNode, { kind: 'object' }>;
type Problem = MetricsFile['problems'][number];

/**
 * Parses JSON, YAML or TOML (by extension: .json / .yaml / .yml / .toml) eval results, and OpenCompass
 * summary tables (.csv: see `readOpenCompassSummary`), and HELM's `stats.json` (a list: see `readHelmStats`).
 * Throws ParseError(message, line) when the file is
 * not valid JSON/YAML/TOML, is a CSV file of another layout, or holds no metric at all.
 *
 * The layout is recognised from the content: promptfoo (`evalId` and `results.results`: see
 * `readPromptfoo`), lm-eval ≥0.4 (`results` with `metric,filter` keys, `groups`,
 * `higher_is_better`, `n-shot`...), legacy lm-eval (`results` with `versions`/`config`), Hugging Face
 * `*_results.json` (flat numbers; the task is the file stem without `_results`), else generic nested
 * metrics (DVC, W&B summary: every numeric leaf; the task is the path to it, or the file stem at the top
 * level; lists and `_`-prefixed W&B bookkeeping keys are skipped, as DVC skips lists). In a generic file,
 * text and boolean leaves are text metrics (`texts`), as DVC reads them, beside at least one number (a
 * file of texts alone, a prompt template, holds no metric), and a file holding one number is one metric
 * named after the file's stem (DVC's metric `""`). `NaN`/`Infinity` literals are
 * accepted. A value under a metric's name (`accuracy`, `f1`) that is a non-numeric string becomes a
 * problem with its line; `"N/A"` and null are skipped quietly, and numeric strings (`"0.5"`) under such
 * names are read as numbers.
 * @example parseMetricsFile('{"eval_loss": 0.51}', 'out/eval_results.json').metrics[0] // { key: 'eval/eval_loss', task: 'eval', metric: 'eval_loss', value: 0.51, line: 1 }
 */
export function parseMetricsFile(text: string, path: string): MetricsFile {
  const lower = path.toLowerCase();
  let root: TreeNode | undefined;
  if (lower.endsWith('.json')) root = parseJsonTree(text);
  else if (lower.endsWith('.yaml') || lower.endsWith('.yml')) root = parseYamlTree(text);
  else if (lower.endsWith('.toml')) root = parseTomlTree(text);
  else if (lower.endsWith('.csv')) return checkRead(readOpenCompassSummary(text));
  else
    throw new ParseError(`${path} is not a JSON, YAML, TOML or CSV file (.json, .yaml, .yml, .toml, .csv)`);
  if (root === undefined) throw new ParseError('the file is empty: it holds no metric');
  const stem = fileStem(path);
  if (root.kind === 'scalar') return readSingleValue(root, stem);
  const helm = root.kind === 'array' ? readHelmStats(text) : undefined;
  if (helm) return checkRead(helm);
  if (root.kind !== 'object') {
    throw new ParseError(
      `expected an object of metrics at the top level, found ${describeNode(root)}`,
      root.line,
    );
  }
  // An Inspect AI log may hold no score at all (a run that failed): that is said, not an error.
  const inspect = isInspectJsonKeys(root.entries.map((entry) => entry.key))
    ? parseInspectJsonLog(text, path)
    : undefined;
  if (inspect) return inspect.file;
  const promptfoo = findEntry(root, 'evalId') ? readPromptfooFile(text) : undefined;
  return checkRead(
    promptfoo ?? (isLightevalResults(root) ? readLighteval(root, text) : readLayout(root, stem)),
  );
}

/** A layout's reading, or `ParseError` when it holds no metric at all. */
function checkRead(file: MetricsFile): MetricsFile {
  // Texts count beside numbers only: a file of texts alone is no results file (a prompt template is one).
  if (file.metrics.length === 0) {
    const first = file.problems[0];
    throw new ParseError(
      first ? `no numeric metric could be read: ${first.reason}` : 'the file holds no numeric metric',
      first?.line,
    );
  }
  return file;
}

/**
 * A file that holds one number (`0.93`, as `echo 0.93 > acc.json` writes it): one metric named after the
 * file's stem, whose task is the stem too. DVC names it `""`.
 */
function readSingleValue(root: Extract<TreeNode, { kind: 'scalar' }>, stem: string): MetricsFile {
  const file: MetricsFile = {
    format: 'generic',
    metrics: [],
    tasks: {},
    evaluator: {},
    groups: {},
    problems: [],
  };
  const named = { key: `${stem}/${stem}`, task: stem, metric: stem, line: 1 };
  const value = readNumber(root);
  if (value === undefined) throw new ParseError(`the file holds ${describeNode(root)}, no numeric metric`, 1);
  file.metrics.push({ ...named, value });
  return file;
}

function readLayout(root: ObjectNode, stem: string): MetricsFile {
  const results = findEntry(root, 'results')?.value;
  if (results?.kind === 'object' && results.entries.some((entry) => entry.value.kind === 'object')) {
    if (isModernLmEval(root, results)) return readLmEval(root, 'lm-eval');
    if (findEntry(root, 'versions') || findEntry(root, 'config')) return readLmEval(root, 'lm-eval-legacy');
  }
  const hfTask = /^(.+)_results$/.exec(stem)?.[1];
  if (hfTask !== undefined && root.entries.every((entry) => entry.value.kind === 'scalar')) {
    return readGeneric(root, hfTask, 'hf-results');
  }
  return readGeneric(root, stem, 'generic');
}

const MODERN_LM_EVAL_KEYS = [
  'groups',
  'group_subtasks',
  'configs',
  'higher_is_better',
  'n-shot',
  'n-samples',
  'task_hashes',
  'lm_eval_version',
];

function isModernLmEval(root: ObjectNode, results: ObjectNode): boolean {
  if (MODERN_LM_EVAL_KEYS.some((key) => findEntry(root, key))) return true;
  return results.entries.some(
    (task) => task.value.kind === 'object' && task.value.entries.some((entry) => entry.key.includes(',')),
  );
}

// ---------------------------------------------------------------------------------------------------
// lm-eval

function readLmEval(root: ObjectNode, format: 'lm-eval' | 'lm-eval-legacy'): MetricsFile {
  const metrics: MetricValue[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const hints = asObject(findEntry(root, 'higher_is_better')?.value);
  const taskNames: string[] = [];
  problems.push(...findNonObjectSections(root));
  // Group aggregates are repeated under `results` by recent harness versions: the first one read wins.
  for (const section of format === 'lm-eval' ? ['results', 'groups'] : ['results']) {
    const tasks = asObject(findEntry(root, section)?.value);
    for (const task of tasks?.entries ?? []) {
      taskNames.push(task.key);
      if (task.value.kind !== 'object') {
        problems.push(
          withLine(
            `${section}.${task.key} is ${describeNode(task.value)}, not an object of metrics`,
            task.line,
          ),
        );
        continue;
      }
      const taskHints = asObject(findEntry(hints, task.key)?.value);
      for (const metric of readLmEvalTask(task.key, task.value, format, taskHints, section, problems)) {
        if (seen.has(metric.key)) continue;
        seen.add(metric.key);
        metrics.push(metric);
      }
    }
  }
  return {
    format,
    metrics,
    tasks: readLmEvalTasks(root, format, taskNames),
    evaluator: readEvaluator(root),
    groups: readGroups(root),
    problems,
  };
}

/** The sections of an lm-eval results file that map each task (or setting) to its values. */
const LM_EVAL_SECTIONS = [
  'groups',
  'group_subtasks',
  'configs',
  'config',
  'higher_is_better',
  'n-shot',
  'n-samples',
  'versions',
  'task_hashes',
];

/**
 * A problem for each lm-eval section that is there but is no object (`"n-shot": 5`, `"versions": []`):
 * its settings would otherwise be missing without a word, and two runs compared as if they had none.
 * A `null` section is a section left empty.
 */
function findNonObjectSections(root: ObjectNode): Problem[] {
  return LM_EVAL_SECTIONS.flatMap((key) => {
    const entry = findEntry(root, key);
    if (!entry || entry.value.kind === 'object' || !isUnreadable(entry.value)) return [];
    return [withLine(`${key} is ${describeNode(entry.value)}, not an object: it is not read`, entry.line)];
  });
}

function readGroups(root: ObjectNode): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const entry of asObject(findEntry(root, 'group_subtasks')?.value)?.entries ?? []) {
    if (entry.value.kind === 'array' && entry.value.strings.length > 0)
      groups[entry.key] = entry.value.strings;
  }
  return groups;
}

function readLmEvalTask(
  task: string,
  node: ObjectNode,
  format: 'lm-eval' | 'lm-eval-legacy',
  hints: ObjectNode | undefined,
  section: string,
  problems: Problem[],
): MetricValue[] {
  const stderrs = new Map<string, TreeEntry>();
  for (const entry of node.entries) {
    const { name } = splitLmEvalKey(entry.key);
    if (name.endsWith('_stderr')) stderrs.set(entry.key, entry);
  }
  const metrics: MetricValue[] = [];
  for (const entry of node.entries) {
    if (entry.key === 'alias' || stderrs.has(entry.key)) continue;
    const { name, filter } = splitLmEvalKey(entry.key);
    // In ≥0.4 files only `metric,filter` keys are metrics; other keys (alias, sample counts) are metadata.
    const expectsNumber = format === 'lm-eval-legacy' || filter !== undefined;
    const value = readNumber(entry.value);
    if (value === undefined) {
      if (expectsNumber && isUnreadable(entry.value)) {
        problems.push(
          withLine(
            `${section}.${task}."${entry.key}" is ${describeNode(entry.value)}, not a number`,
            entry.line,
          ),
        );
      }
      continue;
    }
    const metricName = filter === undefined || filter === 'none' ? name : `${name}[${filter}]`;
    const metric: MetricValue = { key: `${task}/${metricName}`, task, metric: metricName, value };
    if (metrics.some((read) => read.key === metric.key)) {
      // JSON readers disagree on a repeated key (Python keeps the last value): the first is read, and said.
      problems.push(
        withLine(`${section}.${task}."${entry.key}" appears twice: only the first value is read`, entry.line),
      );
      continue;
    }
    const stderrKey = filter === undefined ? `${name}_stderr` : `${name}_stderr,${filter}`;
    const stderrEntry = stderrs.get(stderrKey);
    const stderr = readStderr(stderrEntry?.value);
    if (stderr !== undefined) metric.stderr = stderr;
    else if (stderrEntry && isImpossibleStderr(stderrEntry.value))
      problems.push(
        withLine(
          `${section}.${task}."${stderrKey}" is ${describeNode(stderrEntry.value)}: a standard error cannot be negative or infinite, so ${metricName}'s change is not tested for noise`,
          stderrEntry.line,
        ),
      );
    const hint = findEntry(hints, name)?.value;
    if (hint?.kind === 'scalar' && typeof hint.value === 'boolean') metric.higherIsBetter = hint.value;
    if (entry.line !== undefined) metric.line = entry.line;
    metrics.push(metric);
  }
  return metrics;
}

/** `acc,none` → { name: 'acc', filter: 'none' }; legacy `acc` → { name: 'acc' }. */
function splitLmEvalKey(key: string): { name: string; filter?: string } {
  const comma = key.indexOf(',');
  return comma < 0 ? { name: key } : { name: key.slice(0, comma), filter: key.slice(comma + 1) };
}

/** A standard error that is a number but cannot be one (negative, infinite); `N/A`, null and NaN say "none". */
function isImpossibleStderr(node: TreeNode): boolean {
  const value = readNumber(node);
  return value !== undefined && !Number.isNaN(value) && (value < 0 || !Number.isFinite(value));
}

function readStderr(node: TreeNode | undefined): number | undefined {
  const value = node === undefined ? undefined : readNumber(node);
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function readLmEvalTasks(
  root: ObjectNode,
  format: 'lm-eval' | 'lm-eval-legacy',
  taskNames: string[],
): Record<string, TaskSettings> {
  const config = asObject(findEntry(root, 'config')?.value);
  const limit = readNumber(findEntry(config, 'limit')?.value);
  const legacyShots =
    format === 'lm-eval-legacy' ? readNumber(findEntry(config, 'num_fewshot')?.value) : undefined;
  const nShot = asObject(findEntry(root, 'n-shot')?.value);
  const versions = asObject(findEntry(root, 'versions')?.value);
  const samples = asObject(findEntry(root, 'n-samples')?.value);
  const hashes = asObject(findEntry(root, 'task_hashes')?.value);
  const names = new Set(taskNames);
  for (const section of [nShot, versions, samples, hashes])
    for (const entry of section?.entries ?? []) names.add(entry.key);
  const tasks: Record<string, TaskSettings> = {};
  for (const name of names) {
    const settings: TaskSettings = {};
    const shots = readNumber(findEntry(nShot, name)?.value) ?? legacyShots;
    if (shots !== undefined) settings.nShot = shots;
    const version = readVersion(findEntry(versions, name)?.value);
    if (version !== undefined) settings.version = version;
    if (limit !== undefined) settings.limit = limit;
    const counts = asObject(findEntry(samples, name)?.value);
    if (counts) {
      const original = readNumber(findEntry(counts, 'original')?.value);
      const effective = readNumber(findEntry(counts, 'effective')?.value);
      settings.samples = {};
      if (original !== undefined) settings.samples.original = original;
      if (effective !== undefined) settings.samples.effective = effective;
    }
    const hash = findEntry(hashes, name)?.value;
    if (hash?.kind === 'scalar' && typeof hash.value === 'string' && hash.value !== '')
      settings.hash = hash.value;
    tasks[name] = settings;
  }
  return tasks;
}

/** Versions are numbers (`1.0`) or strings; numbers are written as JavaScript prints them (`1.0` → `1`). */
function readVersion(node: TreeNode | undefined): string | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'number') return String(node.value);
  if (typeof node.value === 'string' && node.value.trim() !== '' && !isNotAvailable(node.value))
    return node.value;
  return undefined;
}

function readEvaluator(root: ObjectNode): MetricsFile['evaluator'] {
  const config = asObject(findEntry(root, 'config')?.value);
  const evaluator: MetricsFile['evaluator'] = {};
  const model =
    readString(findEntry(config, 'model')?.value) ?? readString(findEntry(root, 'model_name')?.value);
  if (model !== undefined) evaluator.model = model;
  const argsNode = findEntry(config, 'model_args')?.value;
  const modelArgs = argsNode?.kind === 'object' ? joinModelArgs(argsNode) : readString(argsNode);
  if (modelArgs !== undefined) evaluator.modelArgs = modelArgs;
  const version = readString(findEntry(root, 'lm_eval_version')?.value);
  if (version !== undefined) evaluator.version = version;
  // git_hash is the commit of the repository the evaluation ran in: it changes with every commit of a
  // fine-tuning repository, so it identifies the run, not the harness.
  const gitHash = readString(findEntry(root, 'git_hash')?.value);
  if (gitHash !== undefined) evaluator.gitHash = gitHash;
  const chatTemplate =
    readString(findEntry(root, 'chat_template_sha')?.value) ??
    readString(findEntry(root, 'chat_template')?.value);
  if (chatTemplate !== undefined) evaluator.chatTemplate = chatTemplate;
  const systemInstruction =
    readString(findEntry(root, 'system_instruction_sha')?.value) ??
    readString(findEntry(root, 'system_instruction')?.value);
  if (systemInstruction !== undefined) evaluator.systemInstruction = systemInstruction;
  Object.assign(evaluator, readSeeds(config));
  const multiturn = findEntry(root, 'fewshot_as_multiturn')?.value;
  if (multiturn?.kind === 'scalar' && typeof multiturn.value === 'boolean')
    evaluator.fewshotAsMultiturn = multiturn.value;
  return evaluator;
}

/** Newer harness versions may record `model_args` as an object; it is rendered in the CLI's `k=v,k=v` form. */
function joinModelArgs(node: ObjectNode): string {
  return node.entries
    .map((entry) => `${entry.key}=${entry.value.kind === 'scalar' ? String(entry.value.value) : '…'}`)
    .join(',');
}

// ---------------------------------------------------------------------------------------------------
// Hugging Face *_results.json and generic nested metrics

function readGeneric(root: ObjectNode, topTask: string, format: 'hf-results' | 'generic'): MetricsFile {
  const metrics: MetricValue[] = [];
  const texts: TextMetricValue[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number | undefined>();
  const visit = (node: ObjectNode, path: string[]): void => {
    for (const entry of node.entries) {
      // W&B keeps its own bookkeeping (`_timestamp`, `_runtime`, `_step`, `_wandb`) under `_` keys.
      if (entry.key.startsWith('_')) continue;
      if (entry.value.kind === 'object') {
        visit(entry.value, [...path, entry.key]);
        continue;
      }
      const task = path.length === 0 ? topTask : path.join('/');
      const value = readLeaf(task, entry, problems);
      const text = value === undefined && format === 'generic' ? readTextLeaf(task, entry) : undefined;
      if (value === undefined && text === undefined) continue;
      const key = `${task}/${entry.key}`;
      if (seen.has(key)) {
        const first = seen.get(key);
        problems.push(
          withLine(
            `metric ${key} appears twice${first === undefined ? '' : ` (first at line ${first})`}`,
            entry.line,
          ),
        );
        continue;
      }
      seen.set(key, entry.line);
      const named = {
        key,
        task,
        metric: entry.key,
        ...(entry.line !== undefined ? { line: entry.line } : {}),
      };
      if (value !== undefined) metrics.push({ ...named, value });
      else if (text !== undefined) texts.push({ ...named, text });
    }
  };
  visit(root, []);
  return {
    format,
    metrics: attachStderrs(metrics),
    ...(texts.length > 0 ? { texts } : {}),
    tasks: {},
    evaluator: {},
    groups: {},
    problems,
  };
}

/**
 * A leaf that is text or a boolean under a name that does not read as a metric's (`"e": "3"`,
 * `"model": "tinyllama"`, `"converged": true`): a text metric, as DVC reads it. Under a metric's name a
 * string is a number or a problem (see `readLeaf`).
 */
function readTextLeaf(task: string, entry: TreeEntry): string | undefined {
  if (entry.value.kind !== 'scalar' || typeof entry.value.value === 'number') return undefined;
  if (typeof entry.value.value === 'string' && computeDirection(task, entry.key, undefined, {}) !== 'unknown')
    return undefined;
  return readText(entry.value);
}

/** A string or a boolean as text; other values (numbers, null) are none. */
function readText(node: TreeNode): string | undefined {
  if (node.kind !== 'scalar') return undefined;
  if (typeof node.value === 'string') return node.value;
  return typeof node.value === 'boolean' ? String(node.value) : undefined;
}

/**
 * A generic file's `X_stderr` (or lm-eval's `X_stderr,filter`, as in a `results` block saved without its
 * wrapper) next to a metric `X` of the same task is that metric's standard error, not a metric of its own.
 * Values that cannot be a standard error (negative, not finite) are dropped with the key.
 */
function attachStderrs(metrics: MetricValue[]): MetricValue[] {
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  return metrics.filter((metric) => {
    const match = /^(.*)_stderr(,.*)?$/.exec(metric.metric);
    const measured = match ? byKey.get(`${metric.task}/${match[1] ?? ''}${match[2] ?? ''}`) : undefined;
    if (measured === undefined) return true;
    if (Number.isFinite(metric.value) && metric.value >= 0) measured.stderr = metric.value;
    return false;
  });
}

/** A leaf's number: numbers always; numeric strings and unreadable values only under metric-like names. */
function readLeaf(task: string, entry: TreeEntry, problems: Problem[]): number | undefined {
  const node = entry.value;
  if (node.kind !== 'scalar') return undefined;
  if (typeof node.value === 'number') return node.value;
  if (typeof node.value !== 'string') return undefined;
  // Strings are labels (`"version": "1.0"`, a model name) unless the key reads as a metric.
  if (computeDirection(task, entry.key, undefined, {}) === 'unknown') return undefined;
  const value = readNumber(node);
  if (value === undefined && isUnreadable(node)) {
    problems.push(withLine(`"${entry.key}" is ${describeNode(node)}, not a number`, entry.line));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Values

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A number, or a string that spells one (`"0.5"`, `"nan"`, `"inf"`); anything else is undefined. */
function readNumber(node: TreeNode | undefined): number | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'number') return node.value;
  if (typeof node.value !== 'string') return undefined;
  const text = node.value.trim();
  if (NUMERIC.test(text)) return Number(text);
  if (/^nan$/i.test(text)) return Number.NaN;
  const infinity = /^([+-]?)inf(?:inity)?$/i.exec(text);
  if (infinity) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return undefined;
}

function readString(node: TreeNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' && node.value !== ''
    ? node.value
    : undefined;
}

/** `N/A`, `-`, empty: the producer said there is no value, which is not an error. */
function isNotAvailable(text: string): boolean {
  return /^(?:n\/?a|none|null|-|—|)$/i.test(text.trim());
}

/** Whether a value that is not a number deserves a problem: strings that are not "N/A", booleans, objects, lists. */
function isUnreadable(node: TreeNode): boolean {
  if (node.kind !== 'scalar') return true;
  if (node.value === null) return false;
  return typeof node.value !== 'string' || !isNotAvailable(node.value);
}

function describeNode(node: TreeNode): string {
  if (node.kind === 'object') return 'an object';
  if (node.kind === 'array') return 'a list';
  if (node.value === null) return 'null';
  if (typeof node.value === 'string') {
    const shown = node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value;
    return `the string ${JSON.stringify(shown)}`;
  }
  return `${typeof node.value} ${String(node.value)}`;
}

function findEntry(node: ObjectNode | undefined, key: string): TreeEntry | undefined {
  if (!node) return undefined;
  // The last occurrence wins, as in JSON.parse.
  for (let i = node.entries.length - 1; i >= 0; i--) {
    const entry = node.entries[i];
    if (entry?.key === key) return entry;
  }
  return undefined;
}

function asObject(node: TreeNode | undefined): ObjectNode | undefined {
  return node?.kind === 'object' ? node : undefined;
}

function withLine(reason: string, line: number | undefined): Problem {
  return line === undefined ? { reason } : { line, reason };
}

function fileStem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.(json|ya?ml|toml)$/i, '');
}
