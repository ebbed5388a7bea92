import { describe, expect, it } from '@jest/globals';
import { chiSquaredSurvival, computeChiSquared } from '../../src/stats/compute-chi-squared.js';

describe('computeChiSquared', () => {
  it('tests two label counts as scipy.stats.chi2_contingency(correction=False) does', () => {
    // python3: statistic by hand = 8.3333; p = math.erfc(math.sqrt(8.3333 / 2)) = 0.0038924 (1 degree of freedom).
    const test = computeChiSquared([30, 70], [50, 50]);
    expect(test?.statistic).toBeCloseTo(8.333333, 5);
    expect(test?.degreesOfFreedom).toBe(1);
    expect(test?.pValue).toBeCloseTo(0.003892417, 8);
  });

  it('finds no difference between equal shares', () => {
    expect(computeChiSquared([150, 150], [75, 75])).toEqual({ statistic: 0, degreesOfFreedom: 1, pValue: 1 });
  });

  it.each([
    [
      [0, 0],
      [1, 2],
    ],
    [[5], [6]],
    [[], []],
  ])('is undefined for %p against %p (an empty side or a single class)', (base, head) => {
    expect(computeChiSquared(base, head)).toBeUndefined();
  });

  it.each([
    // python3: df = 2 has survival exp(-x / 2); df = 1 has erfc(sqrt(x / 2)); the table value 7.815 at df = 3 is p = 0.05.
    [3, 2, 0.22313016014842982],
    [1, 1, 0.31731050786291415],
    [7.814727903251178, 3, 0.05],
    [0, 4, 1],
  ])('has survival P(X ≥ %p) with %p degrees of freedom = %p', (x, k, p) => {
    expect(chiSquaredSurvival(x, k)).toBeCloseTo(p, 9);
  });
});
