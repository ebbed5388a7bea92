import { parse as parseCsv } from 'csv-parse/sync';
import { ParseError } from '../model/errors.js';

/** One CSV record: its cells and the 1-based line it ends on. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * The records of a CSV text (a leading byte-order mark dropped, empty lines skipped, rows of any length),
 * each with its line; throws `ParseError(`${what}: …`, line)` where csv-parse gives up.
 * @example parseCsvRecords('a,b\n1,2\n', 'not a readable CSV file')[1] // { cells: ['1', '2'], line: 2 }
 */
export function parseCsvRecords(text: string, what: string): CsvRecord[] {
  try {
    // With `info: true` csv-parse returns `{ record, info }` pairs; its typings do not model that option.
    const records = parseCsv(text.replace(/^\uFEFF/, ''), {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map(({ record, info }) => ({ cells: record, line: info.lines }));
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new ParseError(
      `${what}: ${error instanceof Error ? error.message : String(error)}`,
      typeof line === 'number' && Number.isInteger(line) && line > 0 ? line : undefined,
      { cause: error },
    );
  }
}
