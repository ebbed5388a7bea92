import { z } from 'zod';
import type { DatasetProfile, RowRef } from '../../../model/report-schema.js';
import {
  collectSmallShingleSet,
  computeBandKeys,
  computeJaccard,
  computeMinhashSignature,
  estimateSimilarity,
  packSignature,
  SIGNATURE_SIZE,
  SMALL_SET,
  type LshBands,
} from '../sketches/compute-minhash.js';
import { SampledHashTable } from '../sketches/sampled-hash-table.js';
import {
  MAX_EXAMPLES,
  type Figure,
  type FigureContext,
  type FigureKind,
  type ProfiledRow,
} from './figure.js';
import { decodedLength, fromBase64, toBase64 } from './state-codec.js';

/**
 * The rows analysed for near-duplicates, in order: position, LSH band keys and packed MinHash signature
 * of each. Whether a row is a near-duplicate is decided from these at the end, so that shards merge by
 * concatenation into what one pass would have found.
 */
export interface NearDuplicateRows {
  positions: number[];
  keys: Float64Array;
  signatures: Uint8Array;
  /** The shingle sets of rows with at most `SMALL_SET` shingles (compared exactly): the end of each row's, in `shingles`. */
  shingleEnds: number[];
  shingles: number[];
  /** Rows past `NEAR_DUPLICATE_ROWS` were not analysed. */
  full: boolean;
}

/** The near-duplicates figure's state. */
export interface NearDuplicatesState {
  nearRows: NearDuplicateRows;
}

/** Rows analysed for near-duplicates at most (their signatures and band keys are kept: ~140 bytes a row). */
const NEAR_DUPLICATE_ROWS = 250_000;
/** Rows of a band bucket a new row is compared with. */
const BUCKET_ROWS = 4;

/**
 * Near-duplicates (MinHash over word 5-grams, LSH bands to find candidates, small sets compared
 * exactly) among the rows sampled for words, up to `NEAR_DUPLICATE_ROWS` rows.
 */
export class NearDuplicatesFigure implements Figure<NearDuplicatesState> {
  rows: NearDuplicateRows = {
    positions: [],
    keys: new Float64Array(0),
    signatures: new Uint8Array(0),
    shingleEnds: [],
    shingles: [],
    full: false,
  };
  private readonly banding: LshBands;
  private readonly threshold: number;
  private readonly rate: number;
  private readonly signature = new Uint32Array(SIGNATURE_SIZE);
  private readonly smallSet = new Uint32Array(SMALL_SET + 8);
  private readonly bandKeys: Float64Array;

  constructor(context: FigureContext) {
    this.banding = context.banding;
    this.threshold = context.settings.nearDuplicateThreshold;
    this.rate = context.settings.nearDuplicateRate;
    this.bandKeys = new Float64Array(this.banding.bands);
  }

  add(row: ProfiledRow): void {
    if (!row.analyseWords) return;
    const near = this.rows;
    if (near.full) return;
    const words = row.hasher.lastWords;
    const count = row.hasher.lastWordCount;
    if (!computeMinhashSignature(words, count, this.signature)) return;
    const index = near.positions.length;
    if (index === NEAR_DUPLICATE_ROWS) {
      near.full = true;
      return;
    }
    const bands = this.banding.bands;
    if ((index + 1) * bands > near.keys.length) {
      near.keys = growFloat64(near.keys, Math.max(1024 * bands, Math.ceil((index + 1) * 1.5) * bands));
      near.signatures = growBytes(near.signatures, (near.keys.length / bands) * SIGNATURE_SIZE);
    }
    computeBandKeys(this.signature, this.banding, this.bandKeys);
    near.keys.set(this.bandKeys, index * bands);
    packSignature(this.signature, near.signatures, index * SIGNATURE_SIZE);
    near.positions.push(row.position);
    const size = collectSmallShingleSet(words, count, this.smallSet);
    for (let at = 0; at < size; at += 1) near.shingles.push(this.smallSet[at] as number);
    near.shingleEnds.push(near.shingles.length);
  }

