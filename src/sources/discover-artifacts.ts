import picomatch from 'picomatch';
import type { Config } from '../config/schema.js';
import { isSampleLogPath } from '../loaders/load-samples.js';

export const ARTIFACT_KINDS = ['dataset', 'params', 'metrics', 'eval-samples', 'training-log'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** A file tuneguard will analyse, with what it holds. `split` is set for datasets. */
export interface Artifact {
  path: string;
  kind: ArtifactKind;
  split?: string;
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
const DATASET_NOT = ['**/dataset_info.json', '**/*config*.json', '**/*_results.json'];
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
  return artifacts;
}

const SPLIT_PATTERNS: readonly [RegExp, string][] = [
  [/(^|[^a-z])(validation|valid|val|dev)([^a-z]|$)/, 'validation'],
  [/(^|[^a-z])(test|testing|heldout|held_out)([^a-z]|$)/, 'test'],
  [/(^|[^a-z])(eval|evaluation)([^a-z]|$)/, 'eval'],
  [/(^|[^a-z])(train|training)([^a-z]|$)/, 'train'],
];

/** The split a dataset path suggests (`data/valid.jsonl` → `validation`); `train` when nothing does. */
export function guessSplit(path: string): string {
  const lower = path.toLowerCase();
  const name = lower.split('/').pop() ?? lower;
  for (const [pattern, split] of SPLIT_PATTERNS) if (pattern.test(name)) return split;
  for (const [pattern, split] of SPLIT_PATTERNS) if (pattern.test(lower)) return split;
  return 'train';
}

/** Whether a split holds held-out data (validation, test, eval): the side that must not leak into train. */
export function isHeldOutSplit(split: string): boolean {
  return ['validation', 'test', 'eval'].includes(split);
}
