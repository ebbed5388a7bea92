import type { Config } from '../config/schema.js';
import { isLightevalDetailsPath } from '../loaders/read-lighteval.js';
import { parseLightevalDetailsName } from '../loaders/read-lighteval-details.js';
import { isOpenCompassSummaryPath } from '../loaders/read-opencompass.js';
import { isSampleLogPath } from '../loaders/read-sample-log.js';
import type { ArtifactKind, ComparedWith, KindSource } from '../model/report-schema.js';
import { guessSplit } from '../model/splits.js';
import { findDatasetFormat } from '../model/vocabulary.js';
import { createGlobMatcher } from './create-glob-matcher.js';
import { findCardSplit, type DatasetCard } from './read-dataset-cards.js';
import { findDvcDeclaration, type DvcFile } from './read-dvc-files.js';

export { ARTIFACT_KINDS, type ArtifactKind } from '../model/report-schema.js';

/** A file tuneguard will analyse, with what it holds and why it was taken for that. `split` is set for datasets. */
export interface Artifact {
  /** The file, or for a dataset sharded over several files the pattern naming them (`data/train-*-of-*.parquet`). */
  path: string;
  kind: ArtifactKind;
  split?: string;
  /** The files of a sharded dataset, sorted (their rows are read in this order), on either side. */
  files?: string[];
  /** Where the artifact was on base, when its path changed but it is the same artifact (see `pairArtifacts`). */
  comparedWith?: ComparedWith;
  /**
   * The runs of its timestamped results series on each side, newest first, when a side has more than
   * one (this artifact's own run first): the candidates for repeats of one evaluation with other seeds.
   */
  runs?: { base: string[]; head: string[] };
  /** What decided its kind (and split). */
  by: KindSource;
  /** Why, in a few words a reader can check: the glob, the card, the keys that gave it away. */
  reason: string;
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
];

/** Hidden folders (tools' caches and settings): out of review, but for the two exceptions of `createIgnored`. */
const HIDDEN = ['**/.*/**'];

/**
 * lm-eval names its output folder after the model's path with `/` written `__`, so a model at
 * `./outputs/ckpt` gives `.__outputs__ckpt/`: a hidden name that holds results, not a tool's files.
 */
const LM_EVAL_MODEL_FOLDER = /^\.{1,2}__/;

const TRAINING_LOGS = [
  '**/trainer_state.json',
  '**/trainer_log.jsonl',
  '**/training_log*.csv',
  '**/train_log*.csv',
  // PyTorch Lightning's CSVLogger (`<save_dir>/<name>/version_<n>/metrics.csv`), and NeMo's exp_manager.
  '**/lightning_logs/**/metrics.csv',
  '**/version_*/metrics.csv',
  '**/nemo_experiments/**/metrics.csv',
];
const METRICS = [
  '**/*_results.json',
  '**/results*.json',
  '**/results/**/*.json',
  '**/metrics*.{json,yaml,yml,toml}',
  '**/metrics/**/*.{json,yaml,yml,toml}',
  '**/eval*/**/*.json',
  '**/evaluation/**/*.json',
  // Inspect AI's logs: a zip of JSON members (`logs/<time>_<task>_<id>.eval`).
  '**/*.eval',
  // HELM's statistics of a run (`benchmark_output/runs/<suite>/<run spec>/stats.json`).
  '**/benchmark_output/runs/*/*/stats.json',
];
const DATASET_FILES = ['**/*.{jsonl,ndjson,csv,tsv,parquet}'];
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
const PARAMS_NOT = [
  // Dot-files configure tools (`.pre-commit-config.yaml`, `.readthedocs.yaml`), not a training run.
  '**/.*',
  // What W&B records of a run (`wandb/run-<time>-<id>/files/config.yaml`): the run's history, not its setup.
  '**/wandb/**',
  '**/{pyrightconfig,jsconfig}.json',
];

/** Globs, each with its matcher, so the one that matched can be named. */
type Rules = { glob: string; match: (path: string) => boolean }[];

/** Rules from the config's globs (case kept, but not the extension's) or the built-in ones (case ignored). */
const rules = (globs: readonly string[], builtIn = false): Rules =>
  globs.map((glob) => ({ glob, match: createGlobMatcher(glob, { anyCase: builtIn }) }));

/** The first glob of `rules` that matches `path`, or `undefined`. */
const firstMatch = (list: Rules, path: string): string | undefined =>
  list.find(({ match }) => match(path))?.glob;

/** Whether a path may be reviewed at all: not in a dependency, a hidden folder, `.github/`, or `ignore`. */
export function isReviewablePath(path: string, config: Config): boolean {
  return !createIgnored(config)(path);
}

/**
 * Whether a path is out of review: in a dependency, `.github/`, the config's `ignore`, or a hidden folder,
 * unless every hidden folder of it is lm-eval's output folder for a model at a relative path
 * (`.__outputs__ckpt/`) or the config's `metrics`, `params` or `training-logs` list names the path.
 */
