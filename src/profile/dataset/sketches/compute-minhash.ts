import { mix32 } from '../hash-record.js';

/** Bins of a MinHash signature. */
export const SIGNATURE_SIZE = 64;
/** Words per shingle for near-duplicate detection. */
export const SHINGLE_WORDS = 5;

const TWO_POW_20 = 1048576;
const TWO_POW_32 = 4294967296;
const BASE_A = 0x01000193;
const BASE_B = 0x5bd1e995;

/** The value of a bin no shingle fell into. */
export const EMPTY_BIN = 0xffffffff;

/**
 * Computes a one-permutation MinHash signature of the shingles of the first `count` word hashes (`SHINGLE_WORDS` words, or all
 * words when fewer) into `signature` (`SIGNATURE_SIZE` bins): each shingle hash goes to one bin by its
 * top bits and the bin keeps its smallest value; bins no shingle fell into stay `EMPTY_BIN`. Two
 * signatures estimate the Jaccard similarity of their shingle sets as the share of equal bins among
 * the bins not empty in both (Li, Owen and Zhang 2012); without densification, small sets are not given
 * spurious agreements. Returns false (and leaves `signature` undefined) when there are no words.
 */
export function computeMinhashSignature(words: Int32Array, count: number, signature: Uint32Array): boolean {
  if (count === 0) return false;
  signature.fill(EMPTY_BIN);
  const width = Math.min(SHINGLE_WORDS, count);
  let power = 1;
  for (let index = 1; index < width; index += 1) power = Math.imul(power, BASE_A);
  let rolling = 0;
  for (let index = 0; index < width; index += 1)
    rolling = (Math.imul(rolling, BASE_A) + (words[index] as number)) | 0;
  for (let start = 0; ; start += 1) {
    const hash = mix32(rolling);
    const bin = hash >>> 26;
    const value = hash & 0x3ffffff;
    if (value < (signature[bin] as number)) signature[bin] = value;
    const next = start + width;
    if (next >= count) break;
    rolling =
      (Math.imul(rolling - Math.imul(words[start] as number, power), BASE_A) + (words[next] as number)) | 0;
  }
  return true;
}

/** Sets of at most this many shingles are kept whole and compared exactly. */
export const SMALL_SET = 64;

/**
 * Writes the distinct shingle hashes (as `computeMinhashSignature` hashes them), sorted, into `into` and
 * returns how many there are, when there are at most `SMALL_SET`; returns -1 for a larger set. Small
 * sets are where a 64-bin signature says least (few bins filled), so they are compared exactly instead.
 */
export function collectSmallShingleSet(words: Int32Array, count: number, into: Uint32Array): number {
  if (count === 0 || count - SHINGLE_WORDS + 1 > SMALL_SET) return -1;
  const width = Math.min(SHINGLE_WORDS, count);
  let power = 1;
  for (let index = 1; index < width; index += 1) power = Math.imul(power, BASE_A);
  let rolling = 0;
  for (let index = 0; index < width; index += 1)
    rolling = (Math.imul(rolling, BASE_A) + (words[index] as number)) | 0;
  let size = 0;
  for (let start = 0; ; start += 1) {
    into[size] = mix32(rolling);
    size += 1;
    const next = start + width;
    if (next >= count) break;
    rolling =
      (Math.imul(rolling - Math.imul(words[start] as number, power), BASE_A) + (words[next] as number)) | 0;
  }
  const sorted = into.subarray(0, size).sort();
  let distinct = 0;
  for (let index = 0; index < size; index += 1) {
    if (index === 0 || sorted[index] !== sorted[index - 1]) {
      into[distinct] = sorted[index] as number;
      distinct += 1;
    }
  }
  return distinct;
}

/** The Jaccard similarity of two sorted sets of distinct hashes. */
export function computeJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  const union = a.length + b.length - common;
  return union === 0 ? 0 : common / union;
}

/**
 * Packs a signature into one byte per bin for storage: 0 for an empty bin, else 1 + the value modulo
 * 255. Two equal bins give equal bytes; two different ones do by chance once in 255 (b-bit MinHash).
 */
export function packSignature(signature: Uint32Array, into: Uint8Array, offset: number): void {
  for (let bin = 0; bin < SIGNATURE_SIZE; bin += 1) {
    const value = signature[bin] as number;
    into[offset + bin] = value === EMPTY_BIN ? 0 : 1 + (value % 255);
  }
}

/**
 * The Jaccard similarity two packed signatures estimate: equal bins among the bins filled in either,
 * corrected for the 1-in-255 chance agreement of packed values. 0 when both are empty.
 */
