import {
  adjustPValues,
  computeStderrTest,
  computeWelchTest,
  type PAdjustment,
  type SignificanceTest,
} from '../stats/compute-significance.js';
import type { MetricDiff, MetricsReport, Significance } from '../model/report-schema.js';
import { computeDetectable, computeTestedAlpha, isInconclusive } from './compute-detectable.js';
import type { RepeatNoise } from './pool-repeats.js';

/** How significance is judged across the metrics of one pull request. */
export interface SignificanceOptions {
  /** The false-alarm rate to control (after adjustment), e.g. 0.05. */
  alpha: number;
  adjustment: PAdjustment;
  /** Level of the reported confidence intervals, e.g. 0.95. */
  confidence: number;
  /** The move that matters for a metric, in its units; without it a metric is never `inconclusive`. */
  toleranceOf?: (metric: MetricDiff) => number | undefined;
  /** Items behind a file's task where the results say (lm-eval `n-samples`), for stderr tests. */
  itemsOf?: (path: string, task: string) => number | undefined;
  /** A metric's noise pooled over repeated runs with other seeds, for stderr tests (see `poolRepeats`). */
  repeatsOf?: (path: string, key: string) => RepeatNoise | undefined;
}

/** A paired per-item test of one metric, keyed by the results file's `task/metric` key. */
export type SampleTests = ReadonlyMap<string, SignificanceTest>;

/**
 * Tests every metric that both sides report, then controls false alarms across all of them:
 * a paired per-item test where per-item logs exist on both sides (`sampleTests`, keyed by
 * `task/metric`), else a z-test on lm-eval's standard errors, else no test. The p-values of all tested
 * metrics of the pull request are adjusted together (Holm or Benjamini–Hochberg). Each test states
 * what it could detect at 80% power, at the level one metric is really tested at
 * (`computeTestedAlpha`). A metric not significant after adjustment that moved the wrong way on a test
 * unable to detect a tolerance-sized change becomes `inconclusive`; else one that moved beyond tolerance
 * becomes `noise`. Untested metrics keep their tolerance-only verdict (the report says so).
 */
export function applySignificance(
  files: readonly MetricsReport[],
  sampleTests: ReadonlyMap<string, SampleTests>,
  options: SignificanceOptions,
): MetricsReport[] {
  const tested: { file: number; metric: number; test: SignificanceTest; basis: Significance['basis'] }[] = [];
  files.forEach((file, fileIndex) => {
    const fromSamples = sampleTests.get(file.path);
    file.metrics.forEach((metric, metricIndex) => {
      const paired = fromSamples?.get(metric.key);
      if (paired) {
        tested.push({ file: fileIndex, metric: metricIndex, test: paired, basis: 'per-sample' });
        return;
      }
      const repeats = options.repeatsOf?.(file.path, metric.key);
      const test = testByStderr(metric, options.confidence, repeats);
      if (test) tested.push({ file: fileIndex, metric: metricIndex, test, basis: 'stderr' });
    });
  });
  const adjusted = adjustPValues(
    tested.map((t) => t.test.pValue),
    options.adjustment,
  );
  const testedAlpha = computeTestedAlpha(options.alpha, options.adjustment, tested.length);
  const copies = files.map((file) => ({ ...file, metrics: file.metrics.map((metric) => ({ ...metric })) }));
  tested.forEach((entry, index) => {
    const metric = copies[entry.file]?.metrics[entry.metric];
    if (!metric) return;
    const adjustedPValue = adjusted[index] ?? entry.test.pValue;
    const significant = adjustedPValue < options.alpha;
    const tolerance = options.toleranceOf?.(metric);
    const path = files[entry.file]?.path ?? '';
    const items = entry.basis === 'stderr' ? options.itemsOf?.(path, metric.task) : undefined;
    const repeats = entry.basis === 'stderr' ? options.repeatsOf?.(path, metric.key) : undefined;
    const detectable = computeDetectable(entry.test, {
      alpha: testedAlpha,
      ...(tolerance !== undefined ? { tolerance } : {}),
      ...(items !== undefined ? { items } : {}),
      ...(repeats ? { repeats } : {}),
    });
    metric.significance = {
      basis: entry.basis,
      method: entry.test.method,
      low: entry.test.low,
      high: entry.test.high,
      confidence: options.confidence,
      pValue: entry.test.pValue,
      adjustedPValue,
      adjustment: options.adjustment,
      significant,
      ...(entry.test.n !== undefined ? { n: entry.test.n } : {}),
      ...(detectable ? { detectable } : {}),
    };
    if (significant) return;
    if (isInconclusive(metric, detectable)) metric.change = 'inconclusive';
    else if (metric.change === 'regressed' || metric.change === 'improved') metric.change = 'noise';
  });
  return copies;
}

/**
 * The z-test on standard errors; with repeats pooled, Welch's t-test on the degrees of freedom of the
 * seeds' estimated variance, and a method that says what was pooled.
 */
function testByStderr(
  metric: MetricDiff,
  confidence: number,
  repeats: RepeatNoise | undefined,
): SignificanceTest | undefined {
  const { base, head, baseStderr, headStderr } = metric;
  if (typeof base !== 'number' || typeof head !== 'number') return undefined;
  if (baseStderr === undefined || headStderr === undefined) return undefined;
  if (!repeats) return computeStderrTest(base, head, baseStderr, headStderr, confidence);
  const test = computeWelchTest(base, head, baseStderr, headStderr, repeats.df, confidence);
  const degrees = repeats.df >= 100 ? String(Math.round(repeats.df)) : repeats.df.toFixed(1);
  const df = Number.isFinite(repeats.df) ? `, ${degrees} df` : '';
  const name = Number.isFinite(repeats.df) ? 'Welch t-test' : 'z-test';
  return { ...test, method: `${name} (stderr and seed spread: ${describeRuns(repeats)} pooled${df})` };
}

/** `3 runs on head, 1 on base`. */
function describeRuns(noise: RepeatNoise): string {
  return `${noise.head} ${noise.head === 1 ? 'run' : 'runs'} on head, ${noise.base} on base`;
}
