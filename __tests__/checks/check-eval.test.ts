import { describe, expect, it } from '@jest/globals';
import { checkEval, describeDetectable } from '../../src/checks/check-eval.js';
import type { Finding, MetricDiff } from '../../src/model/report-schema.js';
import { configOf, contextOf, fixtureText, metricsEntry } from './helpers/build-context.js';

/*
 * Real results files (fixtures/metrics, SOURCES.md there). Numbers read with python3:
 * rwkv7 lambada_openai good: perplexity 4.263079 (line 5), acc 0.688143 (line 7); regressed: 20.088276,
 * 0.410635; broken: 20194.61, 0.062876. tinyllama DPO eval_results.json: eval_loss 0.513750 (line 7),
 * eval_runtime 93.5908 (line 12), eval_samples_per_second 21.37 (line 14).
 */

const rwkv = (run: string) => fixtureText(`metrics/v047_rwkv7-1.5b_lambada_run-${run}.json`);
const DPO_EVAL = fixtureText('metrics/tinyllama-chat-dpo_eval_results.json');
const PATH = 'results/lambada_openai.json';

const check = (sides: { base?: string; head?: string }, yaml = '', path = PATH): Finding[] => {
  const config = configOf(yaml);
  return checkEval(contextOf({ config, metrics: [metricsEntry(path, sides, config)] }));
};

