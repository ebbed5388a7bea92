import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { TuneguardError } from '../../../model/errors.js';
import type { LfsPointer } from '../../../model/lfs-pointer.js';
import type { DatasetFormat } from '../../../model/vocabulary.js';
import { DatasetProfiler, type ProfileState } from '../dataset-profiler.js';
import type { TokenizerSpec } from '../create-token-counter.js';
import { addDatasetStream, createDatasetProfiler, loadTokenCounter } from '../profile-dataset.js';
import { planDatasetShards } from '../plan-dataset-shards.js';
import { type ShardPiece } from '../../../model/vocabulary.js';
import { listDatasetFiles, openPiece, type LocalDatasetFile } from '../../../io/local-files.js';

/** How `tuneguard profile` reads a dataset on disk. */
export interface LocalProfileOptions {
  /** Profile only shard `index` (1-based) of `count`. */
  shard?: { index: number; count: number };
  /** Worker threads sharing the work (default 1: this thread reads; more is faster on many cores, and holds more memory). */
  jobs?: number;
  tokenizer?: TokenizerSpec | false;
  nearDuplicateThreshold?: number;
  exactTokenBytes?: number;
  exactNearDuplicateBytes?: number;
  /**
   * The worker thread's script (default: the built `profile-worker.js` next to this module); tests pass
   * one bundled from the sources.
   */
  workerUrl?: URL;
  /** Bytes read and rows profiled so far, across jobs; `totalBytes` is what this run will read. */
  onProgress?: (progress: { bytes: number; rows: number; totalBytes: number }) => void;
}

/** A dataset profiled from disk. */
export interface LocalProfile {
  profiler: DatasetProfiler;
  files: LocalDatasetFile[];
  /** Bytes of the whole dataset (all shards). */
  totalBytes: number;
  /** Files that are LFS pointers whose objects are not on disk: not analysed. */
  pointers: { path: string; lfs: LfsPointer }[];
}

/** What a worker is given: its pieces and the profile settings (see `profile-worker.ts`). */
export interface WorkerTask {
  format: DatasetFormat;
  files: { path: string; source: string; bytes: number }[];
  pieces: ShardPiece[];
  /** Keep sampled texts for the parent thread to count (see `DatasetProfilerOptions.deferTokens`). */
  deferTokens?: { name: string } | undefined;
  options: {
    tokenizer?: TokenizerSpec | false;
    expectedBytes: number;
    nearDuplicateThreshold?: number;
    exactTokenBytes?: number;
    exactNearDuplicateBytes?: number;
  };
}

/** Messages from a worker. */
export type WorkerMessage =
  | { kind: 'progress'; bytes: number; rows: number }
  | { kind: 'tokens'; texts: string[]; extra: number[]; chars: number[] }
  | { kind: 'done'; state: ProfileState }
  | { kind: 'error'; message: string };

/**
 * Profiles a dataset file, or a folder of shards as one dataset, from disk: the shard asked for (or all
 * of it), its bytes shared between worker threads that each profile a part, merged in order. The profile
 * equals one pass over the same rows.
 */
export async function profileLocalDataset(
  target: string,
  cwd: string,
  options: LocalProfileOptions = {},
): Promise<LocalProfile> {
  const all = await listDatasetFiles(target, cwd);
  if (all.length === 0) {
    throw new LocalDatasetError(
      `${target} holds no dataset file (.jsonl, .ndjson, .json, .csv, .tsv, .parquet)`,
    );
  }
  const formats = new Set(all.map((file) => file.format));
  if (formats.size > 1) {
    throw new LocalDatasetError(
      `${target} mixes dataset formats (${[...formats].join(', ')}): profile each format's files as their own dataset`,
    );
  }
  const format = all[0]?.format as DatasetFormat;
  const pointers = all.flatMap((file) => (file.lfs ? [{ path: file.path, lfs: file.lfs }] : []));
  const totalBytes = all.reduce((sum, file) => sum + file.bytes, 0);
  const shards = planDatasetShards(all, options.shard?.count ?? 1);
  const pieces = (shards[(options.shard?.index ?? 1) - 1] ?? []).filter((piece) => !all[piece.file]?.lfs);
  const shardBytes = pieces.reduce((sum, piece) => sum + piece.end - piece.start, 0);
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, availableParallelism() * 2, 64));
  const profilerOptions: WorkerTask['options'] = {
    expectedBytes: totalBytes,
    ...(options.tokenizer !== undefined ? { tokenizer: options.tokenizer } : {}),
    ...(options.nearDuplicateThreshold !== undefined
      ? { nearDuplicateThreshold: options.nearDuplicateThreshold }
      : {}),
    ...(options.exactTokenBytes !== undefined ? { exactTokenBytes: options.exactTokenBytes } : {}),
    ...(options.exactNearDuplicateBytes !== undefined
      ? { exactNearDuplicateBytes: options.exactNearDuplicateBytes }
      : {}),
  };
  const task = (part: ShardPiece[]): WorkerTask => ({
    format,
    files: all.map((file) => ({ path: file.path, source: file.source, bytes: file.bytes })),
    pieces: part,
    options: profilerOptions,
  });
  // Below 4 MB starting threads costs more than it saves.
  const parts = jobs === 1 || shardBytes < 4 * 2 ** 20 ? [pieces] : splitPieces(pieces, jobs);
  const progress = parts.map(() => ({ bytes: 0, rows: 0 }));
  const report = (index: number, bytes: number, rows: number): void => {
    progress[index] = { bytes, rows };
    options.onProgress?.({
      bytes: progress.reduce((sum, p) => sum + p.bytes, 0),
      rows: progress.reduce((sum, p) => sum + p.rows, 0),
      totalBytes: shardBytes,
    });
  };
  options.onProgress?.({ bytes: 0, rows: 0, totalBytes: shardBytes });
  const profiler =
    parts.length === 1
      ? await profilePieces(task(parts[0] ?? []), (bytes, rows) => report(0, bytes, rows))
      : await profileParts(parts, task([]), options, report);
  return { profiler, files: all, totalBytes, pointers };
}