function createIgnored(config: Config): (path: string) => boolean {
  const never = createGlobMatcher(NEVER, { anyCase: true });
  const hidden = createGlobMatcher(HIDDEN, { anyCase: true });
  const listed = createListedMatcher(config);
  const ignored = createGlobMatcher(config.ignore);
  return (path) =>
    never(path) || ignored(path) || (hidden(path) && !isLmEvalModelFolder(path) && !listed(path));
}

/** Whether the config's `metrics`, `params` or `training-logs` list names a path. */
function createListedMatcher(config: Config): (path: string) => boolean {
  return createGlobMatcher([
    ...(config.metrics ?? []),
    ...(config.params ?? []),
    ...(config['training-logs'] ?? []),
  ]);
}

/**
 * What a `dvc.yaml` declares a path to be (a plot is taken for a training log), unless a list of the
 * config names the file or lists its kind: such a list is the whole of its kind, as DVC's targets are.
 * DVC reads Python params files too; tuneguard reads JSON, YAML and TOML, so others go by their names.
 */
function createDvcClassifier(
  config: Config,
  dvcFiles: readonly DvcFile[],
): (path: string) => Named | undefined {
  const listed = createListedMatcher(config);
  return (path) => {
    const dvc = listed(path) ? undefined : findDvcDeclaration(dvcFiles, path);
    if (!dvc) return undefined;
    const kind = dvc.kind === 'plots' ? 'training-log' : dvc.kind;
    if (config[kind === 'training-log' ? 'training-logs' : kind] !== undefined) return undefined;
    if (kind !== 'training-log' && !/\.(?:json|ya?ml|toml)$/i.test(path)) return undefined;
    return { kind, by: 'dvc-yaml', reason: dvc.reason };
  };
}

function isLmEvalModelFolder(path: string): boolean {
  const hiddenFolders = path
    .split('/')
    .slice(0, -1)
    .filter((folder) => folder.startsWith('.'));
  return hiddenFolders.length > 0 && hiddenFolders.every((folder) => LM_EVAL_MODEL_FOLDER.test(folder));
}

/** What a file's name, the config or a dataset card make of it, before its content is read. */
type Named = Omit<Artifact, 'path' | 'files' | 'comparedWith'>;

/**
 * Sorts the files of a commit into datasets, hyperparameter files, metrics and training logs, each with
 * what decided it. Config lists win where given (globs allowed, each kind on its own); a dataset card
 * (`README.md` front matter, see `readDatasetCards`) declares its data files and their splits; kinds the
 * config leaves out are discovered from the usual names: `trainer_state.json`, `*_results.json`, lm-eval's
 * `samples_*.jsonl`, OpenCompass's `summary_<time>.csv` (results, never a dataset), `configs/*.yaml`,
 * `data/*.jsonl` and the like. Dot-files and W&B run records are never
 * hyperparameter files by name. A file a `dvc.yaml` declares (see `parseDvcFile`) is what DVC reads it as,
 * whatever its name: metrics, params, or a plot (taken for a training log, which `refineArtifacts` keeps
 * only when it holds a loss curve), unless a list of the config names it. A file is of one kind at most;
 * `ignore` globs drop files. What a file's content says is `refineArtifacts`' business.
 * @example discoverArtifacts(['data/train.jsonl', 'configs/sft.yaml'], config)
 */
export function discoverArtifacts(
  paths: readonly string[],
  config: Config,
  cards: readonly DatasetCard[] = [],
  dvcFiles: readonly DvcFile[] = [],
): Artifact[] {
  const classify = createClassifier(config, cards, dvcFiles);
  const artifacts: Artifact[] = [];
  for (const path of [...paths].sort()) {
    const named = classify(path);
    if (named) artifacts.push({ path, ...named });
  }
  return groupShards(artifacts);
}

