import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { computeMetricTolerance, diffMetrics, type MetricTolerance } from '../../src/diff/diff-metrics.js';
import { parseMetricsFile, type MetricsFile } from '../../src/loaders/parse-metrics.js';
import type { MetricDiff } from '../../src/model/report-schema.js';

/*
 * Real results files (fixtures/metrics, SOURCES.md there), read again with python3 for the expected
 * values: rwkv7 lambada_openai good perplexity 4.263079 ± 0.091834, acc 0.688143 ± 0.006454; regressed
 * perplexity 20.088276 ± 0.733204, acc 0.410635 ± 0.006854 (higher_is_better: acc true, perplexity false).
 * Small hand-written files cover the edges, each with the numbers in its name.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');
const rwkv = (run: string): MetricsFile =>
  parseMetricsFile(fixture(`v047_rwkv7-1.5b_lambada_run-${run}.json`), 'results/lambada.json');
/** A Hugging Face `eval_results.json` (task `eval`) holding the given flat metrics. */
const hf = (metrics: Record<string, number | string>): MetricsFile =>
  parseMetricsFile(JSON.stringify(metrics).replace(/"(NaN|Infinity)"/g, '$1'), 'out/eval_results.json');

const DEFAULT: MetricTolerance = { absolute: 0.01, relative: 0.05 };
const change = (base: MetricsFile, head: MetricsFile, tolerance = DEFAULT) =>
  diffMetrics(base, head, tolerance, {}).map((m) => [m.metric, m.change]);

