import { describe, expect, it } from '@jest/globals';
import { BloomFilter } from '../../../../src/profile/dataset/sketches/bloom-filter.js';
import {
  chooseLshBands,
  collectSmallShingleSet,
  computeJaccard,
  computeMinhashSignature,
  estimateSimilarity,
  forEachNgram,
  packSignature,
  SIGNATURE_SIZE,
} from '../../../../src/profile/dataset/sketches/compute-minhash.js';
import { hashText, RecordHasher } from '../../../../src/profile/dataset/hash-record.js';

const hasher = new RecordHasher();

function wordsOf(text: string): Int32Array {
  const count = hasher.collectWordHashes([text]);
  return hasher.lastWordHashes().words.slice(0, count);
}

const long = (prefix: string) => Array.from({ length: 400 }, (_, index) => `${prefix}${index}`).join(' ');

describe('MinHash near-duplicate pieces', () => {
  it('splits words on punctuation and whitespace, lowercased', () => {
    expect(wordsOf('Hello, WORLD! hello-world')).toEqual(wordsOf('hello world hello world'));
    expect(hasher.collectWordHashes(['  ', '...'])).toBe(0);
  });

  it('compares small shingle sets exactly', () => {
    const setOf = (text: string) => {
      const words = wordsOf(text);
      const into = new Uint32Array(80);
      return into.slice(0, collectSmallShingleSet(words, words.length, into));
    };
    // 9 words give 5 five-word shingles; changing the last word changes 1 of them: Jaccard 4 / 6.
    const a = setOf('one two three four five six seven eight nine');
    const b = setOf('one two three four five six seven eight ten');
    expect(a).toHaveLength(5);
    expect(computeJaccard(a, b)).toBeCloseTo(4 / 6, 10);
    expect(computeJaccard(a, a)).toBe(1);
  });

  it('estimates the similarity of large sets from packed signatures', () => {
    const packed = new Uint8Array(3 * SIGNATURE_SIZE);
    const signature = new Uint32Array(SIGNATURE_SIZE);
    const texts = [long('alpha'), long('alpha'), long('beta')];
    texts.forEach((text, index) => {
      const words = wordsOf(text);
      expect(computeMinhashSignature(words, words.length, signature)).toBe(true);
      packSignature(signature, packed, index * SIGNATURE_SIZE);
    });
    expect(estimateSimilarity(packed, 0, SIGNATURE_SIZE)).toBe(1);
    // No shingle in common: only packed values colliding by chance (1 in 255 a bin) agree.
    expect(estimateSimilarity(packed, 0, 2 * SIGNATURE_SIZE)).toBeLessThan(0.05);
  });

  it('chooses a banding whose candidates start near the threshold', () => {
    const { bands, rows } = chooseLshBands(0.8);
    expect(bands * rows).toBeLessThanOrEqual(SIGNATURE_SIZE);
    const probability = (s: number) => 1 - (1 - s ** rows) ** bands;
    expect(probability(0.9)).toBeGreaterThan(0.8);
    expect(probability(0.5)).toBeLessThan(0.1);
  });

  it('visits the same sampled 13-grams of a passage wherever it stands', () => {
    const passage = Array.from({ length: 40 }, (_, index) => `w${index}`).join(' ');
    const collect = (text: string): number[] => {
      const words = wordsOf(text);
      const found: number[] = [];
      forEachNgram(words, words.length, 13, 8, 2, (hash) => found.push(hash));
      return found;
    };
    const alone = collect(passage);
    const embedded = collect(`some other words first ${passage} and after`);
    expect(alone.length).toBeGreaterThan(5);
    expect(alone.every((hash) => embedded.includes(hash))).toBe(true);
    expect(collect('too short to count')).toEqual([]);
  });

  it('keeps one n-gram in two without favouring any word of a Bloom filter', () => {
    // The filter picks its word with the low bits of a hash's high half: a sample chosen on those bits
    // would fill only the even words, at twice the density, and the filter would answer "present" far
    // more often than its fill says.
    const words = wordsOf(
      Array.from({ length: 4000 }, (_, index) => `word${(index * 7919) % 1009} w${index}`).join(' '),
    );
    const filter = new BloomFilter(12);
    let kept = 0;
    forEachNgram(words, words.length, 13, 8, 2, (hash) => {
      filter.add(hash);
      kept += 1;
    });
    // 7,988 13-grams: about half kept.
    expect(kept).toBeGreaterThan(3600);
    expect(kept).toBeLessThan(4400);
    const used = (parity: number) =>
      filter.bits.filter((word, index) => index % 2 === parity && word !== 0).length;
    // 128 words, 64 of each parity; ~4,000 hashes fill every one of them.
    expect(used(0)).toBe(64);
    expect(used(1)).toBe(64);
  });
});

describe('BloomFilter', () => {
  it('finds what was added, rarely what was not, and merges by OR', () => {
    const left = new BloomFilter(16);
    const right = new BloomFilter(16);
    const added = Array.from({ length: 2000 }, (_, index) => hashText(`n-gram ${index}`));
    added.slice(0, 1000).forEach((hash) => left.add(hash));
    added.slice(1000).forEach((hash) => right.add(hash));
    left.merge(right);
    expect(added.every((hash) => left.has(hash))).toBe(true);
    const absent = Array.from({ length: 2000 }, (_, index) => hashText(`absent ${index}`)).filter((hash) =>
      left.has(hash),
    );
    // 2,000 hashes in 65,536 bits (32 a hash): a blocked filter has a false-positive rate well under 2% there.
    expect(absent.length).toBeLessThan(40);
    expect(left.falsePositiveRate()).toBeLessThan(0.02);
  });

  it('puts a 52-bit hash in the word its high 32 bits choose, with the four bits its low 20 bits choose', () => {
    // Low 20 bits 1 | 2<<5 | 3<<10 | 4<<15 choose bits 1, 2, 3 and 4 (30); high bits 2^31 + 5 choose word 5 of 32.
    const low = 1 | (2 << 5) | (3 << 10) | (4 << 15);
    const filter = new BloomFilter(10);
    filter.add((2 ** 31 + 5) * 2 ** 20 + low);
    expect(Array.from(filter.bits.entries()).filter(([, word]) => word !== 0)).toEqual([[5, 30]]);
    expect(filter.has(5 * 2 ** 20 + low)).toBe(true);
    expect(filter.has(6 * 2 ** 20 + low)).toBe(false);
    expect(filter.has(5 * 2 ** 20 + (low ^ 1))).toBe(false);
  });
});
