import { Readable } from 'node:stream';
import { findLfsPointer, LFS_POINTER_MAX_BYTES, type LfsPointer } from '../../model/lfs-pointer.js';
import { readDatasetRowBatches } from '../../loaders/read-dataset-rows.js';
import type { DatasetFormat, RowProblem } from '../../model/vocabulary.js';
import type { DatasetProfile } from '../../model/report-schema.js';
import { DatasetProfiler, type DatasetProfilerOptions } from './dataset-profiler.js';
import {
  createTokenCounter,
  DEFAULT_TOKENIZER,
  type TokenCounter,
  type TokenizerSpec,
} from './create-token-counter.js';
import { formatHash, hashRecord } from './hash-record.js';
import { createDatasetSketch, type DatasetSketch } from './dataset-sketch.js';

/** How a dataset is profiled. */
export interface DatasetProfileOptions {
  /** Max problems kept with details (all are counted). Default 20. */
  maxProblems?: number;
  /** How tokens are counted: a spec, a ready counter, or `false` for no token figures. Default o200k_base. */
  tokenizer?: TokenizerSpec | TokenCounter | false;
  /** Size of the whole dataset in bytes (all shards), when known: large datasets get sampled figures. */
  expectedBytes?: number;
  /** Bytes this profiler reads, when only part of `expectedBytes` (a shard): sizes its tables early. */
  plannedBytes?: number;
  /** Datasets up to this size get exact token counts; larger ones a sample. Default 16 MiB. */
  exactTokenBytes?: number;
  /** Datasets up to this size get exact near-duplicate and n-gram figures; larger ones a sample. Default 128 MiB. */
  exactNearDuplicateBytes?: number;
  /** MinHash similarity from which rows are near-duplicates. Default 0.8. */
  nearDuplicateThreshold?: number;
  /** Line of the stream's first byte, for a JSONL shard starting mid-file. Default 1. */
  firstLine?: number;
  /** Called about every 4 MiB read, and once at the end, with the bytes read and rows profiled so far. */
  onProgress?: (progress: ProfileProgress) => void;
}

/** How far a profile has got. */
export interface ProfileProgress {
  bytes: number;
  rows: number;
}

/** A dataset's profile with the detail the checks need beyond the report. */
export interface DatasetProfileResult {
  profile: DatasetProfile;
  /** The first `maxProblems` malformed rows, with their file in a dataset of several. */
  problems: (RowProblem & { file?: string })[];
  /**
   * Normalised-record fingerprint (13 hex digits) → first line where it appears, for train/eval leakage.
   * Under sampling (millions of distinct rows) only the sampled fingerprints.
   */
  fingerprints: ReadonlyMap<string, number>;
  /** What the checks may ask beyond the figures (tokens over a length, overlap with a train set). */
  sketch: DatasetSketch;
  /** Set when the file was a Git LFS pointer: it was not read as data. */
  lfs?: LfsPointer;
}

const PROGRESS_EVERY = 4 * 2 ** 20;
const tokenCounters = new Map<string, Promise<TokenCounter>>();

/**
 * Profiles a dataset read once from a stream: size, malformed rows, record shape and format (validated
 * by its rules), duplicates and near-duplicates, conflicting answers, labels, placeholder answers,
 * per-field presence, and length and token quantiles. Memory stays bounded whatever the number of
 * rows; figures computed from a sample say so (`estimated`). A Git LFS pointer (the file's content was
 * not fetched) is recognised and never parsed: the profile has `lfs` set and no rows. An empty dataset
 * gives zero counts, `recordShape` `''` and no quantiles. Only errors of the stream itself reject.
 */
export async function profileDataset(
  source: Readable,
  format: DatasetFormat,
  options: DatasetProfileOptions = {},
): Promise<DatasetProfileResult> {
  const profiler = await createDatasetProfiler(format, options);
  const lfs = await addDatasetStream(profiler, source, format, options);
  return finishDatasetProfile(profiler, lfs);
}

/**
 * Creates the profiler `profileDataset` uses, with its token counter loaded, for callers that feed it
 * several files (`addDatasetStream` per file, then `finishDatasetProfile`).
 */
export async function createDatasetProfiler(
  format: DatasetFormat,
  options: DatasetProfileOptions & { files?: readonly string[]; deferTokens?: { name: string } } = {},
): Promise<DatasetProfiler> {
  const tokenCounter = await loadTokenCounter(options.tokenizer);
  const profilerOptions: DatasetProfilerOptions = { format };
  if (tokenCounter) profilerOptions.tokenCounter = tokenCounter;
  if (options.expectedBytes !== undefined) profilerOptions.expectedBytes = options.expectedBytes;
  if (options.plannedBytes !== undefined) profilerOptions.plannedBytes = options.plannedBytes;
  if (options.exactTokenBytes !== undefined) profilerOptions.exactTokenBytes = options.exactTokenBytes;
  if (options.exactNearDuplicateBytes !== undefined)
    profilerOptions.exactNearDuplicateBytes = options.exactNearDuplicateBytes;
  if (options.nearDuplicateThreshold !== undefined)
    profilerOptions.nearDuplicateThreshold = options.nearDuplicateThreshold;
  if (options.maxProblems !== undefined) profilerOptions.maxProblems = options.maxProblems;
  if (options.files !== undefined) profilerOptions.files = options.files;
  if (options.deferTokens !== undefined) profilerOptions.deferTokens = options.deferTokens;
  return new DatasetProfiler(profilerOptions);
}