describe('diffMetrics', () => {
  it('rwkv7 good → regressed: both metrics regressed, by their lm-eval directions, with deltas and stderr', () => {
    const [perplexity, acc] = diffMetrics(rwkv('good'), rwkv('regressed'), DEFAULT, {});
    const expected: MetricDiff[] = [
      {
        key: 'lambada_openai/perplexity',
        task: 'lambada_openai',
        metric: 'perplexity',
        direction: 'lower',
        base: 4.263079441956042,
        head: 20.08827618270199,
        baseStderr: 0.09183391036272597,
        headStderr: 0.7332036317112425,
        delta: 20.08827618270199 - 4.263079441956042,
        relativeDelta: (20.08827618270199 - 4.263079441956042) / 4.263079441956042,
        change: 'regressed',
      },
      {
        key: 'lambada_openai/acc',
        task: 'lambada_openai',
        metric: 'acc',
        direction: 'higher',
        base: 0.6881428294197555,
        head: 0.41063458179701146,
        baseStderr: 0.006454004061618767,
        headStderr: 0.006853811533501994,
        delta: 0.41063458179701146 - 0.6881428294197555,
        relativeDelta: (0.41063458179701146 - 0.6881428294197555) / 0.6881428294197555,
        change: 'regressed',
      },
    ];
    expect([perplexity, acc]).toEqual(expected);
  });

  it('the reverse (regressed → good) improved both: lower perplexity is better', () => {
    expect(change(rwkv('regressed'), rwkv('good'))).toEqual([
      ['perplexity', 'improved'],
      ['acc', 'improved'],
    ]);
  });

  it.each([
    // 0–1 scores: absolute tolerance 0.01.
    ['accuracy down 0.005', { eval_accuracy: 0.5 }, { eval_accuracy: 0.495 }, 'unchanged'],
    [
      'accuracy down exactly 0.01 (0.5 - 0.49 = 0.010000000000000009)',
      { eval_accuracy: 0.5 },
      { eval_accuracy: 0.49 },
      'unchanged',
    ],
    ['accuracy down 0.011', { eval_accuracy: 0.5 }, { eval_accuracy: 0.489 }, 'regressed'],
    ['accuracy up 0.02', { eval_accuracy: 0.5 }, { eval_accuracy: 0.52 }, 'improved'],
    // MCC lives on -1..1: a move of 0.0045 near zero is within 0.01, not a -826% relative change.
    ['MCC -0.0005 → -0.005', { eval_mcc: -0.0005 }, { eval_mcc: -0.005 }, 'unchanged'],
    ['MCC -0.0005 → -0.0186', { eval_mcc: -0.0005 }, { eval_mcc: -0.0186 }, 'regressed'],
    // Losses between 0 and 1 are not scores: relative tolerance 5%.
    ['eval_loss 0.5 → 0.52 (+4%)', { eval_loss: 0.5 }, { eval_loss: 0.52 }, 'unchanged'],
    ['eval_loss 0.5 → 0.53 (+6%)', { eval_loss: 0.5 }, { eval_loss: 0.53 }, 'regressed'],
    // Unbounded values: relative tolerance 5%.
    ['perplexity 4.263 → 4.4 (+3.2%)', { eval_perplexity: 4.263 }, { eval_perplexity: 4.4 }, 'unchanged'],
    ['perplexity 4.263 → 4.5 (+5.6%)', { eval_perplexity: 4.263 }, { eval_perplexity: 4.5 }, 'regressed'],
    [
      'reward margin 1.0087 → 0.9 (-10.8%)',
      { 'eval_rewards/margins': 1.0087 },
      { 'eval_rewards/margins': 0.9 },
      'regressed',
    ],
    ['loss 0 → 0', { eval_loss: 0 }, { eval_loss: 0 }, 'unchanged'],
    ['loss 0 → 0.2 (no relative change from 0)', { eval_loss: 0 }, { eval_loss: 0.2 }, 'regressed'],
    // Direction unknown (epoch, sample counts): never judged.
    ['epoch 3 → 1', { epoch: 3 }, { epoch: 1 }, 'n/a'],
  ])('%s: %s', (_name, base, head, expected) => {
    const [diff] = diffMetrics(hf(base), hf(head), DEFAULT, {});
    expect(diff?.change).toBe(expected);
  });

  it('a metric on a bounded scale has no relative delta from 0, and the absolute tolerance is configurable', () => {
    const [fromZero] = diffMetrics(hf({ eval_accuracy: 0 }), hf({ eval_accuracy: 0.2 }), DEFAULT, {});
    expect(fromZero).toMatchObject({ delta: 0.2, change: 'improved' });
    expect(fromZero?.relativeDelta).toBeUndefined();
    const loose = { absolute: 0.3, relative: 0.05 };
    expect(change(rwkv('good'), rwkv('regressed'), loose)).toEqual([
      ['perplexity', 'regressed'],
      ['acc', 'unchanged'],
    ]);
  });

  it('NaN or infinity on head where base had a number regressed, shown as null without a delta', () => {
    const [accuracy, loss, epoch] = diffMetrics(
      hf({ eval_accuracy: 0.5, eval_loss: 0.7, epoch: 3 }),
      hf({ eval_accuracy: 'NaN', eval_loss: 'Infinity', epoch: 'NaN' }),
      DEFAULT,
      {},
    );
    expect(accuracy).toEqual({
      key: 'eval/eval_accuracy',
      task: 'eval',
      metric: 'eval_accuracy',
      direction: 'higher',
      base: 0.5,
      head: null,
      change: 'regressed',
    });
    expect(loss).toMatchObject({ base: 0.7, head: null, change: 'regressed' });
    expect(loss?.delta).toBeUndefined();
    expect(epoch).toMatchObject({ direction: 'unknown', change: 'regressed' });
  });

  it('NaN on base is not comparable, whatever head holds', () => {
    const diffs = diffMetrics(
      hf({ eval_accuracy: 'NaN', eval_loss: 'NaN' }),
      hf({ eval_accuracy: 0.6, eval_loss: 'NaN' }),
      DEFAULT,
      {},
    );
    expect(diffs.map((d) => [d.metric, d.base, d.head, d.change])).toEqual([
      ['eval_accuracy', null, 0.6, 'n/a'],
      ['eval_loss', null, null, 'n/a'],
    ]);
  });

  it('lists added and removed metrics, and a whole file added or deleted', () => {
    const diffs = diffMetrics(
      hf({ eval_loss: 0.5, eval_f1: 0.7 }),
      hf({ eval_loss: 0.5, eval_bleu: 30 }),
      DEFAULT,
      {},
    );
    expect(diffs.map((d) => [d.metric, d.change, d.base, d.head])).toEqual([
      ['eval_f1', 'removed', 0.7, undefined],
      ['eval_loss', 'unchanged', 0.5, 0.5],
      ['eval_bleu', 'added', undefined, 30],
    ]);
    expect(diffMetrics(undefined, rwkv('good'), DEFAULT, {}).map((d) => d.change)).toEqual([
      'added',
      'added',
    ]);
    expect(diffMetrics(rwkv('good'), undefined, DEFAULT, {}).map((d) => d.change)).toEqual([
      'removed',
      'removed',
    ]);
    expect(diffMetrics(undefined, undefined, DEFAULT, {})).toEqual([]);
  });

  it('orders regressions first, then removed metrics, then the rest in base order, then head-only metrics', () => {
    const base = hf({
      eval_a_accuracy: 0.5,
      eval_b_accuracy: 0.5,
      eval_c_accuracy: 0.5,
      eval_d_accuracy: 0.5,
    });
    const head = hf({
      eval_e_accuracy: 0.5,
      eval_d_accuracy: 0.4,
      eval_a_accuracy: 0.6,
      eval_b_accuracy: 0.3,
    });
    expect(change(base, head)).toEqual([
      ['eval_b_accuracy', 'regressed'],
      ['eval_d_accuracy', 'regressed'],
      ['eval_c_accuracy', 'removed'],
      ['eval_a_accuracy', 'improved'],
      ['eval_e_accuracy', 'added'],
    ]);
  });

  it('takes directions from the config first: a custom metric becomes judged', () => {
    const base = hf({ eval_support_tickets: 0.8, eval_samples: 2000 });
    const head = hf({ eval_support_tickets: 0.7, eval_samples: 1000 });
    expect(diffMetrics(base, head, DEFAULT, {}).map((d) => d.change)).toEqual(['n/a', 'n/a']);
    const directions = { 'eval/eval_support_tickets': 'higher', eval_samples: 'higher' } as const;
    expect(
      diffMetrics(base, head, DEFAULT, directions).map((d) => [d.metric, d.direction, d.change]),
    ).toEqual([
      ['eval_support_tickets', 'higher', 'regressed'],
      ['eval_samples', 'higher', 'regressed'],
    ]);
  });
});

describe('computeMetricTolerance', () => {
  const tolerance: MetricTolerance = { absolute: 0.005, relative: 0.05 };
  it.each([
    ['an accuracy: the absolute tolerance', { metric: 'acc', base: 0.688, head: 0.41 }, 0.005],
    ['an MCC below zero: still bounded', { metric: 'mcc', base: -0.0005, head: -0.018 }, 0.005],
    // 0.05 · 4.263079 = 0.21315 (by hand)
    ['a perplexity: 5% of the base', { metric: 'perplexity', base: 4.263079, head: 20.09 }, 0.21315395],
    ['a loss below 1: still relative', { metric: 'eval_loss', base: 0.5, head: 0.6 }, 0.025],
    ['a metric with a missing side', { metric: 'acc', base: 0.5 }, undefined],
    ['a metric that is not finite on head', { metric: 'acc', base: 0.5, head: null }, undefined],
  ])('%s', (_name, metric, expected) => {
    const got = computeMetricTolerance(metric, tolerance);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(expected, 9);
  });
});
