import { isUtf8 } from 'node:buffer';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { asyncBufferFromFile } from 'hyparquet';
import { printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';
import { visitJson } from './visit-json.js';
import { describeError } from '../model/errors.js';
import { createBufferFile, readParquetRowGroups } from './read-parquet.js';
import {
  describeOversizedRow,
  findUnreadableStart,
  isNestedDeeperThan,
  MAX_ROW_BYTES,
  MAX_ROW_DEPTH,
  TOO_DEEP,
} from './row-limits.js';
import { type DatasetFormat, type DatasetRow, type RowProblem } from '../model/vocabulary.js';

/** How `readDatasetRows` reads its input. */
export interface DatasetRowOptions {
  /** The line the stream starts on (default 1), for a `jsonl` shard that starts mid-file. */
  firstLine?: number;
  /** Bytes of a `parquet` input held in memory before it is spooled to a temporary file (default 32 MiB). */
  parquetMemoryLimit?: number;
  /** The folder in which a spooled `parquet` input gets its temporary folder (default `os.tmpdir()`). */
  temporaryDirectory?: string;
  /** The top-level columns of a `parquet` input to decode (default all); those it lacks are ignored. */
  parquetColumns?: readonly string[];
}

/**
 * Streams the records of a dataset, each with the line where it starts. Never throws for bad content:
 * a line that is not valid UTF-8 or not valid JSON, a JSON row over 16 MiB or nested deeper than 100
 * levels (see `row-limits.ts`), or a CSV row with the wrong number of columns, yields a `RowProblem` and
 * reading goes on; a text format's file that starts with gzip's magic bytes yields one problem
 * (compressed) and no rows; a `json` file that does not parse yields one problem and
 * no rows. Blank lines are skipped; an empty file yields nothing. Only errors of the stream itself throw.
 *
 * - `jsonl`: one JSON value per line (LF or CRLF); a longer line is counted, never held whole.
 * - `json`: the whole file is one value; an array gives one record per element, anything else one record.
 * - `csv`/`tsv`: the first row is the header; records are objects of strings keyed by column name.
 * - `parquet`: Parquet keeps its index at the end, so the whole file is needed before the first row. Up
 *   to `parquetMemoryLimit` bytes (default 32 MiB) it is held in memory; a larger file is spooled to a
 *   temporary folder (`tuneguard-parquet-*` in `temporaryDirectory`) and read from disk, so memory holds
 *   one row group at a time however large the file. Either way the rows are read row group by row group,
 *   `line` is the 1-based row number, and the results are the same. The temporary folder is removed when
 *   reading ends, when the consumer stops early, and when the stream fails.
 *
 * `firstLine` (default 1) is the line the stream starts on, for a `jsonl` shard that starts mid-file.
 */
export async function* readDatasetRows(
  source: AsyncIterable<unknown>,
  format: DatasetFormat,
  options: DatasetRowOptions = {},
): AsyncGenerator<DatasetRow | RowProblem> {
  for await (const batch of readDatasetRowBatches(source, format, options)) yield* batch;
}

const BATCH = 256;

async function* inBatches<T>(rows: AsyncIterable<T>): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * `readDatasetRows` in batches of rows, in order, for consumers that profile millions of rows: a batch
 * per chunk read (JSONL), per row group (Parquet) or per 256 rows (other formats). Same options, rows,
 * problems and temporary files as `readDatasetRows`.
 */
export async function* readDatasetRowBatches(
  source: AsyncIterable<unknown>,
  format: DatasetFormat,
  options: DatasetRowOptions = {},
): AsyncGenerator<(DatasetRow | RowProblem)[]> {
  if (format === 'parquet') {
    yield* readParquetBatches(source, options);
    return;
  }
  const firstLine = options.firstLine ?? 1;
  const opened = firstLine === 1 ? await openText(source) : { chunks: source };
  if ('refused' in opened) {
    yield [{ line: 1, reason: opened.refused }];
    return;
  }
  const { chunks } = opened;
  if (format === 'jsonl') yield* readJsonLineBatches(chunks, firstLine - 1);
  else yield* inBatches(readOtherRows(chunks, format));
}

/**
 * The stream again, from its first chunk, or why it is not read when it starts as no UTF-8 text does
 * (gzip, a UTF-16 byte-order mark): such a file is one problem, not a row of invalid UTF-8 for each of
 * its lines.
 */
async function openText(
  source: AsyncIterable<unknown>,
): Promise<{ chunks: AsyncIterable<unknown> } | { refused: string }> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return { chunks: source };
  const refused = findUnreadableStart(toBytes(first.value));
  if (refused !== undefined) {
    await iterator.return?.();
    return { refused };
  }
  return {
    chunks: (async function* () {
      yield first.value;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
        yield next.value;
    })(),
  };
}

