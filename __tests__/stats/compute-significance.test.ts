import { describe, expect, it } from '@jest/globals';
import {
  adjustPValues,
  computeMcNemarTest,
  computeNormalPValue,
  computePairedBootstrap,
  computeStderrTest,
  computeWelchTest,
  createRandom,
} from '../../src/stats/compute-significance.js';

describe('computeWelchTest', () => {
  it("gives Student's t p-value and interval on the degrees of freedom", () => {
    // scipy (python3): se = hypot(0.0445, 0.0488); 2·t.sf(0.12/se, 4.2) = 0.13995704240917917;
    // t.ppf(0.975, 4.2) = 2.7250727225923743.
    const test = computeWelchTest(0.74, 0.62, 0.0445, 0.0488, 4.2, 0.95);
    const se = Math.hypot(0.0445, 0.0488);
    expect(test.method).toBe('Welch t-test (stderr)');
    expect(test.pValue).toBeCloseTo(0.13995704240917917, 6);
    expect(test.low).toBeCloseTo(-0.12 - 2.7250727225923743 * se, 6);
    expect(test.high).toBeCloseTo(-0.12 + 2.7250727225923743 * se, 6);
    expect(test.spread).toEqual({ kind: 'independent', stderr: se, df: 4.2 });
  });

  it('is the z-test with infinite degrees of freedom', () => {
    expect(computeWelchTest(0.74, 0.62, 0.0445, 0.0488, Infinity)).toEqual(
      computeStderrTest(0.74, 0.62, 0.0445, 0.0488),
    );
  });
});

describe('computeStderrTest', () => {
  // lambada_openai acc and stderr of the rwkv7 good and regressed runs (lm_eval fixtures); expected
  // values from python: d = r - g, se = sqrt(sg² + sr²), p = erfc(|d/se| / sqrt 2), ci = d ± 1.95996 se.
  it('finds the real rwkv7 regression far beyond the noise', () => {
    const test = computeStderrTest(
      0.6881428294197555,
      0.41063458179701146,
      0.006454004061618767,
      0.006853811533501994,
    );
    expect(test.delta).toBeCloseTo(-0.277508247622744, 12);
    expect(test.low).toBeCloseTo(-0.2959599216220641, 6);
    expect(test.high).toBeCloseTo(-0.25905657362342394, 6);
    expect(test.pValue).toBeLessThan(1e-12);
  });

  it('calls a one-point move with 0.6-point stderrs noise', () => {
    // python: math.erfc(0.01 / sqrt(2 * 0.006**2) / sqrt(2)) = 0.2385928293164355
    expect(computeStderrTest(0.5, 0.51, 0.006, 0.006).pValue).toBeCloseTo(0.2385928293164355, 4);
  });

  it.each([
    [0, 0, 1],
    [0.5, 0.6, 0],
  ])('handles zero standard errors: %p → %p gives p = %p', (base, head, p) => {
    expect(computeStderrTest(base, head, 0, 0).pValue).toBe(p);
  });
});

describe('computeMcNemarTest', () => {
  it('is exact for few discordant pairs', () => {
    // python: 2 * sum(comb(15, k) for k in range(4)) / 2**15 = 0.03515625
    const test = computeMcNemarTest(3, 12, 200);
    expect(test.pValue).toBeCloseTo(0.03515625, 6);
    expect(test.delta).toBeCloseTo(9 / 200, 12);
    expect(test.low).toBeLessThan(test.delta);
    expect(test.high).toBeGreaterThan(test.delta);
  });

  it('uses the continuity-corrected chi-square for many', () => {
    // python: stat = (|40-70| - 1)**2 / 110; p = erfc(sqrt(stat) / sqrt 2) = 0.0056915552846873
    expect(computeMcNemarTest(40, 70, 1000).pValue).toBeCloseTo(0.0056915552846873, 6);
  });

  it('gives p = 1 without discordant pairs', () => {
    expect(computeMcNemarTest(0, 0, 50).pValue).toBe(1);
  });
});

describe('computePairedBootstrap', () => {
  it('is reproducible and brackets the mean difference', () => {
    const random = createRandom(7);
    const base: number[] = Array.from({ length: 400 }, () => (random() < 0.6 ? 1 : 0));
    const head: number[] = base.map((v, i) => (i % 10 === 0 ? 0 : v));
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    const expectedDelta = (sum(head) - sum(base)) / 400;
    const first = computePairedBootstrap(base, head, { iterations: 1000 });
    const second = computePairedBootstrap(base, head, { iterations: 1000 });
    expect(first).toEqual(second);
    expect(first.delta).toBeCloseTo(expectedDelta, 12);
    expect(first.low).toBeLessThanOrEqual(first.delta);
    expect(first.high).toBeGreaterThanOrEqual(first.delta);
    expect(first.high).toBeLessThan(0);
    expect(first.pValue).toBeLessThan(0.01);
  });

  it('sees no difference between identical runs', () => {
    const scores = [1, 0, 1, 1, 0, 1];
    const test = computePairedBootstrap(scores, scores, { iterations: 200 });
    expect(test.delta).toBe(0);
    expect(test.pValue).toBe(1);
  });

  it('handles empty input', () => {
    expect(computePairedBootstrap([], [])).toEqual({
      method: 'paired bootstrap',
      delta: 0,
      low: 0,
      high: 0,
      pValue: 1,
      n: 0,
      // 2000 resamples with add-one smoothing: no p-value below 2 / 2001.
      spread: { kind: 'paired', sd: 0, n: 0, minPValue: 2 / 2001 },
    });
  });
});

describe('adjustPValues', () => {
  // Expected values from the textbook procedures written out in python.
  it.each([
    ['holm', [0.03, 0.06, 0.06]],
    ['bh', [0.03, 0.04, 0.04]],
    ['none', [0.01, 0.04, 0.03]],
  ] as const)('%s', (method, expected) => {
    const adjusted = adjustPValues([0.01, 0.04, 0.03], method);
    expected.forEach((value, i) => expect(adjusted[i]).toBeCloseTo(value, 12));
  });

  it('keeps NaN and order, and caps at 1', () => {
    const adjusted = adjustPValues([0.5, Number.NaN, 0.9], 'holm');
    expect(adjusted[0]).toBe(1);
    expect(adjusted[1]).toBeNaN();
    expect(adjusted[2]).toBe(1);
  });
});

describe('computeNormalPValue', () => {
  it.each([
    [0, 1],
    [1.959963984540054, 0.05],
    [Infinity, 0],
    [Number.NaN, 1],
  ])('z = %p → p = %p', (z, p) => {
    expect(computeNormalPValue(z)).toBeCloseTo(p, 6);
  });
});
