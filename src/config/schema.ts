import { z } from 'zod';
import { directionSchema, severitySchema } from '../model/report-schema.js';
import { DEFAULT_REPORT_BUDGET } from '../report/fit-report-budget.js';

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
const severity = {
  /** How this check's findings count: `failure` (blocks), `warning`, `notice`, or `off`. Default: the check's own. */
  severity: configSeveritySchema.optional(),
};

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
    'data-shrink': check({
      /** The largest share of a split's rows that may go (`5%` or `0.05`). Default 5%. */
      'max-drop': percentSchema.default(0.05),
    }),
    /**
     * Exact duplicates (after whitespace and case normalisation) above `max-share` of rows. Duplicates
     * below `notice-below` of rows (one in a thousand) are a notice: a few repeats in thousands of rows
     * barely change what the model sees.
     */
    'data-duplicates': check({
      /** The share of rows that may be duplicates before it is a finding. Default 0: any added duplicate. */
      'max-share': percentSchema.default(0),
      /** Below this share of rows, added duplicates are a notice. Default 0.1%. */
      'notice-below': percentSchema.default(0.001),
    }),
    /**
     * Rows with an empty or missing field above `max-share` of rows. Fields in `optional-fields` may be
     * empty by convention (Alpaca `input`, `system`, `history`) and are not counted.
     */
    'data-missing-values': check({
      /** The share of rows that may have an empty or missing field. Default 0. */
      'max-share': percentSchema.default(0),
      /** Fields that may be empty by convention, never counted. */
      'optional-fields': z.array(z.string()).default(['input', 'system', 'history', 'tools', 'id']),
    }),
    /**
     * Malformed lines; records lacking a field that (nearly) every row has, or not records at all (extra
     * optional fields are fine); a changed record shape. Off-shape rows below `notice-below` of rows (one
     * in a hundred) are a notice.
     */
    'data-format': check({
      /** Below this share of rows, off-shape rows are a notice. Default 1%. */
      'notice-below': percentSchema.default(0.01),
    }),
    /** Rows of an eval or test split that also stand (normalised) in a train split. */
    'data-leakage': check({}),
    /**
     * Near-duplicate rows (MinHash similarity of word 5-grams at or above `threshold`, exact duplicates
     * aside) were added, above `max-share` of rows. Generated instruction data and paraphrase sets hold a
     * few by nature, so they are a notice unless they reach `notice-below` of rows (one in ten) and their
     * share grew in the pull request.
     */
    'data-near-duplicates': check({
      /** The MinHash similarity (0.5 to 1) at which two rows are near-duplicates. Default 0.8. */
      threshold: z.number().min(0.5).max(1).default(0.8),
      /** The share of rows that may be near-duplicates. Default 0. */
      'max-share': percentSchema.default(0),
      /** Below this share of rows, or when their share did not grow, near-duplicates are a notice. Default 10%. */
      'notice-below': percentSchema.default(0.1),
    }),
    /** Rows whose input (prompt, text) also stands with a different output or label were added, above `max-share`. */
    'data-conflicting-labels': check({
      /** The share of rows whose input may stand with another answer or label. Default 0. */
      'max-share': percentSchema.default(0),
    }),
    /**
     * The class distribution moved between base and head: a chi-squared test below `significance` and a
     * total variation distance of at least `min-shift`; or a class disappeared.
     */
    'data-label-shift': check({
      /** The chi-squared test's p-value below which the distribution moved. Default 0.01. */
      significance: z.number().gt(0).lt(1).default(0.01),
      /** The least total variation distance that counts as a shift. Default 5%. */
      'min-shift': percentSchema.default(0.05),
    }),
    /** Answers that are empty or placeholders (`N/A`, `<nooutput>`), or template variables left half-filled. */
    'data-placeholder-outputs': check({}),
    /** A train split below `min-rows`, or an eval/validation/test split below `min-eval-rows`. */
    'data-min-size': check({
      /** The fewest rows a train split may have. Default 100. */
      'min-rows': z.number().int().nonnegative().default(100),
      /** The fewest rows an eval, validation or test split may have. Default 50. */
      'min-eval-rows': z.number().int().nonnegative().default(50),
    }),
    /** More than `max-share` of rows are longer (in tokens) than the max sequence length of the hyperparameters. */
    'data-truncation': check({
      /** The share of rows that may be longer than the max sequence length. Default 1%. */
      'max-share': percentSchema.default(0.01),
    }),
    /** A dataset is a Git LFS pointer whose content was not fetched, so it could not be analysed. */
    'data-lfs-pointer': check({}),
    /** The hyperparameter diff itself. */
    'params-changed': check({}),
    /** Large jumps in learning rate, epochs, effective batch size, LoRA rank or preference beta; a shorter sequence length; a new base model. */
    'params-risky-change': check({
      /** Learning-rate ratio (either way) that counts as risky. */
      'lr-factor': z.number().gt(1).default(3),
      /** Epoch ratio (either way) that counts as risky. */
      'epochs-factor': z.number().gt(1).default(2),
      /** Effective batch size ratio (either way) that counts as risky. */
      'batch-factor': z.number().gt(1).default(4),
      /**
       * Effective batch size ratio (either way) that counts as risky when the learning rate stays the same:
       * the learning rate usually has to move with the batch (linear or square-root scaling).
       */
      'batch-factor-same-lr': z.number().gt(1).default(2),
      /** LoRA rank ratio (either way) that counts as risky. */
      'rank-factor': z.number().gt(1).default(4),
      /**
       * Ratio (either way) of a preference-optimisation beta (DPO `beta`, LLaMA-Factory `pref_beta`) that
       * counts as risky: beta sets how far the policy may move from the reference model.
       */
      'beta-factor': z.number().gt(1).default(3),
    }),
    /** Hyperparameters or data changed but an evaluation results file did not. */
    'params-stale-eval': check({}),
    /**
     * A number the pull request writes in a form PyYAML reads as a string (`1e-5`: YAML 1.1 floats need
     * a dot), in the config of a framework that passes it on to the trainer as text (HF TrainingArguments
     * through HfArgumentParser; LLaMA-Factory before July 2025, told as a notice).
     */
    'params-text-number': check({}),
    /** Final eval loss minus final train loss above `max-gap`. */
    'train-overfitting-gap': check({
      /** How far the final eval loss may stand above the final train loss. Default 0.3. */
      'max-gap': z.number().nonnegative().default(0.3),
    }),
    /**
     * Eval loss rose over the last `evaluations` evaluations in a row, or ended more than `above-best`
     * above its best while the best checkpoint came before `best-before` of the run.
     */
    'train-eval-loss-rising': check({
      /** How many evaluations in a row the eval loss must rise over. Default 3. */
      evaluations: z.number().int().min(2).default(3),
      /** How far above its best the final eval loss may end. Default 10%. */
      'above-best': percentSchema.default(0.1),
      /** The share of the run before which a best checkpoint counts as early. Default 75%. */
      'best-before': percentSchema.default(0.75),
    }),
    /** NaN or infinite losses, or a final train loss above `factor` times the run's lowest. */
    'train-divergence': check({
      /** How many times the run's lowest train loss the final one may be. Default 2. */
      factor: z.number().gt(1).default(2),
      /** A logged loss above this many times the mean of the 10 losses before it is a spike (a warning on its own). */
      'spike-factor': z.number().gt(1).default(3),
    }),
    /**
     * An RL run's reward rose while its held-out evaluation fell: its `eval_reward` ended more than
     * `max-eval-drop` below where it started or, when it logs none, a metric of the pull request's results
     * files regressed (the policy learned to please the reward, not to do the task).
     */
    'train-reward-hacking': check({
      /** How far, relatively, the held-out reward (`eval_reward`) may fall while the reward rises. Default 5%. */
      'max-eval-drop': percentSchema.default(0.05),
    }),
    /** An RL run's policy entropy ended below `min-share` of where it started (the policy stopped exploring). */
    'train-entropy-collapse': check({
      /** The share of its starting entropy the run's final entropy may fall to. Default 25%. */
      'min-share': percentSchema.default(0.25),
    }),
    /**
     * An RL run's completions grew past `length-factor` times their starting mean length, or the share
     * of completions cut at the length limit rose by more than `max-clipped-rise`.
     */
    'train-completion-length': check({
      /** How many times its starting mean length the final mean completion length may be. Default 2. */
      'length-factor': z.number().gt(1).default(2),
      /** How far the share of completions cut at the length limit may rise (`10%` = 10 points). Default 10%. */
      'max-clipped-rise': percentSchema.default(0.1),
    }),
    /**
     * The share of an RL run's prompt groups whose rewards were all equal (TRL's `frac_reward_zero_std`:
     * no learning signal from them) rose by more than `max-rise` over the run, or above the base run's.
     */
    'train-reward-zero-variance': check({
      /** How far the share of zero-variance reward groups may rise (`20%` = 20 points). Default 20%. */
      'max-rise': percentSchema.default(0.2),
    }),
    /**
     * An RL run's KL divergence from the reference model jumped: a logged value above `spike-factor`
     * times the mean of the 10 before it, and at least `min-kl`.
     */
    'train-kl-spike': check({
      /** How many times the mean of the 10 values before it a KL value may be. Default 3. */
      'spike-factor': z.number().gt(1).default(3),
      /** KL values below this never count as spikes (early KL grows many-fold from nearly zero). Default 0.1. */
      'min-kl': z.number().nonnegative().default(0.1),
    }),
    /**
     * A metric moved the wrong way by more than `tolerance` (absolute; `0.5pt` = 0.005), or by more
     * than `relative-tolerance` for metrics not on a 0–1 scale (losses, perplexities).
     */
    'eval-regression': check({
      /** How far a 0–1 metric may move the wrong way: `0.5pt` (percentage points) or `0.005`. Default 0.5pt. */
      tolerance: pointsSchema.default(0.005),
      /** How far, relatively, a metric not on a 0–1 scale may move the wrong way. Default 5%. */
      'relative-tolerance': percentSchema.default(0.05),
      /**
       * The false-alarm rate to control: where standard errors or per-item logs allow a test, a move
       * beyond tolerance is a regression only when significant at this level after adjustment.
       */
      significance: z.number().gt(0).lt(1).default(0.05),
      /** How p-values are adjusted across all the metrics of a pull request: `holm` (family-wise), `bh` (false discovery rate) or `none`. */
      adjustment: z.enum(['holm', 'bh', 'none']).default('holm'),
      /**
       * How an inconclusive metric counts: one that moved the wrong way, not significantly, on an
       * evaluation too small to detect a tolerance-sized change at 80% power. `notice` (the default)
       * mentions it without blocking, `warning` or `failure` make it count as such, `off` leaves it out.
       */
      inconclusive: configSeveritySchema.default('notice'),
    }),
    /** A metric present on base is gone on head. */
    'eval-metric-removed': check({}),
    /**
     * Base and head results were produced with different evaluation settings (n-shot, task version,
     * sample limit, task hash, harness version, prompt settings): no regression is called on them.
     */
    'eval-incomparable': check({}),
    /**
     * A slice (an lm-eval group or subtask, or a slice declared under `slices`) regressed significantly
     * while the aggregate above it held or improved.
     */
    'eval-slice-regression': check({}),
    /**
     * The real-world metrics named under `real-world` are absent on head, or were not re-run although
     * data or hyperparameters changed.
     */
    'eval-real-world-missing': check({}),
    /**
     * The head has results files, the base none, and no earlier run's report could stand in for the base
     * side (none uploaded by a run on the default branch, none readable, or a token that may not list
     * them): the notice says why and how to create one.
     */
    'eval-baseline-missing': check({}),
    /**
     * A model card (`README.md`: its `model-index` or its `- Name: value` lines; or `.eval_results/*.yaml`)
     * states a number the Trainer's results files beside it (`all_results.json`, `eval_results.json`,
     * `test_results.json`) do not hold, or a `model-index` number that the lm-eval results of the same
     * task and metric in its folder or under it do not hold: stale or inflated numbers. Only a
     * disagreement the pull request brought is reported.
     */
    'eval-card-mismatch': check({}),
    /** A file tuneguard should read could not be read or parsed. */
    'input-unreadable': check({}),
    /**
     * Files were left out of the review: past the review's `budget` of files or bytes, or with a path
     * too long to match against globs safely. The finding says how many, how many bytes, and names the first.
     */
    'input-not-analysed': check({}),
    /**
     * A path or glob under `datasets`, `params`, `metrics`, `training-logs` or `ignore` matches no file on
     * base or head; or a glob of the Action's `results` input reads nothing (always a notice).
     */
    'config-unmatched': check({}),
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

