import type { MetricsEntry } from '../checks/check-context.js';
import type { Config } from '../config/schema.js';
import { diffEvaluation, type EvaluationFile } from '../diff/diff-evaluation.js';
import { findSeries, poolSeries } from './pool-series.js';
import { parseMetricsFile, type MetricsFile } from '../loaders/parse-metrics.js';
import type { Artifact } from '../sources/discover-artifacts.js';
import { filesOn } from '../sources/discover-artifacts.js';
import { readSampleLog, type SampleLog } from '../loaders/read-sample-log.js';
import {
  isComparable,
  loadSides,
  parseWith,
  sidesToReport,
  type AnalyzeStepInput,
  type ArtifactChange,
  type LoadSide,
} from './read-sides.js';
import { isInspectEvalPath, parseInspectJsonLog, readInspectEvalLog } from '../loaders/read-inspect-log.js';
import { applyHelmRunSpec, findHelmRunSpecPath } from '../loaders/read-helm.js';
import { decodeText } from '../loaders/decode-text.js';
import { folderOf } from '../model/paths.js';
import type { Readable } from 'node:stream';
import {
  findLightevalResultsPath,
  parseLightevalDetailsName,
  readLightevalDetails,
} from '../loaders/read-lighteval-details.js';
import { findLfsPointer } from '../model/lfs-pointer.js';
import type { Snapshot } from '../model/snapshot.js';
import type { BaselineLookup, BaselineStatus } from '../model/baseline-source.js';
import type { EvalResults } from '../model/report-schema.js';
import { packEvalResults } from '../report/pack-eval-results.js';
import { applyBaseline } from './apply-baseline.js';

/** Per-item eval logs of each side, by the folder they sit in, then by task. */
export interface SampleLogs {
  base: Map<string, Map<string, SampleLog>>;
  head: Map<string, Map<string, SampleLog>>;
}

/** The results files as the checks see them, as a later run's baseline needs them, and the baseline used. */
export interface MetricsAnalysis {
  entries: MetricsEntry[];
  /** Each head results file with its per-item logs, packed for the report ({@link packEvalResults}). */
  evalResults: EvalResults[];
  /** Set when the base had no results file and a baseline was looked for (see {@link applyBaseline}). */
  baseline?: BaselineStatus;
}

/**
 * Reads the per-item eval logs and the results files on both sides, and diffs the results with their
 * significance (paired per-item tests where a results file has logs in its folder). When the base has
 * no results file, `lookup` may give its base side from an earlier run's report.
 */
export async function analyzeMetrics(
  input: AnalyzeStepInput,
  lookup?: BaselineLookup,
): Promise<MetricsAnalysis> {
  const { config, log } = input;
  const sampleLogs = await readSampleLogs(input);
  const files: EvaluationFile[] = [];
  for (const change of input.changes) {
    const { artifact, status } = change;
    if (artifact.kind !== 'metrics') continue;
    const { base, head } = await loadSides({ ...input, change }, loadResults(input, change, sampleLogs));
    for (const [side, file] of sidesToReport(status, base, head))
      log.addProblems(artifact.path, side, file.problems);
    if (!isComparable(status, base, head)) continue;
    const compared = base && head ? onlyRerunTasks(artifact.comparedWith, base, head, input) : base;
    const series = await findSeries(input, artifact, base, head);
    files.push({
      path: artifact.path,
      status,
      ...(artifact.comparedWith ? { comparedWith: artifact.comparedWith } : {}),
      ...(compared ? { base: compared } : {}),
      ...(head ? { head } : {}),
      ...(series ? { series } : {}),
    });
  }
  const evalResults = files.flatMap((file) =>
    file.head
      ? [
          packEvalResults(file.path, file.head, sampleLogs.head.get(folderOf(file.path))),
          ...(file.series?.head ?? [])
            .slice(1)
            .map((run) => ({ ...packEvalResults(run.path, run.file, undefined), repeatOf: file.path })),
        ]
      : [],
  );
  const applied = await applyBaseline(files, sampleLogs, lookup);
  return {
    entries: buildMetricsEntries(applied.files.map(poolSeries), sampleLogs, config),
    evalResults,
    ...(applied.status ? { baseline: applied.status } : {}),
  };
}

