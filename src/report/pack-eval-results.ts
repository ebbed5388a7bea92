import type { MetricsFile } from '../loaders/parse-metrics.js';
import type { SampleLog } from '../loaders/read-sample-log.js';
import type { EvalResults } from '../model/report-schema.js';
import { packSampleLog, unpackSampleLog } from './pack-sample-log.js';

/**
 * A head results file as the report keeps it for a later run's baseline: its metrics without their
 * lines, its evaluation settings, and the per-item logs of its folder by task, packed
 * ({@link packSampleLog}); a value that is not a finite number is kept as `null`.
 * @example packEvalResults('results/r.json', file, logs).metrics[0] // { task: 'arc_easy', metric: 'acc', value: 0.74, stderr: 0.009 }
 */
export function packEvalResults(
  path: string,
  file: MetricsFile,
  logs: ReadonlyMap<string, SampleLog> | undefined,
): EvalResults {
  const samples = [...(logs?.values() ?? [])]
    .sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0))
    .map(packSampleLog);
  return {
    path,
    format: file.format,
    metrics: file.metrics.map((metric) => ({
      task: metric.task,
      metric: metric.metric,
      value: Number.isFinite(metric.value) ? metric.value : null,
      ...(metric.stderr !== undefined ? { stderr: metric.stderr } : {}),
      ...(metric.higherIsBetter !== undefined ? { higherIsBetter: metric.higherIsBetter } : {}),
    })),
    tasks: file.tasks,
    evaluator: file.evaluator,
    groups: file.groups,
    ...(samples.length > 0 ? { samples } : {}),
  };
}

/**
 * The results file and per-item logs (by task) a packed entry stands for, as the loaders would give
 * them: `null` values come back as NaN, and nothing has a line or a problem.
 */
export function unpackEvalResults(stored: EvalResults): { file: MetricsFile; logs: Map<string, SampleLog> } {
  const file: MetricsFile = {
    format: stored.format,
    metrics: stored.metrics.map((metric) => ({
      key: `${metric.task}/${metric.metric}`,
      task: metric.task,
      metric: metric.metric,
      value: metric.value ?? Number.NaN,
      ...(metric.stderr !== undefined ? { stderr: metric.stderr } : {}),
      ...(metric.higherIsBetter !== undefined ? { higherIsBetter: metric.higherIsBetter } : {}),
    })),
    // Parsed JSON holds no `undefined` members: the optional fields are absent or set, as the loaders give them.
    tasks: stored.tasks as MetricsFile['tasks'],
    evaluator: stored.evaluator as MetricsFile['evaluator'],
    groups: stored.groups,
    problems: [],
  };
  const logs = new Map((stored.samples ?? []).map((packed) => [packed.task, unpackSampleLog(packed)]));
  return { file, logs };
}
