import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { binomialDistribution, errorFunction } from 'simple-statistics';
import type { NoiseSpread } from './compute-detectable-effect.js';

/** The outcome of a test on a difference `head − base`: its interval and two-sided p-value. */
export interface SignificanceTest {
  /** The method that produced it, for the report: `z-test (stderr)`, `paired bootstrap`, `McNemar`. */
  method: string;
  delta: number;
  /** Confidence interval of `delta` at the requested level. */
  low: number;
  high: number;
  /** Two-sided p-value of "no difference". */
  pValue: number;
  /** Paired or effective sample size behind the test, when known. */
  n?: number;
  /** What the test's noise is made of: what its minimum detectable effect is computed from. */
  spread?: NoiseSpread;
}

/** Two-sided p-value of a standard normal statistic. */
export function computeNormalPValue(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0;
  return Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
}

/**
 * A z-test on the difference of two independent estimates with standard errors (lm-eval's
 * `*_stderr`): z = Δ / √(se₁² + se₂²). A zero combined standard error gives p = 0 for any
 * difference and p = 1 for none.
 * @example computeStderrTest(0.688, 0.411, 0.00645, 0.00685, 0.95).pValue // ≈ 0
 */
export function computeStderrTest(
  base: number,
  head: number,
  baseStderr: number,
  headStderr: number,
  confidence = 0.95,
): SignificanceTest {
  return computeWelchTest(base, head, baseStderr, headStderr, Infinity, confidence);
}

/**
 * Welch's t-test on the difference of two independent estimates whose standard errors are partly
 * estimated from few runs (repeats with other seeds): t = Δ / √(se₁² + se₂²) on `df` degrees of freedom
 * (Welch–Satterthwaite), its p-value and interval from Student's t; with infinite `df`, the z-test
 * ({@link computeStderrTest}).
 * @example computeWelchTest(0.74, 0.62, 0.0445, 0.0488, 4.2, 0.95).pValue // ≈ 0.14
 */
export function computeWelchTest(
  base: number,
  head: number,
  baseStderr: number,
  headStderr: number,
  df: number,
  confidence = 0.95,
): SignificanceTest {
  const delta = head - base;
  const se = Math.sqrt(baseStderr ** 2 + headStderr ** 2);
  const normal = !Number.isFinite(df);
  const level = 1 - (1 - confidence) / 2;
  const critical = normal ? normalQuantile(level, 0, 1) : tQuantile(level, df);
  const statistic = delta / se;
  const pValue =
    se === 0
      ? delta === 0
        ? 1
        : 0
      : normal
        ? computeNormalPValue(statistic)
        : Math.min(1, 2 * (1 - tCdf(Math.abs(statistic), df)));
  return {
    method: normal ? 'z-test (stderr)' : 'Welch t-test (stderr)',
    delta,
    low: delta - critical * se,
    high: delta + critical * se,
    pValue,
    spread: { kind: 'independent', stderr: se, ...(normal ? {} : { df }) },
  };
}

/**
 * McNemar's test for paired binary outcomes: `b` items right on base and wrong on head, `c` the
 * reverse. Exact (binomial) for b + c ≤ 50, else the chi-square approximation with continuity
 * correction. The interval is Wald's for the paired difference of proportions over `n` pairs.
 */
export function computeMcNemarTest(b: number, c: number, n: number, confidence = 0.95): SignificanceTest {
  const discordant = b + c;
  const delta = n === 0 ? 0 : (c - b) / n;
  let pValue: number;
  if (discordant === 0) pValue = 1;
  else if (discordant <= 50) {
    const probabilities = binomialDistribution(discordant, 0.5) ?? [];
    const tail = probabilities.slice(0, Math.min(b, c) + 1).reduce((sum, p) => sum + p, 0);
    pValue = Math.min(1, 2 * tail);
  } else {
    const statistic = (Math.abs(b - c) - 1) ** 2 / discordant;
    pValue = computeNormalPValue(Math.sqrt(statistic));
  }
  const variance = n === 0 ? 0 : (b / n + c / n - delta ** 2) / n;
  const half = normalQuantile(1 - (1 - confidence) / 2, 0, 1) * Math.sqrt(Math.max(variance, 0));
  return {
    method: 'McNemar',
    delta,
    low: delta - half,
    high: delta + half,
    pValue,
    n,
    spread: { kind: 'discordance', discordant, n },
  };
}

