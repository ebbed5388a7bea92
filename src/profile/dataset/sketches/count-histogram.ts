import type { Quantiles } from '../../../model/report-schema.js';

const DENSE = 4096;
const MAX_SPARSE = 50_000;

/** A histogram as plain data: `[value, count]` pairs sorted by value. */
export interface HistogramState {
  pairs: [number, number][];
  coarse: boolean;
}

/**
 * Counts non-negative integers (row lengths, token counts) exactly: a dense array below 4,096 and a map
 * above. Quantiles from it equal those of the full list of values, so it replaces that list with memory
 * bounded by the number of distinct values. Past 50,000 distinct large values it keeps three significant
 * digits of each (`coarse`), so memory stays bounded and figures become estimates within 0.5%.
 * Two histograms merge by adding counts.
 */
export class CountHistogram {
  count = 0;
  sum = 0;
  coarse = false;
  private readonly dense = new Float64Array(DENSE);
  private sparse = new Map<number, number>();

  /** Counts `value` (a non-negative integer) `times` times. */
  add(value: number, times = 1): void {
    this.count += times;
    this.sum += value * times;
    if (value < DENSE) {
      this.dense[value] = (this.dense[value] as number) + times;
      return;
    }
    const key = this.coarse ? roundCoarse(value) : value;
    this.sparse.set(key, (this.sparse.get(key) ?? 0) + times);
    if (this.sparse.size > MAX_SPARSE) this.coarsen();
  }

  /** Adds every count of `other`. */
  merge(other: CountHistogram): void {
    if (other.coarse && !this.coarse) this.coarsen();
    for (let value = 0; value < DENSE; value += 1) {
      const times = other.dense[value] as number;
      if (times > 0) this.dense[value] = (this.dense[value] as number) + times;
    }
    for (const [value, times] of other.sparse) {
      const key = this.coarse ? roundCoarse(value) : value;
      this.sparse.set(key, (this.sparse.get(key) ?? 0) + times);
    }
    this.count += other.count;
    this.sum += other.sum;
    if (this.sparse.size > MAX_SPARSE) this.coarsen();
  }

  /** How many counted values are strictly greater than `threshold`. */
  countAbove(threshold: number): number {
    let total = 0;
    for (let value = Math.max(0, Math.floor(threshold) + 1); value < DENSE; value += 1) {
      total += this.dense[value] as number;
    }
    for (const [value, times] of this.sparse) if (value > threshold) total += times;
    return total;
  }

  /**
   * min, p50, p90, p99, max and mean, percentiles interpolated linearly between ranks as numpy's default
   * does; `undefined` when nothing was counted.
   */
  quantiles(): Quantiles | undefined {
    if (this.count === 0) return undefined;
    const wanted = [0, 0.5, 0.9, 0.99, 1].map((q) => (this.count - 1) * q);
    const ranks = wanted.flatMap((h) => [Math.floor(h), Math.min(this.count - 1, Math.floor(h) + 1)]);
    const values = this.valuesAtRanks(ranks);
    const at = (index: number): number => {
      const h = wanted[index] as number;
      const low = values[2 * index] as number;
      const high = values[2 * index + 1] as number;
      return low + (h - Math.floor(h)) * (high - low);
    };
    return { min: at(0), p50: at(1), p90: at(2), p99: at(3), max: at(4), mean: this.sum / this.count };
  }

  /** The histogram as plain data. */
  toState(): HistogramState {
    const pairs: [number, number][] = [];
    for (let value = 0; value < DENSE; value += 1) {
      const times = this.dense[value] as number;
      if (times > 0) pairs.push([value, times]);
    }
    for (const value of [...this.sparse.keys()].sort((a, b) => a - b)) {
      pairs.push([value, this.sparse.get(value) as number]);
    }
    return { pairs, coarse: this.coarse };
  }

  /** Rebuilds a histogram from `toState`'s data. */
  static fromState(state: HistogramState): CountHistogram {
    const histogram = new CountHistogram();
    histogram.coarse = state.coarse;
    for (const [value, times] of state.pairs) histogram.add(value, times);
    return histogram;
  }

  /** The values at the given 0-based ranks of the sorted list of counted values. */
  private valuesAtRanks(ranks: number[]): number[] {
    const order = ranks.map((rank, index) => ({ rank, index })).sort((a, b) => a.rank - b.rank);
    const result = new Array<number>(ranks.length).fill(0);
    let next = 0;
    let seen = 0;
    const visit = (value: number, times: number): boolean => {
      seen += times;
      while (next < order.length && (order[next] as { rank: number }).rank < seen) {
        result[(order[next] as { index: number }).index] = value;
        next += 1;
      }
      return next === order.length;
    };
    for (let value = 0; value < DENSE; value += 1) {
      const times = this.dense[value] as number;
      if (times > 0 && visit(value, times)) return result;
    }
    for (const value of [...this.sparse.keys()].sort((a, b) => a - b)) {
      if (visit(value, this.sparse.get(value) as number)) return result;
    }
    return result;
  }

  private coarsen(): void {
    this.coarse = true;
    const old = this.sparse;
    this.sparse = new Map();
    for (const [value, times] of old) {
      const key = roundCoarse(value);
      this.sparse.set(key, (this.sparse.get(key) ?? 0) + times);
    }
  }
}

/** Rounds to three significant digits: 123,456 → 123,000. */
function roundCoarse(value: number): number {
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 2);
  return Math.round(value / scale) * scale;
}
