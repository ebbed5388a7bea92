import type { CheckContext, DatasetEntry, MetricsEntry, ParamsEntry } from './checks/check-context.js';
import { runChecks } from './checks/run-checks.js';
import type { Config } from './config/schema.js';
import { diffEvaluation, type EvaluationFile } from './diff/diff-evaluation.js';
import { diffParams } from './diff/diff-params.js';
import { describeError, ParseError } from './model/errors.js';
import { decodeText } from './loaders/decode-text.js';
import { findDatasetFormat } from './model/vocabulary.js';
import { parseMetricsFile, type MetricsFile } from './loaders/parse-metrics.js';
import { parseParamsFile, findParamsFormat, type ParamsFile } from './loaders/parse-params.js';
import { readSampleLog, type SampleLog } from './loaders/read-sample-log.js';
import { parseTrainingLog } from './loaders/parse-training-log.js';
import { computeCanonicalParams, computeEffectiveBatch } from './profile/compute-canonical-params.js';
import { createTokenCounter, DEFAULT_TOKENIZER, type TokenCounter } from './profile/dataset/index.js';
import { profileSnapshotDataset } from './profile/dataset/index.js';
import { profileTraining } from './profile/profile-training.js';
import { buildReport } from './report/build-report.js';
import type {
  FileStatus,
  Report,
  Side,
  TrainingProfile,
  TrainingReport,
  Unreadable,
} from './model/report-schema.js';
import { discoverArtifacts, type Artifact } from './sources/discover-artifacts.js';
import type { Snapshot, SnapshotPair } from './model/snapshot.js';

/** What one analysis needs: the two commits, the config, and the tool's version for the report. */
export interface AnalyzeInput {
  pair: SnapshotPair;
  config: Config;
  configPath?: string;
  toolVersion: string;
}

/**
 * Compares base and head of a fine-tuning repository and returns the report. The one place that
 * knows the order of the pipeline:
 * 1. discover the artifacts (datasets, hyperparameters, metrics, per-item eval logs, training logs);
 * 2. load and profile each artifact on each side, once when the file is unchanged;
 * 3. diff base against head;
 * 4. run the checks;
 * 5. assemble the report.
 * A file that cannot be read becomes an `unreadable` entry and a finding; the rest still runs. A problem
 * in a file the change did not touch is reported once, on the base side (it predates the change).
 */
