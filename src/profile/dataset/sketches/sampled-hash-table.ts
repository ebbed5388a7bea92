/** The type of one value column of a `SampledHashTable`: 64-bit floats (positions) or 32-bit unsigned ints. */
export type ColumnType = 'f64' | 'u32';

type Column = Float64Array | Uint32Array;

/** What a table does when it holds `maxEntries` keys. */
export type OverflowMode =
  /** Keep a uniform sample: raise the sampling level, which halves the keys kept (and the keys accepted from then on). */
  | 'sample'
  /** Accept no new key; the table is then incomplete (`overflowed`). */
  | 'stop';

/** A table's content as plain data: occupied slots only, sorted by key, so equal tables give equal states. */
export interface HashTableState {
  level: number;
  overflowed: boolean;
  keys: Float64Array;
  columns: (Float64Array | Uint32Array)[];
}

const TWO_POW_20 = 1048576;
const TWO_POW_32 = 4294967296;
const MAX_LOAD = 0.7;

/**
 * An open-addressing hash table keyed by 52-bit integer hashes (as produced by `hashRecord`), with typed
 * value columns, so a million keys take tens of megabytes instead of hundreds as a `Map` would. Memory
 * is bounded by `maxEntries`: in `sample` mode the table then keeps only keys whose low `level` bits are
 * zero (a uniform sample of rate 2^-level, the same keys whichever order or shard they come from, so two
 * tables merge into what one pass would have built); in `stop` mode it accepts nothing more.
 * Key 0 is reserved: callers map a zero hash to 1.
 */
export class SampledHashTable {
  readonly columnTypes: readonly ColumnType[];
  readonly maxEntries: number;
  readonly mode: OverflowMode;
  /** Keys kept are those divisible by 2^level; 0 keeps every key. */
  level = 0;
  /** Whether a `stop` table refused a key. */
  overflowed = false;
  size = 0;
  keys: Float64Array;
  columns: Column[];
  private modulus = 1;

  constructor(columnTypes: readonly ColumnType[], maxEntries: number, mode: OverflowMode = 'sample') {
    this.columnTypes = columnTypes;
    this.maxEntries = maxEntries;
    this.mode = mode;
    this.keys = new Float64Array(1024);
    this.columns = columnTypes.map((type) => createColumn(type, 1024));
  }

  /** The value of 64-bit column `column` at `slot`. */
  f64(column: number, slot: number): number {
    return (this.columns[column] as Float64Array)[slot] as number;
  }

  /** The value of 32-bit column `column` at `slot`. */
  u32(column: number, slot: number): number {
    return (this.columns[column] as Uint32Array)[slot] as number;
  }

  /** Sets 64-bit column `column` at `slot`. */
  setF64(column: number, slot: number, value: number): void {
    (this.columns[column] as Float64Array)[slot] = value;
  }

  /** Sets 32-bit column `column` at `slot`. */
  setU32(column: number, slot: number, value: number): void {
    (this.columns[column] as Uint32Array)[slot] = value;
  }

  /** Column `column` as its 64-bit array: valid until the next insertion (which may reallocate it). */
  f64Column(column: number): Float64Array {
    return this.columns[column] as Float64Array;
  }

  /** Column `column` as its 32-bit array: valid until the next insertion (which may reallocate it). */
  u32Column(column: number): Uint32Array {
    return this.columns[column] as Uint32Array;
  }

  /** Whether the sampling level lets this key in (whether or not it is in the table). */
  accepts(key: number): boolean {
    return this.level === 0 || key % this.modulus === 0;
  }

  /** The slot holding `key`, or -1. */
  find(key: number): number {
    const keys = this.keys;
    const capacity = keys.length;
    let slot = slotOf(key, capacity);
    for (;;) {
      const found = keys[slot];
      if (found === key) return slot;
      if (found === 0) return -1;
      slot += 1;
      if (slot === capacity) slot = 0;
    }
  }

  /**
   * The slot of `key`, inserting it (with zeroed values) when absent; `-1` when the sampling level
   * rejects it or a full `stop` table cannot take it. `isNew` tells whether the key was inserted.
   * A slot index is valid until the next insertion.
   */
  upsert(key: number): number {
    if (this.level !== 0 && key % this.modulus !== 0) return -1;
    let slot = this.find(key);
    if (slot !== -1) {
      this.isNew = false;
      return slot;
    }
    if (this.size >= this.maxEntries) {
      if (this.mode === 'stop') {
        this.overflowed = true;
        return -1;
      }
      // One level at a time until the key is dropped or fits: the level a table ends at is then the lowest
      // at which every key it was offered fits, whatever their order, so one pass over a dataset and a
      // merge of its shards end with the same keys.
      while (this.size >= this.maxEntries) {
        this.setLevel(this.level + 1);
        if (key % this.modulus !== 0) return -1;
      }
    }
    if ((this.size + 1) / this.keys.length > MAX_LOAD) this.resize(Math.ceil((this.keys.length * 3) / 2));
    slot = this.emptySlot(key);
    this.keys[slot] = key;
    this.size += 1;
    this.isNew = true;
    return slot;
  }

