import { REPORT_SCHEMA_VERSION, reportSchema } from '../../src/model/report-schema.js';
import type { Report, TrainingProfile } from '../../src/model/report-schema.js';

/*
 * A realistic report of one pull request, built from real files of /work/shared/data (see its SOURCES.md
 * for the repositories, commits and licenses). Each number says where it comes from; all were read with
 * python3 from those files. The pull request is a composite: every artifact pair is a real before/after
 * pair, but they come from different projects.
 *
 * Datasets (rows/bytes/duplicates counted with python3 `json`; quantiles are nearest-rank over rows of the
 * characters and whitespace-separated words of the text fields, standing in for tokens):
 *   data/identity_chat.json    base datasets/fastchat_dummy_conversation.before-pr2498.json (910 rows)
 *                              head datasets/fastchat_dummy_conversation.after-pr2498.json (500 rows)
 *   data/wikisql/train.jsonl   base datasets/mlx_wikisql_train.base.jsonl, head mlx_wikisql_train.pr632.jsonl
 *                              (1000 rows each, line 162 repeats line 161 on both sides)
 *   data/wikisql/valid.jsonl   datasets/mlx_wikisql_valid.jsonl on both sides (100 rows)
 * Hyperparameters:
 *   configs/lora-1b.yml        configs/axolotl/llama3-lora-1b.{before,after}.yml (warmup_steps 10 → warmup_ratio 0.1)
 *   recipes/zephyr-7b-beta/sft/config_full.yaml
 *                              configs/alignment-handbook/zephyr-7b-beta_sft_config_full.{before,after}-pr182.yaml
 * Metrics:
 *   results/lambada_openai.json  base lm_eval/v047_rwkv7-1.5b_lambada_run-good.json,
 *                                head lm_eval/v047_rwkv7-1.5b_lambada_run-regressed.json
 *   results/common_sense_reasoning_0-shot.json
 *                                base lm_eval/harness-legacy_llama-7B_common_sense_reasoning_0-shot.json,
 *                                head lm_eval/harness-legacy_llama-13B_common_sense_reasoning_0-shot.json
 * Training: outputs/trainer_state.json, head trainer_state/tinyllama-chat-dpo_trainer_state.json; the base
 *   side is the same log's entries up to step 1900 (as if the base run had stopped there).
 * The unreadable file is hand-made for tuneguard tests.
 */

/** `loss` of tinyllama-chat-dpo_trainer_state.json `log_history` at step 10 and every 100th step. */
const TRAIN_CURVE: [number, number][] = [
  [10, 0.6938],
  [100, 0.6686],
  [200, 0.59],
  [300, 0.5843],
  [400, 0.5633],
  [500, 0.5224],
  [600, 0.5689],
  [700, 0.5556],
  [800, 0.5368],
  [900, 0.5324],
  [1000, 0.4667],
  [1100, 0.4516],
  [1200, 0.4176],
  [1300, 0.446],
  [1400, 0.472],
  [1500, 0.4425],
  [1600, 0.434],
  [1700, 0.4209],
  [1800, 0.4128],
  [1900, 0.4685],
  [2000, 0.3605],
  [2100, 0.3463],
  [2200, 0.362],
  [2300, 0.354],
  [2400, 0.3539],
  [2500, 0.3374],
  [2600, 0.3417],
  [2700, 0.3312],
  [2800, 0.3643],
  [2900, 0.3322],
];

/** Every `eval_loss` of tinyllama-chat-dpo_trainer_state.json `log_history` (steps 100…2900). */
const EVAL_CURVE: [number, number][] = [
  [100, 0.6668010950088501],
  [200, 0.5995281934738159],
  [300, 0.5643562078475952],
  [400, 0.5475609302520752],
  [500, 0.5388306975364685],
  [600, 0.5326046347618103],
  [700, 0.5295916795730591],
  [800, 0.5235481858253479],
  [900, 0.5231475830078125],
  [1000, 0.521090567111969],
  [1100, 0.5197181105613708],
  [1200, 0.5184498429298401],
  [1300, 0.5186832547187805],
  [1400, 0.5153725147247314],
  [1500, 0.5157531499862671],
  [1600, 0.5148204565048218],
  [1700, 0.5146352052688599],
  [1800, 0.5128700137138367],
  [1900, 0.5125181078910828],
  [2000, 0.5129652619361877],
  [2100, 0.5123242139816284],
  [2200, 0.512495756149292],
  [2300, 0.5147502422332764],
  [2400, 0.5143767595291138],
  [2500, 0.5143249034881592],
  [2600, 0.5136774778366089],
  [2700, 0.5139505863189697],
  [2800, 0.5145964622497559],
  [2900, 0.5141671299934387],
];

