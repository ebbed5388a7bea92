import { z } from 'zod';
import { BloomFilter } from '../sketches/bloom-filter.js';
import { forEachNgram } from '../sketches/compute-minhash.js';
import type { Figure, FigureContext, FigureKind, ProfiledRow } from './figure.js';
import { decodedLength, fromBase64, toBase64 } from './state-codec.js';

/** n-gram size for train/held-out overlap, as in lm-evaluation-harness's decontamination. */
export const NGRAM_WORDS = 13;
/** Texts shorter than this many words give no n-gram (they are compared whole, by exact match). */
export const NGRAM_MIN_WORDS = 8;
/** One n-gram in this many is kept (by hash, the same on every dataset). */
export const NGRAM_SAMPLING = 2;
const ROW_NGRAM_CAPACITY = 250_000;

/** The first rows' kept n-gram hashes, row by row: the end of each row's in `hashes`. */
export interface RowNgrams {
  positions: number[];
  ends: number[];
  hashes: number[];
  /** A row did not fit: no later row is listed. */
  full: boolean;
}

/** The n-grams figure's state. */
export interface NgramsState {
  ngrams: Uint32Array;
  rowNgrams: RowNgrams;
}

/**
 * The 13-word passages of the rows sampled for words: all of them in a Bloom filter (what a held-out set
 * is compared against), and each row's for the first rows up to `ROW_NGRAM_CAPACITY` hashes (what is
 * compared with a train set's filter).
 */
export class NgramsFigure implements Figure<NgramsState> {
  filter: BloomFilter;
  rows: RowNgrams = { positions: [], ends: [], hashes: [], full: false };
  private readonly ngramBits: number;

  constructor(context: FigureContext, filter = new BloomFilter(context.settings.ngramBits)) {
    this.ngramBits = context.settings.ngramBits;
    this.filter = filter;
  }

  add(row: ProfiledRow): void {
    if (!row.analyseWords) return;
    const words = row.hasher.lastWords;
    const count = row.hasher.lastWordCount;
    const rowNgrams = this.rows;
    const filter = this.filter;
    const start = rowNgrams.hashes.length;
    // One n-gram in NGRAM_SAMPLING, chosen by hash, so both sides of a comparison keep the same ones: a
    // copied passage shares dozens of n-grams, so it is still found, for half the work.
    forEachNgram(words, count, NGRAM_WORDS, NGRAM_MIN_WORDS, NGRAM_SAMPLING, (hash) => {
      filter.add(hash);
      if (!rowNgrams.full) rowNgrams.hashes.push(hash);
    });
    if (rowNgrams.full || rowNgrams.hashes.length === start) return;
    if (rowNgrams.hashes.length > ROW_NGRAM_CAPACITY) {
      // The first row that does not fit closes the list: a merge of shards then keeps the same rows.
      rowNgrams.hashes.length = start;
      rowNgrams.full = true;
      return;
    }
    rowNgrams.positions.push(row.position);
    rowNgrams.ends.push(rowNgrams.hashes.length);
  }

  merge(other: this): void {
    this.filter.merge(other.filter);
    this.mergeRows(other.rows);
  }

  mergeState(state: NgramsState): void {
    this.filter.merge(new BloomFilter(this.ngramBits, state.ngrams));
    this.mergeRows(state.rowNgrams);
  }

  private mergeRows(other: RowNgrams): void {
    // The lists are each part's first rows, up to the first that did not fit: the earlier part's rows
    // come first, and when it did not keep all of its rows, no later row can be kept either.
    const parts = [this.rows, other].sort(
      (a, b) => (a.positions[0] ?? Number.POSITIVE_INFINITY) - (b.positions[0] ?? Number.POSITIVE_INFINITY),
    );
    const merged: RowNgrams = { positions: [], ends: [], hashes: [], full: false };
    for (const part of parts) {
      for (const row of rowsOf(part)) {
        if (merged.hashes.length + row.hashes.length > ROW_NGRAM_CAPACITY) {
          merged.full = true;
          break;
        }
        for (const hash of row.hashes) merged.hashes.push(hash);
        merged.positions.push(row.position);
        merged.ends.push(merged.hashes.length);
      }
      if (merged.full || part.full) {
        merged.full = true;
        break;
      }
    }
    this.rows = merged;
  }

  toState(): NgramsState {
    return { ngrams: this.filter.bits.slice(), rowNgrams: this.rows };
  }

  transferables(state: NgramsState): ArrayBuffer[] {
    return [state.ngrams.buffer as ArrayBuffer];
  }

  finish(): void {
    // The n-grams are compared between datasets (`DatasetSketch`), not reported.
  }
}

/** Restores an n-grams figure from its state. */
export function restoreNgrams(state: NgramsState, context: FigureContext): NgramsFigure {
  const figure = new NgramsFigure(context, new BloomFilter(context.settings.ngramBits, state.ngrams.slice()));
  figure.rows = {
    positions: [...state.rowNgrams.positions],
    ends: [...state.rowNgrams.ends],
    hashes: [...state.rowNgrams.hashes],
    full: state.rowNgrams.full,
  };
  return figure;
}

function rowsOf(list: RowNgrams): { position: number; hashes: number[] }[] {
  return list.positions.map((position, index) => ({
    position,
    hashes: list.hashes.slice(index === 0 ? 0 : list.ends[index - 1], list.ends[index]),
  }));
}

/** The n-grams figure in JSON: the filter's bits and the row hashes as base64. */
interface NgramsJson {
  ngrams: string;
  rowNgrams: { positions: number[]; ends: number[]; hashes: string; full: boolean };
}

/** The n-grams figure as registered. */
export const ngramsKind: FigureKind<NgramsFigure, NgramsState, NgramsJson> = {
  create: (context) => new NgramsFigure(context),
  restore: restoreNgrams,
  schema: z.object({
    ngrams: z.string(),
    rowNgrams: z.object({
      positions: z.array(z.number()),
      ends: z.array(z.number()),
      hashes: z.string(),
      full: z.boolean(),
    }),
  }),
  serialize: (state) => ({
    ngrams: toBase64(state.ngrams),
    rowNgrams: { ...state.rowNgrams, hashes: toBase64(Float64Array.from(state.rowNgrams.hashes)) },
  }),
  parse: (json) => ({
    rowNgrams: {
      positions: json.rowNgrams.positions,
      ends: json.rowNgrams.ends,
      hashes: [
        ...fromBase64(json.rowNgrams.hashes, 'f64', decodedLength(json.rowNgrams.hashes) / 8, 'n-gram'),
      ],
      full: json.rowNgrams.full,
    },
    ngrams: fromBase64(json.ngrams, 'u32', decodedLength(json.ngrams) / 4, 'n-gram') as Uint32Array,
  }),
};