describe('eval-regression', () => {
  it('good → regressed: perplexity and accuracy, each at its line, with stderr and the tolerance used', () => {
    expect(check({ base: rwkv('good'), head: rwkv('regressed') })).toEqual([
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'lambada_openai / perplexity regressed: 4.263 → 20.09 (+15.83, ×4.712)',
        details: [
          'lower is better; tolerance 0.005 absolute on 0–1 metrics, 5.0% relative otherwise',
          'stderr 0.09183 → 0.7332',
          // python: 15.8252 ± 1.959964 × sqrt(0.091826² + 0.733199²) = [14.377, 17.273]
          'z-test (stderr): p < 0.0001, p < 0.0001 after Holm adjustment; 95% CI of the change [14.38, 17.27]',
        ],
        evidence: {
          base: 4.263079441956042,
          head: 20.08827618270199,
          delta: 20.08827618270199 - 4.263079441956042,
        },
        location: { path: PATH, line: 5 },
      },
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'lambada_openai / acc regressed: 0.6881 → 0.4106 (-0.2775, -40.3%)',
        details: [
          'higher is better; tolerance 0.005 absolute on 0–1 metrics, 5.0% relative otherwise',
          'stderr 0.006454 → 0.006854',
          // python: -0.27751 ± 1.959964 × sqrt(0.006454² + 0.006854²) = [-0.29596, -0.25906]
          'z-test (stderr): p < 0.0001, p < 0.0001 after Holm adjustment; 95% CI of the change [-0.296, -0.2591]',
        ],
        evidence: {
          base: 0.6881428294197555,
          head: 0.41063458179701146,
          delta: 0.41063458179701146 - 0.6881428294197555,
        },
        location: { path: PATH, line: 7 },
      },
    ]);
  });

  it.each([
    // acc fell 27.75 points and perplexity rose 371%: a tolerance of 30 points and 400% lets both pass.
    ['a wide tolerance', "checks:\n  eval-regression: { tolerance: 30pt, relative-tolerance: '400%' }\n", []],
    [
      'a 30-point tolerance only',
      'checks:\n  eval-regression: { tolerance: 30pt }\n',
      ['lambada_openai / perplexity'],
    ],
    [
      'severity warning',
      'checks:\n  eval-regression: { severity: warning }\n',
      ['lambada_openai / perplexity', 'lambada_openai / acc'],
    ],
    ['the check off', 'checks:\n  eval-regression: { severity: off }\n', []],
  ])('good → regressed with %s', (_name, yaml, metrics) => {
    const findings = check({ base: rwkv('good'), head: rwkv('regressed') }, yaml);
    expect(findings.map((f) => f.title.split(' regressed')[0])).toEqual(metrics);
    if (yaml.includes('warning')) expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
  });

  it('regressed → broken is called a collapse (acc lost 85%, perplexity ×1005)', () => {
    const findings = check({ base: rwkv('regressed'), head: rwkv('broken') });
    expect(findings.map((f) => f.title)).toEqual([
      'lambada_openai / perplexity regressed: 20.09 → 20,195 (+20,175, ×1,005)',
      'lambada_openai / acc regressed: 0.4106 → 0.06288 (-0.3478, -84.7%)',
    ]);
    for (const finding of findings)
      expect(finding.details.at(-1)).toBe(
        'This is a collapse, not drift: check the checkpoint, the tokenizer and the evaluation settings before reading the numbers.',
      );
  });

  it('improvements are no finding: broken → good', () => {
    expect(check({ base: rwkv('broken'), head: rwkv('good') })).toEqual([]);
  });

  it('a metric that became NaN regressed, whatever its direction', () => {
    const head = rwkv('good').replace('"acc,none": 0.6881428294197555', '"acc,none": NaN');
    expect(check({ base: rwkv('good'), head })).toEqual([
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'lambada_openai / acc regressed: 0.6881 → NaN',
        details: [
          'higher is better; tolerance 0.005 absolute on 0–1 metrics, 5.0% relative otherwise',
          'stderr 0.006454 → 0.006454',
          // A NaN head has no finite difference to test.
          'no standard errors or per-item logs on both sides: judged by the tolerance alone',
          'The head value is not a number: the evaluation produced NaN or infinity.',
        ],
        evidence: { base: 0.6881428294197555, head: null },
        location: { path: PATH, line: 7 },
      },
    ]);
    // A metric with no known direction (the policy's log-probability of the chosen answers) that breaks says so.
    const logps = check(
      {
        base: DPO_EVAL,
        head: DPO_EVAL.replace('"eval_logps/chosen": -370.1297607421875', '"eval_logps/chosen": NaN'),
      },
      '',
      'out/eval_results.json',
    );
    expect(logps.map((f) => [f.title, f.details[0]])).toEqual([
      [
        'eval / eval_logps/chosen regressed: -370.1 → NaN',
        'direction unknown; tolerance 0.005 absolute on 0–1 metrics, 5.0% relative otherwise',
      ],
    ]);
    // A training run's own figure (`epoch`) is no evaluation: its breaking is not a regression of the model.
    const epochs = check(
      { base: DPO_EVAL, head: DPO_EVAL.replace('"epoch": 3.0', '"epoch": NaN') },
      '',
      'out/eval_results.json',
    );
    expect(epochs).toEqual([]);
  });

  it('run times and throughputs never fail: they measure the hardware, not the model', () => {
    // eval_runtime 93.59 → 140 (+50%) and eval_samples_per_second 21.37 → 10 (-53%): both "regressed" in the
    // diff, no finding; eval_loss 0.5138 → 0.6 (+16.8%) is one.
    const head = DPO_EVAL.replace('"eval_runtime": 93.5908', '"eval_runtime": 140')
      .replace('"eval_samples_per_second": 21.37', '"eval_samples_per_second": 10')
      .replace('"eval_loss": 0.513750433921814', '"eval_loss": 0.6');
    const config = configOf();
    const entry = metricsEntry('out/eval_results.json', { base: DPO_EVAL, head }, config);
    expect(entry.report.metrics.filter((m) => m.change === 'regressed').map((m) => m.metric)).toEqual([
      'eval_loss',
      'eval_runtime',
      'eval_samples_per_second',
    ]);
    expect(checkEval(contextOf({ metrics: [entry] })).map((f) => f.title)).toEqual([
      'eval / eval_loss regressed: 0.5138 → 0.6 (+0.08625, 16.8%)',
    ]);
  });
});

