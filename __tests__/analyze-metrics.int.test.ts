import { describe, expect, it } from '@jest/globals';
import type { MetricDiff } from '../src/model/report-schema.js';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Evaluation results: real lm-evaluation-harness files (fixtures/metrics, fixtures/pairs and their
 * SOURCES.md) committed as base and head of a pull request in a real temporary git repository.
 * Expected numbers were computed with python3 over `results[task]` of each file (values, deltas, ratios,
 * rounded to 4 significant digits as the titles show them); directions come from `higher_is_better`
 * (v0.4 files) or the metric's name (legacy files: acc, acc_norm, em, f1 are all higher-is-better).
 */

const TOLERANCE_LINE = 'tolerance 0.005 absolute on 0–1 metrics, 5.0% relative otherwise';
const COLLAPSE =
  'This is a collapse, not drift: check the checkpoint, the tokenizer and the evaluation settings before reading the numbers.';

const rwkv = (run: 'good' | 'regressed' | 'broken') =>
  fixture(`metrics/v047_rwkv7-1.5b_lambada_run-${run}.json`);
const RESULTS = 'results/lambada_openai.json';

describe('analyze on lm-eval rwkv7 lambada runs', () => {
  it('good → regressed: both metrics are eval-regression failures with the right numbers', async () => {
    // perplexity 4.263079 → 20.088276 (lower is better): +15.83, ×4.712; acc 0.688143 → 0.410635: -0.2775,
    // -40.3%; keys on lines 5 and 7 of the head file.
    const report = await analyzePair({ [RESULTS]: rwkv('good') }, { [RESULTS]: rwkv('regressed') });
    expect(report.findings).toEqual([
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'lambada_openai / perplexity regressed: 4.263 → 20.09 (+15.83, ×4.712)',
        // python: d = 15.8252, se = sqrt(0.091826² + 0.733199²) = 0.738927, d ± 1.959964 se = [14.377, 17.273];
        // z = 21.4, far below p = 0.0001 even after Holm over the file's two tested metrics.
        details: [
          `lower is better; ${TOLERANCE_LINE}`,
          'stderr 0.09183 → 0.7332',
          'z-test (stderr): p < 0.0001, p < 0.0001 after Holm adjustment; 95% CI of the change [14.38, 17.27]',
        ],
        evidence: {
          base: 4.263079441956042,
          head: 20.08827618270199,
          delta: 20.08827618270199 - 4.263079441956042,
        },
        location: { path: RESULTS, line: 5 },
      },
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'lambada_openai / acc regressed: 0.6881 → 0.4106 (-0.2775, -40.3%)',
        // python: d ± 1.959964 sqrt(0.006454² + 0.006854²) = [-0.29596, -0.25906].
        details: [
          `higher is better; ${TOLERANCE_LINE}`,
          'stderr 0.006454 → 0.006854',
          'z-test (stderr): p < 0.0001, p < 0.0001 after Holm adjustment; 95% CI of the change [-0.296, -0.2591]',
        ],
        evidence: {
          base: 0.6881428294197555,
          head: 0.41063458179701146,
          delta: 0.41063458179701146 - 0.6881428294197555,
        },
        location: { path: RESULTS, line: 7 },
      },
    ]);
    expect(report.verdict).toBe('failure');
    expect(report.counts).toEqual({ failure: 2, warning: 0, notice: 0 });
    expect(report.metrics[0]).toMatchObject({ path: RESULTS, status: 'modified', format: 'lm-eval' });
  });

  it.each([
    // regressed → broken: perplexity 20.088 → 20194.6 (×1005.3), acc 0.41063 → 0.062876 (-0.3478, -84.7%).
    [
      'regressed',
      [
        'lambada_openai / perplexity regressed: 20.09 → 20,195 (+20,175, ×1,005)',
        'lambada_openai / acc regressed: 0.4106 → 0.06288 (-0.3478, -84.7%)',
      ],
    ],
    // good → broken: perplexity 4.2631 → 20194.6 (×4737.2), acc 0.68814 → 0.062876 (-0.6253, -90.9%).
    [
      'good',
      [
        'lambada_openai / perplexity regressed: 4.263 → 20,195 (+20,190, ×4,737)',
        'lambada_openai / acc regressed: 0.6881 → 0.06288 (-0.6253, -90.9%)',
      ],
    ],
  ] as const)('%s → broken is a collapse: the findings say so', async (from, titles) => {
    const report = await analyzePair({ [RESULTS]: rwkv(from) }, { [RESULTS]: rwkv('broken') });
    expect(report.findings.map((f) => f.title)).toEqual(titles);
    for (const finding of report.findings) {
      expect(finding.severity).toBe('failure');
      expect(finding.details).toContain(COLLAPSE);
    }
    expect(report.verdict).toBe('failure');
  });

  it('good → regressed is a regression but not a collapse (acc lost 40%, perplexity ×4.7)', async () => {
    const report = await analyzePair({ [RESULTS]: rwkv('good') }, { [RESULTS]: rwkv('regressed') });
    expect(report.findings.flatMap((f) => f.details)).not.toContain(COLLAPSE);
  });

  it('the same file on both sides with params changed: a stale-eval warning, no regression', async () => {
    const report = await analyzePair(
      { [RESULTS]: rwkv('good'), 'configs/sft.yaml': 'learning_rate: 0.0002\nnum_epochs: 3\n' },
      { 'configs/sft.yaml': 'learning_rate: 0.0002\nnum_epochs: 4\n' },
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'params-stale-eval',
        severity: 'warning',
        title: `${RESULTS} not re-run though hyperparameters changed`,
        location: { path: RESULTS },
      },
      {
        check: 'params-changed',
        severity: 'notice',
        title: 'Hyperparameters in configs/sft.yaml: 1 changed',
        location: { path: 'configs/sft.yaml', line: 2 },
      },
    ]);
    expect(report.metrics[0]?.metrics.map((m) => m.change)).toEqual(['unchanged', 'unchanged']);
  });
});

