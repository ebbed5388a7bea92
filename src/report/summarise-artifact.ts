import type {
  ArtifactLine,
  DatasetReport,
  MetricDiff,
  MetricsReport,
  ParamsReport,
  TrainingReport,
} from '../model/report-schema.js';

/** An artifact's entry in the report, with the kind of the array it stands in. */
export type ArtifactEntry =
  | { kind: 'dataset'; entry: DatasetReport }
  | { kind: 'params'; entry: ParamsReport }
  | { kind: 'metrics'; entry: MetricsReport }
  | { kind: 'training-log'; entry: TrainingReport };

/**
 * An artifact's entry in one line: its kind, path, status and base path, and its size in its own terms
 * (a dataset's split and rows on each side, a hyperparameter file's changed keys, a metrics file's
 * metrics counted by change, a training log's last step on each side). A side that does not exist is
 * left out.
 * @example summariseArtifact({ kind: 'params', entry: lora }) // { kind: 'params', path: 'configs/lora.yml', status: 'modified', changes: 2 }
 */
export function summariseArtifact(artifact: ArtifactEntry): ArtifactLine {
  const { entry } = artifact;
  const line: ArtifactLine = {
    kind: artifact.kind,
    path: entry.path,
    status: entry.status,
    ...(entry.comparedWith ? { comparedWith: entry.comparedWith.path } : {}),
  };
  switch (artifact.kind) {
    case 'dataset':
      return {
        ...line,
        split: artifact.entry.split,
        rows: sides(artifact.entry.base?.rows, artifact.entry.head?.rows),
      };
    case 'params':
      return { ...line, changes: artifact.entry.changes.length };
    case 'metrics':
      return { ...line, metrics: countChanges(artifact.entry.metrics) };
    case 'training-log':
      return { ...line, lastStep: sides(artifact.entry.base?.lastStep, artifact.entry.head?.lastStep) };
  }
}

function sides(base: number | undefined, head: number | undefined): { base?: number; head?: number } {
  return { ...(base !== undefined ? { base } : {}), ...(head !== undefined ? { head } : {}) };
}

function countChanges(metrics: readonly MetricDiff[]): Partial<Record<MetricDiff['change'], number>> {
  const counts: Partial<Record<MetricDiff['change'], number>> = {};
  for (const metric of metrics) counts[metric.change] = (counts[metric.change] ?? 0) + 1;
  return counts;
}
