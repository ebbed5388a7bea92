import { isHelmStatsKeys } from '../loaders/read-helm.js';
import { isInspectJsonKeys } from '../loaders/read-inspect-log.js';
import { isOpenCompassHeader } from '../loaders/read-opencompass.js';
import { visitJson } from '../loaders/visit-json.js';
import type { Config } from '../config/schema.js';
import type { FileKind } from '../model/report-schema.js';
import type { Snapshot, SnapshotPair } from '../model/snapshot.js';
import { guessSplit } from '../model/splits.js';
import { findDatasetFormat, type DatasetFormat } from '../model/vocabulary.js';
import { filesOn, type Artifact } from './discover-artifacts.js';
import type { SidePaths } from './pair-artifacts.js';
import { readPrefix, readSidePrefix, type Prefix } from './read-prefix.js';
import {
  findNotParamsReason,
  findNotResultsReason,
  isJsonLines,
  isLmEvalResults,
  outlineJson,
} from './sniff-content.js';

/** What a file's first records say it holds, when its name alone misleads. */
export type SniffedKind = 'dataset' | 'training-log' | 'eval-output';

/** Keys of a training record in one of the formats tuneguard profiles. */
const RECORD_KEYS = new Set([
  'messages',
  'conversations',
  'conversation',
  'instruction',
  'prompt',
  'completion',
  'chosen',
  'rejected',
  'text',
  'input',
  'output',
  'response',
  'question',
  'answer',
  'label',
  'context',
]);

/** Columns of a training log: a loss (Lightning's `train_loss_step`, NeMo's `reduced_train_loss` too), and a position in training. */
const LOSS_KEYS =
  /^(?:train[/_])?loss$|^eval[/_]loss$|^(?:reduced_)?(?:train|eval|val|validation)[/_]?loss(?:_step|_epoch)?$/;
const PROGRESS_KEYS = new Set(['step', 'global_step', 'epoch', 'iteration', 'iter', 'learning_rate', 'lr']);

/** Keys that only a model's outputs or their judging have: predictions, responses of a run, verdicts. */
const OUTPUT_KEYS = new Set([
  'prediction',
  'predictions',
  'pred',
  'preds',
  'predicted',
  'model_answer',
  'model_output',
  'model_response',
  'generated',
  'generated_text',
  'generation',
  'generations',
  'resps',
  'filtered_resps',
  'judgment',
  'judgement',
  'answer_id',
  'model_id',
  // Judge and review files (FastChat's GPT-4 reviews, MT-bench judgments, rating sheets).
  'review_id',
  'reviewer_id',
  'answer1_id',
  'games',
  'judge',
  'rating',
  'ratings',
  // Prompt templates of an evaluation, not examples.
  'prompt_template',
]);

/**
 * Tells from a record's or a header's keys what a file holds: a training log (a loss and a step or
 * epoch, and no training-record field), a model's evaluation output (predictions, generations, judge
 * verdicts), or training data (a field of a known record format); `undefined` when the keys do not say.
 * @example sniffKeys(['step', 'loss', 'learning_rate']) // 'training-log'
 */
export function sniffKeys(keys: readonly string[]): SniffedKind | undefined {
  const lower = keys.map((key) => key.trim().toLowerCase());
  const records = lower.filter((key) => RECORD_KEYS.has(key)).length;
  if (lower.some((key) => OUTPUT_KEYS.has(key))) return 'eval-output';
  if (
    records === 0 &&
    lower.some((key) => LOSS_KEYS.test(key)) &&
    lower.some((key) => PROGRESS_KEYS.has(key))
  ) {
    return 'training-log';
  }
  return records > 0 ? 'dataset' : undefined;
}

/**
 * The keys of a file's first record, from the start of its text: a CSV/TSV header, the first line of
 * JSON Lines, or the first element of a JSON array. `undefined` for anything else (a JSON object at the
 * top, an LFS pointer, text that is none of these).
 */
export function findFirstKeys(prefix: string, path: string): string[] | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) {
    const header = prefix.split(/\r?\n/, 1)[0] ?? '';
    return header.split(lower.endsWith('.tsv') ? '\t' : ',').map((cell) => cell.replace(/^"|"$/g, ''));
  }
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) {
    const line = prefix.split(/\r?\n/).find((text) => text.trim() !== '');
    try {
      const record = JSON.parse(line ?? '') as unknown;
      return isObject(record) ? Object.keys(record) : undefined;
    } catch {
      return undefined;
    }
  }
  if (lower.endsWith('.json')) return findFirstElementKeys(prefix);
  return undefined;
}

