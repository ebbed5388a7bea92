import { z } from 'zod';
import type { DatasetProfile, RowRef } from '../../../model/report-schema.js';
import { SampledHashTable, type HashTableState } from '../sketches/sampled-hash-table.js';
import { mergeTables, readTableState, tableBuffers, type ReadableTable } from '../sketches/merge-tables.js';
import { MAX_EXAMPLES, type Figure, type FigureKind, type ProfiledRow } from './figure.js';
import { parseTable, serializeTable, tableSchema, type SerializedTable } from './state-codec.js';

/** The conflicts figure's state: the table of inputs. */
export interface ConflictsState {
  conflicts: HashTableState;
}

const CAPACITY = 2_000_000;
const COLUMNS = ['f64', 'f64', 'u32', 'u32', 'u32'] as const;
const TWO_POW_21 = 2097152;
/** Answers of at most this many characters are label-like (`positive`, `B`, `42`); longer ones are free text. */
const LABEL_CHARS = 32;
// Columns: first position, first position with another output, first output, that other output, rows.
const FIRST = 0;
const OTHER = 1;
const OUTPUT = 2;
const OTHER_OUTPUT = 3;
const COUNT = 4;

/**
 * Conflicting answers: each normalised input (prompt, or text of a classification row) with its first
 * output, the first row that answers it otherwise, and its rows. An answer's low bit says whether it is
 * label-like (a classification row's label, or a short answer); only inputs whose two answers are both
 * label-like are reported: different free-text answers to one prompt are paraphrases or samples.
 */
export class ConflictsFigure implements Figure<ConflictsState> {
  constructor(readonly table = new SampledHashTable(COLUMNS, CAPACITY)) {}

  add(row: ProfiledRow): void {
    const { format, input, output } = row.view;
    if (input === undefined || output === undefined) return;
    const hasher = row.hasher;
    const key = hasher.hashTexts(input);
    const labelLike = format === 'classification' || output.length <= LABEL_CHARS ? 1 : 0;
    const answer = Math.floor(hasher.findTextHash(output) / TWO_POW_21) * 2 + labelLike;
    const table = this.table;
    const slot = table.upsert(key);
    if (slot === -1) return;
    if (table.isNew) {
      table.setF64(FIRST, slot, row.position);
      table.setU32(OUTPUT, slot, answer);
      table.setU32(COUNT, slot, 1);
      return;
    }
    table.setU32(COUNT, slot, table.u32(COUNT, slot) + 1);
    if (table.f64(OTHER, slot) === 0 && table.u32(OUTPUT, slot) !== answer) {
      table.setF64(OTHER, slot, row.position);
      table.setU32(OTHER_OUTPUT, slot, answer);
    }
  }

  merge(other: this): void {
    mergeTables(this.table, other.table, mergeSlot);
  }

  mergeState(state: ConflictsState): void {
    mergeTables(this.table, readTableState(state.conflicts), mergeSlot);
  }

  toState(): ConflictsState {
    return { conflicts: this.table.toState() };
  }

  transferables(state: ConflictsState): ArrayBuffer[] {
    return tableBuffers(state.conflicts);
  }

  reserve(scale: number): void {
    this.table.reserve(Math.ceil(this.table.size * scale));
  }

  finish(into: DatasetProfile, refOf: (position: number) => RowRef): void {
    if (into.rows === 0) return;
    const table = this.table;
    const first = table.f64Column(FIRST);
    const other = table.f64Column(OTHER);
    const output = table.u32Column(OUTPUT);
    const otherOutput = table.u32Column(OTHER_OUTPUT);
    const count = table.u32Column(COUNT);
    let inputs = 0;
    let rows = 0;
    const examples: [number, number][] = [];
    table.forEachSlot((slot) => {
      if (other[slot] === 0 || ((output[slot] as number) & (otherOutput[slot] as number) & 1) === 0) return;
      inputs += 1;
      rows += count[slot] as number;
      examples.push([other[slot] as number, first[slot] as number]);
    });
    examples.sort((a, b) => a[0] - b[0]);
    const scale = 2 ** table.level;
    into.conflicts = {
      inputs: inputs * scale,
      rows: rows * scale,
      estimated: table.level > 0,
      examples: examples.slice(0, MAX_EXAMPLES).map(([row, previous]) => ({
        row: refOf(row),
        conflictsWith: refOf(previous),
      })),
    };
  }
}

/** Restores a conflicts figure from its state. */
export function restoreConflicts(state: ConflictsState): ConflictsFigure {
  return new ConflictsFigure(SampledHashTable.fromState(state.conflicts, COLUMNS, CAPACITY));
}

/** One row of a table: first position, its output, the other position, its output. */
type Entry = [number, number, number, number];

/**
 * The earlier side's first output stays first; the other output is the earliest row, on either side,
 * whose output differs from it.
 */
function mergeSlot(into: SampledHashTable, slot: number, from: ReadableTable, fromSlot: number): void {
  const read = (column: number): number =>
    (from.columns[column] as Float64Array | Uint32Array)[fromSlot] as number;
  into.setU32(COUNT, slot, into.u32(COUNT, slot) + read(COUNT));
  const mine: Entry = [
    into.f64(FIRST, slot),
    into.u32(OUTPUT, slot),
    into.f64(OTHER, slot),
    into.u32(OTHER_OUTPUT, slot),
  ];
  const theirs: Entry = [read(FIRST), read(OUTPUT), read(OTHER), read(OTHER_OUTPUT)];
  const [earlier, later] = mine[0] <= theirs[0] ? [mine, theirs] : [theirs, mine];
  const [firstPosition, firstOutput, ownOther, ownOtherOutput] = earlier;
  const candidates: [number, number][] = [];
  if (ownOther !== 0) candidates.push([ownOther, ownOtherOutput]);
  if (later[1] !== firstOutput) candidates.push([later[0], later[1]]);
  else if (later[2] !== 0) candidates.push([later[2], later[3]]);
  candidates.sort((a, b) => a[0] - b[0]);
  into.setF64(FIRST, slot, firstPosition);
  into.setU32(OUTPUT, slot, firstOutput);
  into.setF64(OTHER, slot, candidates[0]?.[0] ?? 0);
  into.setU32(OTHER_OUTPUT, slot, candidates[0]?.[1] ?? 0);
}

/** The conflicts figure as registered. */
export const conflictsKind: FigureKind<ConflictsFigure, ConflictsState, { conflicts: SerializedTable }> = {
  create: () => new ConflictsFigure(),
  restore: restoreConflicts,
  schema: z.object({ conflicts: tableSchema }),
  serialize: (state) => ({ conflicts: serializeTable(state.conflicts) }),
  parse: (json) => ({ conflicts: parseTable(json.conflicts, 'conflicts') }),
};
