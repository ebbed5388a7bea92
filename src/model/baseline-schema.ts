import { z } from 'zod';

/*
 * What a report keeps for a later run to use as its baseline: the head's results files with their
 * per-item outcomes packed, and, on the run that used one, which baseline it was.
 */

/**
 * Item ids of a per-item log, packed: `ranges` for ids that are all non-negative integers (`doc_id`),
 * as `[first, count, first, count, …]` in increasing order; otherwise `list`, sorted.
 */
export const packedIdsSchema = z.union([
  z.object({ ranges: z.array(z.number().int().nonnegative()) }),
  z.object({ list: z.array(z.string()) }),
]);
export type PackedIds = z.infer<typeof packedIdsSchema>;

/**
 * One metric's per-item outcomes, in the order of its ids (its own `ids`, else its task's): `bits` for
 * outcomes that are all 0 or 1 (base64 of a bitset, item `i` in bit `i % 8` of byte `i / 8`), `values`
 * otherwise.
 */
export const packedScoresSchema = z.union([
  z.object({ metric: z.string(), ids: packedIdsSchema.optional(), bits: z.string() }).strict(),
  z.object({ metric: z.string(), ids: packedIdsSchema.optional(), values: z.array(z.number()) }).strict(),
]);
export type PackedScores = z.infer<typeof packedScoresSchema>;

/** A per-item log of one task, packed: how items are matched, their ids, and each metric's outcomes. */
export const packedSampleLogSchema = z.object({
  task: z.string(),
  matchedBy: z.enum(['doc_hash', 'prompt_hash', 'id']),
  ids: packedIdsSchema,
  scores: z.array(packedScoresSchema),
});
export type PackedSampleLog = z.infer<typeof packedSampleLogSchema>;

/**
 * A results file of the head as a later run needs it for its baseline: its metrics (values, standard
 * errors, directions), the evaluation settings that make runs comparable, and, when per-item logs sit in
 * its folder, their outcomes packed (`samples`), so that paired tests still work across runs.
 * `samplesOmitted` is set when the outcomes were left out to keep the report within its size budget.
 */
export const evalResultsSchema = z.object({
  path: z.string(),
  /**
   * Set on a run that repeats the entry at this path with other seeds (the same model and settings): it is
   * pooled with that entry when a later run takes this report as its baseline.
   */
  repeatOf: z.string().optional(),
  format: z.enum([
    'lm-eval',
    'lm-eval-legacy',
    'lighteval',
    'inspect',
    'hf-results',
    'generic',
    'promptfoo',
    'opencompass',
    'helm',
  ]),
  metrics: z.array(
    z.object({
      task: z.string(),
      metric: z.string(),
      /** `null` for a value that is not a finite number. */
      value: z.number().nullable(),
      stderr: z.number().optional(),
      higherIsBetter: z.boolean().optional(),
    }),
  ),
  tasks: z.record(
    z.string(),
    z.object({
      nShot: z.number().optional(),
      version: z.string().optional(),
      limit: z.number().optional(),
      samples: z.object({ original: z.number().optional(), effective: z.number().optional() }).optional(),
      hash: z.string().optional(),
      mode: z.string().optional(),
    }),
  ),
  evaluator: z.object({
    model: z.string().optional(),
    modelArgs: z.string().optional(),
    version: z.string().optional(),
    gitHash: z.string().optional(),
    chatTemplate: z.string().optional(),
    systemInstruction: z.string().optional(),
    fewshotAsMultiturn: z.boolean().optional(),
    seeds: z.string().optional(),
  }),
  groups: z.record(z.string(), z.array(z.string())),
  samples: z.array(packedSampleLogSchema).optional(),
  samplesOmitted: z.boolean().optional(),
});
export type EvalResults = z.infer<typeof evalResultsSchema>;

/**
 * The report of an earlier run whose results stood in for the base side: the base had no results file,
 * and the results of the base commit (or of its nearest ancestor on the default branch that had a
 * report) were taken from that run's report artifact.
 */
export const baselineSchema = z.object({
  /** The workflow run that uploaded the report, and its page (an `https://` address). */
  runId: z.number().int().positive(),
  url: z.url({ protocol: /^https$/ }),
  /** The commit the baseline report is about, and the branch its run ran on. */
  sha: z.string(),
  branch: z.string(),
  /** The run's event: `push`, `workflow_dispatch` or `schedule`. */
  event: z.string(),
  /** How many commits before the base, on its first-parent history, the baseline's commit is (0: the base). */
  commitsBack: z.number().int().nonnegative(),
  /** When the report's artifact was created (ISO 8601), and its age in whole days when this run read it. */
  createdAt: z.string(),
  ageDays: z.number().int().nonnegative(),
  /** The head's results files compared with the baseline's, each with the baseline's path. */
  files: z.array(z.object({ path: z.string(), baselinePath: z.string() })),
});
export type Baseline = z.infer<typeof baselineSchema>;