const points = (curve: [number, number][], lastStep: number) =>
  curve.filter(([step]) => step <= lastStep).map(([step, value]) => ({ step, value }));

/** Base run: the log up to step 1900, where the best eval loss so far is the last one. */
const BASE_TRAINING: TrainingProfile = {
  format: 'hf-trainer-state',
  lastStep: 1900,
  epochs: 1.96, // `epoch` logged at step 1900
  finalTrainLoss: 0.4685, // `loss` at step 1900
  finalEvalLoss: 0.5125181078910828, // `eval_loss` at step 1900
  bestEvalLoss: 0.5125181078910828,
  bestEvalStep: 1900,
  gap: 0.044018107891082736, // 0.5125181078910828 - 0.4685
  evalTrend: 'falling',
  risingEvals: 0,
  nanSteps: [],
  diverged: false,
  evalSets: ['eval'],
  evalSetSummaries: [],
  spikes: [],
  trainCurve: points(TRAIN_CURVE, 1900),
  evalCurve: points(EVAL_CURVE, 1900),
};

/** Head run: the whole log; eval loss is best at step 2100 and above it for the 8 evals after. */
const HEAD_TRAINING: TrainingProfile = {
  format: 'hf-trainer-state',
  lastStep: 2907, // `global_step`
  epochs: 3, // `num_train_epochs`
  finalTrainLoss: 0.3322, // `loss` at step 2900
  finalEvalLoss: 0.5141671299934387, // `eval_loss` at step 2900
  bestEvalLoss: 0.5123242139816284, // `eval_loss` at step 2100
  bestEvalStep: 2100,
  gap: 0.18196712999343873, // 0.5141671299934387 - 0.3322
  evalTrend: 'rising',
  risingEvals: 8, // evals at steps 2200…2900
  nanSteps: [],
  diverged: false,
  evalSets: ['eval'],
  evalSetSummaries: [],
  spikes: [],
  trainCurve: points(TRAIN_CURVE, 2900),
  evalCurve: points(EVAL_CURVE, 2900),
};

/** Short SHAs of the real commits: axolotl before/after PR #2897 (2eb7ff9 → 22810c9). */
const BASE_SHA = '2eb7ff95af21eff41ec5a421cb9319daa5d987bb';
const HEAD_SHA = '22810c97b72a397d877e27fe9b75b3be10920e27';

