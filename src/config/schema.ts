import { z } from 'zod';
import { directionSchema, severitySchema } from '../report/schema.js';

/**
 * A relative amount: `5%` or a fraction `0.05`. Parsed to a fraction.
 * @example parse('5%') // 0.05
 */
export const percentSchema = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*%\s*$/, 'write a percentage such as "5%", or a fraction such as 0.05')
    .transform((s) => Number.parseFloat(s) / 100),
]);

/**
 * An absolute metric amount: `0.5pt` (percentage points, 0.005 on a 0–1 scale) or a plain number.
 * @example parse('0.5pt') // 0.005
 */
export const pointsSchema = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(
      /^\s*\d+(\.\d+)?\s*(pt|pts)?\s*$/,
      'write percentage points such as "0.5pt", or a plain number such as 0.005',
    )
    .transform((s) => (/pt/.test(s) ? Number.parseFloat(s) / 100 : Number.parseFloat(s))),
]);

/** A check's severity in config; `off` turns the check off. */
export const configSeveritySchema = z.enum([...severitySchema.options, 'off']);
const severity = { severity: configSeveritySchema.optional() };

/**
 * Settings of one check: its severity plus its own thresholds, each with a default.
 * Unknown keys are errors, so a typo in a threshold never passes silently.
 */
function check<T extends z.ZodRawShape>(thresholds: T) {
  const schema = z.object({ ...severity, ...thresholds }).strict();
  return schema.prefault({} as z.input<typeof schema>);
}

/** Per-check settings; every check takes `severity` (`off` to turn it off), some take thresholds. */
export const checksSchema = z
  .object({
    /** A split lost more than `max-drop` of its rows. */
    'data-shrink': check({ 'max-drop': percentSchema.default(0.05) }),
    /** Exact duplicates (after whitespace and case normalisation) above `max-share` of rows. */
    'data-duplicates': check({ 'max-share': percentSchema.default(0) }),
    /**
     * Rows with an empty or missing field above `max-share` of rows. Fields in `optional-fields` may be
     * empty by convention (Alpaca `input`, `system`, `history`) and are not counted.
     */
    'data-missing-values': check({
      'max-share': percentSchema.default(0),
      'optional-fields': z.array(z.string()).default(['input', 'system', 'history', 'tools', 'id']),
    }),
    /** Malformed lines, and records that do not match the dataset's dominant shape. */
    'data-format': check({}),
    /** Rows of an eval or test split that also stand (normalised) in a train split. */
    'data-leakage': check({}),
    /** The hyperparameter diff itself. */
    'params-changed': check({}),
    /** Large jumps in learning rate, epochs, effective batch size or LoRA rank; a shorter sequence length; a new base model. */
    'params-risky-change': check({
      /** Learning-rate ratio (either way) that counts as risky. */
      'lr-factor': z.number().gt(1).default(3),
      /** Epoch ratio (either way) that counts as risky. */
      'epochs-factor': z.number().gt(1).default(2),
      /** Effective batch size ratio (either way) that counts as risky. */
      'batch-factor': z.number().gt(1).default(4),
      /** LoRA rank ratio (either way) that counts as risky. */
      'rank-factor': z.number().gt(1).default(4),
    }),
    /** Hyperparameters or data changed but an evaluation results file did not. */
    'params-stale-eval': check({}),
    /** Final eval loss minus final train loss above `max-gap`. */
    'train-overfitting-gap': check({ 'max-gap': z.number().nonnegative().default(0.3) }),
    /**
     * Eval loss rose over the last `evaluations` evaluations in a row, or ended more than `above-best`
     * above its best while the best checkpoint came before `best-before` of the run.
     */
    'train-eval-loss-rising': check({
      evaluations: z.number().int().min(2).default(3),
      'above-best': percentSchema.default(0.1),
      'best-before': percentSchema.default(0.75),
    }),
    /** NaN or infinite losses, or a final train loss above `factor` times the run's lowest. */
    'train-divergence': check({ factor: z.number().gt(1).default(2) }),
    /**
     * A metric moved the wrong way by more than `tolerance` (absolute; `0.5pt` = 0.005), or by more
     * than `relative-tolerance` for metrics not on a 0–1 scale (losses, perplexities).
     */
    'eval-regression': check({
      tolerance: pointsSchema.default(0.01),
      'relative-tolerance': percentSchema.default(0.05),
      /**
       * The false-alarm rate to control: where standard errors or per-item logs allow a test, a move
       * beyond tolerance is a regression only when significant at this level after adjustment.
       */
      significance: z.number().gt(0).lt(1).default(0.05),
      /** How p-values are adjusted across all the metrics of a pull request: `holm` (family-wise), `bh` (false discovery rate) or `none`. */
      adjustment: z.enum(['holm', 'bh', 'none']).default('holm'),
    }),
    /** A metric present on base is gone on head. */
    'eval-metric-removed': check({}),
    /** A file tuneguard should read could not be read or parsed. */
    'input-unreadable': check({}),
  })
  .strict();

const datasetEntry = z.union([
  z.string(),
  z
    .object({
      /** Path or glob of the dataset file(s), relative to the repository root. */
      path: z.string(),
      /** Split name: `train`, `eval`, `validation`, `test`, or your own. Guessed from the path when absent. */
      split: z.string().optional(),
    })
    .strict(),
]);

/** `.github/tuneguard.yml`: every key is optional; without the file tuneguard discovers the usual files. */
export const configSchema = z
  .object({
    /** Dataset files; globs allowed. */
    datasets: z.array(datasetEntry).optional(),
    /** Hyperparameter files (YAML, JSON, TOML); globs allowed. */
    params: z.array(z.string()).optional(),
    /** Evaluation results (lm-eval, HF `*_results.json`, nested JSON/YAML); globs allowed. */
    metrics: z.array(z.string()).optional(),
    /** Training logs (HF `trainer_state.json`); globs allowed. */
    'training-logs': z.array(z.string()).optional(),
    /** Metric directions by key or glob over `task/metric`: `higher` or `lower` is better. */
    directions: z.record(z.string(), directionSchema).default({}),
    /** Per-check severity and thresholds. */
    checks: checksSchema.prefault({}),
    /** Paths never analysed (globs). */
    ignore: z.array(z.string()).default([]),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ChecksConfig = z.infer<typeof checksSchema>;
export type CheckId = keyof ChecksConfig;
