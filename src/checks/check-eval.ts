import type { Finding, MetricDiff } from '../report/schema.js';
import type { CheckContext, MetricsEntry } from './check-context.js';
import { createFinding, formatNumber, formatPercent } from './create-finding.js';

/**
 * Evaluation checks: `eval-regression` for each metric that moved the wrong way beyond tolerance
 * (already classified by the metrics diff) and `eval-metric-removed` for metrics or whole results
 * files present on base and gone on head.
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
      if (metric.change === 'regressed') findings.push(regression(entry, metric, context));
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

function regression(entry: MetricsEntry, metric: MetricDiff, context: CheckContext): Finding | undefined {
  const line = entry.head?.metrics.find((m) => m.key === metric.key)?.line;
  const settings = context.config.checks['eval-regression'];
  const relative = metric.relativeDelta === undefined ? '' : `, ${formatPercent(metric.relativeDelta)}`;
  const arrow = metric.direction === 'higher' ? 'higher is better' : 'lower is better';
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
    ],
    evidence: {
      ...(metric.base !== undefined ? { base: metric.base } : {}),
      ...(metric.head !== undefined ? { head: metric.head } : {}),
      ...(metric.delta !== undefined ? { delta: metric.delta } : {}),
    },
    location: { path: entry.report.path, ...(line !== undefined ? { line } : {}) },
  });
}

function formatValue(value: number | null | undefined): string {
  if (value === undefined) return '∅';
  if (value === null) return 'NaN';
  return formatNumber(value);
}
