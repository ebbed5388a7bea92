import { describe, expect, it } from '@jest/globals';
import { clip } from '../../src/text/clip.js';
import { formatNumber } from '../../src/text/format-number.js';
import { formatPercent } from '../../src/text/format-percent.js';
import { nounFor, plural } from '../../src/text/plural.js';

describe('formatNumber', () => {
  it.each([
    [1000, '1,000'],
    [-410, '-410'],
    [0.41063458179701146, '0.4106'],
    [15.825196740245948, '15.83'],
    [20194.605893659573, '20,195'],
    [0.00002, '2e-5'],
    [0.000123, '0.000123'],
    // A large non-integer is still a whole number with separators, never `2.5e+7`.
    [2.5e7 + 0.5, '25,000,001'],
    [2_500_000.5, '2,500,001'],
    [1e15, '1e15'],
    [0, '0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '∞'],
    [Number.NEGATIVE_INFINITY, '-∞'],
  ])('formatNumber(%p) is %p', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('formatPercent', () => {
  it.each([
    [0.4505494505494505, '45.1%'],
    [0.05, '5.0%'],
    [0.001, '0.1%'],
    [0.0005, '0.05%'],
    [0.003597, '0.36%'],
    [0, '0.0%'],
    [-0.403, '-40.3%'],
    [-0.001, '-0.1%'],
  ])('formatPercent(%p) is %p', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });
});

describe('plural and nounFor', () => {
  it.each([
    [0, '0 rows', 'rows'],
    [1, '1 row', 'row'],
    [2, '2 rows', 'rows'],
    [2500, '2,500 rows', 'rows'],
  ])('%p rows: plural gives %p, nounFor gives %p', (count, counted, noun) => {
    expect(plural(count, 'row')).toBe(counted);
    expect(nounFor(count, 'row')).toBe(noun);
  });
});

describe('clip', () => {
  it.each([
    ['abcdef', 4, 'abc…'],
    ['abcd', 4, 'abcd'],
    ['', 3, ''],
    // Four astral code points are 8 UTF-16 units: they fit in 4 characters and are kept whole.
    ['😀😀😀😀', 4, '😀😀😀😀'],
    ['😀😀😀😀😀', 4, '😀😀😀…'],
  ])('clip(%p, %p) is %p', (text, max, expected) => {
    expect(clip(text, max)).toBe(expected);
  });
});
