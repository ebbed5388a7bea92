import picomatch from 'picomatch';
import type { Config } from '../config/schema.js';
import type { MetricsFile } from '../loaders/parse-metrics.js';
import type { SampleLog } from '../loaders/read-sample-log.js';
import type { FileStatus, MetricsReport, ComparedWith } from '../model/report-schema.js';
import { applySignificance, type SampleTests, type SignificanceOptions } from './apply-significance.js';
import { compareEvalSettings } from './compare-eval-settings.js';
import { compareSampleLogs, type SampleComparison } from './compare-samples.js';
import { computeMetricTolerance, diffMetrics, type MetricTolerance } from './diff-metrics.js';
import { folderOf } from '../model/paths.js';
import type { RepeatNoise, SeriesRun } from './pool-repeats.js';

/** One results file on both sides, as loaded. */
export interface EvaluationFile {
  path: string;
  status: FileStatus;
  /** The base file, when it had another path (moved, or the run this one re-runs). */
  comparedWith?: ComparedWith;
  base?: MetricsFile;
  head?: MetricsFile;
  /**
   * The runs that repeat each side's run with other seeds, that run first (see `findRepeats`); set when a
   * side has more than one.
   */
  series?: { base: SeriesRun[]; head: SeriesRun[] };
  /** Repeated runs with other seeds pooled into `base` and `head` (see `poolRepeats`). */
  repeats?: Repeats;
}

/** The runs pooled on each side, newest first, and each pooled metric's noise by key. */
export interface Repeats {
  base: string[];
  head: string[];
  noise: ReadonlyMap<string, RepeatNoise>;
}

/** Per-item logs of one side, by folder then task. */
export type SampleLogsByFolder = ReadonlyMap<string, ReadonlyMap<string, SampleLog>>;

/**
 * Diffs every results file and judges each change the way a careful reviewer would:
 * 1. direction and tolerance (`diffMetrics`), with the stricter `real-world` tolerance for the
 *    real-world metrics;
 * 2. comparability: a task whose evaluation settings differ (`compareEvalSettings`) gets no verdict,
 *    only `incomparable`, and the file lists what differs;
 * 3. noise: per-item logs in the results file's folder on both sides (lm-eval `samples_<task>_*.jsonl`)
 *    give paired tests; otherwise standard errors give a z-test; p-values are adjusted across the
 *    whole pull request (`applySignificance`), and each test states what it could detect against the
 *    metric's tolerance (the real-world one for real-world metrics), with the items behind it from
 *    lm-eval's `n-samples`: a wrong-way move a test could not have told from noise is `inconclusive`.
 */