describe('eval-metric-removed', () => {
  it('a deleted results file is a warning on the base side with its metric count', () => {
    expect(check({ base: rwkv('good') })).toEqual([
      {
        check: 'eval-metric-removed',
        severity: 'warning',
        title: `The results file ${PATH} was deleted (2 metrics)`,
        details: [],
        location: { path: PATH, side: 'base' },
      },
    ]);
  });

  it('a metric dropped from a results file is listed with its last value', () => {
    const head = rwkv('good').replace(
      /\n\s*"perplexity,none": [^\n]*\n\s*"perplexity_stderr,none": [^\n]*/,
      '',
    );
    expect(check({ base: rwkv('good'), head })).toEqual([
      {
        check: 'eval-metric-removed',
        severity: 'warning',
        title: `1 metric no longer reported in ${PATH}`,
        details: ['lambada_openai / perplexity (was 4.263)'],
        evidence: { base: 1, head: 0 },
        location: { path: PATH },
      },
    ]);
  });

  it('says "metrics" for several, and is silent for an added file, an unchanged file, or when off', () => {
    const head = DPO_EVAL.replace(/\n\s*"eval_rewards\/(?:chosen|rejected)": [^\n]*/g, '');
    const [dropped] = check({ base: DPO_EVAL, head }, '', 'out/eval_results.json');
    expect(dropped?.title).toBe('2 metrics no longer reported in out/eval_results.json');
    expect(dropped?.details).toEqual([
      'eval / eval_rewards/chosen (was -0.02744)',
      'eval / eval_rewards/rejected (was -1.036)',
    ]);
    expect(check({ head: rwkv('good') })).toEqual([]);
    expect(check({ head: rwkv('good') })).toEqual([]);
    expect(check({ base: rwkv('good'), head: rwkv('good') })).toEqual([]);
    expect(check({ base: rwkv('good') }, 'checks:\n  eval-metric-removed: { severity: off }\n')).toEqual([]);
  });

  it("a training run's own figures are no evaluation metrics: dropping them or deleting them is not reported", () => {
    // all_results.json holds the 14 metrics of eval_results.json and 5 of training (train_loss, train_runtime,
    // train_samples, train_samples_per_second, train_steps_per_second): eval_results.json drops those 5.
    const all = fixtureText('metrics/tinyllama-chat-dpo_all_results.json');
    expect(check({ base: all, head: DPO_EVAL }, '', 'out/eval_results.json')).toEqual([]);
    expect(check({ base: DPO_EVAL, head: all }, '', 'out/eval_results.json')).toEqual([]);
    // qlora's output/all_results.json: epoch, train_loss, train_runtime and two throughputs, nothing evaluated.
    const train = fixtureText('metrics/qlora-diverging_all_results.json');
    expect(check({ base: train }, '', 'output/all_results.json')).toEqual([]);
    // eval_results.json deleted: its 9 evaluation metrics count (not epoch, eval_runtime, eval_samples, throughputs).
    expect(check({ base: DPO_EVAL }, '', 'out/eval_results.json').map((f) => f.title)).toEqual([
      'The results file out/eval_results.json was deleted (9 metrics)',
    ]);
  });
});

describe('eval-incomparable', () => {
  const GSM8K = fixtureText('metrics/harness-legacy_llama-7B_gsm8k_8-shot.json');

  it('names the settings that differ and calls no regression on them', () => {
    // The file's gsm8k acc 0.0804 re-run 5-shot instead of 8-shot, and lower: not a regression.
    const head = GSM8K.replace('"num_fewshot": 8', '"num_fewshot": 5').replace('0.0803639120545868', '0.05');
    const config = configOf('');
    const entry = metricsEntry('results/gsm8k.json', { base: GSM8K, head }, config);
    expect(entry.report.metrics.map((m) => m.change)).toEqual(['incomparable']);
    expect(entry.report.incomparable).toEqual([{ task: 'gsm8k', setting: 'n-shot', base: '8', head: '5' }]);
    expect(checkEval(contextOf({ config, metrics: [entry] }))).toEqual([
      {
        check: 'eval-incomparable',
        severity: 'warning',
        title:
          'Base and head results in results/gsm8k.json were evaluated differently (1 task): no regression is called on them',
        details: [
          'gsm8k: n-shot 8 → 5',
          'Re-run the evaluation of both sides with the same settings to compare them.',
        ],
        location: { path: 'results/gsm8k.json' },
      },
    ]);
  });
});

