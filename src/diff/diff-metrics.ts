import type { MetricsFile, MetricValue } from '../loaders/load-metrics.js';
import { computeDirection } from '../profile/compute-direction.js';
import type { Direction, MetricDiff } from '../report/schema.js';

/** How far a metric may move the wrong way before it counts as regressed. */
export interface MetricTolerance {
  /** Absolute, for metrics on a 0–1 scale (accuracy, F1, exact match). */
  absolute: number;
  /** Relative to the base value, for unbounded metrics (loss, perplexity). */
  relative: number;
}

/**
 * Pairs the metrics of two results files by key and classifies each change by its direction:
 * `regressed` when it moved the wrong way by more than the tolerance, `improved` when it moved the
 * right way by more than the tolerance, `unchanged` otherwise; `added`/`removed` when one side lacks
 * it; `n/a` when the direction is unknown. Metrics on a 0–1 scale use the absolute tolerance, others
 * the relative one. Regressions come first, then base order.
 */
export function diffMetrics(
  base: MetricsFile | undefined,
  head: MetricsFile | undefined,
  tolerance: MetricTolerance,
  overrides: Record<string, Direction>,
): MetricDiff[] {
  const baseByKey = new Map((base?.metrics ?? []).map((metric) => [metric.key, metric]));
  const headByKey = new Map((head?.metrics ?? []).map((metric) => [metric.key, metric]));
  const keys = [...new Set([...baseByKey.keys(), ...headByKey.keys()])];
  const diffs = keys.map((key) => diffOne(baseByKey.get(key), headByKey.get(key), tolerance, overrides));
  const rank = (diff: MetricDiff): number =>
    diff.change === 'regressed' ? 0 : diff.change === 'removed' ? 1 : 2;
  return diffs
    .map((diff, index) => ({ diff, index }))
    .sort((a, b) => rank(a.diff) - rank(b.diff) || a.index - b.index)
    .map(({ diff }) => diff);
}

function diffOne(
  base: MetricValue | undefined,
  head: MetricValue | undefined,
  tolerance: MetricTolerance,
  overrides: Record<string, Direction>,
): MetricDiff {
  const either = (head ?? base) as MetricValue;
  const direction = computeDirection(
    either.task,
    either.metric,
    head?.higherIsBetter ?? base?.higherIsBetter,
    overrides,
  );
  const common = {
    key: either.key,
    task: either.task,
    metric: either.metric,
    direction,
    ...(base ? { base: finiteOrNull(base.value) } : {}),
    ...(head ? { head: finiteOrNull(head.value) } : {}),
    ...(base?.stderr !== undefined ? { baseStderr: base.stderr } : {}),
    ...(head?.stderr !== undefined ? { headStderr: head.stderr } : {}),
  };
  if (!base) return { ...common, change: 'added' };
  if (!head) return { ...common, change: 'removed' };
  const delta = head.value - base.value;
  const relativeDelta = base.value === 0 ? undefined : delta / Math.abs(base.value);
  const withDelta = { ...common, delta, ...(relativeDelta !== undefined ? { relativeDelta } : {}) };
  if (!Number.isFinite(base.value) || !Number.isFinite(head.value)) {
    // A NaN on head where base had a number is the worst regression of all.
    const broke = Number.isFinite(base.value) && !Number.isFinite(head.value);
    const { delta: _nan, relativeDelta: _alsoNan, ...rest } = withDelta;
    return { ...rest, change: broke ? 'regressed' : 'n/a' };
  }
  if (direction === 'unknown') return { ...withDelta, change: 'n/a' };
  const bounded = isUnitScale(base.value) && isUnitScale(head.value) && !UNBOUNDED.test(either.metric);
  const moved = bounded ? Math.abs(delta) : Math.abs(relativeDelta ?? (delta === 0 ? 0 : Infinity));
  const limit = bounded ? tolerance.absolute : tolerance.relative;
  if (moved <= limit) return { ...withDelta, change: 'unchanged' };
  const better = direction === 'higher' ? delta > 0 : delta < 0;
  return { ...withDelta, change: better ? 'improved' : 'regressed' };
}

/** Losses and perplexities can sit between 0 and 1 without being on a 0–1 scale. */
const UNBOUNDED = /loss|perplexity|ppl|bits_per_byte|bpb|runtime|second/i;

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function isUnitScale(value: number): boolean {
  return value >= 0 && value <= 1;
}
