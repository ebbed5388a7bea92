import { z } from 'zod';
import { DATASET_FORMATS } from '../../model/vocabulary.js';
import type { HashTableState } from './sketches/sampled-hash-table.js';
import { ProfileStateError, type ProfileState } from './dataset-profiler.js';

/** A hash table in JSON: keys and columns as base64 of their little-endian typed arrays. */
interface SerializedTable {
  level: number;
  overflowed: boolean;
  size: number;
  keys: string;
  columns: { type: 'f64' | 'u32'; data: string }[];
}

/** A profile state in JSON (see `serializeProfileState`). */
export type SerializedProfileState = Omit<
  ProfileState,
  'fingerprints' | 'conflicts' | 'nearRows' | 'ngrams' | 'rowNgrams'
> & {
  rowNgrams: { positions: number[]; ends: number[]; hashes: string; full: boolean };
  fingerprints: SerializedTable;
  conflicts: SerializedTable;
  nearRows: {
    positions: number[];
    keys: string;
    signatures: string;
    shingleEnds: number[];
    shingles: string;
    full: boolean;
  };
  ngrams: string;
};

/**
 * Turns a profile state into JSON-ready data: plain values as they are, hash tables as base64 (a
 * million-row table takes tens of megabytes this way, several times less than as number arrays). Equal
 * states give equal JSON: tables are sorted by key.
 */
export function serializeProfileState(state: ProfileState): SerializedProfileState {
  return {
    ...state,
    fingerprints: serializeTable(state.fingerprints),
    conflicts: serializeTable(state.conflicts),
    nearRows: {
      positions: state.nearRows.positions,
      keys: toBase64(state.nearRows.keys),
      signatures: Buffer.from(state.nearRows.signatures).toString('base64'),
      shingleEnds: state.nearRows.shingleEnds,
      shingles: toBase64(Uint32Array.from(state.nearRows.shingles)),
      full: state.nearRows.full,
    },
    ngrams: toBase64(state.ngrams),
    rowNgrams: { ...state.rowNgrams, hashes: toBase64(Float64Array.from(state.rowNgrams.hashes)) },
  };
}

const tableSchema = z.object({
  level: z.number().int().nonnegative(),
  overflowed: z.boolean(),
  size: z.number().int().nonnegative(),
  keys: z.string(),
  columns: z.array(z.object({ type: z.enum(['f64', 'u32']), data: z.string() })),
});

const tallySchema = z.object({ rows: z.number(), positions: z.array(z.number()) });
const histogramSchema = z.object({ pairs: z.array(z.tuple([z.number(), z.number()])), coarse: z.boolean() });

/** The shape of a serialised state; checked before a state is trusted (profiles are files users pass around). */
const stateSchema = z.object({
  version: z.literal(1),
  settings: z.object({
    format: z.enum(DATASET_FORMATS),
    tokenizer: z.string(),
    tokenRate: z.number(),
    nearDuplicateRate: z.number(),
    nearDuplicateThreshold: z.number(),
    ngramBits: z.number().int().min(10).max(31),
  }),
  files: z.array(z.object({ path: z.string(), bytes: z.number(), rows: z.number() })),
  bytes: z.number(),
  rows: z.number(),
  malformedRows: z.number(),
  problems: z.array(z.object({ line: z.number(), reason: z.string(), file: z.number().optional() })),
  shapes: z.array(z.tuple([z.string(), tallySchema])),
  fields: z.array(z.tuple([z.string(), z.object({ present: z.number(), empty: z.number() })])),
  objectRows: z.number(),
  chars: histogramSchema,
  tokens: histogramSchema,
  tokenizedRows: z.number(),
  tokenizedChars: z.number(),
  fingerprints: tableSchema,
  formats: z.array(
    z.tuple([
      z.string(),
      z.object({ rows: z.number(), errors: z.array(z.tuple([z.string(), tallySchema])) }),
    ]),
  ),
  labels: z.array(z.tuple([z.string(), z.number()])),
  labelOtherRows: z.number(),
  outputs: z.object({
    empty: z.number(),
    placeholder: z.number(),
    placeholderInputs: z.number(),
    examples: z.array(
      z.object({
        kind: z.enum(['empty', 'placeholder', 'placeholder-input']),
        position: z.number(),
        value: z.string(),
      }),
    ),
    templateRows: z.number(),
    templates: z.array(z.tuple([z.string(), z.object({ rows: z.number(), position: z.number() })])),
  }),
  conflicts: tableSchema,
  nearRows: z.object({
    positions: z.array(z.number()),
    keys: z.string(),
    signatures: z.string(),
    shingleEnds: z.array(z.number()),
    shingles: z.string(),
    full: z.boolean(),
  }),
  ngrams: z.string(),
  rowNgrams: z.object({
    positions: z.array(z.number()),
    ends: z.array(z.number()),
    hashes: z.string(),
    full: z.boolean(),
  }),
});

