import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { readDatasetRows } from '../loaders/load-dataset.js';
import type { DatasetFormat, RowProblem } from '../loaders/load-dataset.js';
import type { DatasetProfile, FieldStats } from '../report/schema.js';
import { computeQuantiles } from './compute-quantiles.js';

/** How much detail `profileDataset` keeps. */
export interface DatasetProfileOptions {
  /** Max problems kept with details (all are counted). Default 20. */
  maxProblems?: number;
}

/** A dataset's profile with the detail the checks need beyond the report. */
export interface DatasetProfileResult {
  profile: DatasetProfile;
  /** The first `maxProblems` malformed rows. */
  problems: RowProblem[];
  /** normalised-record hash → first line where it appears (used for train/eval leakage detection) */
  fingerprints: Map<string, number>;
}

const MAX_EXAMPLES = 5;
const CHARS_PER_TOKEN = 4;

interface ShapeTally {
  count: number;
  /** The first lines with this shape, enough to list the first off-shape lines once the dominant shape is known. */
  lines: number[];
}

/**
 * Profiles a dataset read once from a stream: size, malformed rows, dominant record shape, duplicates,
 * per-field presence and emptiness, and text-length quantiles. Keeps per row only its length and its
 * fingerprint, never the record. An empty dataset gives zero counts, `recordShape` `''` and no quantiles.
 * Only errors of the stream itself reject.
 */
export async function profileDataset(
  source: Readable,
  format: DatasetFormat,
  options: DatasetProfileOptions = {},
): Promise<DatasetProfileResult> {
  const maxProblems = options.maxProblems ?? 20;
  let bytes = 0;
  async function* countBytes(): AsyncGenerator<unknown> {
    for await (const chunk of source) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
      yield chunk;
    }
  }

  const problems: RowProblem[] = [];
  let malformedRows = 0;
  const shapes = new Map<string, ShapeTally>();
  const fieldTallies = new Map<string, { present: number; empty: number }>();
  let objectRows = 0;
  const charCounts: number[] = [];
  const fingerprints = new Map<string, number>();
  let duplicateRows = 0;
  const duplicateExamples: DatasetProfile['duplicateExamples'] = [];

  const noteProblem = (problem: RowProblem): void => {
    malformedRows += 1;
    if (problems.length < maxProblems) problems.push(problem);
  };

  for await (const row of readDatasetRows(Readable.from(countBytes()), format)) {
    if (!('record' in row)) {
      noteProblem(row);
      continue;
    }
    const { line, record } = row;
    let fingerprint: string;
    let chars: number;
    try {
      fingerprint = computeRecordFingerprint(record);
      chars = countTextChars(record);
    } catch (error) {
      // JSON.parse accepts nesting deeper than a recursive walk can follow: such a record is malformed here.
      if (!(error instanceof RangeError)) throw error;
      noteProblem({ line, reason: 'record nested too deeply to analyse' });
      continue;
    }

    const shape = computeShape(record);
    const tally = shapes.get(shape);
    if (tally === undefined) shapes.set(shape, { count: 1, lines: [line] });
    else {
      tally.count += 1;
      if (tally.lines.length < MAX_EXAMPLES) tally.lines.push(line);
    }

    if (isPlainObject(record)) {
      objectRows += 1;
      for (const [name, value] of Object.entries(record)) {
        let field = fieldTallies.get(name);
        if (field === undefined) {
          field = { present: 0, empty: 0 };
          fieldTallies.set(name, field);
        }
        field.present += 1;
        if (isEmptyField(value)) field.empty += 1;
      }
    }

    charCounts.push(chars);

    const firstLine = fingerprints.get(fingerprint);
    if (firstLine === undefined) fingerprints.set(fingerprint, line);
    else {
      duplicateRows += 1;
      if (duplicateExamples.length < MAX_EXAMPLES) duplicateExamples.push({ line, firstLine });
    }
  }

  let recordShape = '';
  let dominantCount = 0;
  for (const [shape, tally] of shapes) {
    // Strictly greater: on a tie the shape seen first wins.
    if (tally.count > dominantCount) {
      recordShape = shape;
      dominantCount = tally.count;
    }
  }
  const offShapeExamples = [...shapes]
    .filter(([shape]) => shape !== recordShape)
    .flatMap(([, tally]) => tally.lines)
    .sort((a, b) => a - b)
    .slice(0, MAX_EXAMPLES);

  const fields: FieldStats[] = [...fieldTallies]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, { present, empty }]) => ({ name, present, missing: objectRows - present, empty }));

  const tokenCounts = charCounts.map((chars) => Math.ceil(chars / CHARS_PER_TOKEN));
  const chars = computeQuantiles(charCounts);
  const tokens = computeQuantiles(tokenCounts);
  const profile: DatasetProfile = {
    format,
    bytes,
    rows: charCounts.length,
    malformedRows,
    recordShape,
    offShapeRows: charCounts.length - dominantCount,
    offShapeExamples,
    duplicateRows,
    duplicateExamples,
    fields,
    ...(chars === undefined ? {} : { chars }),
    ...(tokens === undefined ? {} : { tokens }),
    totalTokens: tokenCounts.reduce((sum, count) => sum + count, 0),
  };
  return { profile, problems, fingerprints };
}

