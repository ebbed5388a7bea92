import { describe, expect, it } from '@jest/globals';
import {
  describeOversizedRow,
  isGzip,
  isNestedDeeperThan,
  MAX_ROW_BYTES,
} from '../../src/loaders/row-limits.js';

/** `depth` arrays, one inside the other, around `inner`. */
const nest = (depth: number, inner: unknown = 1): unknown => {
  let value = inner;
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
};

describe('isNestedDeeperThan', () => {
  it.each([
    [1, 0, false],
    ['text', 0, false],
    [null, 0, false],
    [[], 0, true],
    [[], 1, false],
    [{ messages: [{ role: 'user', content: 'hi' }] }, 3, false],
    [{ messages: [{ role: 'user', content: 'hi' }] }, 2, true],
    [{ a: 1, b: { c: [1, [2]] } }, 3, true],
    [nest(100), 100, false],
    [nest(101), 100, true],
  ])('%j deeper than %d: %s', (value, limit, expected) => {
    expect(isNestedDeeperThan(value, limit)).toBe(expected);
  });

  it('answers for 100,000 levels without overflowing the stack', () => {
    expect(isNestedDeeperThan(nest(100_000), 100)).toBe(true);
  });
});

describe('describeOversizedRow', () => {
  it('says the size in MiB and the limit', () => {
    expect(MAX_ROW_BYTES).toBe(16 * 1024 * 1024);
    expect(describeOversizedRow(30 * 1024 * 1024 + 14)).toBe(
      'a row of 30.0 MiB, over the 16 MiB one row may take: not read',
    );
  });
});

describe('isGzip', () => {
  it.each([
    [[0x1f, 0x8b, 0x08], true],
    [[0x1f], false],
    [[0x7b, 0x22], false],
    [[], false],
  ])('%j: %s', (bytes, expected) => {
    expect(isGzip(Uint8Array.from(bytes))).toBe(expected);
  });
});
