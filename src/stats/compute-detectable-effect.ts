import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** The power at which the detectable change is stated: the usual 80%. */
export const DETECTION_POWER = 0.8;

/**
 * What a test's noise is made of, as much as its minimum detectable effect needs:
 * - `independent`: two estimates with standard errors (lm-eval's `*_stderr`), `stderr` being the
 *   combined √(se₁² + se₂²) of their difference, with `df` degrees of freedom when it is partly estimated
 *   from repeated runs (Welch's t-test);
 * - `discordance`: paired 0/1 outcomes (McNemar), `discordant` of the `n` pairs differing;
 * - `paired`: paired scores (bootstrap), `sd` the spread (population standard deviation) of the
 *   per-item differences over `n` pairs, `minPValue` the smallest p-value the bootstrap can give.
 */
export type NoiseSpread =
  | { kind: 'independent'; stderr: number; df?: number }
  | { kind: 'discordance'; discordant: number; n: number }
  | { kind: 'paired'; sd: number; n: number; minPValue: number };

/**
 * z₁₋α/₂ + z_power: how many standard errors a change must span to be detected at that power; with `df`
 * degrees of freedom (a Welch t-test), Student's t₁₋α/₂ + t_power instead.
 */
export function computePowerMultiplier(alpha: number, power = DETECTION_POWER, df?: number): number {
  if (df !== undefined && Number.isFinite(df)) return tQuantile(1 - alpha / 2, df) + tQuantile(power, df);
  return normalQuantile(1 - alpha / 2, 0, 1) + normalQuantile(power, 0, 1);
}

/**
 * The smallest change (absolute, in the metric's units) that a two-sided test at level `alpha` detects
 * with probability `power`; `Infinity` when no change can be detected (a bootstrap whose smallest
 * p-value is not below `alpha`, or no pairs at all).
 * - z-test on standard errors: (z₁₋α/₂ + z_power) · √(se₁² + se₂²);
 * - McNemar: the δ with δ = (z₁₋α/₂ + z_power) · √((d + δ) / n) + 1/n, d the discordance rate
 *   (b + c) / n: a change of δ made on top of the observed disagreement flips δ·n more items one way,
 *   which the test's noise grows with; the + 1/n pays for the continuity correction, and using d + δ
 *   instead of d + δ − δ² errs on the large side (as does a d that already holds a real change);
 * - paired bootstrap: (z₁₋α/₂ + z_power) · sd / √n, the normal approximation of the resampled means.
 * @example computeDetectableEffect({ kind: 'independent', stderr: 0.01 }, 0.05) // ≈ 0.028016
 */
export function computeDetectableEffect(spread: NoiseSpread, alpha: number, power = DETECTION_POWER): number {
  const k = computePowerMultiplier(alpha, power, spread.kind === 'independent' ? spread.df : undefined);
  switch (spread.kind) {
    case 'independent':
      return k * spread.stderr;
    case 'discordance':
      return spread.n === 0 ? Infinity : mcNemarEffect(spread.discordant / spread.n, spread.n, k);
    case 'paired':
      if (spread.n === 0 || spread.minPValue >= alpha) return Infinity;
      return (k * spread.sd) / Math.sqrt(spread.n);
  }
}

/**
 * The root δ ≥ 1/n of (δ − 1/n)² = k²·(d + δ)/n, that is of δ² − aδ + 1/n² − k²d/n = 0 with
 * a = (2 + k²)/n.
 */
function mcNemarEffect(discordance: number, n: number, k: number): number {
  const a = (2 + k * k) / n;
  return (a + Math.sqrt(a * a - 4 * (1 / n ** 2 - (k * k * discordance) / n))) / 2;
}

/**
 * How many items, at the same base rate and spread, would bring the detectable change down to
 * `target`: the smallest n whose {@link computeDetectableEffect} is at most `target`, rounded up.
 * For `independent` spreads the item count behind the standard errors must be given (`items`), as the
 * standard error shrinks with √n; without it, `undefined`. `undefined` too when no number of items
 * helps (a bootstrap that cannot reach `alpha`) or `target` is not positive.
 * @example computeItemsNeeded({ kind: 'independent', stderr: 0.01 }, 0.05, 0.02, { items: 1000 }) // 1963
 */
export function computeItemsNeeded(
  spread: NoiseSpread,
  alpha: number,
  target: number,
  options: { items?: number; power?: number } = {},
): number | undefined {
  if (!(target > 0)) return undefined;
  const df = spread.kind === 'independent' ? spread.df : undefined;
  const k = computePowerMultiplier(alpha, options.power ?? DETECTION_POWER, df);
  switch (spread.kind) {
    case 'independent': {
      if (options.items === undefined) return undefined;
      return Math.ceil(options.items * ((k * spread.stderr) / target) ** 2 - 1e-9);
    }
    case 'discordance': {
      if (spread.n === 0) return undefined;
      // Solve target = k·x·√(d + target) + x² for x = 1/√n, as above.
      const d = spread.discordant / spread.n + target;
      const x = (-k * Math.sqrt(d) + Math.sqrt(k * k * d + 4 * target)) / 2;
      return Math.ceil(1 / (x * x) - 1e-9);
    }
    case 'paired':
      if (spread.minPValue >= alpha) return undefined;
      return Math.ceil(((k * spread.sd) / target) ** 2 - 1e-9);
  }
}
