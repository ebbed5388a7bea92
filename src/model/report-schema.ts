import { z } from 'zod';
import { baselineSchema, evalResultsSchema } from './baseline-schema.js';
import { RECORD_ERROR_KINDS, RECORD_FORMATS } from './vocabulary.js';
export * from './baseline-schema.js';

/** Version of the report document; bumped on any change a consumer could notice. */
export const REPORT_SCHEMA_VERSION = 1;

export const SEVERITIES = ['failure', 'warning', 'notice'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export const VERDICTS = ['pass', 'warning', 'failure'] as const;
export const verdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof verdictSchema>;

export const SIDES = ['base', 'head'] as const;
export const sideSchema = z.enum(SIDES);
export type Side = z.infer<typeof sideSchema>;

export const FILE_STATUSES = ['added', 'removed', 'modified', 'unchanged'] as const;
export const fileStatusSchema = z.enum(FILE_STATUSES);
export type FileStatus = z.infer<typeof fileStatusSchema>;

/** Why a head file is compared with a base file of another path: git saw it move, or it is a newer run. */
export const PAIRING_REASONS = ['renamed', 'newer-run'] as const;

/**
 * The base side of an artifact whose path changed but which is the same artifact: where it was (its
 * shard files too), why the two are paired, and for a rename how alike they are (0.5 to 1).
 */
export const comparedWithSchema = z.object({
  path: z.string(),
  files: z.array(z.string()).optional(),
  reason: z.enum(PAIRING_REASONS),
  similarity: z.number().min(0).max(1).optional(),
});
export type ComparedWith = z.infer<typeof comparedWithSchema>;

/** What a file can hold for tuneguard. */
export const ARTIFACT_KINDS = ['dataset', 'params', 'metrics', 'eval-samples', 'training-log'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/**
 * How a file's kind was decided: the config named it, its name or folder said so, its content did, a
 * dataset card (`README.md` front matter `configs:`) declared it, or it kept the kind it had before git
 * saw it move.
 */
export const KIND_SOURCES = ['config', 'name', 'content', 'dataset-card', 'rename', 'dvc-yaml'] as const;
export type KindSource = (typeof KIND_SOURCES)[number];

/**
 * What tuneguard took a file of the pull request for, and why. `none`: the file is named like an
 * artifact but its content says it is not one (a saved model's `config.json`, a YAML list of rules, a
 * prompt template without a number), so it is not analysed. `split` is set for datasets.
 */
export const fileKindSchema = z.object({
  /** The file, or for a dataset sharded over several files the pattern naming them. */
  path: z.string(),
  kind: z.enum([...ARTIFACT_KINDS, 'none']),
  split: z.string().optional(),
  by: z.enum(KIND_SOURCES),
  reason: z.string(),
});
export type FileKind = z.infer<typeof fileKindSchema>;

/**
 * A file the pull request changed that may hold data, settings or results but that tuneguard did not
 * review, and why: no rule claimed it, or it is compressed. Code, docs and tool configuration are not
 * listed (see `listNotReviewed`).
 */
export const notReviewedSchema = z.object({
  path: z.string(),
  reason: z.string(),
});
export type NotReviewed = z.infer<typeof notReviewedSchema>;

/** A place in a user's file; `line` is 1-based. */
export const locationSchema = z.object({
  path: z.string(),
  line: z.number().int().positive().optional(),
  side: sideSchema.optional(),
});
export type Location = z.infer<typeof locationSchema>;

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One finding of one check. `title` is a single line; `details` are further plain-text lines. */
export const findingSchema = z.object({
  check: z.string(),
  severity: severitySchema,
  title: z.string(),
  details: z.array(z.string()).default([]),
  evidence: z
    .object({ base: scalarSchema.optional(), head: scalarSchema.optional(), delta: z.number().optional() })
    .optional(),
  location: locationSchema.optional(),
  /** The other places with the same cause, when one finding stands for several files. */
  also: z.array(locationSchema).optional(),
  accepted: z.object({ by: z.string(), reason: z.string() }).optional(),
  /** Entries of `also` and lines of `details` left out to keep the report within its size budget. */
  omitted: z
    .object({ also: z.number().int().positive().optional(), details: z.number().int().positive().optional() })
    .optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** A file that could not be read, or a part of one that could not be parsed. */
export const unreadableSchema = z.object({
  path: z.string(),
  side: sideSchema,
  line: z.number().int().positive().optional(),
  reason: z.string(),
});
export type Unreadable = z.infer<typeof unreadableSchema>;

export const quantilesSchema = z.object({
  min: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
  mean: z.number(),
});
export type Quantiles = z.infer<typeof quantilesSchema>;

export const fieldStatsSchema = z.object({
  name: z.string(),
  present: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  empty: z.number().int().nonnegative(),
});
export type FieldStats = z.infer<typeof fieldStatsSchema>;

/** A row of a dataset: its 1-based line (row number for Parquet), and its file when the dataset has several. */
export const rowRefSchema = z.object({ line: z.number().int().positive(), file: z.string().optional() });
export type RowRef = z.infer<typeof rowRefSchema>;

const countSchema = z.number().int().nonnegative();

/** Record format of a dataset (the format most rows have), and what is wrong with its rows by kind. */
export const recordFormatStatsSchema = z.object({
  format: z.enum(RECORD_FORMATS),
  /** Rows of that format. */
  rows: countSchema,
  /** Rows per format detected, most frequent first. */
  formats: z.array(z.object({ format: z.enum(RECORD_FORMATS), rows: countSchema })),
  /** Rows of the dominant format breaking one of its rules, per kind, with the first rows. */
  errors: z.array(
    z.object({ kind: z.enum(RECORD_ERROR_KINDS), rows: countSchema, examples: z.array(rowRefSchema) }),
  ),
});
export type RecordFormatStats = z.infer<typeof recordFormatStatsSchema>;

/** Statistics of one dataset file (or folder of shards) on one side. */
export const datasetProfileSchema = z.object({
  format: z.enum(['jsonl', 'json', 'csv', 'tsv', 'parquet']),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  malformedRows: z.number().int().nonnegative(),
  /**
   * The fields (nearly) every record has (95%), sorted and joined by `,`; when records are not most rows or
   * no field is that common, the most frequent shape (a key set, or `string`, `array`…).
   */
  recordShape: z.string(),
  /** Rows lacking a field of `recordShape`, or not records (rows with extra fields are on shape). */
  offShapeRows: z.number().int().nonnegative(),
  offShapeExamples: z.array(z.number().int().positive()),
  /** For a dataset of several files: the file of each `offShapeExamples` line. */
  offShapeFiles: z.array(z.string()).optional(),
  duplicateRows: z.number().int().nonnegative(),
  duplicateExamples: z.array(
    z.object({
      line: z.number().int().positive(),
      firstLine: z.number().int().positive(),
      /** The files of `line` and `firstLine`, for a dataset of several files. */
      file: z.string().optional(),
      firstFile: z.string().optional(),
    }),
  ),
  fields: z.array(fieldStatsSchema),
  chars: quantilesSchema.optional(),
  tokens: quantilesSchema.optional(),
  totalTokens: z.number().nonnegative(),
  /** The files of a dataset made of several (a folder of shards), in the order their rows were read. */
  files: z
    .array(
      z.object({
        path: z.string(),
        bytes: countSchema,
        rows: countSchema,
        /** Set when the file is a Git LFS pointer whose content was not available: none of it was read. */
        lfs: z.boolean().optional(),
      }),
    )
    .optional(),
  /** Set when the file is a Git LFS pointer whose content was not available: it holds no rows. */
  lfs: z.object({ oid: z.string(), size: countSchema }).optional(),
  /** Whether `duplicateRows` is estimated from a sample of fingerprints (datasets of millions of rows). */
  duplicatesEstimated: z.boolean().optional(),
  /**
   * Set when every distinct row stands the same number of times, at least twice: the file is its
   * distinct rows repeated `duplicateRepeat` times (upsampling by repetition), not stray duplicates.
   */
  duplicateRepeat: z.number().int().min(2).optional(),
  recordFormat: recordFormatStatsSchema.optional(),
  /**
   * How tokens were counted: the tokenizer, and whether `tokens` and `totalTokens` are estimated from
   * `sampledRows` rows tokenised exactly (large datasets) or exact (`estimated` false).
   */
  tokenizer: z.object({ name: z.string(), estimated: z.boolean(), sampledRows: countSchema }).optional(),
  /** Rows longer than common sequence lengths, in tokens (chat templates add a few tokens per turn). */
  tokensOver: z.array(z.object({ length: z.number().int().positive(), rows: countSchema })).optional(),
  /** Rows with an earlier row of MinHash similarity ≥ `threshold` (exact duplicates included). */
  nearDuplicates: z
    .object({
      rows: countSchema,
      threshold: z.number(),
      estimated: z.boolean(),
      examples: z.array(z.object({ row: rowRefSchema, similarTo: rowRefSchema })),
    })
    .optional(),
  /**
   * Rows whose input also stands in an earlier row with a different label-like answer: a classification
   * label, or answers of at most 32 characters on both sides. Different free-text answers are not counted.
   */
  conflicts: z
    .object({
      inputs: countSchema,
      rows: countSchema,
      estimated: z.boolean(),
      examples: z.array(z.object({ row: rowRefSchema, conflictsWith: rowRefSchema })),
    })
    .optional(),
  /**
   * Class labels (`label`) and their rows, most frequent first; `otherRows` beyond the first 1,000 labels.
   * `column` names the column they were read from when it is not `label` but recognised by its values.
   */
  labels: z
    .object({
      classes: z.array(z.object({ label: z.string(), rows: countSchema })),
      otherRows: countSchema,
      column: z.string().optional(),
    })
    .optional(),
  /** Answers that are empty or placeholders (`N/A`, `<nooutput>`), and template variables left in the text. */
  outputs: z
    .object({
      empty: countSchema,
      placeholder: countSchema,
      placeholderInputs: countSchema,
      examples: z.array(
        z.object({
          kind: z.enum(['empty', 'placeholder', 'placeholder-input']),
          row: rowRefSchema,
          value: z.string(),
        }),
      ),
      templateRows: countSchema,
      templates: z.array(z.object({ name: z.string(), rows: countSchema, example: rowRefSchema })),
    })
    .optional(),
});
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;

export const datasetReportSchema = z.object({
  /** The file, or for a dataset sharded over several files the pattern naming them (`data/train-*-of-*.parquet`). */
  path: z.string(),
  /** The files of a sharded dataset, on either side, in the order their rows are read. */
  files: z.array(z.string()).optional(),
  split: z.string(),
  status: fileStatusSchema,
  /** Set when the file had another path on base (moved, or a newer timestamped run). */
  comparedWith: comparedWithSchema.optional(),
  base: datasetProfileSchema.optional(),
  head: datasetProfileSchema.optional(),
});
export type DatasetReport = z.infer<typeof datasetReportSchema>;

export const paramChangeSchema = z.object({
  key: z.string(),
  canonical: z.string().optional(),
  kind: z.enum(['added', 'removed', 'changed', 'renamed']),
  base: z.unknown().optional(),
  head: z.unknown().optional(),
  baseKey: z.string().optional(),
  line: z.number().int().positive().optional(),
});
export type ParamChange = z.infer<typeof paramChangeSchema>;

export const derivedParamsSchema = z.object({
  effectiveBatchSize: z.number().optional(),
  effectiveBatchNote: z.string().optional(),
});

export const paramsReportSchema = z.object({
  path: z.string(),
  status: fileStatusSchema,
  /** Set when the file had another path on base (moved, or a newer timestamped run). */
  comparedWith: comparedWithSchema.optional(),
  /** `model-card`: the "Training hyperparameters" list of a Trainer model card, read where no config of the run is. */
  format: z.enum(['yaml', 'json', 'toml', 'model-card']),
  /**
   * The training framework the head file (else the base file) is written for, recognised from its keys:
   * `verl`, `torchtune`, `deepspeed`, `accelerate`, `mlx-lm`, `peft`, `llama-factory`, `axolotl`,
   * `alignment-handbook`, `trl`, `hf-trainer`, `hf-trainer-card` (a model card's list), or `generic` (any other file, such as DVC's `params.yaml`).
   */
  framework: z.string().optional(),
  changes: z.array(paramChangeSchema),
  canonical: z.object({
    base: z.record(z.string(), z.unknown()),
    head: z.record(z.string(), z.unknown()),
  }),
  derived: z.object({ base: derivedParamsSchema, head: derivedParamsSchema }),
});
export type ParamsReport = z.infer<typeof paramsReportSchema>;

export const DIRECTIONS = ['higher', 'lower', 'unknown'] as const;
export const directionSchema = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof directionSchema>;

/**
 * The smallest change a metric's test detects 80% of the time (its minimum detectable effect), at the
 * level the metric is really tested at after adjustment, and how many items would bring it down to the
 * tolerance.
 */
export const detectableSchema = z.object({
  /**
   * The change (absolute, in the metric's units, either way) detected with probability `power`;
   * `null` when no change can be detected (a paired bootstrap whose smallest p-value is not below `alpha`).
   */
  effect: z.number().nonnegative().nullable(),
  power: z.number().gt(0).lt(1),
  /**
   * The per-metric level the effect is computed at: the false-alarm rate divided by the number of
   * tested metrics under Holm or Benjamini–Hochberg (the strictest threshold one metric can face: Holm's
   * first step, and BH's when a single metric moved), the rate itself without adjustment.
   */
  alpha: z.number().gt(0).lt(1),
  /** The change that matters: the tolerance, in the metric's units. */
  tolerance: z.number().nonnegative().optional(),
  /** Items behind the test, when known (paired items, or lm-eval's `n-samples`). */
  items: z.number().int().nonnegative().optional(),
  /** Items, at the same base rate and spread, that would bring `effect` down to `tolerance`. */
  itemsNeeded: z.number().int().positive().optional(),
  /** Runs pooled on each side when repeated runs with other seeds were found. */
  repeats: z.object({ base: z.number().int().positive(), head: z.number().int().positive() }).optional(),
  /** Runs a side, with other seeds, that would bring `effect` down to `tolerance` (when repeats can). */
  repeatsNeeded: z.number().int().positive().optional(),
});
export type Detectable = z.infer<typeof detectableSchema>;

/** A test on `head − base`: its basis, interval, p-value (raw and adjusted for many metrics) and verdict. */
export const significanceSchema = z.object({
  /** `per-sample`: a paired test over items matched by id; `stderr`: a z-test on the reported standard errors. */
  basis: z.enum(['per-sample', 'stderr']),
  method: z.string(),
  low: z.number(),
  high: z.number(),
  confidence: z.number(),
  pValue: z.number(),
  adjustedPValue: z.number(),
  adjustment: z.enum(['holm', 'bh', 'none']),
  significant: z.boolean(),
  /** Paired items, for per-sample tests. */
  n: z.number().int().nonnegative().optional(),
  /** What the test could detect: the minimum detectable effect and what would bring it down. */
  detectable: detectableSchema.optional(),
});
export type Significance = z.infer<typeof significanceSchema>;

/** How a metric moved between base and head (see `MetricDiff['change']`). */
export const METRIC_CHANGES = [
  'improved',
  'regressed',
  'noise',
  'inconclusive',
  'unchanged',
  'incomparable',
  'added',
  'removed',
  'n/a',
] as const;

export const metricDiffSchema = z.object({
  key: z.string(),
  task: z.string(),
  metric: z.string(),
  /** The key on base when the task was renamed with the same values (the metric is then `unchanged`). */
  baseKey: z.string().optional(),
  direction: directionSchema,
  /** `null` stands for a value that is not a finite number (NaN or infinity in the results file). */
  base: z.number().nullable().optional(),
  head: z.number().nullable().optional(),
  /** A text metric's value on base (DVC keeps text and boolean metrics); `base` is then absent. */
  baseText: z.string().optional(),
  /** A text metric's value on head; `head` is then absent. */
  headText: z.string().optional(),
  baseStderr: z.number().optional(),
  headStderr: z.number().optional(),
  delta: z.number().optional(),
  relativeDelta: z.number().optional(),
  /**
   * `improved` or `regressed` when the metric moved beyond tolerance (and beyond the noise, when a
   * test was possible); `noise` when it moved beyond tolerance but not significantly on a test that could
   * have detected a tolerance-sized change; `inconclusive` when it moved the wrong way (by any amount),
   * not significantly, on a test that could not have (its detectable change exceeds the tolerance);
   * `unchanged` within tolerance; `incomparable` when the evaluation settings differ; `added`/`removed` when one side
   * lacks it; `n/a` when its direction is unknown (a text metric whose value changed included).
   */
  change: z.enum(METRIC_CHANGES),
  /** The test on the difference, when standard errors or per-item logs allowed one. */
  significance: significanceSchema.optional(),
});
export type MetricDiff = z.infer<typeof metricDiffSchema>;

export const metricsReportSchema = z.object({
  path: z.string(),
  status: fileStatusSchema,
  /** Set when the file had another path on base (moved, or a newer timestamped run). */
  comparedWith: comparedWithSchema.optional(),
  format: z.string(),
  metrics: z.array(metricDiffSchema),
  /** Evaluation settings that differ between base and head (`task` `*` for the whole file). */
  incomparable: z
    .array(z.object({ task: z.string(), setting: z.string(), base: z.string(), head: z.string() }))
    .optional(),
  /** Per-item logs paired with this file's metrics: how many tasks could be tested item by item. */
  pairedTasks: z.array(z.string()).optional(),
  /** Runs of one model with other seeds, pooled into each side's values (newest first, this file's first). */
  repeats: z.object({ base: z.array(z.string()), head: z.array(z.string()) }).optional(),
});
export type MetricsReport = z.infer<typeof metricsReportSchema>;

export const lossPointSchema = z.object({ step: z.number(), value: z.number() });

/**
 * What a reinforcement-learning run logs about itself beside its loss: the mean reward and its spread
 * within groups, the completions' mean length and the share cut at the length limit, the policy's entropy,
 * its KL divergence from the reference model, the share of prompt groups whose rewards were all equal (no
 * learning signal), and the reward on held-out prompts.
 */
export const RL_SIGNALS = [
  'reward',
  'rewardStd',
  'completionLength',
  'clippedRatio',
  'entropy',
  'kl',
  'zeroStdShare',
  'evalReward',
] as const;
export type RlSignal = (typeof RL_SIGNALS)[number];

/** One RL signal over a run: the means of its first and last logs, its lowest and highest value. */
export const rlSignalSummarySchema = z.object({
  name: z.enum(RL_SIGNALS),
  /** How many logged values it has. */
  points: z.number().int().positive(),
  /** The mean of its first `window` logged values (at most 5, a quarter of them for short runs). */
  start: z.number(),
  /** The mean of its last `window` logged values. */
  end: z.number(),
  window: z.number().int().positive(),
  min: z.number(),
  max: z.number(),
});
export type RlSignalSummary = z.infer<typeof rlSignalSummarySchema>;

/** The health of a reinforcement-learning run (GRPO, PPO, RLOO, online DPO, verl) from the signals it logs. */
export const rlProfileSchema = z.object({
  /** `GRPO`, `PPO`, `verl`, or `RL` when its keys do not say which. */
  method: z.string(),
  signals: z.array(rlSignalSummarySchema),
  /** Logged KL values above `spike-factor` × the mean of the 10 before them and above `min-kl`. */
  klSpikes: z.array(z.object({ step: z.number(), value: z.number(), recentMean: z.number() })),
  rewardCurve: z.array(lossPointSchema),
});
export type RlProfile = z.infer<typeof rlProfileSchema>;

export const trainingProfileSchema = z.object({
  format: z.string(),
  lastStep: z.number(),
  epochs: z.number().optional(),
  finalTrainLoss: z.number().optional(),
  finalEvalLoss: z.number().optional(),
  bestEvalLoss: z.number().optional(),
  bestEvalStep: z.number().optional(),
  gap: z.number().optional(),
  evalTrend: z.enum(['falling', 'flat', 'rising', 'n/a']),
  risingEvals: z.number().int().nonnegative(),
  nanSteps: z.array(z.number()),
  diverged: z.boolean(),
  divergenceNote: z.string().optional(),
  evalSets: z.array(z.string()),
  /** Each eval set (`eval_<name>_loss`; `''` for plain `eval_loss`) with its own final, best and gap. */
  evalSetSummaries: z
    .array(
      z.object({
        name: z.string(),
        finalLoss: z.number(),
        bestLoss: z.number(),
        bestStep: z.number(),
        gap: z.number().optional(),
        risingEvals: z.number().int().nonnegative(),
      }),
    )
    .default([]),
  /** Training-loss spikes: a logged loss above `spike-factor` × the mean of the losses logged just before it. */
  spikes: z.array(z.object({ step: z.number(), value: z.number(), recentMean: z.number() })).default([]),
  trainCurve: z.array(lossPointSchema),
  evalCurve: z.array(lossPointSchema),
  /** Set for a reinforcement-learning run: what it logged besides its loss (reward, entropy, KL...). */
  rl: rlProfileSchema.optional(),
});
export type TrainingProfile = z.infer<typeof trainingProfileSchema>;

export const trainingReportSchema = z.object({
  path: z.string(),
  status: fileStatusSchema,
  /** Set when the file had another path on base (moved, or a newer timestamped run). */
  comparedWith: comparedWithSchema.optional(),
  base: trainingProfileSchema.optional(),
  head: trainingProfileSchema.optional(),
});
export type TrainingReport = z.infer<typeof trainingReportSchema>;

const commitSchema = z.object({ ref: z.string(), sha: z.string() });

/**
 * Files of head read from disk instead of its commit: results written by earlier steps of a CI job
 * (the Action's `results` input), or the uncommitted changes of a working tree (`tuneguard diff
 * --worktree`). Paths are relative to the reviewed folder, sorted.
 */
export const workspaceSchema = z.object({
  /** The files read from disk, committed or not: each is changed when its bytes differ from the base's. */
  files: z.array(z.string()),
  /** Files of the head commit deleted from the working tree (`--worktree` only). */
  deleted: z.array(z.string()).optional(),
  /** Set when head is the whole working tree (`--worktree`): `sha` is then the commit it was checked out at. */
  worktree: z.literal(true).optional(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

/** The head side: its commit, and the files that came from disk instead, when any did. */
const headSchema = commitSchema.extend({ workspace: workspaceSchema.optional() });

/** The kinds of artifact a report has an array of: `datasets`, `params`, `metrics` and `training`. */
export const REPORTED_KINDS = ['dataset', 'params', 'metrics', 'training-log'] as const;
export const reportedKindSchema = z.enum(REPORTED_KINDS);
export type ReportedKind = z.infer<typeof reportedKindSchema>;

/**
 * One artifact in a line, in place of its entry in `datasets`, `params`, `metrics` or `training`: where
 * it is, its status, and its size in its own terms (rows, changed keys, metrics by change, last step).
 */
export const artifactLineSchema = z.object({
  kind: reportedKindSchema,
  path: z.string(),
  status: fileStatusSchema,
  /** The base path, when the artifact had another one on base. */
  comparedWith: z.string().optional(),
  /** Datasets: the split, and the rows on each side. */
  split: z.string().optional(),
  rows: z.object({ base: countSchema.optional(), head: countSchema.optional() }).optional(),
  /** Hyperparameter files: the keys added, removed, changed or renamed. */
  changes: countSchema.optional(),
  /** Metrics files: how many metrics of each change (`regressed`, `unchanged`, …); only changes that occur. */
  metrics: z.partialRecord(z.enum(METRIC_CHANGES), countSchema).optional(),
  /** Training logs: the last step on each side. */
  lastStep: z.object({ base: z.number().optional(), head: z.number().optional() }).optional(),
});
export type ArtifactLine = z.infer<typeof artifactLineSchema>;

/**
 * What a report over its size budget holds in short. Artifacts the pull request did not touch go first,
 * then changed ones no finding names, then the rest, largest first, until the report fits; findings are
 * never left out, only their longest lists (see `omitted` on each).
 */
export const summarisedSchema = z.object({
  /** The budget, in bytes of the report as written (JSON indented by two spaces, UTF-8). */
  maxBytes: countSchema,
  /** The bytes the report would have taken in full. */
  fullBytes: countSchema,
  /** Artifacts in one line each instead of their entry, in the order they were summarised. */
  artifacts: z.array(artifactLineSchema),
  /** Artifacts beyond `artifacts`, when even a line each did not fit: counted by kind and status. */
  counted: z.array(z.object({ kind: reportedKindSchema, status: fileStatusSchema, files: countSchema })),
  /** Findings whose `also` or `details` were cut short. */
  findings: countSchema,
  /** How many files the pull request changes, when `changedFiles` lists only the first of them. */
  changedFiles: countSchema.optional(),
  /**
   * How many `evalResults` entries were left out whole (before any artifact a finding names is cut short):
   * this report then serves no later run as a baseline.
   */
  evalResults: countSchema.optional(),
});
export type Summarised = z.infer<typeof summarisedSchema>;

/** The report: the one contract between the core and the Action, the App and the CLI. */
export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('tuneguard'), version: z.string() }),
  base: commitSchema,
  head: headSchema,
  configPath: z.string().optional(),
  changedFiles: z.array(z.string()),
  /** Each file of the pull request tuneguard analyses or set aside by its content: its kind, split and why. */
  kinds: z.array(fileKindSchema).optional(),
  /** Changed files that may hold data, settings or results but that nothing reviewed, sorted by path. */
  notReviewed: z.array(notReviewedSchema).optional(),
  verdict: verdictSchema,
  counts: z.object({
    failure: z.number().int().nonnegative(),
    warning: z.number().int().nonnegative(),
    notice: z.number().int().nonnegative(),
  }),
  findings: z.array(findingSchema),
  datasets: z.array(datasetReportSchema),
  params: z.array(paramsReportSchema),
  metrics: z.array(metricsReportSchema),
  training: z.array(trainingReportSchema),
  unreadable: z.array(unreadableSchema),
  /** The head's results files as a later run's baseline needs them (a run on the default branch keeps them). */
  evalResults: z.array(evalResultsSchema).optional(),
  /** Set when an earlier run's report stood in for the base side's results. */
  baseline: baselineSchema.optional(),
  /** Set when the report was over its size budget: what it holds in short, and how much it was over. */
  summarised: summarisedSchema.optional(),
});
export type Report = z.infer<typeof reportSchema>;
