import { z } from 'zod';
import type { HashTableState } from '../sketches/sampled-hash-table.js';
import { ProfileStateError } from './figure.js';

/** A hash table in JSON: keys and columns as base64 of their little-endian typed arrays. */
export interface SerializedTable {
  level: number;
  overflowed: boolean;
  size: number;
  keys: string;
  columns: { type: 'f64' | 'u32'; data: string }[];
}

/** The shape of a serialised hash table. */
export const tableSchema = z.object({
  level: z.number().int().nonnegative(),
  overflowed: z.boolean(),
  size: z.number().int().nonnegative(),
  keys: z.string(),
  columns: z.array(z.object({ type: z.enum(['f64', 'u32']), data: z.string() })),
});

/** The shape of a tally (rows and example positions). */
export const tallySchema = z.object({ rows: z.number(), positions: z.array(z.number()) });

/** The shape of a `CountHistogram` state. */
export const histogramSchema = z.object({
  pairs: z.array(z.tuple([z.number(), z.number()])),
  coarse: z.boolean(),
});

/** A hash table's state as JSON-ready data (a million-row table: tens of megabytes, not hundreds). */
export function serializeTable(table: HashTableState): SerializedTable {
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

/** Reads `serializeTable`'s data back; throws `ProfileStateError` naming the table when it is truncated. */
export function parseTable(table: SerializedTable, name: string): HashTableState {
  const keys = fromBase64(table.keys, 'f64', table.size, name) as Float64Array;
  return {
    level: table.level,
    overflowed: table.overflowed,
    keys,
    columns: table.columns.map((column) => fromBase64(column.data, column.type, table.size, name)),
  };
}

/** Bytes a base64 text decodes to. */
export function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').byteLength;
}

/** A typed array's bytes as base64. */
export function toBase64(array: Float64Array | Uint32Array | Uint8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/**
 * A typed array of `size` entries from base64; throws `ProfileStateError` naming `name` when the bytes
 * do not make `size` entries.
 */
export function fromBase64(
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
