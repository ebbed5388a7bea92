import { findInspectRun } from '../loaders/read-inspect-log.js';
import { findOpenCompassRun } from '../loaders/read-opencompass.js';
import type { Rename } from '../model/snapshot.js';
import type { Artifact, ArtifactKind } from './discover-artifacts.js';

/** The paths present on each side of a pair. */
export interface SidePaths {
  base: ReadonlySet<string>;
  head: ReadonlySet<string>;
}

/**
 * lm-evaluation-harness and lighteval name each run's results after the time it ran
 * (`results_2024-05-01T12-30-00.123456.json`), so a re-run is a new file beside, or instead of, the old.
 */
const TIMESTAMPED_RESULTS = /^(.*\/)?(results)_(\d{4}-\d{2}-\d{2}T[0-9:.-]+)\.json$/i;

/**
 * Gives each artifact of the head its counterpart on base when the path changed but the artifact did not:
 * 1. a file git saw move (a rename, at least half alike) is one artifact, compared across its two paths,
 *    and keeps the kind and split it had on base wherever it moved (a dataset moved to the repository's
 *    root is still a dataset);
 * 2. a timestamped results file (lm-eval, lighteval; an Inspect AI log of the same task; an OpenCompass
 *    summary table in its run's `<time>/summary/` folder beside the config's other runs) is compared
 *    with the newest run of the same series on base; older runs of the series are history, neither
 *    compared nor reported as removed, and are listed in the kept run's `runs` (newest first, per side)
 *    for the analysis to find repeats among.
 * Artifacts whose path is the same on both sides come back as they were.
 */
export function pairArtifacts(input: PairArtifactsInput): Artifact[] {
  return pairTimestampedRuns(pairRenames(input), input.present);
}

/** What {@link pairArtifacts} pairs: the discovered artifacts, the paths of each side, git's renames. */
export interface PairArtifactsInput {
  artifacts: readonly Artifact[];
  present: SidePaths;
  renames: readonly Rename[];
  /** Whether a path may be reviewed at all (not ignored by the config or the built-in exclusions). */
  isReviewable: (path: string) => boolean;
}

function pairRenames({ artifacts, present, renames, isReviewable }: PairArtifactsInput): Artifact[] {
  const byPath = new Map<string, Artifact>();
  for (const artifact of artifacts)
    for (const path of artifact.files ?? [artifact.path]) byPath.set(path, artifact);
  const onlyOn = (artifact: Artifact, side: keyof SidePaths): boolean => {
    const other = side === 'base' ? present.head : present.base;
    return (artifact.files ?? [artifact.path]).every((path) => !other.has(path));
  };
  const replaced = new Map<Artifact, Artifact>();
  const dropped = new Set<Artifact>();
  for (const rename of renames) {
    const from = byPath.get(rename.from);
    if (!from || dropped.has(from) || !onlyOn(from, 'base')) continue;
    // Two runs of one timestamped series are paired as runs (newest with newest), not as a move.
    const series = runGroupOf(from.kind, rename.from);
    if (series !== undefined && series === runGroupOf(from.kind, rename.to)) continue;
    const found = byPath.get(rename.to);
    const to = found ? (replaced.get(found) ?? found) : undefined;
    if (to && (to.kind !== from.kind || !onlyOn(to, 'head') || to.comparedWith)) continue;
    if (!to && (from.files || !isReviewable(rename.to))) continue;
    const target: Artifact = to ?? {
      path: rename.to,
      kind: from.kind,
      ...(from.split ? { split: from.split } : {}),
      by: 'rename',
      reason: `moved from ${from.path}, where ${from.reason}`,
    };
    const paired: Artifact = {
      ...target,
      ...(from.split !== undefined && target.kind === 'dataset' ? { split: from.split } : {}),
      comparedWith: {
        path: from.path,
        ...(from.files ? { files: from.files } : {}),
        reason: 'renamed',
        similarity: rename.similarity,
      },
    };
    if (to) replaced.set(to, paired);
    else replaced.set(paired, paired);
    dropped.add(from);
  }
  const result = artifacts.filter((artifact) => !dropped.has(artifact)).map((a) => replaced.get(a) ?? a);
  for (const [key, value] of replaced) if (key === value && !result.includes(value)) result.push(value);
  return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function pairTimestampedRuns(artifacts: readonly Artifact[], present: SidePaths): Artifact[] {
  const groups = new Map<string, Artifact[]>();
  for (const artifact of artifacts) {
    const key = runGroupOf(artifact.kind, artifact.path);
    if (key === undefined || artifact.comparedWith) continue;
    groups.set(key, [...(groups.get(key) ?? []), artifact]);
  }
  const dropped = new Set<Artifact>();
  const replaced = new Map<Artifact, Artifact>();
  for (const runs of groups.values()) {
    if (runs.length < 2) continue;
    const newestFirst = (side: keyof SidePaths): Artifact[] =>
      runs
        .filter((run) => present[side].has(run.path))
        .sort(byRunTime)
        .reverse();
    const onBase = newestFirst('base');
    const onHead = newestFirst('head');
    const [base] = onBase;
    const [head] = onHead;
    const kept = head ?? base;
    if (!kept) continue;
    for (const run of runs) if (run !== kept) dropped.add(run);
    const series =
      onBase.length > 1 || onHead.length > 1
        ? { runs: { base: onBase.map((run) => run.path), head: onHead.map((run) => run.path) } }
        : {};
    const rerun =
      head && base && head !== base
        ? { comparedWith: { path: base.path, reason: 'newer-run' as const } }
        : {};
    if (series.runs || rerun.comparedWith) replaced.set(kept, { ...kept, ...rerun, ...series });
  }
  return artifacts.filter((artifact) => !dropped.has(artifact)).map((a) => replaced.get(a) ?? a);
}

/**
 * The folder and name stem shared by the runs of one timestamped results series, or `undefined`; an
 * Inspect AI log's series is its folder and task (`logs/<time>_<task>_<id>.eval`), an OpenCompass
 * summary's the folder its runs sit in (`outputs/default/<time>/summary/summary_<time>.csv`).
 */
function runGroupOf(kind: ArtifactKind, path: string): string | undefined {
  if (kind !== 'metrics') return undefined;
  const match = TIMESTAMPED_RESULTS.exec(path);
  if (match) return `${match[1] ?? ''}${match[2] ?? ''}`.toLowerCase();
  return (findInspectRun(path) ?? findOpenCompassRun(path))?.series.toLowerCase();
}

function byRunTime(a: Artifact, b: Artifact): number {
  const time = (artifact: Artifact): string =>
    TIMESTAMPED_RESULTS.exec(artifact.path)?.[3] ??
    (findInspectRun(artifact.path) ?? findOpenCompassRun(artifact.path))?.time ??
    '';
  return time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0;
}