  /**
   * Makes room for `entries` keys (at most `maxEntries`) at once, so a table whose final size can be
   * foreseen is allocated once instead of growing through copies that each hold the old and new arrays.
   */
  reserve(entries: number): void {
    const capacity = Math.ceil(Math.min(entries, this.maxEntries) / MAX_LOAD) + 1;
    if (capacity > this.keys.length) this.resize(capacity);
  }

  /** Empties the table, keeping its capacity (and its sampling level). */
  clear(): void {
    this.keys.fill(0);
    for (const column of this.columns) column.fill(0);
    this.size = 0;
  }

  /** Whether the last `upsert` inserted its key. */
  isNew = false;

  /** Calls `visit` with the slot of every key held. */
  forEachSlot(visit: (slot: number) => void): void {
    const keys = this.keys;
    for (let slot = 0; slot < keys.length; slot += 1) if (keys[slot] !== 0) visit(slot);
  }

  /** Sets the sampling level (only upward) and drops the keys it no longer keeps. */
  setLevel(level: number): void {
    if (level <= this.level) return;
    this.level = level;
    this.modulus = 2 ** level;
    this.rebuild(this.keys.length, (key) => key % this.modulus === 0);
  }

  /** The table as plain data (occupied slots sorted by key). */
  toState(): HashTableState {
    const slots = new Uint32Array(this.size);
    let count = 0;
    this.forEachSlot((slot) => {
      slots[count] = slot;
      count += 1;
    });
    const keys = this.keys;
    slots.sort((a, b) => (keys[a] as number) - (keys[b] as number));
    return {
      level: this.level,
      overflowed: this.overflowed,
      keys: Float64Array.from(slots, (slot) => keys[slot] as number),
      columns: this.columns.map((column) =>
        column instanceof Float64Array
          ? Float64Array.from(slots, (slot) => column[slot] as number)
          : Uint32Array.from(slots, (slot) => column[slot] as number),
      ),
    };
  }

  /** Rebuilds a table from `toState`'s data. */
  static fromState(
    state: HashTableState,
    columnTypes: readonly ColumnType[],
    maxEntries: number,
    mode: OverflowMode = 'sample',
  ): SampledHashTable {
    const table = new SampledHashTable(columnTypes, maxEntries, mode);
    table.level = state.level;
    table.modulus = 2 ** state.level;
    table.overflowed = state.overflowed;
    table.resize(Math.max(1024, Math.ceil(state.keys.length / MAX_LOAD) + 1));
    state.keys.forEach((key, index) => {
      const slot = table.emptySlot(key);
      table.keys[slot] = key;
      table.columns.forEach((column, c) => {
        column[slot] = state.columns[c]?.[index] ?? 0;
      });
    });
    table.size = state.keys.length;
    return table;
  }

  private emptySlot(key: number): number {
    const keys = this.keys;
    const capacity = keys.length;
    let slot = slotOf(key, capacity);
    while (keys[slot] !== 0) {
      slot += 1;
      if (slot === capacity) slot = 0;
    }
    return slot;
  }

  private resize(capacity: number): void {
    this.rebuild(capacity, () => true);
  }

  private rebuild(capacity: number, keep: (key: number) => boolean): void {
    const oldKeys = this.keys;
    const oldColumns = this.columns;
    this.keys = new Float64Array(capacity);
    this.columns = this.columnTypes.map((type) => createColumn(type, capacity));
    this.size = 0;
    for (let old = 0; old < oldKeys.length; old += 1) {
      const key = oldKeys[old] as number;
      if (key === 0 || !keep(key)) continue;
      const slot = this.emptySlot(key);
      this.keys[slot] = key;
      for (let c = 0; c < oldColumns.length; c += 1) {
        (this.columns[c] as Column)[slot] = (oldColumns[c] as Column)[old] as number;
      }
      this.size += 1;
    }
  }
}

function createColumn(type: ColumnType, capacity: number): Column {
  return type === 'f64' ? new Float64Array(capacity) : new Uint32Array(capacity);
}

/**
 * The home slot of a key: from its high 32 bits (the low bits decide sampling, so kept keys share them),
 * spread over any capacity by multiplication instead of a power-of-two mask.
 */
function slotOf(key: number, capacity: number): number {
  const high = Math.floor(key / TWO_POW_20) >>> 0;
  return Math.floor((high / TWO_POW_32) * capacity);
}