describe('analyze on lm-eval v0.4 results of two models (Qwen2.5-1.5B and Llama-3.2-1B)', () => {
  const QWEN = fixture('metrics/v047_qwen2.5-1.5b_results.json');
  const LLAMA = fixture('pairs/v047_llama3.2-1b_results.json');
  const PATH = 'results/results.json';
  // python3, over `results` then `groups` (first wins), skipping `*_stderr` and `alias`: 86 metrics on the
  // same keys. Tolerance 0.005 absolute when both values lie in [-1, 1] (perplexity excepted), 5% relative
  // otherwise; every metric has stderr on both sides, so each gets z = d / sqrt(se_b² + se_h²) and the 86
  // p-values are Holm-adjusted together. Qwen → Llama: 65 regressed; 19 moved beyond tolerance but stay
  // within the noise (adjusted p ≥ 0.05: small MMLU subtasks of ~100 questions, piqa, sciq, cola mcc...).
  // The rule written out in python (scipy): at Holm's strictest level 0.05 / 86 each test detects at 80%
  // power only (z(1 - 0.05/172) + z(0.8)) · √(se_b² + se_h²) = 4.2818 · se, beyond the tolerance for every
  // one of them, so the 18 that moved the wrong way are inconclusive, and so is lambada perplexity, up
  // 0.0713 (1.2%, within the 5% tolerance of 0.2839) on a test that detects 0.8626. mmlu_global_facts
  // improved: noise. lambada acc moved within tolerance the right way: unchanged.
  const unchangedKeys = ['lambada_openai/acc'];
  const noiseKeys = ['mmlu_global_facts/acc'];
  const inconclusiveKeys = [
    'cola/mcc',
    'lambada_openai/perplexity',
    'mmlu_abstract_algebra/acc',
    'mmlu_anatomy/acc',
    'mmlu_college_chemistry/acc',
    'mmlu_college_computer_science/acc',
    'mmlu_college_mathematics/acc',
    'mmlu_college_physics/acc',
    'mmlu_computer_security/acc',
    'mmlu_high_school_physics/acc',
    'mmlu_machine_learning/acc',
    'mmlu_moral_scenarios/acc',
    'mmlu_virology/acc',
    'piqa/acc',
    'piqa/acc_norm',
    'qnli/acc',
    'sciq/acc',
    'winogrande/acc',
    'wnli/acc',
  ];
  const byChange = (metrics: MetricDiff[], change: MetricDiff['change']) =>
    metrics.filter((m) => m.change === change).map((m) => m.key);

  it('Qwen2.5 as base, Llama-3.2 as head: 65 regressions beyond the noise, 19 inconclusive', async () => {
    const report = await analyzePair({ [PATH]: QWEN }, { [PATH]: LLAMA });
    const metrics = report.metrics[0]?.metrics ?? [];
    expect(metrics).toHaveLength(86);
    expect(byChange(metrics, 'regressed')).toHaveLength(65);
    expect(byChange(metrics, 'improved')).toEqual([]);
    expect(byChange(metrics, 'noise').sort()).toEqual(noiseKeys);
    expect(byChange(metrics, 'inconclusive').sort()).toEqual(inconclusiveKeys);
    expect(byChange(metrics, 'unchanged').sort()).toEqual(unchangedKeys);
    // mmlu (the group aggregate) 0.596140 → 0.367398.
    const mmlu = report.findings.find((f) => f.title.startsWith('mmlu / acc '));
    expect(mmlu?.title).toBe('mmlu / acc regressed: 0.5961 → 0.3674 (-0.2287, -38.4%)');
    // cola mcc -0.000545 → -0.018559: beyond 0.005 but z = 0.41 (python): no regression, one of the 19
    // metrics of the inconclusive notice, which lists the first 10 and counts the rest.
    expect(report.findings.find((f) => f.title.startsWith('cola / mcc '))).toBeUndefined();
    expect(report.findings).toHaveLength(66);
    const notice = report.findings.find((f) => f.severity === 'notice');
    expect(notice?.title).toBe(
      `19 metrics in ${PATH} moved the wrong way, but the evaluation is too small to tell a regression from noise (inconclusive)`,
    );
    // cola: se 0.044439, detects 0.19028; 1043 · (0.19028 / 0.005)² = 1,510,501.2 items.
    expect(notice?.details).toContain(
      'cola / mcc: -0.0005448 → -0.01856 (-0.01801); could detect ±0.1903 at 80% power (α = 0.0005814 per metric) against a tolerance of 0.005; needs ~1,510,502 items (has 1,043)',
    );
    expect(notice?.details).toContain('and 9 more metrics');
    expect(new Set(report.findings.map((f) => f.check))).toEqual(new Set(['eval-regression']));
    expect(report.findings.every((f) => f.location?.path === PATH && f.location.line !== undefined)).toBe(
      true,
    );
    expect(report.verdict).toBe('failure');
  });

  it('Llama-3.2 as base, Qwen2.5 as head: the mirror image, no regression beyond the noise', async () => {
    const report = await analyzePair({ [PATH]: LLAMA }, { [PATH]: QWEN });
    const metrics = report.metrics[0]?.metrics ?? [];
    expect(byChange(metrics, 'improved')).toHaveLength(65);
    expect(byChange(metrics, 'regressed')).toEqual([]);
    // mmlu_global_facts acc 0.31 → 0.24 on 100 questions: -0.07 but z = 1.11 (python), adjusted p = 1;
    // se 0.063270 detects only 4.2818 · 0.063270 = 0.27091: inconclusive, 100 · (0.27091 / 0.005)² =
    // 293,559.2 items to detect the tolerance. lambada acc fell 0.000388 (2 of 5,153 items) on a test that
    // detects 0.04092: 0.95% of it, below the 1% that makes a move negligible, so unchanged.
    expect(metrics.find((m) => m.key === 'mmlu_global_facts/acc')).toMatchObject({
      change: 'inconclusive',
      significance: {
        basis: 'stderr',
        significant: false,
        adjustedPValue: 1,
        detectable: { power: 0.8, alpha: 0.05 / 86, tolerance: 0.005, items: 100, itemsNeeded: 293560 },
      },
    });
    const effect = metrics.find((m) => m.key === 'mmlu_global_facts/acc')?.significance?.detectable?.effect;
    expect(effect).toBeCloseTo(0.27090544530361904, 10);
    expect(byChange(metrics, 'inconclusive').sort()).toEqual(['mmlu_global_facts/acc']);
    expect(metrics.find((m) => m.key === 'lambada_openai/acc')?.change).toBe('unchanged');
    expect(byChange(metrics, 'noise')).toHaveLength(18);
    expect(report.findings.map((f) => [f.severity, f.title])).toEqual([
      [
        'notice',
        `1 metric in ${PATH} moved the wrong way, but the evaluation is too small to tell a regression from noise (inconclusive)`,
      ],
    ]);
    expect(report.verdict).toBe('pass');
    // lambada perplexity 5.749 → 5.678 is lower-is-better and moved 1.2%: within the 5% tolerance.
    expect(metrics.find((m) => m.key === 'lambada_openai/perplexity')).toMatchObject({
      direction: 'lower',
      change: 'unchanged',
    });
  });
});