/** A value passed to a dispatched workflow's input: text, a number or a boolean. */
const workflowInputSchema = z.union([z.string(), z.number(), z.boolean()]);

/** Settings of the App's slash commands (`/tuneguard …` in a pull-request comment). */
export const commandsSchema = z
  .object({
    /**
     * `/tuneguard rerun-eval`: dispatches an evaluation workflow (`workflow_dispatch`) for the pull
     * request. Without this key the command is off.
     */
    'rerun-eval': z
      .object({
        /** The workflow to dispatch: its file name under `.github/workflows/` (`eval.yml`) or its numeric id. */
        workflow: z.union([
          z.string().regex(/^[^/\\]+\.ya?ml$/, 'name the workflow file, such as "eval.yml"'),
          z.number().int().positive(),
        ]),
        /**
         * Branch or tag whose version of the workflow runs. Default: the pull request's head branch for a
         * pull request from this repository, the base branch for one from a fork (a fork's branch is not
         * in this repository).
         */
        ref: z.string().min(1).optional(),
        /**
         * Inputs passed to the workflow (at most 25, as GitHub allows). Text values may name the pull
         * request with `{pr}`, `{head-sha}`, `{head-ref}`, `{head-repo}`, `{base-sha}` and `{base-ref}`.
         * `key=value` arguments of the command are added to these, and win.
         */
        inputs: z
          .record(z.string().min(1), workflowInputSchema)
          .refine((inputs) => Object.keys(inputs).length <= 25, 'GitHub takes at most 25 workflow inputs')
          .default({}),
        /**
         * Whether the command may run for pull requests from forks. The workflow then runs with this
         * repository's secrets on the fork's code, so only maintainers and admins may ask for it even
         * then. Default `false`.
         */
        'allow-forks': z.boolean().default(false),
      })
      .strict()
      .optional(),
  })
  .strict();

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
    /**
     * Slices of the evaluation: a name and the task globs it covers (lm-eval groups are slices already).
     * @example { reasoning: ["arc_*", "hellaswag"], support: ["support_tickets*"] }
     */
    slices: z.record(z.string(), z.array(z.string()).min(1)).default({}),
    /** The real-world evaluation: the metrics that stand for production use, judged more strictly. */
    'real-world': z
      .object({
        /** Globs over `task/metric` (or task names) of the real-world metrics. */
        metrics: z.array(z.string()).min(1),
        /** A stricter tolerance for their regressions (`0.2pt`); default: the eval-regression tolerance. */
        tolerance: pointsSchema.optional(),
        /** The severity of their regressions; default: the eval-regression severity. */
        severity: configSeveritySchema.optional(),
      })
      .strict()
      .optional(),
    /** Paths never analysed (globs). */
    ignore: z.array(z.string()).default([]),
    /**
     * How dataset tokens are counted: a bundled OpenAI encoding (`o200k_base`, the default, or
     * `cl100k_base`), or your model's Hugging Face `tokenizer.json` (a path in the repository).
     * Datasets above `exact-up-to-mb` megabytes get token figures from a sample of rows.
     */
    tokenizer: z
      .union([
        z
          .object({
            /** A bundled OpenAI encoding: `o200k_base` or `cl100k_base`. */
            encoding: z.enum(['o200k_base', 'cl100k_base']),
            /** Datasets up to this many megabytes get exact token counts; larger ones, a sample's. Default 16. */
            'exact-up-to-mb': z.number().positive().optional(),
          })
          .strict(),
        z
          .object({
            /** The path of your model's Hugging Face `tokenizer.json` in the repository. */
            file: z.string(),
            /** Datasets up to this many megabytes get exact token counts; larger ones, a sample's. Default 16. */
            'exact-up-to-mb': z.number().positive().optional(),
          })
          .strict(),
      ])
      .prefault({ encoding: 'o200k_base' }),
    /**
     * What one review reads at most, so that a pull request of 10,000 files or 100 GB gets a bounded
     * review: `max-files` files and `max-gb` GiB of artifacts, base and head counted apart (an unchanged
     * file once). The files the pull request touched are read first; past the budget the remaining
     * artifacts are not analysed and one `input-not-analysed` warning lists them.
     */
    budget: z
      .object({
        /** Files read at most. Default 5,000. */
        'max-files': z.number().int().positive().default(5000),
        /** Gibibytes read at most. Default 20. */
        'max-gb': z.number().positive().default(20),
      })
      .strict()
      .prefault({}),
    /** Settings of the App's slash commands in pull-request comments. */
    commands: commandsSchema.prefault({}),
    /**
     * The JSON report's size budget, `max-mb` megabytes (MiB, at most 8). A larger report keeps its
     * findings and summarises the rest, untouched files first, and says what it summarised.
     */
    report: z
      .object({
        /** The budget in MiB, at most 8 (the App refuses report artifacts over 32 MiB). */
        'max-mb': z
          .number()
          .positive()
          .max(8)
          .default(DEFAULT_REPORT_BUDGET / 2 ** 20),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ChecksConfig = z.infer<typeof checksSchema>;
export type CheckId = keyof ChecksConfig;
export type CommandsConfig = z.infer<typeof commandsSchema>;
