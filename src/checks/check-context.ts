import type { Config } from '../config/schema.js';
import type { BaselineStatus } from '../model/baseline-source.js';
import type { ParamsFile } from '../loaders/parse-params.js';
import type { MetricsFile } from '../loaders/parse-metrics.js';
import type { CardValue } from '../loaders/read-model-card.js';
import type { DatasetProfileResult } from '../profile/dataset/index.js';
import type {
  DatasetReport,
  FileStatus,
  Location,
  MetricsReport,
  ParamsReport,
  TrainingReport,
  Unreadable,
} from '../model/report-schema.js';

/** One dataset file on both sides, as the checks see it. */
export interface DatasetEntry {
  report: DatasetReport;
  base?: DatasetProfileResult;
  head?: DatasetProfileResult;
}

/** One hyperparameter file on both sides. */
export interface ParamsEntry {
  report: ParamsReport;
  base?: ParamsFile;
  head?: ParamsFile;
}

/** One evaluation results file on both sides. */
export interface MetricsEntry {
  report: MetricsReport;
  base?: MetricsFile;
  head?: MetricsFile;
}

/** A path or glob of the config that matches no file on either side, and where it is written. */
export interface UnmatchedConfigPath {
  /** The config key that holds it. */
  key: 'datasets' | 'params' | 'metrics' | 'training-logs' | 'ignore';
  /** The path or glob as written. */
  glob: string;
  /** The config file, and the glob's line in it when known. */
  location: Location;
}

/**
 * A glob of the Action's `results` input that read nothing: it matches no file in the working directory,
 * or it could reach outside it (absolute, or with a `..` segment) and was not walked.
 */
export interface UnreadGlob {
  glob: string;
  reason: 'unmatched' | 'outside';
}

/** What a review left out because of its budget: how many files and bytes, and their paths, sorted. */
export interface OverBudget {
  files: number;
  bytes: number;
  paths: readonly string[];
}

/** Everything the checks read: loaded artifacts with their diffs, and what could not be read. */
export interface CheckContext {
  config: Config;
  datasets: DatasetEntry[];
  params: ParamsEntry[];
  metrics: MetricsEntry[];
  training: TrainingReport[];
  unreadable: Unreadable[];
  /** The paths the pull request added, removed or modified: a problem anywhere else predates it. */
  changedFiles: ReadonlySet<string>;
  /** Dataset path → the head configs that train or evaluate on it; a dataset no config names is absent. */
  lineage: ReadonlyMap<string, readonly string[]>;
  /** The config's paths and globs that match no file of base or head (none when absent). */
  unmatchedConfigPaths?: readonly UnmatchedConfigPath[];
  /** The `results` globs that read nothing (none when absent). */
  unreadGlobs?: readonly UnreadGlob[];
  /** The artifacts left out past the review's budget (`config.budget`); absent when all fitted. */
  overBudget?: OverBudget;
  /** Paths of base or head too long to match against globs safely, sorted (none when absent). */
  longPaths?: readonly string[];
  /** Set when the base had no results file and a baseline was looked for: the one used, or why none. */
  baseline?: BaselineStatus;
  /** Model folders whose card disagrees with the results beside it on head (none when absent). */
  modelCards?: readonly ModelCardEntry[];
}

/** Whether the pull request touched the file (added, removed or modified). */
export function isTouched(status: FileStatus): boolean {
  return status !== 'unchanged';
}

/** A number a model card states that the results files next to it do not hold. */
export interface CardMismatch {
  /** The card file (`README.md` or `.eval_results/<name>.yaml`). */
  card: string;
  stated: CardValue;
  /** The results file and key it was compared with, and the value there. */
  results: string;
  key: string;
  actual: number;
}

/** One model folder's card compared with its results, on each side where both exist. */
export interface ModelCardEntry {
  folder: string;
  base: CardMismatch[];
  head: CardMismatch[];
}
