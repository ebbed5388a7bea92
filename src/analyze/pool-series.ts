import type { EvaluationFile } from '../diff/diff-evaluation.js';
import { findRepeats, poolRepeats, type SeriesRun } from '../diff/pool-repeats.js';
import { decodeText } from '../loaders/decode-text.js';
import { parseMetricsFile, type MetricsFile } from '../loaders/parse-metrics.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Artifact } from '../sources/discover-artifacts.js';
import type { AnalyzeStepInput } from './read-sides.js';

/**
 * The repeats of each side's run among the other runs of its timestamped series ({@link findRepeats}:
 * the same model and settings with other seeds; on head only runs the pull request added), each side's
 * own run first; `undefined` when neither side has more than one. A run that cannot be read ends the
 * walk: it stays history, as the runs before it.
 */
export async function findSeries(
  input: AnalyzeStepInput,
  artifact: Artifact,
  base: MetricsFile | undefined,
  head: MetricsFile | undefined,
): Promise<{ base: SeriesRun[]; head: SeriesRun[] } | undefined> {
  const { runs } = artifact;
  if (!runs) return undefined;
  const group = async (
    snapshot: Snapshot,
    anchor: SeriesRun | undefined,
    paths: readonly string[],
    eligible?: (path: string) => boolean,
  ): Promise<SeriesRun[]> => {
    if (!anchor) return [];
    const earlier: SeriesRun[] = [];
    for (const path of paths) {
      if (path === anchor.path) continue;
      const read = await readRun(snapshot, path);
      if (!read) break;
      earlier.push(read);
    }
    return findRepeats(anchor, earlier, eligible);
  };
  const baseRuns = await group(
    input.pair.base,
    base && { path: artifact.comparedWith?.path ?? artifact.path, file: base },
    runs.base,
  );
  const headRuns = await group(
    input.pair.head,
    head && { path: artifact.path, file: head },
    runs.head,
    (path) => !input.present.base.has(path),
  );
  return baseRuns.length > 1 || headRuns.length > 1 ? { base: baseRuns, head: headRuns } : undefined;
}

async function readRun(snapshot: Snapshot, path: string): Promise<SeriesRun | undefined> {
  const bytes = await snapshot.readFile(path);
  if (!bytes) return undefined;
  try {
    return { path, file: parseMetricsFile(decodeText(bytes), path) };
  } catch {
    return undefined;
  }
}

/**
 * A results file with its repeats pooled into each side ({@link poolRepeats}), the side's own values
 * (as compared: only the re-run tasks, or the baseline's) standing first; the file as it was when
 * neither side has repeats or no metric could be pooled.
 */
export function poolSeries(file: EvaluationFile): EvaluationFile {
  const { base, head, series } = file;
  if (!base || !head || !series) return file;
  const basePath = series.base[0]?.path ?? file.comparedWith?.path ?? file.path;
  const baseRuns = [{ path: basePath, file: base }, ...series.base.slice(1)];
  const headRuns = [{ path: file.path, file: head }, ...series.head.slice(1)];
  if (baseRuns.length < 2 && headRuns.length < 2) return file;
  const pooled = poolRepeats(baseRuns, headRuns);
  if (pooled.noise.size === 0) return file;
  return {
    ...file,
    base: pooled.base,
    head: pooled.head,
    repeats: {
      base: baseRuns.map((run) => run.path),
      head: headRuns.map((run) => run.path),
      noise: pooled.noise,
    },
  };
}