  merge(other: this): void {
    this.mergeRows(other.rows);
  }

  mergeState(state: NearDuplicatesState): void {
    this.mergeRows(state.nearRows);
  }

  private mergeRows(other: NearDuplicateRows): void {
    const bands = this.banding.bands;
    const rows = [...rowsOf(this.rows, bands), ...rowsOf(other, bands)].sort(
      (a, b) => a.position - b.position,
    );
    const kept = rows.slice(0, NEAR_DUPLICATE_ROWS);
    const merged: NearDuplicateRows = {
      positions: kept.map((row) => row.position),
      keys: new Float64Array(kept.length * bands),
      signatures: new Uint8Array(kept.length * SIGNATURE_SIZE),
      shingleEnds: [],
      shingles: [],
      full: this.rows.full || other.full || rows.length > NEAR_DUPLICATE_ROWS,
    };
    kept.forEach((row, index) => {
      merged.keys.set(row.keys, index * bands);
      merged.signatures.set(row.signature, index * SIGNATURE_SIZE);
      for (const shingle of row.shingles) merged.shingles.push(shingle);
      merged.shingleEnds.push(merged.shingles.length);
    });
    this.rows = merged;
  }

  toState(): NearDuplicatesState {
    const near = this.rows;
    return {
      nearRows: {
        positions: near.positions,
        keys: near.keys.slice(0, near.positions.length * this.banding.bands),
        signatures: near.signatures.slice(0, near.positions.length * SIGNATURE_SIZE),
        shingleEnds: near.shingleEnds,
        shingles: near.shingles,
        full: near.full,
      },
    };
  }

  transferables(state: NearDuplicatesState): ArrayBuffer[] {
    return [state.nearRows.keys.buffer as ArrayBuffer, state.nearRows.signatures.buffer as ArrayBuffer];
  }

  finish(into: DatasetProfile, refOf: (position: number) => RowRef): void {
    if (into.rows === 0) return;
    const { positions, full } = this.rows;
    const match = this.findMatches();
    let sampled = 0;
    const examples: [number, number][] = [];
    match.forEach((earlier, row) => {
      if (earlier === -1) return;
      sampled += 1;
      if (examples.length < MAX_EXAMPLES)
        examples.push([positions[row] as number, positions[earlier] as number]);
    });
    const rate = this.rate;
    // A pair is seen when both its rows were sampled: scale by the square of the rate.
    const rows = rate >= 1 ? sampled : Math.min(into.rows, Math.round(sampled / (rate * rate)));
    into.nearDuplicates = {
      rows,
      threshold: this.threshold,
      estimated: rate < 1 || full,
      examples: examples.map(([row, similar]) => ({ row: refOf(row), similarTo: refOf(similar) })),
    };
  }

  /**
   * For each kept row, the earlier row it nearly duplicates, or -1: the first rows of each band key (up
   * to BUCKET_ROWS) are its candidates, verified at the threshold. Decided here, in row order, from the
   * kept rows only, so a merge of shards decides exactly as one pass. One band at a time: each band's
   * buckets are independent of the others', and one band's table is a ninth of all of them.
   */
  private findMatches(): Int32Array {
    const { positions, keys, signatures, shingleEnds } = this.rows;
    const shingles = Uint32Array.from(this.rows.shingles);
    const setOf = (row: number): Uint32Array =>
      shingles.subarray(row === 0 ? 0 : shingleEnds[row - 1], shingleEnds[row]);
    const similarity = (earlier: number, row: number): number => {
      const a = setOf(earlier);
      const b = setOf(row);
      // Small sets are compared exactly; a large one with a small one cannot reach the threshold.
      if (a.length > 0 && b.length > 0) return computeJaccard(a, b);
      if (a.length > 0 || b.length > 0) return 0;
      return estimateSimilarity(signatures, earlier * SIGNATURE_SIZE, row * SIGNATURE_SIZE);
    };
    const bands = this.banding.bands;
    const threshold = this.threshold;
    const match = new Int32Array(positions.length).fill(-1);
    // One table for every band, sized once and emptied between bands.
    const buckets = new SampledHashTable(['u32', 'u32', 'u32', 'u32', 'u32'], Number.MAX_SAFE_INTEGER);
    buckets.reserve(positions.length);
    for (let band = 0; band < bands; band += 1) {
      if (band > 0) buckets.clear();
      for (let row = 0; row < positions.length; row += 1) {
        const slot = buckets.upsert(keys[row * bands + band] as number);
        const size = buckets.u32(0, slot);
        for (let member = 0; member < size && match[row] === -1; member += 1) {
          const earlier = buckets.u32(member + 1, slot);
          if (similarity(earlier, row) >= threshold) match[row] = earlier;
        }
        if (size < BUCKET_ROWS) {
          buckets.setU32(size + 1, slot, row);
          buckets.setU32(0, slot, size + 1);
        }
      }
    }
    return match;
  }
}