describe('analyze on legacy lm-eval results: LLaMA-7B → LLaMA-13B', () => {
  it('boolq regressed beyond the noise, mc_taco f1 beyond the tolerance; the rest improved, held or moved within the noise', async () => {
    // python3 over results[task][metric] (no `,none` in legacy files): boolq acc 0.730581 → 0.685015 (line 28)
    // (-0.04557, -6.2%) is the only drop beyond 0.01; piqa acc, mc_taco em/f1 and openbookqa acc_norm move
    // less than 0.01; gsm8k acc 0.0804 → 0.1357.
    const report = await analyzePair(
      {
        'results/common_sense_reasoning_0-shot.json': fixture(
          'metrics/harness-legacy_llama-7B_common_sense_reasoning_0-shot.json',
        ),
        'results/gsm8k_8-shot.json': fixture('metrics/harness-legacy_llama-7B_gsm8k_8-shot.json'),
      },
      {
        'results/common_sense_reasoning_0-shot.json': fixture(
          'pairs/harness-legacy_llama-13B_common_sense_reasoning_0-shot.json',
        ),
        'results/gsm8k_8-shot.json': fixture('pairs/harness-legacy_llama-13B_gsm8k_8-shot.json'),
      },
    );
    // boolq: z = -4.06 over stderrs 0.00776 and 0.008124, Holm over the 19 tested metrics of both files
    // gives p = 0.000649 (python); d ± 1.959964 se = [-0.06759, -0.02355]. mc_taco f1 has no stderr: its
    // 0.00739 drop (0.482708 → 0.475317) is beyond 0.005 and judged by the tolerance alone.
    expect(report.findings.map((f) => f.title)).toEqual([
      'boolq / acc regressed: 0.7306 → 0.685 (-0.04557, -6.2%)',
      'mc_taco / f1 regressed: 0.4827 → 0.4753 (-0.00739, -1.5%)',
      '1 metric in results/common_sense_reasoning_0-shot.json moved the wrong way, but the evaluation is too small to tell a regression from noise (inconclusive)',
    ]);
    // openbookqa acc_norm 0.424 → 0.422, within tolerance, but its stderrs (0.022123, 0.022109) detect
    // only (z(1 - 0.05/38) + z(0.8)) · 0.031277 = 0.12040 at 0.05 / 19 (python, scipy); a legacy file
    // gives no item count, so the items needed are a multiple: (0.12040 / 0.005)² = 579.8.
    expect(report.findings[2]?.details[0]).toBe(
      'openbookqa / acc_norm: 0.424 → 0.422 (-0.002); could detect ±0.1204 at 80% power (α = 0.002632 per metric) against a tolerance of 0.005; needs ~580× the items',
    );
    expect(report.findings[0]).toEqual({
      check: 'eval-regression',
      severity: 'failure',
      title: 'boolq / acc regressed: 0.7306 → 0.685 (-0.04557, -6.2%)',
      details: [
        `higher is better; ${TOLERANCE_LINE}`,
        'stderr 0.00776 → 0.008124',
        'z-test (stderr): p < 0.0001, p = 0.0006494 after Holm adjustment; 95% CI of the change [-0.06759, -0.02355]',
      ],
      evidence: {
        base: 0.7305810397553517,
        head: 0.6850152905198776,
        delta: 0.6850152905198776 - 0.7305810397553517,
      },
      location: { path: 'results/common_sense_reasoning_0-shot.json', line: 28 },
    });
    expect(report.findings[1]?.details).toContain(
      'no standard errors or per-item logs on both sides: judged by the tolerance alone',
    );
    const [csr, gsm8k] = report.metrics;
    expect(csr?.format).toBe('lm-eval-legacy');
    const changes = Object.fromEntries((csr?.metrics ?? []).map((m) => [m.key, m.change]));
    const keysOf = (change: string) =>
      Object.entries(changes)
        .filter(([, c]) => c === change)
        .map(([k]) => k)
        .sort();
    expect(keysOf('unchanged')).toEqual(['mc_taco/em']);
    expect(keysOf('inconclusive')).toEqual(['openbookqa/acc_norm']);
    expect(keysOf('improved')).toEqual([
      'arc_easy/acc',
      'arc_easy/acc_norm',
      'hellaswag/acc',
      'hellaswag/acc_norm',
      'prost/acc_norm',
      'swag/acc_norm',
    ]);
    expect(keysOf('noise')).toHaveLength(10);
    expect(gsm8k?.metrics).toEqual([
      expect.objectContaining({ key: 'gsm8k/acc', direction: 'higher', change: 'improved' }),
    ]);
  });
});

describe('lm-eval results in the folder lm-eval names after a model at a relative path', () => {
  it('are reviewed: the drop in `.__outputs__ckpt/` is an eval-regression failure', async () => {
    // `lm_eval --model_args pretrained=./outputs/ckpt --output_path eval` writes eval/.__outputs__ckpt/results_….json.
    const path = 'eval/.__outputs__ckpt/results_2025-02-24T21-42-51.190683.json';
    const report = await analyzePair({ [path]: rwkv('good') }, { [path]: rwkv('regressed') });
    expect(
      report.findings.filter((finding) => finding.check === 'eval-regression').map((f) => f.title),
    ).toEqual([
      'lambada_openai / perplexity regressed: 4.263 → 20.09 (+15.83, ×4.712)',
      'lambada_openai / acc regressed: 0.6881 → 0.4106 (-0.2775, -40.3%)',
    ]);
  });
});
