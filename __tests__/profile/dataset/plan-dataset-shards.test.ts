import { describe, expect, it } from '@jest/globals';
import { findShardSpec, planDatasetShards } from '../../../src/profile/dataset/plan-dataset-shards.js';

describe('planDatasetShards', () => {
  it('cuts a JSONL file into equal byte ranges', () => {
    expect(planDatasetShards([{ path: 'train.jsonl', bytes: 100, format: 'jsonl' }], 3)).toEqual([
      [{ file: 0, path: 'train.jsonl', format: 'jsonl', start: 0, end: 34 }],
      [{ file: 0, path: 'train.jsonl', format: 'jsonl', start: 34, end: 67 }],
      [{ file: 0, path: 'train.jsonl', format: 'jsonl', start: 67, end: 100 }],
    ]);
  });

  it('keeps files it cannot cut whole, in the shard where they start, across a folder', () => {
    const plan = planDatasetShards(
      [
        { path: 'data/a.parquet', bytes: 60, format: 'parquet' },
        { path: 'data/b.parquet', bytes: 20, format: 'parquet' },
        { path: 'data/c.parquet', bytes: 20, format: 'parquet' },
      ],
      2,
    );
    expect(plan.map((shard) => shard.map((piece) => piece.path))).toEqual([
      ['data/a.parquet'],
      ['data/b.parquet', 'data/c.parquet'],
    ]);
  });

  it('gives every byte to exactly one shard', () => {
    const files = [
      { path: 'a.jsonl', bytes: 1234, format: 'jsonl' as const },
      { path: 'b.json', bytes: 500, format: 'json' as const },
      { path: 'c.jsonl', bytes: 777, format: 'jsonl' as const },
    ];
    const pieces = planDatasetShards(files, 4).flat();
    for (const [index, file] of files.entries()) {
      const ranges = pieces.filter((piece) => piece.file === index).sort((a, b) => a.start - b.start);
      expect(ranges[0]?.start).toBe(0);
      expect(ranges.at(-1)?.end).toBe(file.bytes);
      ranges.slice(1).forEach((range, at) => expect(range.start).toBe(ranges[at]?.end));
    }
  });

  it('rejects a count below one', () => {
    expect(() => planDatasetShards([], 0)).toThrow(RangeError);
  });
});

describe('findShardSpec', () => {
  it.each([
    ['2/4', { index: 2, count: 4 }],
    [' 1 / 1 ', { index: 1, count: 1 }],
    ['0/4', undefined],
    ['5/4', undefined],
    ['a/b', undefined],
  ])('reads %p as %p', (text, expected) => {
    expect(findShardSpec(text)).toEqual(expected);
  });
});