/**
 * Hashes a record so that copies differing only in key order, letter case or whitespace collide: the
 * record as JSON with object keys sorted and every string value lowercased, trimmed and its inner
 * whitespace runs collapsed to one space (keys are kept as they are), then the SHA-1 hex digest.
 * Throws `RangeError` only for a record nested too deeply to walk.
 *
 * @example
 * computeRecordFingerprint({ b: ' Hello  World', a: 1 }) === computeRecordFingerprint({ a: 1, b: 'hello world' }); // => true
 */
export function computeRecordFingerprint(record: unknown): string {
  return createHash('sha1').update(toStableJson(record)).digest('hex');
}

function toStableJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.trim().replace(/\s+/g, ' ').toLowerCase());
  if (Array.isArray(value)) return `[${value.map(toStableJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort(compareText);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${toStableJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object's sorted key set joined by `,` (`{}` when it has none), else the value's kind. */
function computeShape(record: unknown): string {
  if (isPlainObject(record)) {
    const keys = Object.keys(record);
    return keys.length === 0 ? '{}' : keys.sort(compareText).join(',');
  }
  if (Array.isArray(record)) return 'array';
  if (record === null) return 'null';
  return typeof record;
}

/** Characters (code points) of all string leaves; keys are not text of the record. */
function countTextChars(value: unknown): number {
  if (typeof value === 'string') return countCodePoints(value);
  let total = 0;
  if (Array.isArray(value)) for (const item of value) total += countTextChars(item);
  else if (isPlainObject(value)) for (const key in value) total += countTextChars(value[key]);
  return total;
}

function countCodePoints(text: string): number {
  let count = text.length;
  // A surrogate pair is one character in two UTF-16 units.
  if (/[\uD800-\uDBFF]/.test(text))
    for (const _ of text.matchAll(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)) count -= 1;
  return count;
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return !/\S/.test(value);
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/**
 * Empty itself, or a chat list (OpenAI `messages` with `content`, ShareGPT `conversations` with `value`)
 * holding a turn whose text is empty. An assistant turn that carries a tool call instead of text is not empty.
 */
function isEmptyField(value: unknown): boolean {
  if (isEmptyValue(value)) return true;
  if (!Array.isArray(value)) return false;
  return value.some(
    (turn) =>
      isPlainObject(turn) &&
      !('tool_calls' in turn) &&
      !('function_call' in turn) &&
      (('content' in turn && isEmptyValue(turn.content)) || ('value' in turn && isEmptyValue(turn.value))),
  );
}