describe('eval-slice-regression', () => {
  const QWEN = fixtureText('metrics/v047_qwen2.5-1.5b_results.json');

  it('an lm-eval group that regressed under an aggregate that held', () => {
    // mmlu_stem acc 0.525848 (stderr 0.008634) → 0.40: z = -10.3 (python); mmlu acc unchanged.
    const findings = check(
      { base: QWEN, head: QWEN.replaceAll('0.525848398350777', '0.40') },
      '',
      'results/qwen.json',
    );
    expect(findings.map((f) => [f.check, f.title])).toEqual([
      ['eval-slice-regression', '1 slice of mmlu / acc regressed while the aggregate held (0)'],
      ['eval-regression', 'mmlu_stem / acc regressed: 0.5258 → 0.4 (-0.1258, -23.9%)'],
    ]);
    expect(findings[0]?.details[0]).toBe('mmlu_stem / acc: 0.5258 → 0.4 (-0.1258)');
  });

  it('a declared slice that regressed while the mean of all tasks held', () => {
    // arc_easy acc 0.754209 → 0.70 and arc_challenge 0.414676 → 0.38: slice mean -0.044442, the 77 acc
    // metrics' mean -0.001154 (python). Pooled stderr of the slice mean: z ≈ -3.7, significant.
    const head = QWEN.replaceAll('0.7542087542087542', '0.70').replaceAll('0.41467576791808874', '0.38');
    const findings = check({ base: QWEN, head }, 'slices: { reasoning: ["arc_*"] }', 'results/qwen.json');
    const slice = findings.filter((f) => f.check === 'eval-slice-regression');
    expect(slice.map((f) => [f.title, f.evidence])).toEqual([
      [
        'Slice "reasoning" (2 tasks) regressed on acc (-0.04444) while all 77 tasks moved -0.001154',
        {
          base: (0.7542087542087542 + 0.41467576791808874) / 2,
          head: (0.7 + 0.38) / 2,
          delta: (0.7 + 0.38) / 2 - (0.7542087542087542 + 0.41467576791808874) / 2,
        },
      ],
    ]);
    // Alone, arc_easy is beyond its noise (z = -4.3) but arc_challenge is not (z = -1.70, p = 0.089):
    // without the declaration only arc_easy is a regression; the slice as a whole is significant.
    // arc_challenge is inconclusive: 86 metrics with stderrs are tested, so Holm's strictest level is
    // 0.05 / 86 = 0.00058140, and (z(1 - 0.00058140/2) + z(0.8)) · √2 · 0.014397 = 0.087179 (python,
    // scipy); 1172 · (0.087179 / 0.005)² = 356,297.1 items.
    const alone = check({ base: QWEN, head }, '', 'results/qwen.json');
    expect(alone.map((f) => [f.severity, f.title])).toEqual([
      ['failure', 'arc_easy / acc regressed: 0.7542 → 0.7 (-0.05421, -7.2%)'],
      [
        'notice',
        '1 metric in results/qwen.json moved the wrong way, but the evaluation is too small to tell a regression from noise (inconclusive)',
      ],
    ]);
    expect(alone[1]?.details[0]).toBe(
      'arc_challenge / acc: 0.4147 → 0.38 (-0.03468); could detect ±0.08718 at 80% power (α = 0.0005814 per metric) against a tolerance of 0.005; needs ~356,298 items (has 1,172)',
    );
  });
});

