import { describe, expect, it } from '@jest/globals';
import {
  computeDetectableEffect,
  computeItemsNeeded,
  computePowerMultiplier,
  type NoiseSpread,
} from '../../src/stats/compute-detectable-effect.js';

/*
 * Expected values from python 3 with scipy 1.17: k = norm.ppf(1 - alpha/2) + norm.ppf(0.8), then the
 * formulas of the docs written out by hand:
 *   independent: k · se;  McNemar: the root δ of δ = k · √((d + δ) / n) + 1/n, a quadratic in δ (the
 *   value put back into the equation gives itself);  paired bootstrap: k · sd / √n.
 */
const K_05 = 2.8015852181129683;

describe('computePowerMultiplier', () => {
  it.each([
    [0.05, K_05],
    [0.005, 3.648655001916725],
  ])('at alpha %p is z(1 − alpha/2) + z(0.8) = %p', (alpha, expected) => {
    expect(computePowerMultiplier(alpha)).toBeCloseTo(expected, 9);
  });
});

describe('computeDetectableEffect with degrees of freedom', () => {
  it("uses Student's t quantiles for a Welch test", () => {
    // scipy (python3): (t.ppf(0.975, 10) + t.ppf(0.8, 10)) · 0.01 = 0.03107196680536863.
    expect(computeDetectableEffect({ kind: 'independent', stderr: 0.01, df: 10 }, 0.05)).toBeCloseTo(
      0.03107196680536863,
      9,
    );
  });
});

describe('computeDetectableEffect', () => {
  it.each<[string, NoiseSpread, number, number]>([
    [
      'a z-test on a combined stderr of 0.01',
      { kind: 'independent', stderr: 0.01 },
      0.05,
      0.028015852181129685,
    ],
    [
      'the same at alpha 0.005 (Holm over 10)',
      { kind: 'independent', stderr: 0.01 },
      0.005,
      0.03648655001916725,
    ],
    [
      'McNemar with 400 of 2000 pairs discordant',
      { kind: 'discordance', discordant: 400, n: 2000 },
      0.05,
      0.030581617161057555,
    ],
    [
      'McNemar with no discordant pair: the change alone makes the noise',
      { kind: 'discordance', discordant: 0, n: 1000 },
      0.05,
      0.009746276447298143,
    ],
    [
      'a paired bootstrap over 400 differences of spread 0.5',
      { kind: 'paired', sd: 0.5, n: 400, minPValue: 2 / 2001 },
      0.05,
      0.07003963045282421,
    ],
  ])('%s', (_name, spread, alpha, expected) => {
    expect(computeDetectableEffect(spread, alpha)).toBeCloseTo(expected, 9);
  });

  it.each<[string, NoiseSpread]>([
    [
      'a bootstrap whose smallest p-value is above alpha',
      { kind: 'paired', sd: 0.5, n: 400, minPValue: 0.1 },
    ],
    ['a bootstrap without pairs', { kind: 'paired', sd: 0, n: 0, minPValue: 0.001 }],
    ['McNemar without pairs', { kind: 'discordance', discordant: 0, n: 0 }],
  ])('is infinite for %s', (_name, spread) => {
    expect(computeDetectableEffect(spread, 0.05)).toBe(Infinity);
  });
});

describe('computeItemsNeeded', () => {
  it.each<[string, NoiseSpread, number, { items?: number }, number | undefined]>([
    // 1000 · (0.028016 / 0.02)² = 1962.2
    [
      'z-test: scales the items behind the stderr',
      { kind: 'independent', stderr: 0.01 },
      0.02,
      { items: 1000 },
      1963,
    ],
    ['z-test without an item count', { kind: 'independent', stderr: 0.01 }, 0.02, {}, undefined],
    // x = (−k√0.21 + √(k²·0.21 + 4·0.01)) / 2, n = 1/x² = 16682.05
    [
      'McNemar at the same discordance rate',
      { kind: 'discordance', discordant: 400, n: 2000 },
      0.01,
      {},
      16683,
    ],
    // (k · 0.5 / 0.05)² = 784.9
    ['paired bootstrap', { kind: 'paired', sd: 0.5, n: 400, minPValue: 2 / 2001 }, 0.05, {}, 785],
    [
      'a bootstrap that cannot reach alpha',
      { kind: 'paired', sd: 0.5, n: 400, minPValue: 0.1 },
      0.05,
      {},
      undefined,
    ],
    ['a zero target', { kind: 'independent', stderr: 0.01 }, 0, { items: 1000 }, undefined],
  ])('%s', (_name, spread, target, options, expected) => {
    expect(computeItemsNeeded(spread, 0.05, target, options)).toBe(expected);
  });

  it('gives a McNemar item count whose detectable change is the target', () => {
    const spread: NoiseSpread = { kind: 'discordance', discordant: 400, n: 2000 };
    const needed = computeItemsNeeded(spread, 0.05, 0.01) ?? 0;
    const at = (n: number) => computeDetectableEffect({ kind: 'discordance', discordant: 0.2 * n, n }, 0.05);
    expect(at(needed)).toBeLessThanOrEqual(0.01);
    expect(at(needed - 1)).toBeGreaterThan(0.01);
  });
});