/** Restores a near-duplicates figure from its state. */
export function restoreNearDuplicates(
  state: NearDuplicatesState,
  context: FigureContext,
): NearDuplicatesFigure {
  const figure = new NearDuplicatesFigure(context);
  const near = state.nearRows;
  figure.rows = {
    positions: [...near.positions],
    keys: near.keys.slice(),
    signatures: near.signatures.slice(),
    shingleEnds: [...near.shingleEnds],
    shingles: [...near.shingles],
    full: near.full,
  };
  return figure;
}

function rowsOf(
  list: NearDuplicateRows,
  bands: number,
): { position: number; keys: Float64Array; signature: Uint8Array; shingles: number[] }[] {
  return list.positions.map((position, index) => ({
    position,
    keys: list.keys.subarray(index * bands, (index + 1) * bands),
    signature: list.signatures.subarray(index * SIGNATURE_SIZE, (index + 1) * SIGNATURE_SIZE),
    shingles: list.shingles.slice(index === 0 ? 0 : list.shingleEnds[index - 1], list.shingleEnds[index]),
  }));
}

function growFloat64(array: Float64Array, length: number): Float64Array {
  const bigger = new Float64Array(length);
  bigger.set(array);
  return bigger;
}

function growBytes(array: Uint8Array, length: number): Uint8Array {
  const bigger = new Uint8Array(length);
  bigger.set(array);
  return bigger;
}

/** The near-duplicates figure in JSON: typed arrays as base64. */
interface NearDuplicatesJson {
  nearRows: {
    positions: number[];
    keys: string;
    signatures: string;
    shingleEnds: number[];
    shingles: string;
    full: boolean;
  };
}

/** The near-duplicates figure as registered. */
export const nearDuplicatesKind: FigureKind<NearDuplicatesFigure, NearDuplicatesState, NearDuplicatesJson> = {
  create: (context) => new NearDuplicatesFigure(context),
  restore: restoreNearDuplicates,
  schema: z.object({
    nearRows: z.object({
      positions: z.array(z.number()),
      keys: z.string(),
      signatures: z.string(),
      shingleEnds: z.array(z.number()),
      shingles: z.string(),
      full: z.boolean(),
    }),
  }),
  serialize: ({ nearRows }) => ({
    nearRows: {
      positions: nearRows.positions,
      keys: toBase64(nearRows.keys),
      signatures: toBase64(nearRows.signatures),
      shingleEnds: nearRows.shingleEnds,
      shingles: toBase64(Uint32Array.from(nearRows.shingles)),
      full: nearRows.full,
    },
  }),
  parse: ({ nearRows }) => ({
    nearRows: {
      positions: nearRows.positions,
      keys: fromBase64(
        nearRows.keys,
        'f64',
        decodedLength(nearRows.keys) / 8,
        'near-duplicate',
      ) as Float64Array,
      signatures: new Uint8Array(Buffer.from(nearRows.signatures, 'base64')),
      shingleEnds: nearRows.shingleEnds,
      shingles: [...fromBase64(nearRows.shingles, 'u32', decodedLength(nearRows.shingles) / 4, 'shingle')],
      full: nearRows.full,
    },
  }),
};