async function* readOtherRows(
  source: AsyncIterable<unknown>,
  format: Exclude<DatasetFormat, 'jsonl' | 'parquet'>,
): AsyncGenerator<DatasetRow | RowProblem> {
  switch (format) {
    case 'json':
      yield* readJsonDocument(source);
      return;
    case 'csv':
      yield* readDelimited(source, ',');
      return;
    case 'tsv':
      yield* readDelimited(source, '\t');
      return;
  }
}

/**
 * Parquet files up to this size are read from memory, which is fastest and covers the small datasets of
 * most fine-tuning repositories; a larger one goes to disk, because a Parquet file cannot be parsed as a
 * stream and holding a multi-GB file in memory would break the bound on memory that every format keeps.
 */
const PARQUET_MEMORY_LIMIT = 32 * 1024 * 1024;
const PARQUET_SPOOL = 'dataset.parquet';

/**
 * A Parquet stream's row groups, read from memory or, beyond the limit, from a temporary file the stream
 * is spooled to.
 */
async function* readParquetBatches(
  source: AsyncIterable<unknown>,
  options: DatasetRowOptions,
): AsyncGenerator<(DatasetRow | RowProblem)[]> {
  const limit = options.parquetMemoryLimit ?? PARQUET_MEMORY_LIMIT;
  const range = options.parquetColumns ? { columns: options.parquetColumns } : {};
  let parts: Uint8Array[] = [];
  let held = 0;
  let directory: string | undefined;
  let spool: FileHandle | undefined;
  try {
    for await (const chunk of source) {
      const bytes = toBytes(chunk);
      if (spool !== undefined) {
        await writeAll(spool, bytes);
        continue;
      }
      parts.push(bytes);
      held += bytes.byteLength;
      if (held <= limit) continue;
      directory = await mkdtemp(join(options.temporaryDirectory ?? tmpdir(), 'tuneguard-parquet-'));
      spool = await open(join(directory, PARQUET_SPOOL), 'w');
      for (const part of parts) await writeAll(spool, part);
      parts = [];
    }
    if (spool === undefined || directory === undefined) {
      const bytes = Buffer.concat(parts);
      parts = [];
      if (bytes.length === 0) return;
      yield* readParquetRowGroups(createBufferFile(bytes), range);
      return;
    }
    await spool.close();
    yield* readParquetRowGroups(await asyncBufferFromFile(join(directory, PARQUET_SPOOL)), range);
  } finally {
    // Closing an already closed handle resolves, so this only acts when the stream failed mid-spool.
    await spool?.close();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  }
}

/** Writes all of `bytes` at the handle's position, waiting for the disk before the next chunk is read. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

const LINE_FEED = 0x0a;
const NOT_UTF8 = 'not valid UTF-8';

// A fresh `decode` call without `stream` starts clean and drops a leading BOM, so one decoder serves all lines.
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

interface RawLine {
  line: number;
  bytes: Uint8Array;
}

/** Splits a byte stream on LF without ever holding more than the current line. */
async function* splitLines(chunks: AsyncIterable<unknown>, linesBefore = 0): AsyncGenerator<RawLine> {
  let pending: Uint8Array[] = [];
  let line = linesBefore;
  for await (const chunk of chunks) {
    const bytes = toBytes(chunk);
    let start = 0;
    let end = bytes.indexOf(LINE_FEED, start);
    while (end !== -1) {
      pending.push(bytes.subarray(start, end));
      line += 1;
      yield { line, bytes: joinBytes(pending) };
      pending = [];
      start = end + 1;
      end = bytes.indexOf(LINE_FEED, start);
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length > 0) yield { line: line + 1, bytes: joinBytes(pending) };
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  return Buffer.from(String(chunk), 'utf8');
}

function joinBytes(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts);
}

function decodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * JSONL as batches: every line a chunk completes is parsed synchronously, so a row costs no promise of
 * its own (an async step per row would cost more than parsing a short row).
 */