/** The property names of the first object in a top-level JSON array, read from a (possibly cut) prefix. */
function findFirstElementKeys(prefix: string): string[] | undefined {
  const keys: string[] = [];
  let depth = 0;
  let rootIsArray: boolean | undefined;
  let done = false;
  const visited = visitJson(prefix, {
    onArrayBegin: () => {
      rootIsArray ??= depth === 0;
      depth += 1;
    },
    onObjectBegin: () => {
      rootIsArray ??= false;
      depth += 1;
    },
    onArrayEnd: () => {
      depth -= 1;
    },
    onObjectEnd: () => {
      depth -= 1;
      if (depth === 1) done = true;
    },
    onObjectProperty: (name) => {
      if (!done && rootIsArray === true && depth === 2) keys.push(name);
    },
  });
  return visited && rootIsArray === true && keys.length > 0 ? keys : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What {@link refineArtifacts} needs: the artifacts found by name, and where to read their content. */
export interface RefineArtifactsInput {
  artifacts: readonly Artifact[];
  pair: SnapshotPair;
  present: SidePaths;
  config: Config;
  /** Whether a path may be reviewed at all (not ignored). */
  isReviewable: (path: string) => boolean;
}

/** The artifacts as their content shows them, and the files named like one whose content says they are none. */
export interface RefinedArtifacts {
  artifacts: Artifact[];
  /** Each with `kind` `none`, `by` `content` and the reason. */
  declined: FileKind[];
}

/** Extensions whose first record can be read from the start of the file. */
const SNIFFABLE = /\.(?:jsonl|ndjson|json|csv|tsv)$/i;

/** What the content of one file makes of it: the same artifact, another, or none (with why). */
type Verdict = Artifact | { declined: string };

/**
 * Corrects what names alone get wrong, from each file's start (on head, or base when deleted):
 * - a hyperparameter file by name that `save_pretrained` wrote (a model's `config.json`, a tokenizer's
 *   config), that W&B recorded, or that is no mapping (a YAML list of rules) is none;
 * - a results file by name that is no object (but for HELM's list of statistics), holds no number (a
 *   prompt template) or only a training run's bookkeeping (`train_loss`, `train_runtime`: HF Trainer's
 *   `train_results.json`) is none;
 * - a changed file found as a dataset that holds a training log (`step,loss,...`) is a training log, one
 *   holding lm-eval results, HELM statistics or an OpenCompass summary table
 *   (`dataset,version,metric,mode,…`) is results, and one that holds a model's outputs (predictions,
 *   generations, judge verdicts) is not training data at all;
 * - a file the pull request added, changed or deleted that no name rule claimed, but whose records are
 *   those of a training format (a JSON array of instruction records at the repository's root) is a
 *   dataset, and one holding lm-eval results (`<task>.json`), HELM statistics (`stats.json`: a list of
 *   `{ name, count, sum, … }`) or an OpenCompass summary table is results, wherever it sits.
 * - a `.json` file found as a dataset, by name or by a glob of the config's datasets list, that holds one
 *   object of settings (`{"learning_rate": 2e-5, ...}`) is a hyperparameter file (none when it is a saved
 *   model's file), since a dataset glob claims only datasets.
 * Other kinds and files the config names are never second-guessed, nor splits a dataset card declares. Every
 * hyperparameter and results file is read (its first 64 KiB; they are read whole later anyway), and for
 * the rest only the files the pull request changed: an untouched dataset keeps the kind its name gives.
 */
export async function refineArtifacts(input: RefineArtifactsInput): Promise<RefinedArtifacts> {
  const { artifacts, pair, present, config } = input;
  const claimed = new Set(
    artifacts.flatMap((artifact) => [...filesOn(artifact, 'base'), ...filesOn(artifact, 'head')]),
  );
  const read = (path: string): Promise<Prefix | undefined> => readSidePrefix(pair, present, path);
  const changed = new Set(pair.changedFiles);
  const refined: Artifact[] = [];
  const declined: FileKind[] = [];
  for (const artifact of artifacts) {
    const verdict = await judgeArtifact(artifact, { config, changed, read });
    if ('declined' in verdict) {
      declined.push({ path: artifact.path, kind: 'none', by: 'content', reason: verdict.declined });
    } else refined.push(verdict);
  }
  for (const path of pair.changedFiles) {
    if (claimed.has(path) || !SNIFFABLE.test(path) || !input.isReviewable(path)) continue;
    const found = await sniffUnclaimed(path, config, read);
    if (found) refined.push(found);
  }
  return { artifacts: refined.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), declined };
}

