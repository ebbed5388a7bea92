import { z } from 'zod';
import type { DatasetProfile, RowRef } from '../../../model/report-schema.js';
import { SampledHashTable, type HashTableState } from '../sketches/sampled-hash-table.js';
import { mergeTables, readTableState, tableBuffers, type ReadableTable } from '../sketches/merge-tables.js';
import { MAX_EXAMPLES, type Figure, type FigureKind, type ProfiledRow } from './figure.js';
import { parseTable, serializeTable, tableSchema, type SerializedTable } from './state-codec.js';

/** The duplicates figure's state: the fingerprint table. */
export interface DuplicatesState {
  fingerprints: HashTableState;
}

const CAPACITY = 4_000_000;
const COLUMNS = ['f64', 'f64', 'u32'] as const;
// Columns: first position, second position, rows.
const FIRST = 0;
const SECOND = 1;
const COUNT = 2;

/**
 * Exact duplicates: each normalised record's fingerprint with its first two positions and its rows, in
 * a table that keeps a uniform sample of fingerprints past four million.
 */
export class DuplicatesFigure implements Figure<DuplicatesState> {
  constructor(readonly table = new SampledHashTable(COLUMNS, CAPACITY)) {}

  add(row: ProfiledRow): void {
    const table = this.table;
    const slot = table.upsert(row.digest.fingerprint);
    if (slot === -1) return;
    if (table.isNew) {
      table.setF64(FIRST, slot, row.position);
      table.setU32(COUNT, slot, 1);
    } else {
      table.setU32(COUNT, slot, table.u32(COUNT, slot) + 1);
      if (table.f64(SECOND, slot) === 0) table.setF64(SECOND, slot, row.position);
    }
  }

  merge(other: this): void {
    mergeTables(this.table, other.table, mergeSlot);
  }

  mergeState(state: DuplicatesState): void {
    mergeTables(this.table, readTableState(state.fingerprints), mergeSlot);
  }

  toState(): DuplicatesState {
    return { fingerprints: this.table.toState() };
  }

  transferables(state: DuplicatesState): ArrayBuffer[] {
    return tableBuffers(state.fingerprints);
  }

  reserve(scale: number): void {
    this.table.reserve(Math.ceil(this.table.size * scale));
  }

  finish(into: DatasetProfile, refOf: (position: number) => RowRef): void {
    const table = this.table;
    const first = table.f64Column(FIRST);
    const second = table.f64Column(SECOND);
    const count = table.u32Column(COUNT);
    let rows = 0;
    // The one number of times every distinct row stands, or -1 once two differ.
    let repeat = 0;
    const examples: [number, number][] = [];
    table.forEachSlot((slot) => {
      const times = count[slot] as number;
      rows += times - 1;
      repeat = repeat === 0 || repeat === times ? times : -1;
      const position = second[slot] as number;
      if (position !== 0) examples.push([position, first[slot] as number]);
    });
    examples.sort((a, b) => a[0] - b[0]);
    into.duplicateRows = rows * 2 ** table.level;
    into.duplicateExamples = examples.slice(0, MAX_EXAMPLES).map(([position, earlier]) => {
      const row = refOf(position);
      const firstRow = refOf(earlier);
      return {
        line: row.line,
        firstLine: firstRow.line,
        ...(row.file !== undefined ? { file: row.file, firstFile: firstRow.file ?? '' } : {}),
      };
    });
    if (table.level > 0) into.duplicatesEstimated = true;
    // One row repeated is a one-example dataset, not upsampling: only two distinct rows or more count.
    else if (repeat >= 2 && table.size >= 2) into.duplicateRepeat = repeat;
  }
}

/** Restores a duplicates figure from its state. */
export function restoreDuplicates(state: DuplicatesState): DuplicatesFigure {
  return new DuplicatesFigure(SampledHashTable.fromState(state.fingerprints, COLUMNS, CAPACITY));
}

/** Keeps the two smallest positions of both sides and adds the rows. */
function mergeSlot(into: SampledHashTable, slot: number, from: ReadableTable, fromSlot: number): void {
  const fromFirst = (from.columns[FIRST] as Float64Array)[fromSlot] as number;
  const fromSecond = (from.columns[SECOND] as Float64Array)[fromSlot] as number;
  const [a, b] = twoSmallest([into.f64(FIRST, slot), into.f64(SECOND, slot), fromFirst, fromSecond]);
  into.setF64(FIRST, slot, a);
  into.setF64(SECOND, slot, b);
  into.setU32(
    COUNT,
    slot,
    into.u32(COUNT, slot) + ((from.columns[COUNT] as Uint32Array)[fromSlot] as number),
  );
}

/** The two smallest positions (0 is none), 0 for each missing. */
function twoSmallest(positions: number[]): [number, number] {
  const present = positions.filter((position) => position !== 0).sort((a, b) => a - b);
  return [present[0] ?? 0, present[1] ?? 0];
}

/** The duplicates figure as registered. */
export const duplicatesKind: FigureKind<
  DuplicatesFigure,
  DuplicatesState,
  { fingerprints: SerializedTable }
> = {
  create: () => new DuplicatesFigure(),
  restore: restoreDuplicates,
  schema: z.object({ fingerprints: tableSchema }),
  serialize: (state) => ({ fingerprints: serializeTable(state.fingerprints) }),
  parse: (json) => ({ fingerprints: parseTable(json.fingerprints, 'fingerprints') }),
};
