import type { HashTableState, SampledHashTable } from './sampled-hash-table.js';

/** What merging reads of a table: a `SampledHashTable`, or a table's state read in place (`readTableState`). */
export type ReadableTable = Pick<
  SampledHashTable,
  'keys' | 'columns' | 'level' | 'overflowed' | 'size' | 'forEachSlot'
>;

/** Combines the values of a key present in both tables into `into`'s slot. */
export type SlotMerge = (into: SampledHashTable, slot: number, from: ReadableTable, fromSlot: number) => void;

/** A table's state as the `from` side of a merge, without rebuilding a hash table from it. */
export function readTableState(state: HashTableState): ReadableTable {
  return {
    keys: state.keys,
    columns: state.columns,
    level: state.level,
    overflowed: state.overflowed,
    size: state.keys.length,
    forEachSlot: (visit) => {
      for (let slot = 0; slot < state.keys.length; slot += 1) visit(slot);
    },
  };
}

/** Adds every key of `from` to `into` at the higher of their sampling levels, combining values with `combine`. */
export function mergeTables(into: SampledHashTable, from: ReadableTable, combine: SlotMerge): void {
  into.setLevel(from.level);
  into.overflowed ||= from.overflowed;
  // One resize for all the keys to come, instead of growing through copies.
  into.reserve(into.size + from.size);
  from.forEachSlot((fromSlot) => {
    const slot = into.upsert(from.keys[fromSlot] as number);
    if (slot === -1) return;
    if (into.isNew) {
      into.columns.forEach((column, c) => {
        column[slot] = (from.columns[c] as Float64Array | Uint32Array)[fromSlot] as number;
      });
    } else combine(into, slot, from, fromSlot);
  });
}

/** The buffers of a table state's keys and columns, to transfer between threads. */
export function tableBuffers(state: HashTableState): ArrayBuffer[] {
  return [state.keys.buffer as ArrayBuffer, ...state.columns.map((column) => column.buffer as ArrayBuffer)];
}