async function* readJsonLineBatches(
  chunks: AsyncIterable<unknown>,
  linesBefore: number,
): AsyncGenerator<(DatasetRow | RowProblem)[]> {
  let pending: Buffer[] = [];
  // The bytes of the line read so far; past MAX_ROW_BYTES its pieces are dropped and only counted.
  let pendingBytes = 0;
  let line = linesBefore;
  const finish = (lineBytes: Buffer, at: number): DatasetRow | RowProblem | undefined => {
    const size = pendingBytes + lineBytes.length;
    let whole = lineBytes;
    if (pending.length > 0) {
      pending.push(lineBytes);
      whole = Buffer.concat(pending);
      pending = [];
    }
    pendingBytes = 0;
    return size > MAX_ROW_BYTES ? { line: at, reason: describeOversizedRow(size) } : parseJsonLine(whole, at);
  };
  for await (const chunk of chunks) {
    const bytes = toBuffer(chunk);
    const batch: (DatasetRow | RowProblem)[] = [];
    let start = 0;
    let end = bytes.indexOf(LINE_FEED, start);
    while (end !== -1) {
      line += 1;
      const row = finish(bytes.subarray(start, end), line);
      if (row !== undefined) batch.push(row);
      start = end + 1;
      end = bytes.indexOf(LINE_FEED, start);
    }
    if (start < bytes.length) {
      pendingBytes += bytes.length - start;
      if (pendingBytes <= MAX_ROW_BYTES) pending.push(bytes.subarray(start));
      else pending = [];
    }
    if (batch.length > 0) yield batch;
  }
  if (pendingBytes > 0) {
    const row = finish(Buffer.alloc(0), line + 1);
    if (row !== undefined) yield [row];
  }
}

/** A line that opens a dict or list of them with a single-quoted key: `{'text': …}`. */
const PYTHON_DICT_START = /^\s*\[?\s*\{\s*'/;
/** Python's spelling of JSON's literals, after a key or in a list. */
const PYTHON_LITERAL = /[:,[]\s*(?:True|False|None)\s*[,}\]]/;

/**
 * What a line that is not JSON most likely is, and how to write it, as a sentence to append to the
 * parser's message: Python dict literals (what `str(record)` or `print(record)` writes) are the usual
 * cause of a JSON Lines file no trainer can load. Empty when nothing is recognised.
 * @example diagnoseJsonLine("{'text': 'hi'}") // '; the line is a Python dict literal (single quotes or True/False/None, as str() or print() writes a dict): write each record with json.dumps'
 */
export function diagnoseJsonLine(text: string): string {
  if (PYTHON_DICT_START.test(text) || (text.trimStart().startsWith('{') && PYTHON_LITERAL.test(text)))
    return '; the line is a Python dict literal (single quotes or True/False/None, as str() or print() writes a dict): write each record with json.dumps';
  return '';
}

function parseJsonLine(bytes: Buffer, line: number): DatasetRow | RowProblem | undefined {
  // isUtf8 is a native validation pass; toString is then the fast decoder (a fatal TextDecoder per line is slower).
  if (!isUtf8(bytes)) return { line, reason: NOT_UTF8 };
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    if (!/\S/.test(text)) return undefined;
    return { line, reason: `invalid JSON: ${describeError(error)}${diagnoseJsonLine(text)}` };
  }
  if (isNestedDeeperThan(record, MAX_ROW_DEPTH)) return { line, reason: TOO_DEEP };
  return new ParsedRow(line, record);
}

/**
 * A parsed JSONL row, made by a constructor rather than an object literal: V8 pretenures the objects of
 * a literal whose objects it saw survive a garbage collection (a batch's rows are alive while it is
 * profiled), and a pretenured row, born in the old generation, keeps its record alive until the next
 * full collection: every record of the file would then be promoted. A constructor has no allocation
 * site, so rows and records stay young and die young.
 */
class ParsedRow implements DatasetRow {
  constructor(
    readonly line: number,
    readonly record: unknown,
  ) {}
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), 'utf8');
}

/** The first line (1-based) holding a byte sequence that is not UTF-8; LF is never part of a sequence. */
function findInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(LINE_FEED, start);
    if (decodeStrict(bytes.subarray(start, end === -1 ? bytes.length : end)) === undefined) return line;
    if (end === -1) return line;
    start = end + 1;
    line += 1;
  }
}

