import { describe, expect, it } from '@jest/globals';
import { hashText } from '../../../../src/profile/dataset/hash-record.js';
import { SampledHashTable } from '../../../../src/profile/dataset/sketches/sampled-hash-table.js';

const keys = Array.from({ length: 5000 }, (_, index) => hashText(`row ${index}`));

function tableOf(list: number[], maxEntries: number): SampledHashTable {
  const table = new SampledHashTable(['u32'], maxEntries);
  for (const key of list) {
    const slot = table.upsert(key);
    if (slot !== -1)
      (table.columns[0] as Uint32Array)[slot] = ((table.columns[0] as Uint32Array)[slot] as number) + 1;
  }
  return table;
}

describe('SampledHashTable', () => {
  it('holds every key below its capacity, with its values', () => {
    const table = tableOf([...keys, ...keys.slice(0, 10)], 10_000);
    expect(table.size).toBe(5000);
    expect(table.level).toBe(0);
    const slot = table.find(keys[3] as number);
    expect((table.columns[0] as Uint32Array)[slot]).toBe(2);
    expect(table.find(hashText('absent'))).toBe(-1);
  });

  it('keeps a uniform sample past its capacity, the same whatever the order of the keys', () => {
    const forward = tableOf(keys, 1000);
    const backward = tableOf([...keys].reverse(), 1000);
    expect(forward.level).toBeGreaterThan(0);
    expect(forward.size).toBeLessThanOrEqual(1000);
    // About 5000 / 2^level keys are kept: all those with the level's low bits zero.
    expect(forward.size).toBe(keys.filter((key) => key % 2 ** forward.level === 0).length);
    expect(backward.toState()).toEqual(forward.toState());
  });

  it('refuses new keys when full in stop mode', () => {
    const table = new SampledHashTable([], 100, 'stop');
    for (const key of keys.slice(0, 150)) table.upsert(key);
    expect(table.size).toBe(100);
    expect(table.overflowed).toBe(true);
  });

  it('keeps its keys and values when room is reserved, and grows no further for them', () => {
    const table = new SampledHashTable(['u32'], 100_000);
    keys.slice(0, 100).forEach((key, index) => {
      const slot = table.upsert(key);
      (table.columns[0] as Uint32Array)[slot] = index + 1;
    });
    table.reserve(5000);
    const capacity = table.keys.length;
    expect(capacity).toBeGreaterThanOrEqual(5000);
    keys.slice(100, 5000).forEach((key) => table.upsert(key));
    expect(table.keys.length).toBe(capacity);
    expect(table.size).toBe(5000);
    keys.slice(0, 100).forEach((key, index) => {
      expect((table.columns[0] as Uint32Array)[table.find(key)]).toBe(index + 1);
    });
  });

  it('rebuilds itself from its state', () => {
    const table = tableOf(keys.slice(0, 300), 10_000);
    const copy = SampledHashTable.fromState(table.toState(), ['u32'], 10_000);
    expect(copy.toState()).toEqual(table.toState());
    expect(copy.find(keys[42] as number)).not.toBe(-1);
  });
});
