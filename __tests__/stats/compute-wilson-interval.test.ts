import { describe, expect, it } from '@jest/globals';
import { computeWilsonInterval, computeWilsonStderr } from '../../src/stats/compute-wilson-interval.js';

/*
 * Expected values by python3 from Wilson's formula, z = 1.959963984540054: center = (p + z²/2n) / (1 + z²/n),
 * half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n). 7 of 10 gives (0.3968, 0.8922), as statsmodels'
 * proportion_confint(7, 10, method='wilson') does.
 */
describe('computeWilsonInterval', () => {
  it.each([
    [0, 1, 0, 0.7934506856227626, 0.20241460860541324],
    [7, 10, 0.39677814746114537, 0.8922087325936989, 0.12638767575334212],
    [10, 10, 0.7224672001371107, 1, 0.0708004846140114],
    [45, 50, 0.7863976856252035, 0.9565242350681096, 0.04340042745296408],
  ])('%i of %i → [%f, %f], stderr %f', (successes, trials, low, high, stderr) => {
    const interval = computeWilsonInterval(successes, trials);
    expect(interval.low).toBeCloseTo(low, 12);
    expect(interval.high).toBeCloseTo(high, 12);
    expect(computeWilsonStderr(successes, trials)).toBeCloseTo(stderr, 12);
  });

  it.each([
    [0, 0],
    [3, 2],
    [-1, 4],
  ])('refuses %i of %i', (successes, trials) => {
    expect(() => computeWilsonInterval(successes, trials)).toThrow(RangeError);
  });
});