describe('real-world metrics', () => {
  const GOOD = rwkv('good');

  it('are missing on head: a warning naming the globs', () => {
    expect(check({ base: GOOD, head: GOOD }, 'real-world: { metrics: ["support_tickets/*"] }')).toEqual([
      {
        check: 'eval-real-world-missing',
        severity: 'warning',
        title: 'No real-world metric (support_tickets/*) on head',
        details: [
          'The config names real-world metrics, but no results file on head reports them. Run the real-world evaluation and commit its results.',
        ],
      },
    ]);
  });

  it('regress at their own, stricter tolerance and severity', () => {
    // acc 0.688143 → 0.6841 is a -0.004 move: within the default 0.005, beyond a 0.2pt real-world tolerance,
    // and far inside the noise of its stderr. Neither verdict can be trusted: the two stderrs (0.006454)
    // give a detectable change of (z(1 - 0.025/2) + z(0.8)) · √2 · 0.006454 = 0.028140 at Holm's
    // 0.05 / 2 metrics (python, scipy), beyond either tolerance, so it is inconclusive: a notice.
    const head = GOOD.replace('"acc,none": 0.6881428294197555', '"acc,none": 0.6841');
    expect(check({ base: GOOD, head })).toEqual([
      {
        check: 'eval-regression',
        severity: 'notice',
        title:
          '1 metric in results/lambada_openai.json moved the wrong way, but the evaluation is too small to tell a regression from noise (inconclusive)',
        details: [
          // 5153 · (0.028140 / 0.005)² = 163,215.4 (python) items, rounded up.
          'lambada_openai / acc: 0.6881 → 0.6841 (-0.004043); could detect ±0.02814 at 80% power (α = 0.025 per metric) against a tolerance of 0.005; needs ~163,216 items (has 5,153)',
          'More items (or repeated runs) shrink the noise; until then a regression of the tolerance could pass unseen.',
        ],
        evidence: { head: 1 },
        location: { path: PATH, line: 7 },
      },
    ]);
    expect(check({ base: GOOD, head }, 'checks: { eval-regression: { inconclusive: off } }')).toEqual([]);
    expect(
      check({ base: GOOD, head }, 'checks: { eval-regression: { inconclusive: failure } }').map(
        (f) => f.severity,
      ),
    ).toEqual(['failure']);
    const strict = 'real-world: { metrics: ["lambada_openai/*"], tolerance: 0.2pt, severity: warning }';
    const config = configOf(strict);
    const entry = metricsEntry(PATH, { base: GOOD, head }, config);
    // 5153 · (0.028140 / 0.002)² = 1,020,099.6 (python): a million items to see a 0.2pt change.
    expect(entry.report.metrics.find((m) => m.key === 'lambada_openai/acc')).toMatchObject({
      change: 'inconclusive',
      significance: { detectable: { tolerance: 0.002, items: 5153, itemsNeeded: 1020100 } },
    });
    // A large real-world regression is reported at the real-world severity, named as such.
    const broken = check({ base: GOOD, head: rwkv('regressed') }, strict);
    expect(broken.map((f) => [f.severity, f.title.slice(0, 36)])).toEqual([
      ['warning', 'Real-world metric lambada_openai / p'],
      ['warning', 'Real-world metric lambada_openai / a'],
    ]);
  });
});

describe('describeDetectable', () => {
  const metric = (detectable: Record<string, unknown> | undefined): MetricDiff => ({
    key: 'arc/acc',
    task: 'arc',
    metric: 'acc',
    direction: 'higher',
    base: 0.5,
    head: 0.49,
    delta: -0.01,
    change: 'inconclusive',
    significance: {
      basis: 'per-sample',
      method: 'paired bootstrap',
      low: -0.03,
      high: 0.01,
      confidence: 0.95,
      pValue: 0.3,
      adjustedPValue: 0.6,
      adjustment: 'holm',
      significant: false,
      ...(detectable
        ? { detectable: detectable as NonNullable<MetricDiff['significance']>['detectable'] }
        : {}),
    },
  });

  it.each([
    [
      'a bootstrap that cannot reach the level',
      { effect: null, power: 0.8, alpha: 0.0005, tolerance: 0.005, items: 300 },
      "could detect no change at 80% power (α = 0.0005 per metric): the paired bootstrap's smallest p-value is above it",
    ],
    [
      'items needed, with the items tested',
      { effect: 0.05, power: 0.8, alpha: 0.025, tolerance: 0.005, items: 300, itemsNeeded: 30000 },
      'could detect ±0.05 at 80% power (α = 0.025 per metric) against a tolerance of 0.005; needs ~30,000 items (has 300)',
    ],
    [
      // (0.0123 / 0.005)² = 6.05 (by hand): seven times the items, rounded up.
      'a multiple of the items when their number is unknown',
      { effect: 0.0123, power: 0.8, alpha: 0.05, tolerance: 0.005 },
      'could detect ±0.0123 at 80% power (α = 0.05 per metric) against a tolerance of 0.005; needs ~7× the items',
    ],
    [
      'runs a side, beside the items, when repeats were pooled',
      {
        ...{ effect: 0.03, power: 0.8, alpha: 0.05, tolerance: 0.02, items: 5000, itemsNeeded: 11250 },
        ...{ repeats: { base: 1, head: 3 }, repeatsNeeded: 6 },
      },
      'could detect ±0.03 at 80% power (α = 0.05 per metric) against a tolerance of 0.02; needs ~11,250 items (has 5,000), or ~6 runs a side with other seeds (has 3 on head, 1 on base)',
    ],
    ['no statement', undefined, 'what the evaluation could detect is unknown'],
  ])('%s', (_name, detectable, expected) => {
    expect(describeDetectable(metric(detectable))).toBe(expected);
  });
});