/**
 * A newer timestamped run that re-runs some of the tasks of the run it is compared with, while that run
 * stays in the tree: the tasks it left out are not removed, they were not re-run (their results stand
 * in the older file). Only the tasks both runs hold are compared. When the older run is gone on head,
 * its tasks are compared as they are (a task missing from the new run is then really gone).
 */
function onlyRerunTasks(
  comparedWith: Artifact['comparedWith'],
  base: MetricsFile,
  head: MetricsFile,
  input: AnalyzeStepInput,
): MetricsFile {
  if (comparedWith?.reason !== 'newer-run' || !input.present.head.has(comparedWith.path)) return base;
  const rerun = new Set(head.metrics.map((metric) => metric.task));
  const keep = (task: string): boolean => rerun.has(task);
  return {
    ...base,
    metrics: base.metrics.filter((metric) => keep(metric.task)),
    tasks: Object.fromEntries(Object.entries(base.tasks).filter(([task]) => keep(task))),
    groups: Object.fromEntries(Object.entries(base.groups).filter(([group]) => keep(group))),
  };
}

/**
 * Reads a results file on one side. An Inspect AI log (`.eval`, or a `.json` log) also gives its samples'
 * scores, added to the side's per-item logs by its folder (to both sides for an unchanged file, which is
 * read once), so that the two runs are tested sample by sample. A HELM `stats.json` takes its run's
 * settings from the `run_spec.json` beside it.
 */
function loadResults(
  input: AnalyzeStepInput,
  change: ArtifactChange,
  sampleLogs: SampleLogs,
): LoadSide<MetricsFile> {
  const { log } = input;
  const other = parseWith(parseMetricsFile, log);
  return async (snapshot, side, paths) => {
    const path = paths[0];
    const isJson = path?.toLowerCase().endsWith('.json') === true;
    if (path === undefined || (!isJson && !isInspectEvalPath(path))) return other(snapshot, side, paths);
    const bytes = await snapshot.readFile(path);
    if (!bytes) return undefined;
    try {
      const inspect = isJson
        ? parseInspectJsonLog(decodeText(bytes), path)
        : await readInspectEvalLog(bytes, path);
      if (!inspect) return await withRunSpec(snapshot, path, parseMetricsFile(decodeText(bytes), path));
      const sides = change.status === 'unchanged' ? (['base', 'head'] as const) : [side];
      for (const each of sides) addSampleLog(sampleLogs[each], path, inspect.samples);
      return inspect.file;
    } catch (error) {
      log.note(path, side)(error);
      return undefined;
    }
  };
}

/** A HELM `stats.json` with the settings of the `run_spec.json` beside it, when there is one. */
async function withRunSpec(snapshot: Snapshot, path: string, file: MetricsFile): Promise<MetricsFile> {
  const specPath = findHelmRunSpecPath(path);
  if (file.format !== 'helm' || specPath === undefined) return file;
  const spec = await snapshot.readFile(specPath);
  return spec === undefined ? file : applyHelmRunSpec(file, decodeText(spec));
}

function addSampleLog(logs: Map<string, Map<string, SampleLog>>, path: string, sampleLog: SampleLog): void {
  const folder = folderOf(path);
  const byTask = logs.get(folder) ?? new Map<string, SampleLog>();
  byTask.set(sampleLog.task, sampleLog);
  logs.set(folder, byTask);
}

/** The checks' view of results files: each one's diff (tolerance, comparability, significance) and sides. */
export function buildMetricsEntries(
  files: readonly EvaluationFile[],
  sampleLogs: SampleLogs,
  config: Config,
): MetricsEntry[] {
  const reports = diffEvaluation([...files], withOwnSamples(files, sampleLogs), config);
  return files.map((file, index) => ({
    report: reports[index] as MetricsEntry['report'],
    ...(file.base ? { base: file.base } : {}),
    ...(file.head ? { head: file.head } : {}),
  }));
}