export function diffEvaluation(
  files: readonly EvaluationFile[],
  samples: { base: SampleLogsByFolder; head: SampleLogsByFolder },
  config: Config,
): MetricsReport[] {
  const { tolerance, strict, isRealWorld } = readTolerances(config);
  const sampleTests = new Map<string, SampleTests>();

  const reports = files.map((file): MetricsReport => {
    let metrics = diffMetrics(file.base, file.head, tolerance, config.directions);
    if (isRealWorld && strict !== tolerance) {
      const only = (side: MetricsFile | undefined): MetricsFile | undefined =>
        side && { ...side, metrics: side.metrics.filter((m) => isRealWorld(m.key) || isRealWorld(m.task)) };
      const stricter = new Map(
        diffMetrics(only(file.base), only(file.head), strict, config.directions).map((d) => [d.key, d]),
      );
      metrics = metrics.map((metric) => stricter.get(metric.key) ?? metric);
    }
    const incomparable = file.base && file.head ? compareEvalSettings(file.base, file.head) : [];
    if (incomparable.length > 0) {
      const whole = incomparable.some((item) => item.task === '*');
      const tasks = new Set(incomparable.map((item) => item.task));
      metrics = metrics.map((metric) =>
        (whole || tasks.has(metric.task)) && metric.change !== 'added' && metric.change !== 'removed'
          ? { ...metric, change: 'incomparable' as const }
          : metric,
      );
    }
    // Pooled repeats share their folder's per-item logs, one per seed: no single log stands for a side.
    const baseLogs = file.repeats
      ? undefined
      : samples.base.get(folderOf(file.comparedWith?.path ?? file.path));
    const headLogs = file.repeats ? undefined : samples.head.get(folderOf(file.path));
    const tests = new Map<string, SampleComparison>();
    const pairedTasks: string[] = [];
    for (const [task, baseLog] of baseLogs ?? []) {
      const headLog = headLogs?.get(task);
      if (!headLog) continue;
      pairedTasks.push(task);
      for (const [metric, test] of compareSampleLogs(baseLog, headLog)) tests.set(`${task}/${metric}`, test);
    }
    if (tests.size > 0) sampleTests.set(file.path, tests);
    return {
      path: file.path,
      status: file.status,
      ...(file.comparedWith ? { comparedWith: file.comparedWith } : {}),
      format: (file.head ?? file.base)?.format ?? 'generic',
      metrics,
      ...(incomparable.length > 0 ? { incomparable } : {}),
      ...(pairedTasks.length > 0 ? { pairedTasks: pairedTasks.sort() } : {}),
      ...(file.repeats ? { repeats: { base: file.repeats.base, head: file.repeats.head } } : {}),
    };
  });

  // Incomparable metrics are not tested: their numbers do not measure the same thing.
  const testable = reports.map((report) => ({
    ...report,
    metrics: report.metrics.filter((metric) => metric.change !== 'incomparable'),
  }));
  const judged = applySignificance(testable, sampleTests, significanceOptions(files, config));
  return reports.map((report, index) => {
    const byKey = new Map((judged[index]?.metrics ?? []).map((metric) => [metric.key, metric]));
    return { ...report, metrics: report.metrics.map((metric) => byKey.get(metric.key) ?? metric) };
  });
}

/**
 * The config's tolerances: `eval-regression`'s, and the stricter `real-world.tolerance` for the metrics
 * `real-world.metrics` names (`strict` is `tolerance` itself when there is none).
 */
function readTolerances(config: Config): {
  tolerance: MetricTolerance;
  strict: MetricTolerance;
  isRealWorld: ((name: string) => boolean) | undefined;
} {
  const settings = config.checks['eval-regression'];
  const tolerance: MetricTolerance = {
    absolute: settings.tolerance,
    relative: settings['relative-tolerance'],
  };
  const realWorld = config['real-world'];
  const strict =
    realWorld?.tolerance !== undefined ? { ...tolerance, absolute: realWorld.tolerance } : tolerance;
  return { tolerance, strict, isRealWorld: realWorld ? picomatch(realWorld.metrics) : undefined };
}

/** The significance settings of the config, with each metric's tolerance and the items behind its task. */
function significanceOptions(files: readonly EvaluationFile[], config: Config): SignificanceOptions {
  const settings = config.checks['eval-regression'];
  const { tolerance, strict, isRealWorld } = readTolerances(config);
  const byPath = new Map(files.map((file) => [file.path, file]));
  return {
    alpha: settings.significance,
    adjustment: settings.adjustment,
    confidence: 0.95,
    toleranceOf: (metric) =>
      computeMetricTolerance(
        metric,
        isRealWorld && (isRealWorld(metric.key) || isRealWorld(metric.task)) ? strict : tolerance,
      ),
    itemsOf: (path, task) => countItems(byPath.get(path), task),
    repeatsOf: (path, key) => byPath.get(path)?.repeats?.noise.get(key),
  };
}

/**
 * The items evaluated for a task, from lm-eval's `n-samples` (`effective`, else `original`): the fewer
 * of the two sides when both say, since the standard errors of both sides enter the test.
 */
function countItems(file: EvaluationFile | undefined, task: string): number | undefined {
  const count = (side: MetricsFile | undefined): number | undefined => {
    const samples = side?.tasks[task]?.samples;
    return samples?.effective ?? samples?.original;
  };
  const counts = [count(file?.base), count(file?.head)].filter(
    (n): n is number => n !== undefined && Number.isInteger(n) && n >= 0,
  );
  return counts.length === 0 ? undefined : Math.min(...counts);
}
