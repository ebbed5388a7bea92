import {
  adjustPValues,
  computeStderrTest,
  type PAdjustment,
  type SignificanceTest,
} from '../stats/compute-significance.js';
import type { MetricDiff, MetricsReport, Significance } from '../model/report-schema.js';

/** How significance is judged across the metrics of one pull request. */
export interface SignificanceOptions {
  /** The false-alarm rate to control (after adjustment), e.g. 0.05. */
  alpha: number;
  adjustment: PAdjustment;
  /** Level of the reported confidence intervals, e.g. 0.95. */
  confidence: number;
}

/** A paired per-item test of one metric, keyed by the results file's `task/metric` key. */
export type SampleTests = ReadonlyMap<string, SignificanceTest>;

/**
 * Tests every metric that both sides report, then controls false alarms across all of them:
 * a paired per-item test where per-item logs exist on both sides (`sampleTests`, keyed by
 * `task/metric`), else a z-test on lm-eval's standard errors, else no test. The p-values of all tested
 * metrics of the pull request are adjusted together (Holm or Benjamini–Hochberg). A metric that moved
 * beyond tolerance but is not significant after adjustment becomes `noise`; one whose results were
 * judged incomparable stays so. Untested metrics keep their tolerance-only verdict (the report says so).
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
      const stderrTest = testByStderr(metric, options.confidence);
      if (stderrTest)
        tested.push({ file: fileIndex, metric: metricIndex, test: stderrTest, basis: 'stderr' });
    });
  });
  const adjusted = adjustPValues(
    tested.map((t) => t.test.pValue),
    options.adjustment,
  );
  const copies = files.map((file) => ({ ...file, metrics: file.metrics.map((metric) => ({ ...metric })) }));
  tested.forEach((entry, index) => {
    const metric = copies[entry.file]?.metrics[entry.metric];
    if (!metric) return;
    const adjustedPValue = adjusted[index] ?? entry.test.pValue;
    const significant = adjustedPValue < options.alpha;
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
    };
    if (!significant && (metric.change === 'regressed' || metric.change === 'improved'))
      metric.change = 'noise';
  });
  return copies;
}

function testByStderr(metric: MetricDiff, confidence: number): SignificanceTest | undefined {
  const { base, head, baseStderr, headStderr } = metric;
  if (typeof base !== 'number' || typeof head !== 'number') return undefined;
  if (baseStderr === undefined || headStderr === undefined) return undefined;
  return computeStderrTest(base, head, baseStderr, headStderr, confidence);
}