/**
 * The per-item logs with those results files hold themselves (promptfoo's tests) added in their folder,
 * so their pass rates are compared test by test as lm-eval's are with `samples_*.jsonl`.
 */
function withOwnSamples(files: readonly EvaluationFile[], logs: SampleLogs): SampleLogs {
  const copy = (side: SampleLogs['base']) =>
    new Map([...side].map(([folder, byTask]) => [folder, new Map(byTask)]));
  const merged: SampleLogs = { base: copy(logs.base), head: copy(logs.head) };
  for (const file of files) {
    for (const sampleLog of file.base?.samples ?? [])
      addSampleLog(merged.base, file.comparedWith?.path ?? file.path, sampleLog);
    for (const sampleLog of file.head?.samples ?? []) addSampleLog(merged.head, file.path, sampleLog);
  }
  return merged;
}

async function readSampleLogs(input: AnalyzeStepInput): Promise<SampleLogs> {
  const { log } = input;
  const logs: SampleLogs = { base: new Map(), head: new Map() };
  const times = { base: new Map<string, string>(), head: new Map<string, string>() };
  for (const change of input.changes) {
    const { artifact } = change;
    if (artifact.kind !== 'eval-samples') continue;
    const { base, head } = await loadSides({ ...input, change }, async (snapshot, side, paths) => {
      const path = paths[0];
      if (path === undefined) return undefined;
      const stream = await openSampleLog(snapshot, path);
      if (!stream) return undefined;
      const read = parseLightevalDetailsName(path)
        ? readLightevalDetails(stream, artifact.path)
        : readSampleLog(stream, artifact.path);
      return read.catch((error: unknown) => {
        log.note(artifact.path, side)(error);
        return undefined;
      });
    });
    // A line without an item id or a score is a problem with its line, as in any other file.
    for (const [side, sampleLog] of sidesToReport(change.status, base, head))
      log.addProblems(artifact.path, side, sampleLog.problems);
    for (const [side, sampleLog] of [
      ['base', base],
      ['head', head],
    ] as const) {
      // A log without one scored item pairs nothing: its task is not claimed as tested item by item.
      if (!sampleLog || sampleLog.scores.size === 0) continue;
      const path = filesOn(artifact, side)[0] ?? artifact.path;
      const folder = findLogFolder(path, input.present[side]);
      const byTask = logs[side].get(folder) ?? new Map<string, SampleLog>();
      const time = parseLightevalDetailsName(path)?.time ?? '';
      const key = `${folder}\n${sampleLog.task}`;
      // Several lighteval runs beside one results folder: the newest run's details stand for the task.
      if ((times[side].get(key) ?? '') > time) continue;
      times[side].set(key, time);
      byTask.set(sampleLog.task, sampleLog);
      logs[side].set(folder, byTask);
    }
  }
  return logs;
}

/**
 * The folder whose results a per-item log is paired with: its own, or for lighteval details (which
 * lighteval writes apart from its results) the folder of its run's results file
 * (`results/<model>/results_<time>.json`, same time, hence same task and few-shot count) when that side
 * has the file.
 */
function findLogFolder(path: string, present: ReadonlySet<string>): string {
  const results = findLightevalResultsPath(path);
  return folderOf(results !== undefined && present.has(results) ? results : path);
}

/** Git LFS pointers are a few hundred bytes: a file this small is checked for one before it is read. */
const POINTER_MAX_BYTES = 1024;

/**
 * A per-item log's bytes, or the content of the Git LFS object it points to; `undefined` when the file
 * is absent or is a pointer whose content is not in the checkout. Such a log is optional evidence: its
 * metrics are still compared, with their standard errors instead of paired items, never read as JSON
 * lines of `version https://git-lfs…`.
 */
async function openSampleLog(snapshot: Snapshot, path: string): Promise<Readable | undefined> {
  const size = await snapshot.fileSize(path);
  if (size !== undefined && size <= POINTER_MAX_BYTES) {
    const bytes = await snapshot.readFile(path);
    const pointer = bytes === undefined ? undefined : findLfsPointer(bytes);
    if (pointer !== undefined) return snapshot.openLfsObject(pointer, path);
  }
  return snapshot.streamFile(path);
}
