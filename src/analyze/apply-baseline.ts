import type { EvaluationFile } from '../diff/diff-evaluation.js';
import type { SampleLog } from '../loaders/read-sample-log.js';
import type { BaselineLookup, BaselineStatus } from '../model/baseline-source.js';
import { folderOf } from '../model/paths.js';
import type { EvalResults } from '../model/report-schema.js';
import { unpackEvalResults } from '../report/pack-eval-results.js';

/** The results files with their base side from the baseline where it had one, and what became of it. */
export interface BaselineApplied {
  files: EvaluationFile[];
  status?: BaselineStatus;
}

/**
 * Gives the head's results files a base side from an earlier run's report, when the base has no results
 * file at all: every results file of the pull request is `added` (a team whose evaluation runs in CI and
 * never commits its results). The lookup is called then only. Each head file is compared with the
 * baseline's file of the same path, else with the only baseline file of its folder (lm-eval names each
 * run's file after its time); its per-item logs join the base side's logs of the head file's folder, so
 * paired tests work across the two runs; the baseline's repeats of that file (`repeatOf`) become the base
 * side's repeats, pooled later as repeats on a commit are. A file without a counterpart stays `added`. Without a lookup,
 * or when the base has results, nothing changes and there is no status.
 */
export async function applyBaseline(
  files: readonly EvaluationFile[],
  sampleLogs: { base: Map<string, Map<string, SampleLog>> },
  lookup: BaselineLookup | undefined,
): Promise<BaselineApplied> {
  if (!lookup || files.length === 0 || !files.every((file) => file.status === 'added'))
    return { files: [...files] };
  const outcome = await lookup();
  if ('missing' in outcome) return { files: [...files], status: { missing: outcome.missing } };
  const pairs: { path: string; baselinePath: string }[] = [];
  const compared = files.map((file) => {
    const stored = findCounterpart(file.path, outcome.results, files);
    if (!stored) return file;
    const { file: base, logs } = unpackEvalResults(stored);
    addLogs(sampleLogs.base, folderOf(file.path), logs);
    pairs.push({ path: file.path, baselinePath: stored.path });
    const repeats = outcome.results
      .filter((results) => results.repeatOf === stored.path)
      .map((results) => ({ path: results.path, file: unpackEvalResults(results).file }));
    if (repeats.length === 0) return { ...file, base };
    const series = { base: [{ path: stored.path, file: base }, ...repeats], head: file.series?.head ?? [] };
    return { ...file, base, series };
  });
  if (pairs.length === 0) {
    const paths = outcome.results.map((results) => results.path);
    return {
      files: compared,
      status: {
        missing: `the report of run ${outcome.found.runId} holds no results file matching the head's (it has ${paths.length === 0 ? 'none' : paths.slice(0, 5).join(', ')})`,
      },
    };
  }
  return { files: compared, status: { used: { ...outcome.found, files: pairs } } };
}

function findCounterpart(
  path: string,
  stored: readonly EvalResults[],
  files: readonly EvaluationFile[],
): EvalResults | undefined {
  const runs = stored.filter((results) => results.repeatOf === undefined);
  const same = runs.find((results) => results.path === path);
  if (same) return same;
  const folder = folderOf(path);
  const inFolder = runs.filter((results) => folderOf(results.path) === folder);
  const headInFolder = files.filter((file) => folderOf(file.path) === folder);
  return inFolder.length === 1 && headInFolder.length === 1 ? inFolder[0] : undefined;
}

/** Adds a baseline file's logs to one side's logs of `folder`; logs the side already has there stay. */
function addLogs(
  side: Map<string, Map<string, SampleLog>>,
  folder: string,
  logs: ReadonlyMap<string, SampleLog>,
): void {
  if (logs.size === 0) return;
  const byTask = side.get(folder) ?? new Map<string, SampleLog>();
  for (const [task, log] of logs) if (!byTask.has(task)) byTask.set(task, log);
  side.set(folder, byTask);
}
