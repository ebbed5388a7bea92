import {
  computeDetectableEffect,
  computeItemsNeeded,
  computePowerMultiplier,
  DETECTION_POWER,
} from '../stats/compute-detectable-effect.js';
import type { RepeatNoise } from './pool-repeats.js';
import type { PAdjustment, SignificanceTest } from '../stats/compute-significance.js';
import type { Detectable, MetricDiff } from '../model/report-schema.js';

/**
 * The level one metric is really tested at when `tested` metrics are adjusted together: the false-alarm
 * rate over their number under Holm or Benjamini–Hochberg (Holm's first step, and BH's when one metric
 * alone moved: the threshold a single regression among them must pass), the rate itself without
 * adjustment.
 * @example computeTestedAlpha(0.05, 'holm', 10) // 0.005
 */
export function computeTestedAlpha(alpha: number, adjustment: PAdjustment, tested: number): number {
  return adjustment === 'none' ? alpha : alpha / Math.max(1, tested);
}

/**
 * What a metric's test could detect at 80% power and the tested level `alpha`, and how many items would
 * bring that down to `tolerance`; `undefined` for a test that does not say what its noise is made of.
 */
export function computeDetectable(
  test: SignificanceTest,
  options: { alpha: number; tolerance?: number; items?: number; repeats?: RepeatNoise },
): Detectable | undefined {
  const { spread } = test;
  if (!spread) return undefined;
  const effect = computeDetectableEffect(spread, options.alpha);
  const items = options.items ?? (spread.kind === 'independent' ? undefined : spread.n);
  const needed =
    options.tolerance !== undefined && effect > options.tolerance
      ? computeItemsNeeded(spread, options.alpha, options.tolerance, items === undefined ? {} : { items })
      : undefined;
  const { repeats } = options;
  const repeatsNeeded =
    repeats && options.tolerance !== undefined && effect > options.tolerance
      ? computeRepeatsNeeded(repeats, options.alpha, options.tolerance)
      : undefined;
  return {
    effect: Number.isFinite(effect) ? effect : null,
    power: DETECTION_POWER,
    alpha: options.alpha,
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    ...(items !== undefined ? { items } : {}),
    ...(needed !== undefined ? { itemsNeeded: needed } : {}),
    ...(repeats ? { repeats: { base: repeats.base, head: repeats.head } } : {}),
    ...(repeatsNeeded !== undefined ? { repeatsNeeded } : {}),
  };
}

/**
 * How many runs a side (the same number on both, with other seeds, on the same items) would bring the
 * detectable change of a pooled z-test down to `target`: the smallest k with
 * (t₁₋α/₂ + t₀.₈)² · (w + (s²_base + s²_head)/k) ≤ target² (Student's t on today's degrees of freedom;
 * z for infinite ones), w the items' part of the noise, which repeats do not shrink. `undefined` when repeats alone cannot get there (the items' part is already
 * too large: more items are needed) or the seeds do not move the score.
 * @example computeRepeatsNeeded({ base: 3, head: 3, within: 0, seedVariance: { base: 1e-4, head: 1e-4 }, df: Infinity }, 0.05, 0.02) // 4
 */
export function computeRepeatsNeeded(noise: RepeatNoise, alpha: number, target: number): number | undefined {
  // At today's degrees of freedom: more runs only add to them, so the count errs on the large side.
  const k2 = computePowerMultiplier(alpha, undefined, noise.df) ** 2;
  const seeds = noise.seedVariance.base + noise.seedVariance.head;
  const room = target ** 2 / k2 - noise.within;
  if (!(target > 0) || seeds <= 0 || room <= 0) return undefined;
  return Math.max(1, Math.ceil(seeds / room - 1e-9));
}

/**
 * Whether a metric that its test did not find significant is `inconclusive`: it moved the wrong way (by
 * any amount, within the tolerance included: an eval that cannot see a tolerance-sized change cannot
 * vouch for a small one either) and its detectable change exceeds the tolerance. A metric that held or
 * improved, or whose direction is unknown, is never inconclusive; nor is one whose wrong-way move is below
 * 1% of its detectable change (the two runs agree as closely as the evaluation could ever tell).
 */
export function isInconclusive(metric: MetricDiff, detectable: Detectable | undefined): boolean {
  if (detectable?.tolerance === undefined) return false;
  if (metric.change !== 'regressed' && metric.change !== 'unchanged') return false;
  const { delta } = metric;
  if (delta === undefined) return false;
  const worse = metric.direction === 'higher' ? delta < 0 : metric.direction === 'lower' ? delta > 0 : false;
  if (!worse) return false;
  if (detectable.effect === null) return true;
  // Runs that agree to a hundredth of what the evaluation can resolve (an identical re-run, up to
  // floating-point crumbs) moved by nothing this evaluation could speak to.
  if (Math.abs(delta) < detectable.effect * NEGLIGIBLE_SHARE) return false;
  return detectable.effect > detectable.tolerance;
}

/** A wrong-way move below this share of the detectable change is no move at all (see `isInconclusive`). */
export const NEGLIGIBLE_SHARE = 0.01;