export function estimateSimilarity(packed: Uint8Array, first: number, second: number): number {
  let filled = 0;
  let equal = 0;
  for (let bin = 0; bin < SIGNATURE_SIZE; bin += 1) {
    const a = packed[first + bin] as number;
    const b = packed[second + bin] as number;
    if (a === 0 && b === 0) continue;
    filled += 1;
    if (a === b) equal += 1;
  }
  if (filled === 0) return 0;
  const chance = 1 / 255;
  return Math.max(0, (equal / filled - chance) / (1 - chance));
}

/** LSH banding of a signature: `bands` bands of `rows` bins each. */
export interface LshBands {
  bands: number;
  rows: number;
}

/**
 * The banding whose S-curve `1 - (1 - s^rows)^bands` best separates pairs above and below `threshold`:
 * it minimises the equal-weight sum of the false-positive area below the threshold and the
 * false-negative area above it, over bandings that fit in `SIGNATURE_SIZE` bins (the method of
 * datasketch's MinHashLSH).
 *
 * @example
 * chooseLshBands(0.8); // => { bands: 9, rows: 7 } or similar: candidates mostly above 0.8
 */
export function chooseLshBands(threshold: number): LshBands {
  const known = bandingCache.get(threshold);
  if (known !== undefined) return known;
  let best: LshBands = { bands: 1, rows: SIGNATURE_SIZE };
  let bestError = Number.POSITIVE_INFINITY;
  for (let bands = 1; bands <= SIGNATURE_SIZE; bands += 1) {
    for (let rows = 1; rows * bands <= SIGNATURE_SIZE; rows += 1) {
      const probability = (s: number): number => 1 - (1 - s ** rows) ** bands;
      const falsePositive = integrate((s) => probability(s), 0, threshold);
      const falseNegative = integrate((s) => 1 - probability(s), threshold, 1);
      const error = falsePositive + falseNegative;
      if (error < bestError) {
        bestError = error;
        best = { bands, rows };
      }
    }
  }
  bandingCache.set(threshold, best);
  return best;
}

const bandingCache = new Map<number, LshBands>();

function integrate(f: (x: number) => number, low: number, high: number): number {
  const steps = 200;
  const width = (high - low) / steps;
  let area = 0;
  for (let step = 0; step < steps; step += 1) area += f(low + (step + 0.5) * width) * width;
  return area;
}

/** Writes the 52-bit key of each band of a signature into `keys` (never 0; the band index is part of it). */
export function computeBandKeys(signature: Uint32Array, banding: LshBands, keys: Float64Array): void {
  for (let band = 0; band < banding.bands; band += 1) {
    let a = Math.imul(band + 1, 0x9e3779b1);
    let b = Math.imul(band + 1, 0x85ebca6b);
    for (let row = 0; row < banding.rows; row += 1) {
      const value = signature[band * banding.rows + row] as number;
      a = (Math.imul(a, BASE_A) + value) | 0;
      b = Math.imul(b ^ value, BASE_B);
    }
    const high = mix32(a ^ b);
    const low = mix32(b + high) >>> 12;
    keys[band] = high * TWO_POW_20 + low || 1;
  }
}

/**
 * Calls `visit` with the 52-bit hash of each `size`-word n-gram of the first `count` word hashes
 * (rolling hashes in two lanes); a text with fewer words than `size` but at least `minimum` gives one
 * n-gram of all its words, and fewer than `minimum` none. Only the n-grams whose hash has the top
 * `log2(keepOneIn)` bits of its high half zero are visited (`keepOneIn` a power of two): the same ones in
 * every text, so two texts compare on a sample of their n-grams at a fraction of the cost. The top bits,
 * because a Bloom filter picks its word with the low bits of the high half: sampling on those would
 * leave half its words empty and double the fill of the others (a false-positive rate 16 times the one
 * the filter reports).
 */
export function forEachNgram(
  words: Int32Array,
  count: number,
  size: number,
  minimum: number,
  keepOneIn: number,
  visit: (hash: number) => void,
): void {
  if (count < minimum) return;
  const width = Math.min(size, count);
  let powerA = 1;
  let powerB = 1;
  for (let index = 1; index < width; index += 1) {
    powerA = Math.imul(powerA, BASE_A);
    powerB = Math.imul(powerB, BASE_B);
  }
  let a = 0;
  let b = 0;
  for (let index = 0; index < width; index += 1) {
    a = (Math.imul(a, BASE_A) + (words[index] as number)) | 0;
    b = (Math.imul(b, BASE_B) + (words[index] as number)) | 0;
  }
  const limit = TWO_POW_32 / keepOneIn;
  for (let start = 0; ; start += 1) {
    const high = mix32(a);
    if (high < limit) visit(high * TWO_POW_20 + (mix32(b ^ high) >>> 12) || 1);
    const next = start + width;
    if (next >= count) break;
    const out = words[start] as number;
    const incoming = words[next] as number;
    a = (Math.imul(a - Math.imul(out, powerA), BASE_A) + incoming) | 0;
    b = (Math.imul(b - Math.imul(out, powerB), BASE_B) + incoming) | 0;
  }
}
