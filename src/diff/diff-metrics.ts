import type { MetricsFile, MetricValue, TextMetricValue } from '../loaders/parse-metrics.js';
import { computeDirection } from '../loaders/compute-direction.js';
import type { Direction, MetricDiff } from '../model/report-schema.js';

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
 * right way by more than the tolerance, `unchanged` otherwise (a move exactly at the tolerance included);
 * `added`/`removed` when one side lacks it; `n/a` when the direction is unknown (and the value moved) or
 * base is not a finite number. A finite base that became NaN or infinite on head is `regressed` whatever the direction.
 * Metrics with both values in [-1, 1] (accuracies, F1, correlations such as MCC) use the absolute
 * tolerance, unless their name says loss or perplexity; others use the relative one (a move from 0 is
 * beyond any relative tolerance). A task renamed with the same values (`arc_challenge` became
 * `arc:challenge`, every metric equal) is one `unchanged` metric with its `baseKey`, not a removal and an
 * addition. Order: regressions, then removed metrics, then the rest, each in base order followed by
 * metrics only head has. Text metrics (and a number whose other side is text) are compared as values:
 * `unchanged` when equal, `n/a` when not, with no direction and no delta.
 * @example diffMetrics(good, regressed, { absolute: 0.01, relative: 0.05 }, {})[0].change // 'regressed'
 */
export function diffMetrics(
  base: MetricsFile | undefined,
  head: MetricsFile | undefined,
  tolerance: MetricTolerance,
  overrides: Record<string, Direction>,
): MetricDiff[] {
  const textKeys = new Set([...(base?.texts ?? []), ...(head?.texts ?? [])].map((text) => text.key));
  const numbers = (file: MetricsFile | undefined): MetricValue[] =>
    (file?.metrics ?? []).filter((metric) => !textKeys.has(metric.key));
  const baseByKey = new Map(numbers(base).map((metric) => [metric.key, metric]));
  const headByKey = new Map(numbers(head).map((metric) => [metric.key, metric]));
  const keys = [...new Set([...baseByKey.keys(), ...headByKey.keys()])];
  const diffs = [
    ...pairRekeyedMetrics(
      keys.map((key) => diffOne(baseByKey.get(key), headByKey.get(key), tolerance, overrides)),
    ),
    ...diffTexts(base, head, textKeys),
  ];
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
  // An equal value is unchanged whichever way the metric is better.
  if (direction === 'unknown') return { ...withDelta, change: delta === 0 ? 'unchanged' : 'n/a' };
  const bounded = isBounded(base.value, head.value, either.metric);
  const moved = bounded ? Math.abs(delta) : Math.abs(relativeDelta ?? (delta === 0 ? 0 : Infinity));
  const limit = bounded ? tolerance.absolute : tolerance.relative;
  // Floating-point subtraction leaves crumbs (0.5 - 0.49 = 0.010000000000000009): a move at the limit is within it.
  if (moved <= limit + 1e-12) return { ...withDelta, change: 'unchanged' };
  const better = direction === 'higher' ? delta > 0 : delta < 0;
  return { ...withDelta, change: better ? 'improved' : 'regressed' };
}

/**
 * The move that matters for one metric, in its own units: the absolute tolerance on a bounded scale,
 * the relative one times |base| otherwise (as {@link diffMetrics} judges it); `undefined` without two
 * finite values.
 * @example computeMetricTolerance({ metric: 'perplexity', base: 6, head: 6.1 }, { absolute: 0.005, relative: 0.05 }) // 0.3
 */
export function computeMetricTolerance(
  metric: Pick<MetricDiff, 'metric' | 'base' | 'head'>,
  tolerance: MetricTolerance,
): number | undefined {
  const { base, head } = metric;
  if (typeof base !== 'number' || typeof head !== 'number') return undefined;
  return isBounded(base, head, metric.metric) ? tolerance.absolute : tolerance.relative * Math.abs(base);
}

function isBounded(base: number, head: number, metric: string): boolean {
  return isUnitScale(base) && isUnitScale(head) && !UNBOUNDED.test(metric);
}