/**
 * Reads a serialised profile state back; throws `ProfileStateError` naming the problem when the data is
 * not a state this version wrote.
 */
export function parseProfileState(data: unknown): ProfileState {
  const parsed = stateSchema.safeParse(data);
  if (!parsed.success) {
    throw new ProfileStateError(`not a tuneguard profile state: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  const state = parsed.data;
  return {
    ...(state as unknown as Omit<
      ProfileState,
      'fingerprints' | 'conflicts' | 'nearRows' | 'ngrams' | 'rowNgrams'
    >),
    rowNgrams: {
      positions: state.rowNgrams.positions,
      ends: state.rowNgrams.ends,
      hashes: [
        ...fromBase64(state.rowNgrams.hashes, 'f64', decodedLength(state.rowNgrams.hashes) / 8, 'n-gram'),
      ],
      full: state.rowNgrams.full,
    },
    fingerprints: parseTable(state.fingerprints, 'fingerprints'),
    conflicts: parseTable(state.conflicts, 'conflicts'),
    nearRows: {
      positions: state.nearRows.positions,
      keys: fromBase64(
        state.nearRows.keys,
        'f64',
        decodedLength(state.nearRows.keys) / 8,
        'near-duplicate',
      ) as Float64Array,
      signatures: new Uint8Array(Buffer.from(state.nearRows.signatures, 'base64')),
      shingleEnds: state.nearRows.shingleEnds,
      shingles: [
        ...fromBase64(state.nearRows.shingles, 'u32', decodedLength(state.nearRows.shingles) / 4, 'shingle'),
      ],
      full: state.nearRows.full,
    },
    ngrams: fromBase64(state.ngrams, 'u32', decodedLength(state.ngrams) / 4, 'n-gram') as Uint32Array,
  };
}

function serializeTable(table: HashTableState): SerializedTable {
  return {
    level: table.level,
    overflowed: table.overflowed,
    size: table.keys.length,
    keys: toBase64(table.keys),
    columns: table.columns.map((column) => ({
      type: column instanceof Float64Array ? 'f64' : 'u32',
      data: toBase64(column),
    })),
  };
}

function parseTable(table: z.infer<typeof tableSchema>, name: string): HashTableState {
  const keys = fromBase64(table.keys, 'f64', table.size, name) as Float64Array;
  return {
    level: table.level,
    overflowed: table.overflowed,
    keys,
    columns: table.columns.map((column) => fromBase64(column.data, column.type, table.size, name)),
  };
}

function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').byteLength;
}

function toBase64(array: Float64Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64(
  text: string,
  type: 'f64' | 'u32',
  size: number,
  name: string,
): Float64Array | Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  const width = type === 'f64' ? 8 : 4;
  if (bytes.byteLength !== size * width) {
    throw new ProfileStateError(
      `the ${name} table of the profile state is truncated: ${bytes.byteLength} bytes for ${size} entries`,
    );
  }
  // Copy into a fresh, aligned buffer: Buffer.from may share a pool at any offset.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return type === 'f64' ? new Float64Array(copy.buffer) : new Uint32Array(copy.buffer);
}