function describeJsonError(code: ParseErrorCode): string {
  // 'CloseBracketExpected' → 'close bracket expected'
  return printParseErrorCode(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

async function* readJsonDocument(chunks: AsyncIterable<unknown>): AsyncGenerator<DatasetRow | RowProblem> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(toBytes(chunk));
  const bytes = Buffer.concat(parts);
  parts.length = 0;
  if (bytes.length === 0) return;
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch (error) {
    // Node marks malformed input with this code; anything else (a file too large for one string) is reported as is.
    const invalid = (error as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
    yield invalid
      ? { line: findInvalidUtf8Line(bytes), reason: NOT_UTF8 }
      : { line: 1, reason: `cannot read the file as one JSON value: ${describeError(error)}` };
    return;
  }
  if (!/\S/.test(text)) return;

  const { starts, ends, lines, firstError } = findJsonRecords(text);
  if (firstError !== undefined) {
    yield firstError;
    return;
  }
  for (let index = 0; index < starts.length; index += 1) {
    const line = lines[index] ?? 1;
    const span = text.slice(starts[index], ends[index]);
    // Characters, not bytes: a row's bytes are at least as many, so none over the limit slips through here.
    if (span.length > MAX_ROW_BYTES) {
      yield { line, reason: describeOversizedRow(Buffer.byteLength(span)) };
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(span);
    } catch (error) {
      yield { line, reason: `invalid JSON: ${describeError(error)}` };
      continue;
    }
    yield isNestedDeeperThan(record, MAX_ROW_DEPTH) ? { line, reason: TOO_DEEP } : { line, record };
  }
}

/** Where each top-level record of a JSON document (an array's elements, or one value) starts and ends. */
interface JsonRecordSpans {
  starts: number[];
  ends: number[];
  lines: number[];
  firstError: RowProblem | undefined;
}

/**
 * Finds the records of a JSON document without building its tree: jsonc-parser's visitor gives each
 * top-level element's offsets and line in one pass, so records can be parsed one at a time instead of
 * holding the whole document as objects. The first syntax error is returned with its line.
 */
function findJsonRecords(text: string): JsonRecordSpans {
  const starts: number[] = [];
  const ends: number[] = [];
  const lines: number[] = [];
  let depth = 0;
  let rootIsArray = false;
  let elementStart = 0;
  let elementLine = 0;
  let firstError: RowProblem | undefined;
  const isRecordDepth = (): boolean => (rootIsArray ? depth === 1 : depth === 0);
  const begin = (offset: number, line: number, isArray: boolean): void => {
    if (depth === 0) rootIsArray = isArray;
    if (isRecordDepth()) {
      elementStart = offset;
      elementLine = line;
    }
    depth += 1;
  };
  const end = (offset: number, length: number): void => {
    depth -= 1;
    if (isRecordDepth()) {
      starts.push(elementStart);
      ends.push(offset + length);
      lines.push(elementLine + 1);
    }
  };
  const visited = visitJson(
    text,
    {
      onObjectBegin: (offset, _length, line) => begin(offset, line, false),
      onArrayBegin: (offset, _length, line) => begin(offset, line, true),
      onObjectEnd: end,
      onArrayEnd: end,
      onLiteralValue: (_value, offset, length, line) => {
        if (!isRecordDepth()) return;
        starts.push(offset);
        ends.push(offset + length);
        lines.push(line + 1);
      },
      onError: (code, _offset, _length, line) => {
        firstError ??= {
          line: line + 1,
          reason: `invalid JSON: ${describeJsonError(code)}${diagnoseJsonLine(text.slice(0, 4096))}`,
        };
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  // The records found before the nesting ran too deep are kept; the rest of the document is one problem.
  if (!visited) firstError ??= { line: elementLine + 1, reason: 'nested too deeply to read' };
  return { starts, ends, lines, firstError };
}

/**
 * A CSV row as a record of its named columns. Columns the header leaves unnamed are no fields: a
 * leading one is pandas' index (`to_csv` without `index=False`), trailing ones are the empty `,,,`
 * columns of spreadsheet exports. A row with a value in a trailing one is malformed: its text most likely
 * spilled over a delimiter that was not quoted.
 * @example toCsvRecord(['label', 'text', ''], ['ham', 'hi', ''], 2) // { line: 2, record: { label: 'ham', text: 'hi' } }
 */
function toCsvRecord(
  names: readonly string[],
  fields: readonly string[],
  line: number,
): DatasetRow | RowProblem {
  const entries: [string, string][] = [];
  const spilled: number[] = [];
  const lastNamed = names.findLastIndex((name) => name.trim() !== '');
  fields.forEach((value, index) => {
    const name = names[index] ?? '';
    if (name.trim() !== '') entries.push([name, value]);
    else if (index > lastNamed && value.trim() !== '') spilled.push(index + 1);
  });
  if (spilled.length > 0) {
    const columns = spilled.length === 1 ? `column ${spilled[0]}` : `columns ${joinNumbers(spilled)}`;
    return {
      line,
      reason: `a value in ${columns}, which the header does not name: a field holding the delimiter without quotes?`,
    };
  }
  // fromEntries defines own properties, so a column named `__proto__` stays a plain field.
  return { line, record: Object.fromEntries(entries) };
}

/**
 * One problem at the header's line for each column name given twice (a row keeps the later column's
 * value only). Unnamed columns are none: {@link toCsvRecord} leaves them out of the records.
 * @example [...findHeaderProblems(['text', '', 'text'], 1)] // [{ line: 1, reason: 'the header names the column "text" twice (columns 1 and 3): only the last one\'s values are read' }]
 */
function* findHeaderProblems(names: readonly string[], line: number): Generator<RowProblem> {
  const columns = new Map<string, number[]>();
  names.forEach((name, index) => columns.set(name, [...(columns.get(name) ?? []), index + 1]));
  for (const [name, at] of columns) {
    if (name.trim() === '' || at.length < 2) continue;
    const times = at.length === 2 ? 'twice' : `${at.length} times`;
    yield {
      line,
      reason: `the header names the column ${JSON.stringify(name)} ${times} (columns ${joinNumbers(at)}): only the last one's values are read`,
    };
  }
}

/** `1 and 3`, `1, 3 and 4`. */
function joinNumbers(numbers: readonly number[]): string {
  return numbers.length < 2 ? numbers.join('') : `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

const QUOTE = 0x22;

/** Whether a CSV line leaves a quoted field open, given whether it began inside one (RFC 4180 quoting). */
function endsInsideQuotes(text: string, delimiter: number, inQuotes: boolean): boolean {
  let quoted = inQuotes;
  let atFieldStart = !inQuotes;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (quoted) {
      if (code !== QUOTE) continue;
      if (text.charCodeAt(index + 1) === QUOTE) index += 1;
      else quoted = false;
    } else if (atFieldStart && code === QUOTE) {
      quoted = true;
      atFieldStart = false;
    } else {
      atFieldStart = code === delimiter;
    }
  }
  return quoted;
}

function describeCsvError(error: unknown, label: string): string {
  // csv-parse's messages count lines from the start of the parsed piece, which is not the file's line.
  if (error instanceof CsvError) {
    return `invalid ${label}: ${error.code.replace(/^CSV_/, '').replaceAll('_', ' ').toLowerCase()}`;
  }
  return `invalid ${label}: ${describeError(error)}`;
}

/**
 * Groups physical lines into records by following quotes (a quoted field may span lines), then lets
 * csv-parse split each record into fields. Tracking records here keeps every line number exact, which
 * csv-parse's own line counter is not for CRLF inside quoted fields.
 */
async function* readDelimited(
  chunks: AsyncIterable<unknown>,
  delimiter: ',' | '\t',
): AsyncGenerator<DatasetRow | RowProblem> {
  const label = delimiter === ',' ? 'CSV' : 'TSV';
  const delimiterCode = delimiter.charCodeAt(0);
  let header: string[] | undefined;
  let pieces: string[] = [];
  let recordLine = 0;
  let invalidLine: number | undefined;
  let inQuotes = false;

  function* emit(): Generator<DatasetRow | RowProblem> {
    const line = recordLine;
    const text = pieces.join('\n').replace(/\r$/, '');
    const badLine = invalidLine;
    pieces = [];
    invalidLine = undefined;
    let records: string[][];
    try {
      // Without a quote, csv-parse would split on the delimiter and nothing else: doing it here is much faster.
      records = !text.includes('"')
        ? [text.split(delimiter)]
        : parseCsv(text, { delimiter, relax_quotes: true, relax_column_count: true, bom: true });
    } catch (error) {
      yield {
        line: badLine ?? line,
        reason: badLine === undefined ? describeCsvError(error, label) : NOT_UTF8,
      };
      return;
    }
    if (badLine !== undefined) {
      yield { line: badLine, reason: NOT_UTF8 };
      // Still take a broken header's names (with replacement characters) so the rows after it can be read.
      if (header !== undefined) return;
    }
    for (const fields of records) {
      if (header === undefined) {
        header = fields;
        yield* findHeaderProblems(fields, line);
        continue;
      }
      if (fields.length !== header.length) {
        yield { line, reason: `expected ${header.length} columns, found ${fields.length}` };
        continue;
      }
      yield toCsvRecord(header, fields, line);
    }
  }

  for await (const { line, bytes } of splitLines(chunks)) {
    let text = decodeStrict(bytes);
    if (text === undefined) {
      invalidLine ??= line;
      text = lenientDecoder.decode(bytes);
    }
    if (pieces.length === 0) {
      if (text === '' || text === '\r') continue;
      recordLine = line;
    }
    pieces.push(text);
    inQuotes = endsInsideQuotes(text, delimiterCode, inQuotes);
    if (!inQuotes) yield* emit();
  }
  if (pieces.length > 0) yield* emit();
}