export async function analyze(input: AnalyzeInput): Promise<Report> {
  const { pair, config } = input;
  const unreadable: Unreadable[] = [];
  const note = (path: string, side: Side) => (error: unknown) => {
    unreadable.push({
      path,
      side,
      reason: describeError(error),
      ...(error instanceof ParseError && error.line !== undefined ? { line: error.line } : {}),
    });
  };

  // 1. Discover.
  const [basePaths, headPaths] = await Promise.all([pair.base.listFiles(), pair.head.listFiles()]);
  const baseSet = new Set(basePaths);
  const headSet = new Set(headPaths);
  const artifacts = discoverArtifacts([...new Set([...basePaths, ...headPaths])], config);
  const statusOf = async (path: string): Promise<FileStatus> => {
    if (!baseSet.has(path)) return 'added';
    if (!headSet.has(path)) return 'removed';
    const [a, b] = await Promise.all([pair.base.blobId(path), pair.head.blobId(path)]);
    return a === b ? 'unchanged' : 'modified';
  };
  // A sharded dataset is added or removed when all its files are, unchanged when none changed.
  const statusOfAll = async (paths: readonly string[]): Promise<FileStatus> => {
    const statuses = new Set(await Promise.all(paths.map(statusOf)));
    return statuses.size === 1 ? ([...statuses][0] as FileStatus) : 'modified';
  };
  const withStatus = await Promise.all(
    artifacts.map(async (a) => ({ artifact: a, status: await statusOfAll(a.files ?? [a.path]) })),
  );
  const of = (kind: Artifact['kind']) => withStatus.filter((a) => a.artifact.kind === kind);

  // 2 and 3. Load, profile and diff, kind by kind.
  const sides = <T>(status: FileStatus, load: (snapshot: Snapshot, side: Side) => Promise<T | undefined>) =>
    loadSides(pair, status, load);

  const tokenizer = await loadTokenizer(config, pair, note);
  const datasets: DatasetEntry[] = [];
  for (const { artifact, status } of of('dataset')) {
    const format = findDatasetFormat(artifact.path);
    if (!format) continue;
    const { base, head } = await sides(status, async (snapshot, side) => {
      const present = side === 'base' ? baseSet : headSet;
      const paths = (artifact.files ?? [artifact.path]).filter((path) => present.has(path));
      if (paths.length === 0) return undefined;
      return profileSnapshotDataset(snapshot, paths, format, {
        tokenizer,
        nearDuplicateThreshold: config.checks['data-near-duplicates'].threshold,
        exactTokenBytes: (config.tokenizer['exact-up-to-mb'] ?? 16) * 2 ** 20,
      }).catch((error: unknown) => {
        note(artifact.path, side)(error);
        return undefined;
      });
    });
    datasets.push({
      report: {
        path: artifact.path,
        ...(artifact.files ? { files: artifact.files } : {}),
        split: artifact.split ?? 'train',
        status,
        ...(base ? { base: base.profile } : {}),
        ...(head ? { head: head.profile } : {}),
      },
      ...(base ? { base } : {}),
      ...(head ? { head } : {}),
    });
    for (const [side, result] of sidesToReport(status, base, head)) {
      if (result.profile.rows === 0 && result.profile.malformedRows > 0) {
        const first = result.problems[0];
        const reason = `no record could be read${first ? `: ${first.reason}` : ''}`;
        note(artifact.path, side)(new ParseError(reason, first?.line));
      }
    }
  }

  const readText = async (snapshot: Snapshot, path: string, side: Side): Promise<string | undefined> => {
    const bytes = await snapshot.readFile(path);
    if (!bytes) return undefined;
    try {
      return decodeText(bytes);
    } catch (error) {
      note(path, side)(error);
      return undefined;
    }
  };
  const parseWith =
    <T>(parse: (text: string, path: string) => T, path: string) =>
    async (snapshot: Snapshot, side: Side): Promise<T | undefined> => {
      const text = await readText(snapshot, path, side);
      if (text === undefined) return undefined;
      try {
        return parse(text, path);
      } catch (error) {
        note(path, side)(error);
        return undefined;
      }
    };

  const params: ParamsEntry[] = [];
  for (const { artifact, status } of of('params')) {
    if (!findParamsFormat(artifact.path)) continue;
    const { base, head } = await sides(status, parseWith(parseParamsFile, artifact.path));
    if (!isComparable(status, base, head)) continue;
    params.push(buildParamsEntry(artifact.path, status, base, head));
  }
  addGpuCounts(params);

  const sampleLogs = {
    base: new Map<string, Map<string, SampleLog>>(),
    head: new Map<string, Map<string, SampleLog>>(),
  };
  for (const { artifact, status } of of('eval-samples')) {
    const { base, head } = await sides(status, async (snapshot, side) => {
      const stream = await snapshot.streamFile(artifact.path);
      if (!stream) return undefined;
      return readSampleLog(stream, artifact.path).catch((error: unknown) => {
        note(artifact.path, side)(error);
        return undefined;
      });
    });
    for (const [side, log] of [
      ['base', base],
      ['head', head],
    ] as const) {
      if (!log) continue;
      const folder = artifact.path.includes('/')
        ? artifact.path.slice(0, artifact.path.lastIndexOf('/'))
        : '';
      const byTask = sampleLogs[side].get(folder) ?? new Map<string, SampleLog>();
      byTask.set(log.task, log);
      sampleLogs[side].set(folder, byTask);
    }
  }

  const metricFiles: EvaluationFile[] = [];
  for (const { artifact, status } of of('metrics')) {
    const { base, head } = await sides(status, parseWith(parseMetricsFile, artifact.path));
    for (const [side, file] of sidesToReport(status, base, head)) {
      reportProblems(artifact.path, side, file, unreadable);
    }
    if (!isComparable(status, base, head)) continue;
    metricFiles.push({ path: artifact.path, status, ...(base ? { base } : {}), ...(head ? { head } : {}) });
  }
  const metricReports = diffEvaluation(metricFiles, sampleLogs, config);
  const metrics: MetricsEntry[] = metricFiles.map((file, index) => ({
    report: metricReports[index] as MetricsEntry['report'],
    ...(file.base ? { base: file.base } : {}),
    ...(file.head ? { head: file.head } : {}),
  }));

  const trainingOptions = {
    risingEvaluations: config.checks['train-eval-loss-rising'].evaluations,
    divergenceFactor: config.checks['train-divergence'].factor,
    spikeFactor: config.checks['train-divergence']['spike-factor'],
  };
  const training: TrainingReport[] = [];
  for (const { artifact, status } of of('training-log')) {
    const { base, head } = await sides(status, async (snapshot, side) => {
      const log = await parseWith(parseTrainingLog, artifact.path)(snapshot, side);
      if (!log) return undefined;
      reportProblems(artifact.path, side, log, unreadable);
      return finiteProfile(profileTraining(log, trainingOptions));
    });
    if (!isComparable(status, base, head)) continue;
    training.push({ path: artifact.path, status, ...(base ? { base } : {}), ...(head ? { head } : {}) });
  }

  // 4. Check.
  const context: CheckContext = { config, datasets, params, metrics, training, unreadable };
  const findings = runChecks(context);

  // 5. Report.
  return buildReport({
    toolVersion: input.toolVersion,
    base: { ref: pair.base.ref, sha: pair.base.sha },
    head: { ref: pair.head.ref, sha: pair.head.sha },
    ...(input.configPath !== undefined ? { configPath: input.configPath } : {}),
    changedFiles: [...pair.changedFiles],
    findings,
    datasets: datasets.map((d) => d.report),
    params: params.map((p) => p.report),
    metrics: metrics.map((m) => m.report),
    training,
    unreadable,
  });
}

