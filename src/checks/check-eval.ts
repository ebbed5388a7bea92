import picomatch from 'picomatch';
import { computeStderrTest } from '../stats/compute-significance.js';
import type { Finding, MetricDiff, MetricsReport } from '../model/report-schema.js';
import { isTrainingSummaryMetric } from '../model/training-summary.js';
import { isMatchablePath } from '../model/paths.js';
import { isTouched, type CheckContext, type MetricsEntry } from './check-context.js';
import { plural } from '../text/plural.js';
import { createFinding } from './create-finding.js';
import { formatNumber } from '../text/format-number.js';
import { formatPercent } from '../text/format-percent.js';

/**
 * Evaluation checks: `eval-regression` for each metric that moved the wrong way beyond tolerance and
 * beyond the noise (already judged by `diffEvaluation`; run times and throughputs excepted; real-world
 * metrics at their own severity), `eval-metric-removed` for metrics or whole results files present on
 * base and gone on head, `eval-incomparable` for files evaluated with different settings,
 * `eval-slice-regression` for slices that regressed under an aggregate that held, and
 * `eval-real-world-missing` when the real-world evaluation is absent or stale. Metrics whose evaluation
 * was too small to tell (`inconclusive`) get one `eval-regression` finding per file at the severity of
 * `checks.eval-regression.inconclusive`, each with what it could detect and the items that would settle it.
 */