/** The metrics whose value is text on either side, each compared as a value. */
function diffTexts(
  base: MetricsFile | undefined,
  head: MetricsFile | undefined,
  textKeys: ReadonlySet<string>,
): MetricDiff[] {
  const asTexts = (file: MetricsFile | undefined): Map<string, TextMetricValue> =>
    new Map([
      ...(file?.metrics ?? [])
        .filter((metric) => textKeys.has(metric.key))
        .map((metric): [string, TextMetricValue] => [metric.key, { ...metric, text: String(metric.value) }]),
      ...(file?.texts ?? []).map((text): [string, TextMetricValue] => [text.key, text]),
    ]);
  const baseTexts = asTexts(base);
  const headTexts = asTexts(head);
  return [...new Set([...baseTexts.keys(), ...headTexts.keys()])].map((key) => {
    const old = baseTexts.get(key);
    const now = headTexts.get(key);
    const either = (now ?? old) as TextMetricValue;
    const common = {
      key,
      task: either.task,
      metric: either.metric,
      direction: 'unknown' as const,
      ...(old ? { baseText: old.text } : {}),
      ...(now ? { headText: now.text } : {}),
    };
    if (!old) return { ...common, change: 'added' as const };
    if (!now) return { ...common, change: 'removed' as const };
    return { ...common, change: old.text === now.text ? ('unchanged' as const) : ('n/a' as const) };
  });
}

/** Losses and perplexities can sit between 0 and 1 without being on a 0–1 scale. */
const UNBOUNDED = /loss|perplexity|ppl|bits_per_byte|bpb|runtime|second/i;

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Scores on a bounded scale: 0–1 (accuracy, F1, exact match) or -1–1 (MCC, Pearson, Spearman, kappa). */
function isUnitScale(value: number): boolean {
  return value >= -1 && value <= 1;
}

/**
 * Pairs a removed metric with an added one of the same name, value and standard error under another
 * task, when that value is found once among the removed and once among the added (so a common 0 or 1
 * is never paired by chance), and every pair of one removed task points at the same added task.
 */
function pairRekeyedMetrics(diffs: MetricDiff[]): MetricDiff[] {
  const signature = (diff: MetricDiff, side: 'base' | 'head'): string =>
    JSON.stringify([diff.metric, diff[side], side === 'base' ? diff.baseStderr : diff.headStderr]);
  const once = (list: MetricDiff[], side: 'base' | 'head'): Map<string, MetricDiff> => {
    const counts = new Map<string, number>();
    for (const diff of list) counts.set(signature(diff, side), (counts.get(signature(diff, side)) ?? 0) + 1);
    return new Map(
      list.filter((d) => counts.get(signature(d, side)) === 1).map((d) => [signature(d, side), d]),
    );
  };
  const removed = once(
    diffs.filter((d) => d.change === 'removed' && typeof d.base === 'number'),
    'base',
  );
  const added = once(
    diffs.filter((d) => d.change === 'added' && typeof d.head === 'number'),
    'head',
  );
  const pairs = [...removed].flatMap(([key, old]) => {
    const now = added.get(key);
    return now && now.task !== old.task ? [[old, now] as const] : [];
  });
  const targets = new Map<string, Set<string>>();
  for (const [old, now] of pairs) targets.set(old.task, (targets.get(old.task) ?? new Set()).add(now.task));
  const accepted = pairs.filter(([old]) => targets.get(old.task)?.size === 1);
  if (accepted.length === 0) return diffs;
  const gone = new Set(accepted.map(([old]) => old));
  const renamed = new Map(accepted.map(([old, now]) => [now, old]));
  return diffs
    .filter((diff) => !gone.has(diff))
    .map((diff) => {
      const old = renamed.get(diff);
      if (!old) return diff;
      return {
        ...diff,
        baseKey: old.key,
        base: old.base ?? null,
        ...(old.baseStderr !== undefined ? { baseStderr: old.baseStderr } : {}),
        delta: 0,
        relativeDelta: 0,
        change: 'unchanged' as const,
      };
    });
}
