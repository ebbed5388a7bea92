import { describe, expect, it } from '@jest/globals';
import { applySignificance } from '../../src/diff/apply-significance.js';
import { computeMcNemarTest } from '../../src/stats/compute-significance.js';
import type { MetricDiff, MetricsReport } from '../../src/model/report-schema.js';

const options = { alpha: 0.05, adjustment: 'holm' as const, confidence: 0.95 };

function metric(
  key: string,
  base: number,
  head: number,
  stderr: [number, number] | undefined,
  change: MetricDiff['change'],
): MetricDiff {
  const [task = key, name = 'acc'] = key.split('/');
  return {
    key,
    task,
    metric: name,
    direction: 'higher',
    base,
    head,
    delta: head - base,
    ...(stderr ? { baseStderr: stderr[0], headStderr: stderr[1] } : {}),
    change,
  };
}

const file = (metrics: MetricDiff[]): MetricsReport => ({
  path: 'results/r.json',
  status: 'modified',
  format: 'lm-eval',
  metrics,
});

describe('applySignificance', () => {
  it('keeps the real rwkv7 regression: far beyond its standard errors', () => {
    // lambada_openai acc and stderr of the good and regressed runs (lm_eval fixtures).
    const [out] = applySignificance(
      [
        file([
          metric(
            'lambada_openai/acc',
            0.6881428294197555,
            0.41063458179701146,
            [0.006454004061618767, 0.006853811533501994],
            'regressed',
          ),
        ]),
      ],
      new Map(),
      options,
    );
    const m = out?.metrics[0];
    expect(m?.change).toBe('regressed');
    expect(m?.significance).toMatchObject({
      basis: 'stderr',
      method: 'z-test (stderr)',
      significant: true,
      adjustment: 'holm',
    });
    // python: d ± 1.959964 * sqrt(0.006454² + 0.006854²)
    expect(m?.significance?.low).toBeCloseTo(-0.2959599216220641, 9);
    expect(m?.significance?.high).toBeCloseTo(-0.25905657362342394, 9);
  });

  it('turns a move beyond tolerance but within the noise into "noise"', () => {
    // 1.5 points down with 1-point stderrs on both sides: z = 0.015 / 0.01414 = 1.06, p = 0.289.
    const [out] = applySignificance(
      [file([metric('arc/acc', 0.5, 0.485, [0.01, 0.01], 'regressed')])],
      new Map(),
      options,
    );
    expect(out?.metrics[0]?.change).toBe('noise');
    expect(out?.metrics[0]?.significance?.pValue).toBeCloseTo(0.2888443663464849, 6);
    expect(out?.metrics[0]?.significance?.significant).toBe(false);
  });

  it('adjusts p-values across every tested metric of the pull request (Holm)', () => {
    // Raw two-sided p-values: z = 2.2 → 0.0278, z = 1.0 → 0.3173 (python erfc); Holm multiplies the
    // smallest by 2: 0.0556 > 0.05, so the first regression no longer stands.
    const se = 0.01 / Math.SQRT2;
    const [out] = applySignificance(
      [
        file([
          metric('a/acc', 0.5, 0.478, [se, se], 'regressed'),
          metric('b/acc', 0.5, 0.49, [se, se], 'unchanged'),
        ]),
      ],
      new Map(),
      options,
    );
    expect(out?.metrics[0]?.significance?.pValue).toBeCloseTo(0.027806, 5);
    expect(out?.metrics[0]?.significance?.adjustedPValue).toBeCloseTo(0.055612, 5);
    expect(out?.metrics[0]?.change).toBe('noise');
    expect(out?.metrics[1]?.change).toBe('unchanged');
    const [unadjusted] = applySignificance(
      [
        file([
          metric('a/acc', 0.5, 0.478, [se, se], 'regressed'),
          metric('b/acc', 0.5, 0.49, [se, se], 'unchanged'),
        ]),
      ],
      new Map(),
      { ...options, adjustment: 'none' },
    );
    expect(unadjusted?.metrics[0]?.change).toBe('regressed');
  });

  it('prefers a paired per-item test over standard errors, and leaves untested metrics alone', () => {
    const paired = { method: 'McNemar', delta: -0.02, low: -0.03, high: -0.01, pValue: 0.001, n: 1000 };
    const [out] = applySignificance(
      [
        file([
          metric('arc/acc', 0.5, 0.48, [0.02, 0.02], 'regressed'),
          metric('arc/f1', 0.5, 0.4, undefined, 'regressed'),
        ]),
      ],
      new Map([['results/r.json', new Map([['arc/acc', paired]])]]),
      options,
    );
    expect(out?.metrics[0]?.significance).toMatchObject({
      basis: 'per-sample',
      method: 'McNemar',
      n: 1000,
      significant: true,
    });
    expect(out?.metrics[0]?.change).toBe('regressed');
    expect(out?.metrics[1]?.significance).toBeUndefined();
    expect(out?.metrics[1]?.change).toBe('regressed');
  });
});