/**
 * Paired bootstrap over per-item scores matched by item: resamples items with replacement
 * `iterations` times (seeded, so a report is reproducible) and returns the percentile interval of the
 * mean difference and a two-sided p-value (twice the smaller share of resampled differences on
 * either side of zero, with add-one smoothing). Empty input gives delta 0 and p = 1.
 */
export function computePairedBootstrap(
  base: readonly number[],
  head: readonly number[],
  options: { iterations?: number; seed?: number; confidence?: number } = {},
): SignificanceTest {
  const n = Math.min(base.length, head.length);
  const iterations = options.iterations ?? 2000;
  // With add-one smoothing no p-value falls below this, whatever the data.
  const minPValue = 2 / (iterations + 1);
  if (n === 0)
    return {
      method: 'paired bootstrap',
      delta: 0,
      low: 0,
      high: 0,
      pValue: 1,
      n: 0,
      spread: { kind: 'paired', sd: 0, n: 0, minPValue },
    };
  const confidence = options.confidence ?? 0.95;
  const differences = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    differences[i] = (head[i] ?? 0) - (base[i] ?? 0);
    sum += differences[i] ?? 0;
  }
  const delta = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((differences[i] ?? 0) - delta) ** 2;
  const spread: NoiseSpread = { kind: 'paired', sd: Math.sqrt(squares / n), n, minPValue };
  const random = createRandom(options.seed ?? 20251124);
  const means = new Float64Array(iterations);
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (let k = 0; k < iterations; k++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += differences[Math.floor(random() * n)] ?? 0;
    const mean = total / n;
    means[k] = mean;
    if (mean <= 0) atOrBelow++;
    if (mean >= 0) atOrAbove++;
  }
  means.sort();
  const alpha = 1 - confidence;
  const at = (q: number): number =>
    means[Math.min(iterations - 1, Math.max(0, Math.floor(q * iterations)))] ?? 0;
  const pValue = Math.min(1, (2 * (Math.min(atOrBelow, atOrAbove) + 1)) / (iterations + 1));
  return {
    method: 'paired bootstrap',
    delta,
    low: at(alpha / 2),
    high: at(1 - alpha / 2),
    pValue,
    n,
    spread,
  };
}

export const P_ADJUSTMENTS = ['holm', 'bh', 'none'] as const;
export type PAdjustment = (typeof P_ADJUSTMENTS)[number];

/**
 * Adjusts p-values for many comparisons: Holm's step-down (controls the family-wise error rate) or
 * Benjamini–Hochberg (controls the false discovery rate); `none` returns them as they are. The
 * result is in the input's order; NaN stays NaN.
 * @example adjustPValues([0.01, 0.04, 0.03], 'holm') // [0.03, 0.06, 0.06]
 */
export function adjustPValues(pValues: readonly number[], method: PAdjustment): number[] {
  if (method === 'none') return [...pValues];
  const indexed = pValues.map((p, i) => ({ p, i })).filter(({ p }) => !Number.isNaN(p));
  const m = indexed.length;
  const result = [...pValues];
  if (method === 'holm') {
    indexed.sort((a, b) => a.p - b.p);
    let running = 0;
    indexed.forEach(({ p, i }, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * p));
      result[i] = running;
    });
    return result;
  }
  indexed.sort((a, b) => b.p - a.p);
  let running = 1;
  indexed.forEach(({ p, i }, k) => {
    const rank = m - k;
    running = Math.min(running, Math.min(1, (p * m) / rank));
    result[i] = running;
  });
  return result;
}

/** A small seeded generator (mulberry32): fast, and the same numbers on every machine. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
