import { describe, expect, it } from '@jest/globals';
import { isAlias, parseDocument } from 'yaml';
import { MAX_ALIAS_EXPANSION, measureAliases } from '../../src/loaders/measure-aliases.js';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';
import { parseParamsFile } from '../../src/loaders/parse-params.js';
import { parseYamlDocument } from '../../src/loaders/parse-yaml.js';
import { BILLION_LAUGHS, findBillionLaughsExcess } from '../helpers/billion-laughs.js';

describe('measureAliases', () => {
  it('stops at the alias where a billion-laughs document passes the limit', () => {
    const doc = parseDocument(BILLION_LAUGHS);
    const { excess } = measureAliases(doc);
    expect(isAlias(excess)).toBe(true);
    const offset = excess?.range?.[0] ?? -1;
    const lines = BILLION_LAUGHS.slice(0, offset).split('\n');
    const expected = findBillionLaughsExcess(MAX_ALIAS_EXPANSION);
    expect({ line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 }).toEqual(expected);
  });

  it.each([
    ['no aliases', 'a: 1\nb: [1, 2]\n', 0],
    ['an alias to a scalar', 'a: &x 1\nb: *x\n', 1],
    // 150 merges of a 3-key map: past yaml's default maxAliasCount (100), far below ours.
    [
      '150 merge keys of one map',
      `d: &d { x: 1, y: 2, z: 3 }\n${Array.from({ length: 150 }, (_, i) => `k${i}: { <<: *d, n: ${i} }`).join('\n')}\n`,
      150,
    ],
    ['an alias inside the node it names', 'a: &x { self: *x }\n', 1],
  ])('resolves %s without an excess', (_name, text, aliases) => {
    const { targets, excess } = measureAliases(parseDocument(text));
    expect(excess).toBeUndefined();
    expect(targets.size).toBe(aliases);
  });

  it('counts nested expansions once per anchored node, so a wide document stays linear', () => {
    // 12 levels of two aliases each: 2^12 expansions of the first list, 4,096 × 5 values, within the limit.
    const text = Array.from({ length: 13 }, (_, i) =>
      i === 0 ? 'l0: &l0 [1, 2, 3, 4]' : `l${i}: &l${i} [*l${i - 1}, *l${i - 1}]`,
    ).join('\n');
    expect(measureAliases(parseDocument(text)).excess).toBeUndefined();
    expect(measureAliases(parseDocument(text), 1000).excess).toBeDefined();
  });
});

describe('YAML readers on a billion-laughs document', () => {
  const { line } = findBillionLaughsExcess(MAX_ALIAS_EXPANSION);

  it.each([
    ['parseYamlDocument', () => parseYamlDocument(BILLION_LAUGHS)],
    ['parseMetricsFile', () => parseMetricsFile(BILLION_LAUGHS, 'eval/metrics.yaml')],
    ['parseParamsFile', () => parseParamsFile(BILLION_LAUGHS, 'configs/sft.yaml')],
  ])('%s throws a ParseError "too many aliases" at the line of the alias', (_name, read) => {
    expect(read).toThrow(expect.objectContaining({ name: 'ParseError', line }));
    expect(read).toThrow(/^too many aliases: expanding them gives more than 100,000 values/);
  });

  it('still reads the values an alias stands for', () => {
    const metrics = parseMetricsFile('arc: &b { acc: 0.5 }\nhellaswag: *b\n', 'metrics.yaml');
    expect(metrics.metrics.map((m) => [m.key, m.value])).toEqual([
      ['arc/acc', 0.5],
      ['hellaswag/acc', 0.5],
    ]);
  });
});
