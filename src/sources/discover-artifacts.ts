import picomatch from 'picomatch';
import type { Config } from '../config/schema.js';
import { isSampleLogPath } from '../loaders/read-sample-log.js';
import type { ComparedWith } from '../model/report-schema.js';
import { guessSplit } from '../model/splits.js';

export const ARTIFACT_KINDS = ['dataset', 'params', 'metrics', 'eval-samples', 'training-log'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** A file tuneguard will analyse, with what it holds. `split` is set for datasets. */
export interface Artifact {
  /** The file, or for a dataset sharded over several files the pattern naming them (`data/train-*-of-*.parquet`). */
  path: string;
  kind: ArtifactKind;
  split?: string;
  /** The files of a sharded dataset, sorted (their rows are read in this order), on either side. */
  files?: string[];
  /** Where the artifact was on base, when its path changed but it is the same artifact (see `pairArtifacts`). */
  comparedWith?: ComparedWith;
}

/** The files of an artifact on one side: on base, where it was before a move. */
export function filesOn(artifact: Artifact, side: 'base' | 'head'): string[] {
  const base = side === 'base' ? artifact.comparedWith : undefined;
  if (base) return base.files ?? [base.path];
  return artifact.files ?? [artifact.path];
}

const NEVER = [
  '**/node_modules/**',
  '**/.git/**',
  '.github/**',
  '**/package.json',
  '**/package-lock.json',
  '**/tsconfig*.json',
  '**/.*/**',
];

const TRAINING_LOGS = [
  '**/trainer_state.json',
  '**/trainer_log.jsonl',
  '**/training_log*.csv',
  '**/train_log*.csv',
];
const METRICS = [
  '**/*_results.json',
  '**/results*.json',
  '**/results/**/*.json',
  '**/metrics*.{json,yaml,yml}',
  '**/metrics/**/*.{json,yaml,yml}',
  '**/eval*/**/*.json',
  '**/evaluation/**/*.json',
];
const DATASET_FILES = '**/*.{jsonl,ndjson,csv,tsv,parquet}';
const DATASET_DIRS = ['**/data/**/*.json', '**/datasets/**/*.json', '**/dataset/**/*.json'];
const DATASET_NOT = [
  '**/dataset_info.json',
  '**/*config*.json',
  '**/*_results.json',
  // A model's outputs and their judging, wherever an evaluation keeps them: not training data.
  '**/{model_answer,model_answers,model_judgment,model_judgments,judgments,reviews,generations,predictions}/**',
  '**/ratings*/**',
];
const PARAMS = [
  '**/params.{yaml,yml,json,toml}',
  '**/*config*.{yaml,yml,json,toml}',
  '**/configs/**/*.{yaml,yml,json,toml}',
  '**/config/**/*.{yaml,yml,json,toml}',
  '**/recipes/**/*.{yaml,yml,json,toml}',
  '**/examples/**/*.{yaml,yml,toml}',
  '**/train*.{yaml,yml,toml}',
  '**/sft*.{yaml,yml,toml}',
  '**/dpo*.{yaml,yml,toml}',
  '**/training_args.json',
  '**/ds_*.json',
  '**/accelerate*.{yaml,yml}',
];

const matcher = (globs: readonly string[]): ((path: string) => boolean) =>
  globs.length === 0 ? () => false : picomatch([...globs], { dot: true });

/** Whether a path may be reviewed at all: not in a dependency, a hidden folder, `.github/`, or `ignore`. */
export function isReviewablePath(path: string, config: Config): boolean {
  return !matcher([...NEVER, ...config.ignore])(path);
}

/**
 * Sorts the files of a commit into datasets, hyperparameter files, metrics and training logs.
 * Config lists win where given (globs allowed, each kind on its own); kinds the config leaves out
 * are discovered from the usual names: `trainer_state.json`, `*_results.json`, lm-eval's
 * `samples_*.jsonl`, `configs/*.yaml`, `data/*.jsonl` and the like. A file is of one kind at most; `ignore` globs drop files.
 * @example discoverArtifacts(['data/train.jsonl', 'configs/sft.yaml'], config)
 */
export function discoverArtifacts(paths: readonly string[], config: Config): Artifact[] {
  const ignored = matcher([...NEVER, ...config.ignore]);
  const explicitDatasets = (config.datasets ?? []).map((entry) =>
    typeof entry === 'string' ? { path: entry } : entry,
  );
  const datasetMatchers = explicitDatasets.map((entry) => ({
    match: picomatch(entry.path, { dot: true }),
    entry,
  }));

  const isTrainingLog = matcher(config['training-logs'] ?? TRAINING_LOGS);
  const isMetrics = matcher(config.metrics ?? METRICS);
  const isParams = matcher(config.params ?? PARAMS);
  const isDatasetFile = matcher([DATASET_FILES]);
  const isDatasetDirJson = matcher(DATASET_DIRS);
  const isNotDataset = matcher(DATASET_NOT);

  const artifacts: Artifact[] = [];
  for (const path of [...paths].sort()) {
    const explicit = datasetMatchers.find(({ match }) => match(path));
    if (explicit) {
      artifacts.push({ path, kind: 'dataset', split: explicit.entry.split ?? guessSplit(path) });
      continue;
    }
    if (ignored(path)) continue;
    if (isTrainingLog(path)) artifacts.push({ path, kind: 'training-log' });
    else if (isSampleLogPath(path)) artifacts.push({ path, kind: 'eval-samples' });
    else if (isMetrics(path)) artifacts.push({ path, kind: 'metrics' });
    else if (
      config.datasets === undefined &&
      (isDatasetFile(path) || isDatasetDirJson(path)) &&
      !isNotDataset(path) &&
      !isParams(path)
    ) {
      artifacts.push({ path, kind: 'dataset', split: guessSplit(path) });
    } else if (isParams(path)) artifacts.push({ path, kind: 'params' });
  }
  return groupShards(artifacts);
}

// Hugging Face's shard names (`train-00000-of-00004.parquet`), and numbered parts in a folder
// (`train/0000.parquet`, Spark's `part-00000-<id>.snappy.parquet`, `part-0.jsonl`).
const SHARD_OF = /^(.+?)[-_.]\d+-of-\d+(\.[a-z0-9]+)$/i;
const NUMBERED_PART = /^(?:part[-_.]?)?\d+(?:[-_][0-9a-z-]*)?(?:\.[a-z0-9]+)?(\.[a-z0-9]+)$/i;

/**
 * The pattern naming the shards a dataset file belongs to (`data/train-*-of-*.parquet`,
 * `data/train/*.parquet`), or `undefined` for a file that is not named as a shard.
 *
 * @example
 * findShardPattern('data/train-00001-of-00004.parquet'); // => 'data/train-*-of-*.parquet'
 * findShardPattern('data/train/0003.parquet'); // => 'data/train/*.parquet'
 * findShardPattern('data/train.jsonl'); // => undefined
 */
export function findShardPattern(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const shard = SHARD_OF.exec(name);
  if (shard) return `${folder}${shard[1]}-*-of-*${shard[2]}`;
  const part = NUMBERED_PART.exec(name);
  if (part && folder !== '') return `${folder}*${part[1]}`;
  return undefined;
}

/**
 * Makes one dataset of the shards of a split: files whose names share a shard pattern (in base or head)
 * become one artifact named by the pattern, with its files, when there are two or more of them (a
 * lone `train-00000-of-00001.parquet` stays a file). Base and head may be sharded differently: a
 * dataset resharded from 2 files into 3 is still one dataset, compared as a whole.
 */
function groupShards(artifacts: Artifact[]): Artifact[] {
  const groups = new Map<string, Artifact[]>();
  for (const artifact of artifacts) {
    const pattern = artifact.kind === 'dataset' ? findShardPattern(artifact.path) : undefined;
    if (pattern === undefined) continue;
    const group = groups.get(pattern);
    if (group) group.push(artifact);
    else groups.set(pattern, [artifact]);
  }
  const grouped = new Map<Artifact, Artifact>();
  for (const [pattern, members] of groups) {
    if (members.length < 2) continue;
    const first = members[0] as Artifact;
    const split = members.every((member) => member.split === first.split) ? first.split : guessSplit(pattern);
    const dataset: Artifact = {
      path: pattern,
      kind: 'dataset',
      split: split ?? guessSplit(pattern),
      files: members.map((member) => member.path).sort(),
    };
    for (const member of members) grouped.set(member, dataset);
  }
  const result: Artifact[] = [];
  const seen = new Set<Artifact>();
  for (const artifact of artifacts) {
    const dataset = grouped.get(artifact) ?? artifact;
    if (seen.has(dataset)) continue;
    seen.add(dataset);
    result.push(dataset);
  }
  return result;
}