export function checkEval(context: CheckContext): Finding[] {
  const findings: (Finding | undefined)[] = [];
  findings.push(...checkRealWorldMissing(context));
  for (const entry of context.metrics) {
    findings.push(checkIncomparable(entry, context), ...checkSlices(entry, context));
    const evaluated = entry.report.metrics.filter((metric) => isEvalMetric(metric.metric));
    if (entry.report.status === 'removed') {
      if (evaluated.length > 0)
        findings.push(
          createFinding('eval-metric-removed', context.config, {
            title: `The results file ${entry.report.path} was deleted (${plural(evaluated.length, 'metric')})`,
            location: { path: entry.report.path, side: 'base' },
          }),
        );
      continue;
    }
    for (const metric of evaluated) {
      if (metric.change === 'regressed') findings.push(regression(entry, metric, context));
    }
    findings.push(checkInconclusive(entry, evaluated, context));
    findings.push(checkRekeyed(entry, context));
    const removed = evaluated.filter((m) => m.change === 'removed');
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

/** One notice for the tasks a results file renamed with every value the same (nothing was lost). */
function checkRekeyed(entry: MetricsEntry, context: CheckContext): Finding | undefined {
  const rekeyed = entry.report.metrics.filter((m) => m.baseKey !== undefined);
  if (rekeyed.length === 0) return undefined;
  const tasks = [
    ...new Set(rekeyed.map((m) => `${(m.baseKey ?? '').slice(0, -(m.metric.length + 1))} → ${m.task}`)),
  ];
  const finding = createFinding('eval-metric-removed', context.config, {
    title: `${plural(rekeyed.length, 'metric')} renamed with the same values in ${entry.report.path}`,
    details: [...tasks.slice(0, 10), ...(tasks.length > 10 ? [`and ${tasks.length - 10} more tasks`] : [])],
    location: { path: entry.report.path },
  });
  return finding && { ...finding, severity: 'notice' };
}

/**
 * Run times and throughputs (`eval_runtime`, `train_samples_per_second`) measure the hardware and its
 * load, not the model, and a training run's own figures (`train_loss`, `epoch`) are no evaluation: they
 * stay in the metrics diff but are never called regressed or removed.
 */
const SPEED = /runtime|per_second|per_sec|throughput|latency|flos|(^|_)(seconds?|secs|duration|time)$/i;

function isEvalMetric(metric: string): boolean {
  return !SPEED.test(metric) && !isTrainingSummaryMetric(metric);
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
  const realWorld = isRealWorld(metric, context);
  const finding = createFinding('eval-regression', context.config, {
    title: `${realWorld ? 'Real-world metric ' : ''}${metric.task} / ${metric.metric} regressed: ${formatValue(metric.base)} → ${formatValue(metric.head)}${delta}`,
    details: [
      `${arrow}; tolerance ${formatNumber(settings.tolerance)} absolute on 0–1 metrics, ${formatPercent(settings['relative-tolerance'])} relative otherwise`,
      ...(metric.baseStderr !== undefined || metric.headStderr !== undefined
        ? [`stderr ${formatValue(metric.baseStderr)} → ${formatValue(metric.headStderr)}`]
        : []),
      describeSignificance(metric),
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
  const severity = realWorld ? context.config['real-world']?.severity : undefined;
  if (!finding || severity === undefined) return finding;
  return severity === 'off' ? undefined : { ...finding, severity };
}

/** Metrics of an inconclusive file listed one per line; the rest are counted. */
const MAX_INCONCLUSIVE_LINES = 10;

/** One finding for the metrics of a file that moved the wrong way on an evaluation too small to tell. */
function checkInconclusive(
  entry: MetricsEntry,
  evaluated: readonly MetricDiff[],
  context: CheckContext,
): Finding | undefined {
  const severity = context.config.checks['eval-regression'].inconclusive;
  const inconclusive = evaluated.filter((metric) => metric.change === 'inconclusive');
  if (severity === 'off' || inconclusive.length === 0) return undefined;
  const first = inconclusive[0];
  const line = entry.head?.metrics.find((m) => m.key === first?.key)?.line;
  const rest = inconclusive.length - MAX_INCONCLUSIVE_LINES;
  const finding = createFinding('eval-regression', context.config, {
    title: `${plural(inconclusive.length, 'metric')} in ${entry.report.path} moved the wrong way, but the evaluation is too small to tell a regression from noise (inconclusive)`,
    details: [
      ...inconclusive
        .slice(0, MAX_INCONCLUSIVE_LINES)
        .map(
          (m) =>
            `${m.task} / ${m.metric}: ${formatValue(m.base)} → ${formatValue(m.head)} (${formatSigned(m.delta)}); ${describeDetectable(m)}`,
        ),
      ...(rest > 0 ? [`and ${plural(rest, 'more metric')}`] : []),
      'More items (or repeated runs) shrink the noise; until then a regression of the tolerance could pass unseen.',
    ],
    evidence: { head: inconclusive.length },
    location: { path: entry.report.path, ...(line !== undefined ? { line } : {}) },
  });
  return finding && { ...finding, severity };
}

/**
 * What a metric's test could detect and what would settle it: `could detect ±0.0274 at 80% power
 * (α = 0.005 per metric) against a tolerance of 0.005; needs ~30,000 items (has 1,000)`, and with
 * repeated runs pooled `, or ~8 runs a side with other seeds (has 3 on head, 1 on base)`.
 */
export function describeDetectable(metric: MetricDiff): string {
  const detectable = metric.significance?.detectable;
  if (!detectable) return 'what the evaluation could detect is unknown';
  const level = `${Math.round(detectable.power * 100)}% power (α = ${formatNumber(detectable.alpha)} per metric)`;
  const tolerance =
    detectable.tolerance === undefined ? '' : ` against a tolerance of ${formatNumber(detectable.tolerance)}`;
  if (detectable.effect === null)
    return `could detect no change at ${level}: the paired bootstrap's smallest p-value is above it`;
  const has = detectable.items === undefined ? '' : ` (has ${formatNumber(detectable.items)})`;
  const needs =
    detectable.itemsNeeded !== undefined
      ? `; needs ~${formatNumber(detectable.itemsNeeded)} items${has}`
      : detectable.tolerance !== undefined && detectable.tolerance > 0
        ? `; needs ~${formatNumber(Math.ceil((detectable.effect / detectable.tolerance) ** 2))}× the items`
        : '';
  const { repeats, repeatsNeeded } = detectable;
  const runs =
    repeatsNeeded !== undefined
      ? `${needs === '' ? '; needs' : ', or'} ~${formatNumber(repeatsNeeded)} runs a side with other seeds${repeats ? ` (has ${formatNumber(repeats.head)} on head, ${formatNumber(repeats.base)} on base)` : ''}`
      : '';
  return `could detect ±${formatNumber(detectable.effect)} at ${level}${tolerance}${needs}${runs}`;
}

/** One line on the noise: the test, its p-value and interval, or that none was possible. */
export function describeSignificance(metric: MetricDiff): string {
  const test = metric.significance;
  if (!test) return 'no standard errors or per-item logs on both sides: judged by the tolerance alone';
  const basis =
    test.basis === 'per-sample' ? `paired over ${test.n ?? '?'} items (${test.method})` : test.method;
  const adjusted =
    test.adjustment === 'none'
      ? ''
      : `, ${formatP(test.adjustedPValue)} after ${test.adjustment === 'holm' ? 'Holm' : 'Benjamini–Hochberg'} adjustment`;
  return `${basis}: ${formatP(test.pValue)}${adjusted}; ${Math.round(test.confidence * 100)}% CI of the change [${formatNumber(test.low)}, ${formatNumber(test.high)}]`;
}

function formatP(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${formatNumber(p)}`;
}

function isRealWorld(metric: MetricDiff, context: CheckContext): boolean {
  const globs = context.config['real-world']?.metrics;
  if (!globs) return false;
  const match = picomatch(globs);
  return isMatchablePath(metric.key) && (match(metric.key) || match(metric.task));
}

function checkIncomparable(entry: MetricsEntry, context: CheckContext): Finding | undefined {
  const items = entry.report.incomparable ?? [];
  if (items.length === 0) return undefined;
  const tasks = new Set(items.map((item) => item.task));
  const scope = tasks.has('*') ? 'all tasks' : `${tasks.size} task${tasks.size === 1 ? '' : 's'}`;
  return createFinding('eval-incomparable', context.config, {
    title: `Base and head results in ${entry.report.path} were evaluated differently (${scope}): no regression is called on them`,
    details: [
      ...items
        .slice(0, 10)
        .map(
          (item) =>
            `${item.task === '*' ? 'whole file' : item.task}: ${item.setting} ${item.base} → ${item.head}`,
        ),
      'Re-run the evaluation of both sides with the same settings to compare them.',
    ],
    location: { path: entry.report.path },
  });
}

const HOLDS: ReadonlySet<MetricDiff['change']> = new Set(['unchanged', 'improved', 'noise', 'inconclusive']);

/**
 * Slices that regressed while their aggregate held: lm-eval groups (`mmlu_stem` under `mmlu`) from
 * the results file's `group_subtasks`, and the slices the config declares (task globs, averaged).
 */
function checkSlices(entry: MetricsEntry, context: CheckContext): (Finding | undefined)[] {
  if (!entry.base || !entry.head || entry.report.status === 'unchanged') return [];
  const byKey = new Map(entry.report.metrics.map((m) => [m.key, m]));
  const groups = { ...entry.base.groups, ...entry.head.groups };
  const findings: (Finding | undefined)[] = [];
  for (const [parent, children] of Object.entries(groups)) {
    for (const parentMetric of entry.report.metrics.filter((m) => m.task === parent && HOLDS.has(m.change))) {
      const hidden = children
        .map((child) => byKey.get(`${child}/${parentMetric.metric}`))
        .filter((m): m is MetricDiff => m?.change === 'regressed');
      if (hidden.length === 0) continue;
      findings.push(sliceFinding(entry, context, `${parent} / ${parentMetric.metric}`, parentMetric, hidden));
    }
  }
  for (const [name, globs] of Object.entries(context.config.slices)) {
    findings.push(checkDeclaredSlice(entry, context, name, picomatch(globs)));
  }
  return findings;
}

function sliceFinding(
  entry: MetricsEntry,
  context: CheckContext,
  aggregate: string,
  parent: MetricDiff,
  hidden: MetricDiff[],
): Finding | undefined {
  const worst = [...hidden].sort((a, b) => Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0));
  return createFinding('eval-slice-regression', context.config, {
    title: `${hidden.length} slice${hidden.length === 1 ? '' : 's'} of ${aggregate} regressed while the aggregate ${parent.change === 'improved' ? 'improved' : 'held'} (${formatSigned(parent.delta)})`,
    details: [
      ...worst
        .slice(0, 8)
        .map(
          (m) =>
            `${m.task} / ${m.metric}: ${formatValue(m.base)} → ${formatValue(m.head)} (${formatSigned(m.delta)})`,
        ),
      'A better average can hide a slice that got worse: check whether the slice matters for your use.',
    ],
    evidence: {
      ...(typeof parent.delta === 'number' ? { delta: parent.delta } : {}),
      head: hidden.length,
    },
    location: { path: entry.report.path },
  });
}

/** A declared slice: the mean of its tasks' metric against the mean of all tasks, base vs head. */
function checkDeclaredSlice(
  entry: MetricsEntry,
  context: CheckContext,
  name: string,
  inSlice: (task: string) => boolean,
): Finding | undefined {
  const settings = context.config.checks['eval-regression'];
  const byMetric = new Map<string, MetricDiff[]>();
  for (const metric of entry.report.metrics) {
    if (typeof metric.base !== 'number' || typeof metric.head !== 'number' || metric.direction === 'unknown')
      continue;
    const list = byMetric.get(metric.metric) ?? [];
    list.push(metric);
    byMetric.set(metric.metric, list);
  }
  for (const [metricName, all] of byMetric) {
    const slice = all.filter((m) => isMatchablePath(m.task) && inSlice(m.task));
    if (slice.length === 0 || slice.length === all.length) continue;
    const sliceMove = meanMove(slice);
    const allMove = meanMove(all);
    const sign = slice[0]?.direction === 'lower' ? -1 : 1;
    if (sign * sliceMove.delta >= -settings.tolerance || sign * allMove.delta < -settings.tolerance / 2)
      continue;
    if (sliceMove.stderr !== undefined) {
      const test = computeStderrTest(
        sliceMove.base,
        sliceMove.head,
        sliceMove.stderr.base,
        sliceMove.stderr.head,
      );
      if (test.pValue >= settings.significance) continue;
    }
    return createFinding('eval-slice-regression', context.config, {
      title: `Slice "${name}" (${slice.length} task${slice.length === 1 ? '' : 's'}) regressed on ${metricName} (${formatSigned(sliceMove.delta)}) while all ${all.length} tasks moved ${formatSigned(allMove.delta)}`,
      details: slice
        .slice(0, 8)
        .map(
          (m) =>
            `${m.task} / ${m.metric}: ${formatValue(m.base)} → ${formatValue(m.head)} (${formatSigned(m.delta)})`,
        ),
      evidence: { base: sliceMove.base, head: sliceMove.head, delta: sliceMove.delta },
      location: { path: entry.report.path },
    });
  }
  return undefined;
}

/** Mean base and head of some metrics, with the standard error of each mean when every metric has one. */
function meanMove(metrics: MetricDiff[]): {
  base: number;
  head: number;
  delta: number;
  stderr?: { base: number; head: number };
} {
  const k = metrics.length;
  const base = metrics.reduce((sum, m) => sum + (m.base as number), 0) / k;
  const head = metrics.reduce((sum, m) => sum + (m.head as number), 0) / k;
  const withErrors = metrics.every((m) => m.baseStderr !== undefined && m.headStderr !== undefined);
  const pooled = (pick: (m: MetricDiff) => number): number =>
    Math.sqrt(metrics.reduce((sum, m) => sum + pick(m) ** 2, 0)) / k;
  return {
    base,
    head,
    delta: head - base,
    ...(withErrors
      ? { stderr: { base: pooled((m) => m.baseStderr ?? 0), head: pooled((m) => m.headStderr ?? 0) } }
      : {}),
  };
}

/** The real-world metrics named in the config: absent on head, or in results that were not re-run. */
function checkRealWorldMissing(context: CheckContext): (Finding | undefined)[] {
  const realWorld = context.config['real-world'];
  if (!realWorld) return [];
  const match = picomatch(realWorld.metrics);
  const holding = (report: MetricsReport): MetricDiff[] =>
    report.metrics.filter(
      (m) => m.head !== undefined && isMatchablePath(m.key) && (match(m.key) || match(m.task)),
    );
  const files = context.metrics.filter(
    (entry) => entry.report.status !== 'removed' && holding(entry.report).length > 0,
  );
  const where = realWorld.metrics.join(', ');
  if (files.length === 0) {
    return [
      createFinding('eval-real-world-missing', context.config, {
        title: `No real-world metric (${where}) on head`,
        details: [
          'The config names real-world metrics, but no results file on head reports them. Run the real-world evaluation and commit its results.',
        ],
      }),
    ];
  }
  const changed = [
    ...context.params.filter((p) => p.report.changes.length > 0).map((p) => p.report.path),
    ...context.datasets.filter((d) => isTouched(d.report.status)).map((d) => d.report.path),
  ];
  if (changed.length === 0) return [];
  return files
    .filter((entry) => entry.report.status === 'unchanged')
    .map((entry) =>
      createFinding('eval-real-world-missing', context.config, {
        title: `The real-world results in ${entry.report.path} were not re-run after ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''} changed`,
        details: [`${holding(entry.report).length} real-world metrics describe the old setup.`],
        location: { path: entry.report.path },
      }),
    );
}

function formatSigned(value: number | undefined): string {
  if (value === undefined) return '∅';
  return `${value > 0 ? '+' : ''}${formatNumber(value)}`;
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