interface JudgeContext {
  config: Config;
  changed: ReadonlySet<string>;
  read: (path: string) => Promise<Prefix | undefined>;
}

/** What one artifact found by name is, given its content. */
async function judgeArtifact(artifact: Artifact, { config, changed, read }: JudgeContext): Promise<Verdict> {
  if (artifact.files) return artifact;
  if (artifact.by === 'config') return judgeConfigDataset(artifact, { config, changed, read });
  if (artifact.by === 'dvc-yaml' && artifact.kind === 'training-log') return judgeDvcPlot(artifact, read);
  if (artifact.by !== 'name') return artifact;
  const { path } = artifact;
  if (artifact.kind === 'params' || artifact.kind === 'metrics') {
    const prefix = await read(path);
    if (prefix === undefined) return artifact;
    const reason =
      artifact.kind === 'params'
        ? findNotParamsReason(prefix, path)
        : describeHelmStats(prefix) === undefined
          ? findNotResultsReason(prefix, path)
          : undefined;
    return reason === undefined ? artifact : { declined: reason };
  }
  if (artifact.kind !== 'dataset' || !changed.has(path) || !SNIFFABLE.test(path)) return artifact;
  const prefix = await read(path);
  if (prefix === undefined) return artifact;
  if (config.metrics === undefined && path.toLowerCase().endsWith('.json')) {
    const results = describeLmEval(prefix);
    if (results !== undefined) return { path, kind: 'metrics', by: 'content', reason: results };
  }
  const settings = judgeSettings(artifact, prefix, config);
  if (settings !== undefined) return settings;
  const keys = findFirstKeys(prefix.text, path);
  const table = judgeOpenCompassTable(path, keys, config);
  if (table !== undefined) return table;
  const kind = keys === undefined ? undefined : sniffKeys(keys);
  if (kind === 'eval-output')
    return {
      declined: `its first record holds a model's outputs or their judging (${listKeys(keys)}), not training data`,
    };
  if (kind === 'training-log' && config['training-logs'] === undefined && /\.(?:csv|jsonl)$/i.test(path))
    return {
      path,
      kind: 'training-log',
      by: 'content',
      reason: `its first record holds a loss and a position in training (${listKeys(keys)})`,
    };
  return artifact;
}

/**
 * A CSV file whose header is an OpenCompass summary table's (`dataset,version,metric,mode,<model>…`):
 * evaluation results, never training data (none when the config lists its results files elsewhere).
 * `undefined` for any other file.
 */
function judgeOpenCompassTable(
  path: string,
  keys: readonly string[] | undefined,
  config: Config,
): Verdict | undefined {
  if (!/\.csv$/i.test(path) || keys === undefined || !isOpenCompassHeader(keys)) return undefined;
  const reason = `its header is an OpenCompass summary table's (${listKeys(keys)})`;
  if (config.metrics !== undefined) return { declined: `${reason}: evaluation results, not training data` };
  return { path, kind: 'metrics', by: 'content', reason };
}

/**
 * A plot a `dvc.yaml` declares is read as a training log when it is a loss curve tuneguard reads: a CSV
 * whose header holds a loss and a step or epoch. Other plots (confusion matrices, ROC points, images,
 * DVCLive's TSV series) are set aside with why.
 */
async function judgeDvcPlot(artifact: Artifact, read: JudgeContext['read']): Promise<Verdict> {
  const prefix = /\.csv$/i.test(artifact.path) ? await read(artifact.path) : undefined;
  const keys = prefix === undefined ? undefined : findFirstKeys(prefix.text, artifact.path);
  if (keys !== undefined && sniffKeys(keys) === 'training-log')
    return { ...artifact, reason: `${artifact.reason}: a loss curve (${listKeys(keys)})` };
  return {
    declined: `${artifact.reason}, not read: tuneguard reads a plot only as a CSV loss curve with a step or epoch column`,
  };
}

/**
 * A `.json` file a glob of the config's datasets list names, read for what it holds: the glob claims
 * datasets, so a hyperparameter file under a broad `data/**` glob is still a hyperparameter file.
 * Anything that may be records stays a dataset.
 */
async function judgeConfigDataset(artifact: Artifact, { config, read }: JudgeContext): Promise<Verdict> {
  if (artifact.kind !== 'dataset' || !/\.json$/i.test(artifact.path)) return artifact;
  const prefix = await read(artifact.path);
  return (prefix && judgeSettings(artifact, prefix, config)) ?? artifact;
}

