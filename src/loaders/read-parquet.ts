import {
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describeError } from '../model/errors.js';
import type { DatasetRow, RowProblem } from '../model/vocabulary.js';

/**
 * Wraps bytes already in memory as the random-access file hyparquet reads.
 *
 * @example
 * createBufferFile(readFileSync('train.parquet')).byteLength;
 */
export function createBufferFile(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice: (start, end) => {
      const copy = bytes.slice(start, end);
      return copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength);
    },
  };
}

/**
 * Streams the rows of a Parquet file one row group at a time, each as a plain object keyed by column
 * (nested lists and structs as arrays and objects), with its 1-based row number as `line`. Reads the
 * codecs Hugging Face datasets use (Snappy, gzip, Zstandard, Brotli, LZ4). 64-bit integers become
 * numbers (strings beyond 2^53), dates ISO strings, binary columns `<N bytes>`. A file that is not
 * Parquet, or a row group that cannot be decoded, yields one `RowProblem` (at the group's first row)
 * and reading goes on with the next group. `firstRow`/`endRow` (0-based, end exclusive) select a range;
 * `columns` keeps only those top-level columns (the ones the file has), so the others are never decoded.
 */
export async function* readParquetRows(
  file: AsyncBuffer,
  range: ParquetRange = {},
): AsyncGenerator<DatasetRow | RowProblem> {
  for await (const group of readParquetRowGroups(file, range)) yield* group;
}

/**
 * `readParquetRows` as one array per row group (the part of it inside the range), in order: a group is
 * decoded only when the previous one has been taken, so a consumer that stops early reads no further.
 * A file that is not Parquet gives one array holding its one problem; a group outside the range gives none.
 */
export async function* readParquetRowGroups(
  file: AsyncBuffer,
  range: ParquetRange = {},
): AsyncGenerator<(DatasetRow | RowProblem)[]> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    yield [{ line: 1, reason: `not a readable Parquet file: ${describeError(error)}` }];
    return;
  }
  const columns = range.columns && keepColumns(metadata, range.columns);
  const total = Number(metadata.num_rows);
  const firstRow = Math.max(0, range.firstRow ?? 0);
  const endRow = Math.min(total, range.endRow ?? total);
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const rowStart = Math.max(groupStart, firstRow);
    const rowEnd = Math.min(groupEnd, endRow);
    if (rowStart < rowEnd) {
      let rows: Record<string, unknown>[] | undefined;
      try {
        rows = await parquetReadObjects({
          file,
          metadata,
          rowStart,
          rowEnd,
          compressors,
          ...(columns ? { columns } : {}),
        });
      } catch (error) {
        yield [
          {
            line: rowStart + 1,
            reason: `cannot decode Parquet rows ${rowStart + 1}–${rowEnd}: ${describeError(error)}`,
          },
        ];
      }
      if (rows !== undefined) {
        yield rows.map((row, index) => ({ line: rowStart + index + 1, record: toPlain(row) }));
      }
    }
    groupStart = groupEnd;
    if (groupStart >= endRow) break;
  }
}

/** The rows and columns to read: 0-based rows, end exclusive; top-level column names. */
export interface ParquetRange {
  firstRow?: number;
  endRow?: number;
  columns?: readonly string[];
}

/** The wanted columns the file has: hyparquet rejects a name that is not among its top-level columns. */
function keepColumns(metadata: FileMetaData, wanted: readonly string[]): string[] {
  const present = new Set(parquetSchema(metadata).children.map((child) => child.element.name));
  return wanted.filter((name) => present.has(name));
}

/** JSON-like values from what hyparquet decodes (bigint, Date, bytes). */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a column named `__proto__` stays a plain field.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}