/** The kind of one path by the config, a dataset card or its name; `undefined` for none. */
function createClassifier(
  config: Config,
  cards: readonly DatasetCard[],
  dvcFiles: readonly DvcFile[],
): (path: string) => Named | undefined {
  const ignored = createIgnored(config);
  const findDeclared = createDvcClassifier(config, dvcFiles);
  const explicitDatasets = (config.datasets ?? []).map((entry) => {
    const { path, split } = typeof entry === 'string' ? { path: entry, split: undefined } : entry;
    return { glob: path, split, match: createGlobMatcher(path) };
  });
  const own = (key: 'training-logs' | 'metrics' | 'params', builtIn: readonly string[]): Rules =>
    config[key] === undefined ? rules(builtIn, true) : rules(config[key]);
  const logs = own('training-logs', TRAINING_LOGS);
  const metrics = own('metrics', METRICS);
  const params = own('params', PARAMS);
  const notParams = config.params === undefined ? rules(PARAMS_NOT, true) : [];
  const datasets = config.datasets === undefined ? rules([...DATASET_FILES, ...DATASET_DIRS], true) : [];
  const notDataset = rules(DATASET_NOT, true);
  const by = (key: keyof Config): KindSource => (config[key] === undefined ? 'name' : 'config');
  const because = (key: keyof Config, glob: string): string =>
    config[key] === undefined ? `its name matches ${glob}` : `the config's ${key} list names it (${glob})`;

  return (path) => {
    const explicit = explicitDatasets.find(({ match }) => match(path));
    // A dataset glob claims only files in a dataset format: a `data/**` glob must not swallow the
    // hyperparameter file beside the data (see `findSettingsUnderDatasets` for the rest).
    if (explicit && findDatasetFormat(path) !== undefined) {
      const split = explicit.split ?? guessSplit(path);
      const splitReason = explicit.split === undefined ? `, split ${split} from its name` : '';
      return {
        kind: 'dataset',
        split,
        by: 'config',
        reason: `the config's datasets list names it (${explicit.glob})${splitReason}`,
      };
    }
    if (ignored(path)) return undefined;
    const dvc = findDeclared(path);
    if (dvc) return dvc;
    const log = firstMatch(logs, path);
    if (log !== undefined)
      return { kind: 'training-log', by: by('training-logs'), reason: because('training-logs', log) };
    const evalLog = findEvalLogReason(path);
    if (evalLog !== undefined) return { kind: 'eval-samples', by: 'name', reason: evalLog };
    // Other Parquet files under a lighteval `details/` folder are an evaluation's log, not training data.
    if (isLightevalDetailsPath(path)) return undefined;
    if (isOpenCompassSummaryPath(path)) return findOpenCompassKind(path, metrics, config);
    const declared = config.datasets === undefined ? findCardSplit(cards, path) : undefined;
    if (declared)
      return { kind: 'dataset', split: declared.split, by: 'dataset-card', reason: declared.reason };
    const metric = firstMatch(metrics, path);
    if (metric !== undefined)
      return { kind: 'metrics', by: by('metrics'), reason: because('metrics', metric) };
    const named = firstMatch(params, path);
    const param = firstMatch(notParams, path) === undefined ? named : undefined;
    const dataset = firstMatch(datasets, path);
    if (dataset !== undefined && firstMatch(notDataset, path) === undefined && named === undefined) {
      const split = guessSplit(path);
      return {
        kind: 'dataset',
        split,
        by: 'name',
        reason: `its name matches ${dataset}, split ${split} from its name`,
      };
    }
    if (param !== undefined) return { kind: 'params', by: by('params'), reason: because('params', param) };
    return explicit && config.params === undefined
      ? findSettingsUnderDatasets(path, explicit.glob)
      : undefined;
  };
}

/**
 * OpenCompass's summary table (`summary_<time>.csv`) is results, never a dataset: found by its name, or,
 * when the config lists its results files, only if the list names it.
 */
function findOpenCompassKind(path: string, metrics: Rules, config: Config): Named | undefined {
  if (config.metrics === undefined)
    return {
      kind: 'metrics',
      by: 'name',
      reason: "its name is OpenCompass's summary table (summary_<time>.csv)",
    };
  const glob = firstMatch(metrics, path);
  return glob === undefined
    ? undefined
    : { kind: 'metrics', by: 'config', reason: `the config's metrics list names it (${glob})` };
}

/**
 * A YAML or TOML file that a glob of the config's datasets list matches but that no rule claims: not a
 * dataset (no dataset format), and in a folder the user keeps for training data, most likely the
 * settings of that data's run. It is taken for a hyperparameter file by its extension, and its content
 * still decides (`refineArtifacts` sets aside a YAML list or a W&B record).
 */
function findSettingsUnderDatasets(path: string, glob: string): Named | undefined {
  if (!/\.(?:ya?ml|toml)$/i.test(path)) return undefined;
  return {
    kind: 'params',
    by: 'name',
    reason: `a settings file (YAML or TOML) under the config's datasets glob ${glob}, which claims only dataset files`,
  };
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
    const alike = members.every((member) => member.split === first.split && member.by === first.by);
    const split = (alike ? first.split : undefined) ?? guessSplit(pattern);
    const dataset: Artifact = {
      path: pattern,
      kind: 'dataset',
      split,
      files: members.map((member) => member.path).sort(),
      by: alike ? first.by : 'name',
      reason: alike
        ? `${members.length} shards of one dataset; ${first.reason}`
        : `${members.length} shards of one dataset (${pattern}), split ${split} from its name`,
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

/** Why a path is a per-item eval log by its name (lm-eval's samples, lighteval's details), if it is one. */
function findEvalLogReason(path: string): string | undefined {
  if (isSampleLogPath(path)) return "its name is lm-eval's per-item log (samples_<task>_<time>.jsonl)";
  if (parseLightevalDetailsName(path) !== undefined)
    return "its name is lighteval's per-item details (details_<task>_<time>.parquet)";
  return undefined;
}
