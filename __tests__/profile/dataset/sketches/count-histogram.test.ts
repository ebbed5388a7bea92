import { describe, expect, it } from '@jest/globals';
import { computeQuantiles } from '../../../helpers/compute-quantiles.js';
import { CountHistogram } from '../../../../src/profile/dataset/sketches/count-histogram.js';

function histogramOf(values: number[]): CountHistogram {
  const histogram = new CountHistogram();
  for (const value of values) histogram.add(value);
  return histogram;
}

describe('CountHistogram', () => {
  it('gives the quantiles of the list it counted, small values and large', () => {
    const values = [4, 1, 3, 2, 10_000, 70_000, 4096, 4095, 3];
    expect(histogramOf(values).quantiles()).toEqual(computeQuantiles(values));
  });

  it('gives nothing for no values', () => {
    expect(new CountHistogram().quantiles()).toBeUndefined();
  });

  it('counts values above a threshold', () => {
    const histogram = histogramOf([10, 512, 513, 5000, 5000, 70_000]);
    expect(histogram.countAbove(512)).toBe(4);
    expect(histogram.countAbove(4999)).toBe(3);
    expect(histogram.countAbove(70_000)).toBe(0);
  });

  it('merges by adding counts, as if one histogram had counted both lists', () => {
    const left = histogramOf([1, 2, 9000]);
    left.merge(histogramOf([3, 9000, 100_000]));
    expect(left.quantiles()).toEqual(histogramOf([1, 2, 9000, 3, 9000, 100_000]).quantiles());
  });

  it('survives a round trip through its state', () => {
    const histogram = histogramOf([5, 5, 6000, 12]);
    const copy = CountHistogram.fromState(
      JSON.parse(JSON.stringify(histogram.toState())) as ReturnType<CountHistogram['toState']>,
    );
    expect(copy.quantiles()).toEqual(histogram.quantiles());
    expect(copy.toState()).toEqual({
      pairs: [
        [5, 2],
        [12, 1],
        [6000, 1],
      ],
      coarse: false,
    });
  });

  it('keeps three significant digits past 50,000 distinct large values, and the exact mean', () => {
    const histogram = new CountHistogram();
    for (let value = 5000; value < 5000 + 60_000; value += 1) histogram.add(value);
    expect(histogram.coarse).toBe(true);
    const quantiles = histogram.quantiles();
    // The exact median of 5000..64999 is 34999.5; coarse values are within 0.5%.
    expect(Math.abs((quantiles?.p50 ?? 0) - 34_999.5) / 34_999.5).toBeLessThan(0.005);
    expect(quantiles?.mean).toBe(34_999.5);
  });
});
