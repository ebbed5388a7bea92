import { describe, expect, it } from '@jest/globals';
import { formatEvidence, formatValue } from '../../src/render/format-evidence.js';

describe('formatValue', () => {
  it.each([
    [undefined, '—'],
    [0.6881428294197555, '0.6881'],
    [20.08827618270199, '20.09'],
    [0.00002, '2e-5'],
    [1e16, '1e16'],
    [20195.3, '20,195'],
    [910, '910'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-∞'],
    [true, 'true'],
    [null, 'null'],
    ['x'.repeat(130), `${'x'.repeat(119)}…`],
  ])('%s → %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});

describe('formatEvidence', () => {
  it.each([
    [undefined, undefined],
    [{ delta: 3 }, undefined],
    [{ base: 910, head: 500, delta: -410 }, '910 → 500 (-410)'],
    // Without a delta it is computed: 0.002 − 0.0002 = 0.0018.
    [{ base: 0.0002, head: 0.002 }, '0.0002 → 0.002 (+0.0018)'],
    [
      { base: 'mistralai/Mistral-7B-v0.1', head: 'meta-llama/Llama-3.2-1B' },
      'mistralai/Mistral-7B-v0.1 → meta-llama/Llama-3.2-1B',
    ],
    [{ head: 5 }, '— → 5'],
    [{ base: 1, head: 1 }, '1 → 1'],
  ])('%j → %s', (evidence, expected) => {
    expect(formatEvidence(evidence)).toBe(expected);
  });
});

describe('formatValue cuts long text at 120 characters, never inside one', () => {
  it.each([
    ['a'.repeat(120), 'a'.repeat(120)],
    ['a'.repeat(121), `${'a'.repeat(119)}…`],
    // 118 letters and 2 emoji are 120 characters (122 UTF-16 units): shown whole.
    [`${'a'.repeat(118)}🙂🙂`, `${'a'.repeat(118)}🙂🙂`],
    // An emoji at the cut is dropped whole, not split into half a surrogate pair.
    [`${'a'.repeat(118)}🙂🙂🙂`, `${'a'.repeat(118)}🙂…`],
  ])('%#', (text, shown) => {
    expect(formatValue(text)).toBe(shown);
  });
});
