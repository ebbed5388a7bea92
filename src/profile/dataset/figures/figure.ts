import type { z } from 'zod';
import { TuneguardError } from '../../../model/errors.js';
import type { DatasetFormat } from '../../../model/vocabulary.js';
import type { DatasetProfile, RowRef } from '../../../model/report-schema.js';
import type { LshBands } from '../sketches/compute-minhash.js';
import type { TokenCounter } from '../create-token-counter.js';
import type { RecordDigest, RecordHasher } from '../hash-record.js';
import type { RecordView } from '../inspect-record.js';

/** How a profile is computed; profiles merge only when their settings are equal. */
export interface ProfileSettings {
  format: DatasetFormat;
  /** The tokenizer's name, or `''` when tokens are not counted. */
  tokenizer: string;
  /** Share of rows tokenised (1: every row; less for large datasets, chosen by content so shards agree). */
  tokenRate: number;
  /** Share of rows analysed for near-duplicates and n-grams (chosen by content likewise). */
  nearDuplicateRate: number;
  /** MinHash similarity from which two rows are near-duplicates. */
  nearDuplicateThreshold: number;
  /** The n-gram Bloom filter has 2^ngramBits bits (about 8 per n-gram expected). */
  ngramBits: number;
}

/** A profile could not be merged or restored: its settings or shape differ. */
export class ProfileStateError extends TuneguardError {}

/**
 * One profiled row as the figures see it. The profiler reuses one such object for every row (its fields
 * overwritten), so a figure must not keep it.
 */
export interface ProfiledRow {
  /** `file index × 2^32 + line`: the row's place, the same in every shard. */
  position: number;
  /** A 32-bit key mixed from the position, for sampling decisions every shard makes alike. */
  sampleKey: number;
  /** Whether the row is sampled for near-duplicates and n-grams: its words are then in `hasher`. */
  analyseWords: boolean;
  record: unknown;
  view: RecordView;
  digest: RecordDigest;
  /** The profiler's hasher, holding the row's remembered texts and (with `analyseWords`) its word hashes. */
  hasher: RecordHasher;
}

/** One figure of a dataset profile: accumulated row by row, merged across shards, saved, finished. */
export interface Figure<State> {
  /** Adds one profiled row (position, record, its inspected view and digest). */
  add(row: ProfiledRow): void;
  /** Adds another part's figure of the same dataset; equal to one pass over both parts. */
  merge(other: this): void;
  /**
   * `merge` with another part's state (a worker's, a shard file's), read in place where rebuilding it
   * first would hold a large table twice.
   */
  mergeState(state: State): void;
  /** Plain data (typed arrays for tables) for shard documents and worker transfer. */
  toState(): State;
  /**
   * The buffers of `state` (this figure's `toState()`) to transfer to the parent thread instead of
   * copying them: a state's arrays are copies of the live ones, so they are named from the state.
   */
  transferables(state: State): ArrayBuffer[];
  /** Writes this figure's fields of the report's DatasetProfile (`into.rows` is already set). */
  finish(into: DatasetProfile, refOf: (position: number) => RowRef): void;
  /** Sizes tables for `scale` times the rows seen so far, when the input's size is known. */
  reserve?(scale: number): void;
}

/** What a figure is made from: the profile's settings, the LSH banding they imply, a token counter. */
export interface FigureContext {
  settings: ProfileSettings;
  banding: LshBands;
  tokenCounter: TokenCounter | undefined;
}

/**
 * A figure as registered: how to create one, restore one from its state, and write its state as JSON
 * (checked by `schema` before it is trusted, since profiles are files users pass around).
 */
export interface FigureKind<F extends Figure<State>, State, Json> {
  create(context: FigureContext): F;
  restore(state: State, context: FigureContext): F;
  /** The zod object of this figure's serialised keys. */
  schema: z.ZodObject<z.ZodRawShape>;
  serialize(state: State): Json;
  /** Reads what `schema` accepted back into a state; throws `ProfileStateError` on truncated data. */
  parse(json: Json): State;
}

/** Examples kept per figure detail. */
export const MAX_EXAMPLES = 5;
/** Positions are `file index × 2^32 + line`. */
export const TWO_POW_32 = 4294967296;

/** Rows of one kind and the positions of the first few. */
export interface Tally {
  rows: number;
  positions: number[];
}

/** Orders text as code units, like the default sort, without its string conversions. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A map's entries sorted by key, so equal maps give equal states. */
export function sortedEntries<K extends string, V>(map: Map<K, V>): [K, V][] {
  return [...map].sort(([a], [b]) => compareText(a, b));
}

/** A deep copy of tallies. */
export function cloneTallies<K>(tallies: Map<K, Tally>): Map<K, Tally> {
  return new Map(
    [...tallies].map(([key, tally]) => [key, { rows: tally.rows, positions: [...tally.positions] }]),
  );
}

/** Adds `from`'s tallies to `into`'s, keeping the first `MAX_EXAMPLES` positions of both. */
export function mergeTallies<K>(into: Map<K, Tally>, from: Map<K, Tally>): void {
  for (const [key, tally] of from) {
    const mine = into.get(key);
    if (mine === undefined) into.set(key, { rows: tally.rows, positions: [...tally.positions] });
    else {
      mine.rows += tally.rows;
      mine.positions = [...mine.positions, ...tally.positions].sort((a, b) => a - b).slice(0, MAX_EXAMPLES);
    }
  }
}

/** Counts a row of `key` in tallies, keeping its position among the first `MAX_EXAMPLES`. */
export function tally<K>(tallies: Map<K, Tally>, key: K, position: number): void {
  const found = tallies.get(key);
  if (found === undefined) tallies.set(key, { rows: 1, positions: [position] });
  else {
    found.rows += 1;
    if (found.positions.length < MAX_EXAMPLES) found.positions.push(position);
  }
}

/** Whether a value is an object other than an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