const SAMPLE: Report = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  tool: { name: 'tuneguard', version: '0.1.0' },
  base: { ref: 'main', sha: BASE_SHA },
  head: { ref: 'refs/pull/2897/head', sha: HEAD_SHA },
  changedFiles: [
    'data/identity_chat.json',
    'data/wikisql/train.jsonl',
    'configs/lora-1b.yml',
    'recipes/zephyr-7b-beta/sft/config_full.yaml',
    'results/lambada_openai.json',
    'results/common_sense_reasoning_0-shot.json',
    'outputs/trainer_state.json',
  ],
  verdict: 'failure',
  counts: { failure: 4, warning: 2, notice: 2 },
  // Mixed order on purpose: the renderer must put failures first.
  findings: [
    {
      check: 'params-changed',
      severity: 'notice',
      title: '2 hyperparameters changed in configs/lora-1b.yml',
      details: [],
      location: { path: 'configs/lora-1b.yml', line: 57, side: 'head' },
    },
    {
      check: 'data-shrink',
      severity: 'failure',
      title: 'data/identity_chat.json lost 410 of its 910 rows',
      details: ['Split train; the check allows a drop of 5%.'],
      evidence: { base: 910, head: 500, delta: -410 },
      location: { path: 'data/identity_chat.json' },
    },
    {
      check: 'data-duplicates',
      severity: 'warning',
      title: 'data/wikisql/train.jsonl has 1 duplicate row',
      details: ['Line 162 repeats line 161.'],
      evidence: { base: 1, head: 1 },
      location: { path: 'data/wikisql/train.jsonl', line: 162, side: 'head' },
    },
    {
      check: 'eval-regression',
      severity: 'failure',
      title: 'lambada_openai acc fell by 27.75 points',
      // (0.41063458179701146 - 0.6881428294197555) / sqrt(0.006454004061618767² + 0.006853811533501994²)
      details: ['The drop is 29.48 standard errors: significant at 0.05.'],
      evidence: { base: 0.6881428294197555, head: 0.41063458179701146, delta: -0.277508247622744 },
      location: { path: 'results/lambada_openai.json', line: 7, side: 'head' },
    },
    {
      check: 'train-eval-loss-rising',
      severity: 'warning',
      title: 'Eval loss rose for 8 evaluations after its best (0.5123 at step 2100)',
      details: ['Train loss kept falling: 0.3463 at step 2100, 0.3322 at step 2900.'],
      evidence: { base: 0.5125181078910828, head: 0.5141671299934387 },
      location: { path: 'outputs/trainer_state.json' },
    },
    {
      check: 'eval-regression',
      severity: 'failure',
      title: 'lambada_openai perplexity rose from 4.263 to 20.09 (lower is better)',
      details: [],
      evidence: { base: 4.263079441956042, head: 20.08827618270199, delta: 15.825196740745948 },
      location: { path: 'results/lambada_openai.json', line: 5, side: 'head' },
    },
    {
      check: 'params-changed',
      severity: 'notice',
      title: '3 hyperparameters changed in recipes/zephyr-7b-beta/sft/config_full.yaml',
      details: [],
      location: { path: 'recipes/zephyr-7b-beta/sft/config_full.yaml', line: 5, side: 'head' },
    },
    {
      check: 'eval-regression',
      severity: 'failure',
      title: 'boolq acc fell by 4.557 points',
      details: ['The drop is 4.056 standard errors: significant at 0.05.'],
      evidence: { base: 0.7305810397553517, head: 0.6850152905198776, delta: -0.04556574923547407 },
      location: { path: 'results/common_sense_reasoning_0-shot.json', line: 28, side: 'head' },
    },
  ],
  datasets: [
    {
      path: 'data/identity_chat.json',
      split: 'train',
      status: 'modified',
      base: {
        format: 'json',
        bytes: 272542,
        rows: 910,
        malformedRows: 0,
        recordShape: 'sharegpt',
        offShapeRows: 0,
        offShapeExamples: [],
        duplicateRows: 0,
        duplicateExamples: [],
        fields: [
          { name: 'id', present: 910, missing: 0, empty: 0 },
          { name: 'conversations', present: 910, missing: 0, empty: 0 },
        ],
        chars: { min: 70, p50: 116, p90: 132, p99: 141, max: 150, mean: 115.48 },
        tokens: { min: 11, p50: 18, p90: 21, p99: 24, max: 27, mean: 18.25 },
        totalTokens: 16604,
      },
      head: {
        format: 'json',
        bytes: 234166,
        rows: 500,
        malformedRows: 0,
        recordShape: 'sharegpt',
        offShapeRows: 0,
        offShapeExamples: [],
        duplicateRows: 0,
        duplicateExamples: [],
        fields: [
          { name: 'id', present: 500, missing: 0, empty: 0 },
          { name: 'conversations', present: 500, missing: 0, empty: 0 },
        ],
        chars: { min: 73, p50: 137, p90: 253, p99: 286, max: 310, mean: 164.55 },
        tokens: { min: 11, p50: 23, p90: 44, p99: 50, max: 55, mean: 28.13 },
        totalTokens: 14064,
      },
    },
    {
      path: 'data/wikisql/train.jsonl',
      split: 'train',
      status: 'modified',
      base: {
        format: 'jsonl',
        bytes: 272537,
        rows: 1000,
        malformedRows: 0,
        recordShape: 'text',
        offShapeRows: 0,
        offShapeExamples: [],
        duplicateRows: 1,
        duplicateExamples: [{ line: 162, firstLine: 161 }],
        fields: [{ name: 'text', present: 1000, missing: 0, empty: 0 }],
        chars: { min: 142, p50: 243, p90: 314, p99: 436, max: 882, mean: 252.85 },
        tokens: { min: 20, p50: 37, p90: 49, p99: 69, max: 137, mean: 38.56 },
        totalTokens: 38558,
      },
      head: {
        format: 'jsonl',
        bytes: 272533,
        rows: 1000,
        malformedRows: 0,
        recordShape: 'text',
        offShapeRows: 0,
        offShapeExamples: [],
        duplicateRows: 1,
        duplicateExamples: [{ line: 162, firstLine: 161 }],
        fields: [{ name: 'text', present: 1000, missing: 0, empty: 0 }],
        chars: { min: 142, p50: 243, p90: 314, p99: 436, max: 882, mean: 252.84 },
        tokens: { min: 20, p50: 37, p90: 49, p99: 69, max: 137, mean: 38.56 },
        totalTokens: 38557,
      },
    },
    {
      path: 'data/wikisql/valid.jsonl',
      split: 'validation',
      status: 'unchanged',
      ...sameOnBothSides({
        format: 'jsonl',
        bytes: 28495,
        rows: 100,
        malformedRows: 0,
        recordShape: 'text',
        offShapeRows: 0,
        offShapeExamples: [],
        duplicateRows: 0,
        duplicateExamples: [],
        fields: [{ name: 'text', present: 100, missing: 0, empty: 0 }],
        chars: { min: 174, p50: 253, p90: 342, p99: 403, max: 427, mean: 264.98 },
        tokens: { min: 25, p50: 38, p90: 52, p99: 68, max: 71, mean: 40.81 },
        totalTokens: 4081,
      }),
    },
  ],
  params: [
    {
      path: 'configs/lora-1b.yml',
      status: 'modified',
      format: 'yaml',
      changes: [
        { key: 'warmup_ratio', kind: 'added', head: 0.1, line: 57 },
        { key: 'warmup_steps', kind: 'removed', base: 10 },
      ],
      canonical: {
        base: {
          base_model: 'NousResearch/Llama-3.2-1B',
          val_set_size: 0.1,
          max_seq_length: 2048,
          lora_r: 16,
          lora_alpha: 32,
          lora_dropout: 0.05,
          gradient_accumulation_steps: 2,
          micro_batch_size: 2,
          num_epochs: 1,
          optimizer: 'adamw_8bit',
          lr_scheduler: 'cosine',
          learning_rate: 0.0002,
          warmup_steps: 10,
          weight_decay: 0,
        },
        head: {
          base_model: 'NousResearch/Llama-3.2-1B',
          val_set_size: 0.1,
          max_seq_length: 2048,
          lora_r: 16,
          lora_alpha: 32,
          lora_dropout: 0.05,
          gradient_accumulation_steps: 2,
          micro_batch_size: 2,
          num_epochs: 1,
          optimizer: 'adamw_8bit',
          lr_scheduler: 'cosine',
          learning_rate: 0.0002,
          warmup_ratio: 0.1,
          weight_decay: 0,
        },
      },
      // micro_batch_size 2 × gradient_accumulation_steps 2 (lines 38–39), no GPU count in the file.
      derived: {
        base: {
          effectiveBatchSize: 4,
          effectiveBatchNote: 'per device: 2 × 2 accumulation; multiply by the number of GPUs',
        },
        head: {
          effectiveBatchSize: 4,
          effectiveBatchNote: 'per device: 2 × 2 accumulation; multiply by the number of GPUs',
        },
      },
    },
    {
      path: 'recipes/zephyr-7b-beta/sft/config_full.yaml',
      status: 'modified',
      format: 'yaml',
      changes: [
        { key: 'attn_implementation', kind: 'added', head: 'flash_attention_2', line: 5 },
        {
          key: 'eval_strategy',
          kind: 'renamed',
          baseKey: 'evaluation_strategy',
          base: 'epoch',
          head: 'epoch',
          line: 19,
        },
        { key: 'use_flash_attention_2', kind: 'removed', base: true },
      ],
      canonical: {
        base: {
          base_model: 'mistralai/Mistral-7B-v0.1',
          eval_strategy: 'epoch',
          gradient_accumulation_steps: 1,
          learning_rate: 2e-5,
          lr_scheduler: 'cosine',
          max_seq_length: 2048,
          max_steps: -1,
          num_epochs: 1,
          micro_batch_size: 16,
          seed: 42,
          warmup_ratio: 0.1,
        },
        head: {
          base_model: 'mistralai/Mistral-7B-v0.1',
          eval_strategy: 'epoch',
          gradient_accumulation_steps: 1,
          learning_rate: 2e-5,
          lr_scheduler: 'cosine',
          max_seq_length: 2048,
          max_steps: -1,
          num_epochs: 1,
          micro_batch_size: 16,
          seed: 42,
          warmup_ratio: 0.1,
        },
      },
      // per_device_train_batch_size 16 × gradient_accumulation_steps 1 (lines 37 and 20 of the head file).
      derived: {
        base: {
          effectiveBatchSize: 16,
          effectiveBatchNote: 'per device: 16 × 1 accumulation; multiply by the number of GPUs',
        },
        head: {
          effectiveBatchSize: 16,
          effectiveBatchNote: 'per device: 16 × 1 accumulation; multiply by the number of GPUs',
        },
      },
    },
  ],
  metrics: [
    {
      path: 'results/lambada_openai.json',
      status: 'modified',
      format: 'lm-eval',
      metrics: [
        {
          key: 'lambada_openai/perplexity',
          task: 'lambada_openai',
          metric: 'perplexity',
          direction: 'lower', // higher_is_better.lambada_openai.perplexity: false
          base: 4.263079441956042,
          head: 20.08827618270199,
          baseStderr: 0.09183391036272597,
          headStderr: 0.7332036317112425,
          delta: 15.825196740745948,
          relativeDelta: 3.7121514989842237,
          change: 'regressed',
        },
        {
          key: 'lambada_openai/acc',
          task: 'lambada_openai',
          metric: 'acc',
          direction: 'higher', // higher_is_better.lambada_openai.acc: true
          base: 0.6881428294197555,
          head: 0.41063458179701146,
          baseStderr: 0.006454004061618767,
          headStderr: 0.006853811533501994,
          delta: -0.277508247622744,
          relativeDelta: -0.40327129159616465,
          change: 'regressed',
        },
      ],
    },
    {
      path: 'results/common_sense_reasoning_0-shot.json',
      status: 'modified',
      format: 'lm-eval-legacy',
      // Order of the report (not of the file); the renderer puts regressions first.
      metrics: [
        {
          key: 'piqa/acc',
          task: 'piqa',
          metric: 'acc',
          direction: 'higher',
          base: 0.7818280739934712,
          head: 0.7883569096844396,
          baseStderr: 0.009636081958374381,
          headStderr: 0.009530351270479397,
          delta: 0.006528835690968404,
          relativeDelta: 0.00835073068893523,
          change: 'unchanged', // within the default 0.01 tolerance
        },
        {
          key: 'hellaswag/acc_norm',
          task: 'hellaswag',
          metric: 'acc_norm',
          direction: 'higher',
          base: 0.7298346942840072,
          head: 0.7623979286994622,
          baseStderr: 0.004431375549911366,
          headStderr: 0.004247442237702478,
          delta: 0.032563234415455056,
          relativeDelta: 0.04461727384363483,
          change: 'improved',
        },
        {
          key: 'boolq/acc',
          task: 'boolq',
          metric: 'acc',
          direction: 'higher',
          base: 0.7305810397553517,
          head: 0.6850152905198776,
          baseStderr: 0.007759626474907443,
          headStderr: 0.00812432724981665,
          delta: -0.04556574923547407,
          relativeDelta: -0.06236919213059867,
          change: 'regressed',
        },
        {
          key: 'arc_challenge/acc',
          task: 'arc_challenge',
          metric: 'acc',
          direction: 'higher',
          base: 0.3822525597269625,
          head: 0.439419795221843,
          baseStderr: 0.014200454049979293,
          headStderr: 0.014503747823580122,
          delta: 0.05716723549488051,
          relativeDelta: 0.1495535714285713,
          change: 'improved',
        },
        {
          key: 'mc_taco/em',
          task: 'mc_taco',
          metric: 'em',
          direction: 'unknown', // the legacy format has no higher_is_better
          base: 0.11261261261261261,
          head: 0.10960960960960961,
          delta: -0.0030030030030030047,
          relativeDelta: -0.026666666666666682,
          change: 'n/a',
        },
        {
          key: 'mc_taco/f1',
          task: 'mc_taco',
          metric: 'f1',
          direction: 'unknown',
          base: 0.4827075067316446,
          head: 0.4753174430074593,
          delta: -0.00739006372418527,
          relativeDelta: -0.015309610107832208,
          change: 'n/a',
        },
        {
          key: 'openbookqa/acc_norm',
          task: 'openbookqa',
          metric: 'acc_norm',
          direction: 'higher',
          base: 0.424,
          head: 0.422,
          baseStderr: 0.022122993778135404,
          headStderr: 0.022109039310618552,
          delta: -0.0020000000000000018,
          relativeDelta: -0.004716981132075476,
          change: 'unchanged',
        },
      ],
    },
  ],
  training: [
    { path: 'outputs/trainer_state.json', status: 'modified', base: BASE_TRAINING, head: HEAD_TRAINING },
  ],
  unreadable: [
    {
      path: 'results/samples_lambada_openai.jsonl',
      side: 'head',
      line: 3,
      reason: 'Unexpected end of JSON input',
    },
  ],
};

function sameOnBothSides<T>(profile: T): { base: T; head: T } {
  return { base: profile, head: structuredClone(profile) };
}

/**
 * A fresh copy of the sample report, validated against the report schema, with `overrides` applied on top
 * (top-level keys replace the sample's).
 */
export function buildSampleReport(overrides: Partial<Report> = {}): Report {
  return reportSchema.parse({ ...structuredClone(SAMPLE), ...structuredClone(overrides) });
}