/**
 * Loads one artifact on the sides where it exists; an unchanged file is loaded once and shared. A problem
 * in an unchanged file is the base's: it was there before the change, so it is reported as such (once).
 */
async function loadSides<T>(
  pair: SnapshotPair,
  status: FileStatus,
  load: (snapshot: Snapshot, side: Side) => Promise<T | undefined>,
): Promise<{ base?: T; head?: T }> {
  if (status === 'unchanged') {
    const both = await load(pair.head, 'base');
    return both === undefined ? {} : { base: both, head: both };
  }
  const base = status === 'added' ? undefined : await load(pair.base, 'base');
  const head = status === 'removed' ? undefined : await load(pair.head, 'head');
  return { ...(base !== undefined ? { base } : {}), ...(head !== undefined ? { head } : {}) };
}

/**
 * Whether an artifact can be compared: its head was read (its base, for a deleted file). A file whose head
 * could not be read is not diffed, since its keys and metrics would all look removed; the unreadable
 * finding says what happened. A base that could not be read is compared as absent, so the head still shows.
 */
function isComparable<T>(status: FileStatus, base: T | undefined, head: T | undefined): boolean {
  if (status === 'removed') return base !== undefined;
  return head !== undefined;
}

/** The sides whose problems to report: one for an unchanged file (both sides are the same bytes). */
function sidesToReport<T>(status: FileStatus, base: T | undefined, head: T | undefined): [Side, T][] {
  const sides: [Side, T | undefined][] =
    status === 'unchanged'
      ? [['base', base]]
      : [
          ['base', base],
          ['head', head],
        ];
  return sides.filter((entry): entry is [Side, T] => entry[1] !== undefined);
}