/**
 * Profiles each part in a worker thread and merges their states in order. Workers leave token counting
 * to this thread: one tokenizer in memory instead of one per worker, and this thread has nothing else
 * to do meanwhile.
 */
async function profileParts(
  parts: ShardPiece[][],
  task: WorkerTask,
  options: LocalProfileOptions,
  report: (index: number, bytes: number, rows: number) => void,
): Promise<DatasetProfiler> {
  const counter = await loadTokenCounter(options.tokenizer);
  const counted = { counts: [] as number[], chars: [] as number[] };
  const count = (batch: { texts: string[]; extra: number[]; chars: number[] }): void => {
    batch.texts.forEach((text, index) => {
      counted.counts.push((counter?.count(text) ?? 0) + (batch.extra[index] ?? 0));
      counted.chars.push(batch.chars[index] ?? 0);
    });
  };
  const deferred: WorkerTask = { ...task, deferTokens: counter ? { name: counter.name } : undefined };
  const states = await Promise.all(
    parts.map((part, index) =>
      runWorker(
        options.workerUrl ?? defaultWorkerUrl(),
        { ...deferred, pieces: part },
        (bytes, rows) => report(index, bytes, rows),
        count,
      ),
    ),
  );
  const profiler = DatasetProfiler.fromState(states[0] as ProfileState);
  for (const state of states.slice(1)) profiler.mergeState(state);
  profiler.addTokenCounts(counted.counts, counted.chars);
  return profiler;
}

/** A dataset path that cannot be profiled (nothing to read, mixed formats), or a worker that failed. */
export class LocalDatasetError extends TuneguardError {}

/** Profiles pieces in this thread, in order, into one profiler. */
export async function profilePieces(
  task: WorkerTask,
  onProgress: (bytes: number, rows: number, profiler: DatasetProfiler) => void,
): Promise<DatasetProfiler> {
  const profiler = await createDatasetProfiler(task.format, {
    ...task.options,
    ...(task.deferTokens ? { tokenizer: false, deferTokens: task.deferTokens } : {}),
    files: task.files.map((file) => file.path),
    plannedBytes: task.pieces.reduce((sum, piece) => sum + piece.end - piece.start, 0),
  });
  for (const piece of task.pieces) {
    const file = task.files[piece.file];
    if (!file) continue;
    profiler.startFile(piece.file);
    const opened = await openPiece(piece, file.source, file.bytes);
    await addDatasetStream(profiler, opened.stream, task.format, {
      firstLine: opened.firstLine,
      onProgress: ({ bytes, rows }) => onProgress(bytes, rows, profiler),
    });
  }
  return profiler;
}

/** Cuts pieces into `count` parts of about equal bytes (JSONL pieces may be cut, others stay whole). */
function splitPieces(pieces: ShardPiece[], count: number): ShardPiece[][] {
  const virtual = pieces.map((piece) => ({
    path: piece.path,
    bytes: piece.end - piece.start,
    format: piece.format,
  }));
  return planDatasetShards(virtual, count)
    .map((part) =>
      part.map((cut) => {
        const piece = pieces[cut.file] as ShardPiece;
        return { ...piece, start: piece.start + cut.start, end: piece.start + cut.end };
      }),
    )
    .filter((part) => part.length > 0);
}

/** The worker script: the built JavaScript next to this module. */
function defaultWorkerUrl(): URL {
  return new URL('./profile-worker.js', import.meta.url);
}

function runWorker(
  workerUrl: URL,
  task: WorkerTask,
  onProgress: (bytes: number, rows: number) => void,
  onTokens: (batch: { texts: string[]; extra: number[]; chars: number[] }) => void,
): Promise<ProfileState> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(workerUrl, { workerData: task });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') onProgress(message.bytes, message.rows);
      else if (message.kind === 'tokens') onTokens(message);
      else if (message.kind === 'done') {
        settled = true;
        resolvePromise(message.state);
      } else {
        settled = true;
        reject(new LocalDatasetError(message.message));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new LocalDatasetError(`a profiling worker stopped with exit code ${code}`));
    });
  });
}
