import type { Finding, MetricDiff } from '../report/schema.js';
import type { CheckContext, MetricsEntry } from './check-context.js';
import { createFinding, formatNumber, formatPercent } from './create-finding.js';

/**
 * Evaluation checks: `eval-regression` for each metric that moved the wrong way beyond tolerance
 * (already classified by the metrics diff; run times and throughputs excepted) and `eval-metric-removed`
 * for metrics or whole results files present on base and gone on head.
 */
export function checkEval(context: CheckContext): Finding[] {
  const findings: (Finding | undefined)[] = [];
  for (const entry of context.metrics) {
    if (entry.report.status === 'removed') {
      findings.push(
        createFinding('eval-metric-removed', context.config, {
          title: `The results file ${entry.report.path} was deleted (${entry.report.metrics.length} metrics)`,
          location: { path: entry.report.path, side: 'base' },
        }),
      );
      continue;
    }
    for (const metric of entry.report.metrics) {
      if (metric.change === 'regressed' && !isSpeedMetric(metric.metric))
        findings.push(regression(entry, metric, context));
    }
    const removed = entry.report.metrics.filter((m) => m.change === 'removed');
    if (removed.length > 0 && entry.report.status === 'modified') {
      findings.push(
        createFinding('eval-metric-removed', context.config, {
          title: `${removed.length} metric${removed.length === 1 ? '' : 's'} no longer reported in ${entry.report.path}`,
          details: removed.slice(0, 10).map((m) => `${m.task} / ${m.metric} (was ${formatValue(m.base)})`),
          evidence: { base: removed.length, head: 0 },
          location: { path: entry.report.path },
        }),
      );
    }
  }
  return findings.filter((f): f is Finding => f !== undefined);
}

/**
 * Run times and throughputs (`eval_runtime`, `train_samples_per_second`) measure the hardware and its
 * load, not the model: they stay in the metrics diff but never fail a pull request.
 */
const SPEED = /runtime|per_second|per_sec|throughput|latency|flos|(^|_)(seconds?|secs|duration|time)$/i;

function isSpeedMetric(metric: string): boolean {
  return SPEED.test(metric);
}

/** A higher-is-better metric that lost this share of its value, or a lower-is-better one grown this many times. */
const COLLAPSE_SHARE = 0.5;
const COLLAPSE_FACTOR = 10;

function regression(entry: MetricsEntry, metric: MetricDiff, context: CheckContext): Finding | undefined {
  const line = entry.head?.metrics.find((m) => m.key === metric.key)?.line;
  const settings = context.config.checks['eval-regression'];
  const relative = describeRelative(metric);
  const arrow =
    metric.direction === 'higher'
      ? 'higher is better'
      : metric.direction === 'lower'
        ? 'lower is better'
        : 'direction unknown';
  const delta =
    metric.delta === undefined
      ? ''
      : ` (${metric.delta > 0 ? '+' : ''}${formatNumber(metric.delta)}${relative})`;
  return createFinding('eval-regression', context.config, {
    title: `${metric.task} / ${metric.metric} regressed: ${formatValue(metric.base)} → ${formatValue(metric.head)}${delta}`,
    details: [
      `${arrow}; tolerance ${formatNumber(settings.tolerance)} absolute on 0–1 metrics, ${formatPercent(settings['relative-tolerance'])} relative otherwise`,
      ...(metric.baseStderr !== undefined || metric.headStderr !== undefined
        ? [`stderr ${formatValue(metric.baseStderr)} → ${formatValue(metric.headStderr)}`]
        : []),
      ...(isCollapse(metric)
        ? [
            'This is a collapse, not drift: check the checkpoint, the tokenizer and the evaluation settings before reading the numbers.',
          ]
        : []),
      ...(metric.head === null
        ? ['The head value is not a number: the evaluation produced NaN or infinity.']
        : []),
    ],
    evidence: {
      ...(metric.base !== undefined ? { base: metric.base } : {}),
      ...(metric.head !== undefined ? { head: metric.head } : {}),
      ...(metric.delta !== undefined ? { delta: metric.delta } : {}),
    },
    location: { path: entry.report.path, ...(line !== undefined ? { line } : {}) },
  });
}

/**
 * `, -40.3%` for moves below ×2, `, ×4.712` for larger growth. Empty without a positive base: a share of
 * a negative or zero score (an MCC of -0.0005) reads as nonsense (-3306.6%).
 */
function describeRelative(metric: MetricDiff): string {
  const { base, head, relativeDelta } = metric;
  if (relativeDelta === undefined || typeof base !== 'number' || typeof head !== 'number' || base <= 0)
    return '';
  if (head >= 2 * base) return `, ×${formatNumber(head / base)}`;
  return `, ${formatPercent(relativeDelta)}`;
}

/** Whether a regression is a collapse: half of a higher-is-better metric lost, or a lower-is-better one ×10. */
function isCollapse(metric: MetricDiff): boolean {
  const { base, head } = metric;
  if (typeof base !== 'number' || typeof head !== 'number' || base <= 0) return false;
  if (metric.direction === 'higher') return head <= base * (1 - COLLAPSE_SHARE);
  if (metric.direction === 'lower') return head >= base * COLLAPSE_FACTOR;
  return false;
}

function formatValue(value: number | null | undefined): string {
  if (value === undefined) return '∅';
  if (value === null) return 'NaN';
  return formatNumber(value);
}