function buildParamsEntry(
  path: string,
  status: FileStatus,
  base: ParamsFile | undefined,
  head: ParamsFile | undefined,
): ParamsEntry {
  const canonicalBase = base ? computeCanonicalParams(base.values) : {};
  const canonicalHead = head ? computeCanonicalParams(head.values) : {};
  return {
    report: {
      path,
      status,
      format: (head ?? base)?.format ?? 'yaml',
      changes: status === 'unchanged' ? [] : diffParams(base, head),
      canonical: { base: canonicalBase, head: canonicalHead },
      derived: { base: {}, head: {} },
    },
    ...(base ? { base } : {}),
    ...(head ? { head } : {}),
  };
}

/**
 * Effective batch size needs the GPU count, which often lives in another file (an accelerate
 * config): each side's count, from any params file on that side, joins every file's figure.
 */
function addGpuCounts(params: ParamsEntry[]): void {
  for (const side of ['base', 'head'] as const) {
    const gpus = params.map((p) => p.report.canonical[side]['num_gpus']).find((value) => value !== undefined);
    for (const entry of params) {
      const canonical = entry.report.canonical[side];
      const effective = computeEffectiveBatch(
        gpus === undefined ? canonical : ({ ...canonical, num_gpus: gpus } as typeof canonical),
      );
      entry.report.derived[side] = {
        ...(effective.value !== undefined ? { effectiveBatchSize: effective.value } : {}),
        ...(effective.note !== undefined ? { effectiveBatchNote: effective.note } : {}),
      };
    }
  }
}

function reportProblems(
  path: string,
  side: Side,
  file: Pick<MetricsFile, 'problems'> | undefined,
  unreadable: Unreadable[],
): void {
  for (const problem of file?.problems ?? []) {
    unreadable.push({
      path,
      side,
      reason: problem.reason,
      ...(problem.line !== undefined ? { line: problem.line } : {}),
    });
  }
}

const OPTIONAL_NUMBERS = [
  'epochs',
  'finalTrainLoss',
  'finalEvalLoss',
  'bestEvalLoss',
  'bestEvalStep',
  'gap',
] as const;

/** JSON has no NaN: a non-finite optional figure is dropped (`nanSteps` and `diverged` keep the fact). */
function finiteProfile(profile: TrainingProfile): TrainingProfile {
  const copy: TrainingProfile = {
    ...profile,
    trainCurve: profile.trainCurve.filter((p) => Number.isFinite(p.value)),
    evalCurve: profile.evalCurve.filter((p) => Number.isFinite(p.value)),
  };
  for (const key of OPTIONAL_NUMBERS) {
    const value = copy[key];
    if (value !== undefined && !Number.isFinite(value)) delete copy[key];
  }
  return copy;
}

/**
 * The token counter of the analysis, built once: a bundled encoding, or the repository's
 * `tokenizer.json` read from the base commit (head when base has none: a PR may add it). A file that
 * cannot be read or used is reported, and the default encoding counts instead.
 */
async function loadTokenizer(
  config: Config,
  pair: SnapshotPair,
  note: (path: string, side: Side) => (error: unknown) => void,
): Promise<TokenCounter> {
  const setting = config.tokenizer;
  if ('encoding' in setting) return createTokenCounter({ encoding: setting.encoding });
  for (const [side, snapshot] of [
    ['base', pair.base],
    ['head', pair.head],
  ] as const) {
    const bytes = await snapshot.readFile(setting.file);
    if (!bytes) continue;
    try {
      return await createTokenCounter({ file: setting.file, json: JSON.parse(decodeText(bytes)) as unknown });
    } catch (error) {
      note(setting.file, side)(error);
      return createTokenCounter(DEFAULT_TOKENIZER);
    }
  }
  note(
    setting.file,
    'head',
  )(new ParseError(`the tokenizer file named in the config is not in the repository`));
  return createTokenCounter(DEFAULT_TOKENIZER);
}
