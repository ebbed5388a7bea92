import { describe, expect, it } from '@jest/globals';
import { checkEval } from '../../src/checks/check-eval.js';
import type { Finding } from '../../src/report/schema.js';
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
          'lower is better; tolerance 0.01 absolute on 0–1 metrics, 5.0% relative otherwise',
          'stderr 0.09183 → 0.7332',
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
          'higher is better; tolerance 0.01 absolute on 0–1 metrics, 5.0% relative otherwise',
          'stderr 0.006454 → 0.006854',
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
          'higher is better; tolerance 0.01 absolute on 0–1 metrics, 5.0% relative otherwise',
          'stderr 0.006454 → 0.006454',
          'The head value is not a number: the evaluation produced NaN or infinity.',
        ],
        evidence: { base: 0.6881428294197555, head: null },
        location: { path: PATH, line: 7 },
      },
    ]);
    // A metric with no known direction (`epoch`) that breaks says so.
    const epochs = check(
      { base: DPO_EVAL, head: DPO_EVAL.replace('"epoch": 3.0', '"epoch": NaN') },
      '',
      'out/eval_results.json',
    );
    expect(epochs.map((f) => [f.title, f.details[0]])).toEqual([
      [
        'eval / epoch regressed: 3 → NaN',
        'direction unknown; tolerance 0.01 absolute on 0–1 metrics, 5.0% relative otherwise',
      ],
    ]);
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
    // all_results.json holds the 14 metrics of eval_results.json and 5 train ones (train_loss, train_runtime, ...):
    // going from all_results to eval_results drops those 5; the other way adds them.
    const all = fixtureText('metrics/tinyllama-chat-dpo_all_results.json');
    const [dropped] = check({ base: all, head: DPO_EVAL }, '', 'out/eval_results.json');
    expect(dropped?.title).toBe('5 metrics no longer reported in out/eval_results.json');
    expect(check({ base: DPO_EVAL, head: all }, '', 'out/eval_results.json')).toEqual([]);
    expect(check({ head: rwkv('good') })).toEqual([]);
    expect(check({ base: rwkv('good'), head: rwkv('good') })).toEqual([]);
    expect(check({ base: rwkv('good') }, 'checks:\n  eval-metric-removed: { severity: off }\n')).toEqual([]);
  });
});
