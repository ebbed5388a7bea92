import { mean, quantileSorted } from 'simple-statistics';
import type { Quantiles } from '../../src/model/report-schema.js';

/**
 * Summarises a sample as min, p50, p90, p99, max and mean (percentiles by linear interpolation, as
 * numpy's default); `undefined` for an empty sample. The input array is left unchanged.
 *
 * @example
 * computeQuantiles([1, 2, 3, 4]); // => { min: 1, p50: 2.5, p90: 3.7, p99: 3.97, max: 4, mean: 2.5 }
 */
export function computeQuantiles(values: readonly number[]): Quantiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: quantileSorted(sorted, 0),
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    max: quantileSorted(sorted, 1),
    mean: mean(sorted),
  };
}