/**
 * What a `.json` file found as a dataset is when its content is one object of settings (numbers beside
 * names that are no record format's fields, not JSON Lines): hyperparameters, unless the config lists
 * its hyperparameter files or the object is a saved model's or tokenizer's file (then none: neither
 * data nor settings of the run). `undefined` when it may hold records.
 */
function judgeSettings(artifact: Artifact, prefix: Prefix, config: Config): Verdict | undefined {
  const { path } = artifact;
  if (!/\.json$/i.test(path) || isJsonLines(prefix.text)) return undefined;
  const outline = outlineJson(prefix.text);
  if (outline.root !== 'object' || outline.numbers.length === 0 || isLmEvalResults(outline)) return undefined;
  if (sniffKeys(outline.keys) !== undefined) return undefined;
  const notParams = findNotParamsReason(prefix, path);
  if (notParams !== undefined) return { declined: `${notParams}, and no records of a dataset` };
  if (config.params !== undefined) return undefined;
  return {
    path,
    kind: 'params',
    by: 'content',
    reason: `it holds one object of settings (${listKeys(outline.keys)}), not records of a dataset`,
  };
}

/** A changed file no rule claimed that its content shows to be a dataset or lm-eval results. */
async function sniffUnclaimed(
  path: string,
  config: Config,
  read: (path: string) => Promise<Prefix | undefined>,
): Promise<Artifact | undefined> {
  const wantsData = config.datasets === undefined;
  const wantsResults = config.metrics === undefined && /\.(?:json|csv)$/i.test(path);
  if (!wantsData && !wantsResults) return undefined;
  const prefix = await read(path);
  if (prefix === undefined) return undefined;
  const results = wantsResults ? describeLmEval(prefix) : undefined;
  if (results !== undefined) return { path, kind: 'metrics', by: 'content', reason: results };
  const keys = findFirstKeys(prefix.text, path);
  const table = wantsResults ? judgeOpenCompassTable(path, keys, config) : undefined;
  if (table !== undefined && !('declined' in table)) return table;
  if (!wantsData || keys === undefined || sniffKeys(keys) !== 'dataset') return undefined;
  const split = guessSplit(path);
  return {
    path,
    kind: 'dataset',
    split,
    by: 'content',
    reason: `its first record has the fields of a training format (${listKeys(keys)}), split ${split} from its name`,
  };
}

/**
 * Why a JSON file is lm-eval results, an Inspect AI log, promptfoo results or HELM statistics by its
 * content, or `undefined` when it is none of them.
 */
function describeLmEval(prefix: Prefix): string | undefined {
  const outline = outlineJson(prefix.text);
  if (outline.root === 'object' && isInspectJsonKeys(outline.keys))
    return `it is an Inspect AI log (${outline.keys.filter((key) => ['eval', 'plan', 'results'].includes(key)).join(', ')})`;
  // promptfoo's `eval -o` output: an evalId and the run's results (`results.results`, `results.stats`).
  if (outline.root === 'object' && outline.keys.includes('evalId') && outline.nested.has('results'))
    return 'it holds promptfoo results (evalId, results)';
  const helm = describeHelmStats(prefix);
  if (helm !== undefined) return helm;
  if (!isLmEvalResults(outline)) return undefined;
  const beside = outline.keys.filter((key) => key !== 'results').slice(0, 3);
  return `it holds lm-eval results (results of tasks' metrics, with ${beside.join(', ')})`;
}

/** Why a JSON file is HELM's `stats.json` (a list of `{ name, count, sum, … }`), or `undefined`. */
function describeHelmStats(prefix: Prefix): string | undefined {
  const keys = findFirstElementKeys(prefix.text);
  return keys !== undefined && isHelmStatsKeys(keys)
    ? `it holds HELM statistics (a list of ${listKeys(keys)})`
    : undefined;
}

function listKeys(keys: readonly string[] | undefined): string {
  const all = keys ?? [];
  return `${all.slice(0, 4).join(', ')}${all.length > 4 ? ', …' : ''}`;
}

/**
 * The format to read a dataset file of a commit in: its extension's, except for a `.json` file that holds
 * JSON Lines (one object per line), read as JSON Lines as Hugging Face `datasets` reads it. A file that
 * cannot be read here keeps its extension's format (the full read reports the problem).
 */
export async function findDatasetFileFormat(
  snapshot: Snapshot,
  path: string,
): Promise<DatasetFormat | undefined> {
  const format = findDatasetFormat(path);
  if (format !== 'json') return format;
  const prefix = await readPrefix(snapshot, path).catch(() => undefined);
  return prefix !== undefined && isJsonLines(prefix.text) ? 'jsonl' : format;
}