describe('applySignificance: what each test could detect, and inconclusive metrics', () => {
  /*
   * Expected values from python 3 with scipy: k(alpha) = norm.ppf(1 - alpha/2) + norm.ppf(0.8);
   * z-test: k · √(se_b² + se_h²); McNemar: the root of δ = k · √((d + δ) / n) + 1/n; items for the
   * tolerance t: z-test n · (effect / t)², McNemar 1/x² with x = (−k√(d + t) + √(k²(d + t) + 4t)) / 2.
   */
  const withTolerance = {
    ...options,
    toleranceOf: () => 0.005,
    itemsOf: (path: string, task: string) => (path === 'results/r.json' && task === 'arc' ? 500 : undefined),
  };

  it('calls a wrong-way move on a test too small to see the tolerance inconclusive, with the items it needs', () => {
    // 0.5 → 0.485 with 0.01 stderrs: p = 0.289; detects k(0.05) · 0.014142 = 0.039620; 500 · (0.039620 /
    // 0.005)² = 31,395.0 items.
    const [out] = applySignificance(
      [file([metric('arc/acc', 0.5, 0.485, [0.01, 0.01], 'regressed')])],
      new Map(),
      withTolerance,
    );
    expect(out?.metrics[0]?.change).toBe('inconclusive');
    expect(out?.metrics[0]?.significance?.detectable).toEqual({
      effect: expect.closeTo(0.03962039811599346, 12),
      power: 0.8,
      alpha: 0.05,
      tolerance: 0.005,
      items: 500,
      itemsNeeded: 31396,
    });
  });

  it('calls a move within tolerance inconclusive too, but not an improvement', () => {
    const [out] = applySignificance(
      [
        file([
          metric('arc/acc', 0.5, 0.498, [0.01, 0.01], 'unchanged'),
          metric('hellaswag/acc', 0.5, 0.52, [0.01, 0.01], 'improved'),
        ]),
      ],
      new Map(),
      withTolerance,
    );
    expect(out?.metrics.map((m) => m.change)).toEqual(['inconclusive', 'noise']);
    // Two metrics under Holm: each is stated at 0.05 / 2.
    expect(out?.metrics.map((m) => m.significance?.detectable?.alpha)).toEqual([0.025, 0.025]);
  });

  it('leaves a wrong-way move under 1% of the detectable change unchanged: an identical re-run', () => {
    // Detects 0.039620 (as above); 0.5 → 0.4996 moves 0.0004, 1.0% of it: inconclusive; 0.5 → 0.49961
    // moves 0.00039, 0.98%: unchanged.
    const [out] = applySignificance(
      [
        file([
          metric('arc/acc', 0.5, 0.4996, [0.01, 0.01], 'unchanged'),
          metric('boolq/acc', 0.5, 0.49961, [0.01, 0.01], 'unchanged'),
        ]),
      ],
      new Map(),
      { ...withTolerance, adjustment: 'none' },
    );
    expect(out?.metrics.map((m) => m.change)).toEqual(['inconclusive', 'unchanged']);
    expect(out?.metrics[1]?.significance?.detectable?.effect).toBeCloseTo(0.03962039811599346, 12);
  });

  it('leaves a wrong-way move within tolerance unchanged on a test that could see the tolerance', () => {
    // Tolerance 0.05, stderrs 0.005: detects k(0.05) · 0.0070711 = 0.019810 < 0.05; -0.01 has p = 0.157.
    const [out] = applySignificance(
      [file([metric('arc/acc', 0.5, 0.49, [0.005, 0.005], 'unchanged')])],
      new Map(),
      { ...options, toleranceOf: () => 0.05 },
    );
    expect(out?.metrics[0]?.change).toBe('unchanged');
    expect(out?.metrics[0]?.significance?.pValue).toBeCloseTo(0.15729920705028516, 6);
    expect(out?.metrics[0]?.significance?.detectable?.effect).toBeCloseTo(0.01981019905799673, 12);
    expect(out?.metrics[0]?.significance?.detectable).not.toHaveProperty('itemsNeeded');
  });

  it('states what a paired McNemar test could detect from its discordance', () => {
    // 6 items right on base only, 2 on head only, of 200: exact p = 2 · (1 + 8 + 28) / 256 = 0.289.
    // Two metrics tested: δ = k(0.025) · √((0.04 + δ) / 200) + 1/200 gives δ = 0.080756; at the same
    // discordance, x = (−k√0.045 + √(k² · 0.045 + 0.02)) / 2 and 1/x² = 17,506.8 items for 0.005.
    const paired = computeMcNemarTest(6, 2, 200);
    const [out] = applySignificance(
      [
        file([
          metric('arc/acc', 0.5, 0.48, [0.02, 0.02], 'regressed'),
          metric('boolq/acc', 0.7, 0.7, [0.01, 0.01], 'unchanged'),
        ]),
      ],
      new Map([['results/r.json', new Map([['arc/acc', paired]])]]),
      withTolerance,
    );
    expect(out?.metrics[0]?.change).toBe('inconclusive');
    expect(out?.metrics[0]?.significance).toMatchObject({
      basis: 'per-sample',
      pValue: expect.closeTo(0.2890625, 12),
    });
    expect(out?.metrics[0]?.significance?.detectable).toEqual({
      effect: expect.closeTo(0.08075580334022653, 12),
      power: 0.8,
      alpha: 0.025,
      tolerance: 0.005,
      items: 200,
      itemsNeeded: 17507,
    });
    expect(out?.metrics[1]?.change).toBe('unchanged');
  });

  it('never calls a metric inconclusive without a tolerance to compare with', () => {
    const [out] = applySignificance(
      [file([metric('arc/acc', 0.5, 0.485, [0.01, 0.01], 'regressed')])],
      new Map(),
      options,
    );
    expect(out?.metrics[0]?.change).toBe('noise');
    expect(out?.metrics[0]?.significance?.detectable).toEqual({
      effect: expect.closeTo(0.03962039811599346, 12),
      power: 0.8,
      alpha: 0.05,
    });
  });
});