/** Loads a token counter once per spec (loading an encoding takes a moment). */
export function loadTokenCounter(
  tokenizer: TokenizerSpec | TokenCounter | false | undefined,
): Promise<TokenCounter | undefined> {
  if (tokenizer === false) return Promise.resolve(undefined);
  if (tokenizer !== undefined && 'count' in tokenizer) return Promise.resolve(tokenizer);
  const spec = tokenizer ?? DEFAULT_TOKENIZER;
  if (!('encoding' in spec)) return createTokenCounter(spec);
  let counter = tokenCounters.get(spec.encoding);
  if (counter === undefined) {
    counter = createTokenCounter(spec);
    tokenCounters.set(spec.encoding, counter);
  }
  return counter;
}

/**
 * Reads one file's rows into a profiler (after `profiler.startFile(index)` for a dataset of several
 * files). Returns the LFS pointer instead when the content is one: nothing is then added.
 */
export async function addDatasetStream(
  profiler: DatasetProfiler,
  source: Readable,
  format: DatasetFormat,
  options: Pick<DatasetProfileOptions, 'firstLine' | 'onProgress'> = {},
): Promise<LfsPointer | undefined> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  // Peek at the first kilobyte: a pointer is smaller, and a file that small is cheap to hold.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < LFS_POINTER_MAX_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    const bytes = toBytes(next.value);
    head.push(bytes);
    headBytes += bytes.byteLength;
  }
  if (ended && options.firstLine === undefined) {
    const pointer = findLfsPointer(Buffer.concat(head));
    if (pointer) return pointer;
  }
  const { onProgress } = options;
  let reported = 0;
  let read = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for (const bytes of head) {
      profiler.addBytes(bytes.byteLength);
      read += bytes.byteLength;
      yield bytes;
    }
    head.length = 0;
    while (!ended) {
      const next = await chunks.next();
      if (next.done) break;
      const bytes = toBytes(next.value);
      profiler.addBytes(bytes.byteLength);
      read += bytes.byteLength;
      if (onProgress && read - reported >= PROGRESS_EVERY) {
        reported = read;
        onProgress({ bytes: profiler.bytes, rows: profiler.rows });
      }
      yield bytes;
    }
  }
  const rowOptions = options.firstLine === undefined ? {} : { firstLine: options.firstLine };
  for await (const batch of readDatasetRowBatches(counted(), format, rowOptions)) {
    for (const row of batch) {
      if ('record' in row) profiler.addRecord(row.line, row.record);
      else profiler.addProblem(row);
    }
  }
  onProgress?.({ bytes: profiler.bytes, rows: profiler.rows });
  return undefined;
}

/** The result of a profiler fed with `addDatasetStream` (or merged from shards). */
export function finishDatasetProfile(profiler: DatasetProfiler, lfs?: LfsPointer): DatasetProfileResult {
  const profile = profiler.finish();
  if (lfs) profile.lfs = lfs;
  return {
    profile,
    problems: profiler.problems.map(({ line, reason, file }) => {
      const path = file === undefined ? undefined : profiler.files[file]?.path;
      return path === undefined ? { line, reason } : { line, reason, file: path };
    }),
    fingerprints: new FingerprintView(profiler),
    sketch: createDatasetSketch(profiler),
    ...(lfs ? { lfs } : {}),
  };
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  return Buffer.from(String(chunk), 'utf8');
}

const TWO_POW_32 = 4294967296;

/** The fingerprint table seen as a map from fingerprint (hex) to the line of its first row. */
class FingerprintView implements ReadonlyMap<string, number> {
  constructor(private readonly profiler: DatasetProfiler) {}

  get size(): number {
    return this.profiler.figures.duplicates.table.size;
  }

  get(key: string): number | undefined {
    const hash = Number.parseInt(key, 16);
    if (!Number.isSafeInteger(hash) || hash === 0) return undefined;
    const table = this.profiler.figures.duplicates.table;
    if (!table.accepts(hash)) return undefined;
    const slot = table.find(hash);
    return slot === -1 ? undefined : table.f64(0, slot) % TWO_POW_32;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** In the order of the rows where they first appear. */
  *entries(): MapIterator<[string, number]> {
    const table = this.profiler.figures.duplicates.table;
    const first = table.f64Column(0);
    const slots: number[] = [];
    table.forEachSlot((slot) => slots.push(slot));
    slots.sort((a, b) => (first[a] as number) - (first[b] as number));
    for (const slot of slots)
      yield [formatHash(table.keys[slot] as number), (first[slot] as number) % TWO_POW_32];
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<number> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/**
 * The fingerprint of a record as 13 hexadecimal digits (see `hashRecord`): copies differing only in key
 * order, letter case or whitespace share it. Throws `RangeError` only for a record nested too deeply to walk.
 *
 * @example
 * computeRecordFingerprint({ b: ' Hello  World', a: 1 }) === computeRecordFingerprint({ a: 1, b: 'hello world' }); // => true
 */
export function computeRecordFingerprint(record: unknown): string {
  return formatHash(hashRecord(record).fingerprint);
}
