import { describe, expect, it } from '@jest/globals';
import { CHECK_CATALOGUE } from '../../src/checks/check-catalogue.js';
import { findKnownKeys, readConfigText, suggest } from '../../src/config/find-config-problems.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { configSchema } from '../../src/config/schema.js';
import { MAX_ALIAS_EXPANSION } from '../../src/loaders/measure-aliases.js';
import { ConfigError } from '../../src/model/errors.js';
import { BILLION_LAUGHS, findBillionLaughsExcess } from '../helpers/billion-laughs.js';

describe('parseConfig', () => {
  it('gives the defaults for an empty file', () => {
    const config = parseConfig('', '.github/tuneguard.yml');
    expect(config.checks['data-shrink']).toEqual({ 'max-drop': 0.05 });
    expect(config.checks['eval-regression']).toEqual({
      tolerance: 0.005,
      'relative-tolerance': 0.05,
      significance: 0.05,
      adjustment: 'holm',
      inconclusive: 'notice',
    });
    expect(config.datasets).toBeUndefined();
  });

  it.each([
    ['5%', 0.05],
    ['12.5%', 0.125],
    [0.2, 0.2],
  ])('reads max-drop %p as the fraction %p', (input, expected) => {
    const config = parseConfig(`checks:\n  data-shrink: { max-drop: ${JSON.stringify(input)} }\n`, 'c.yml');
    expect(config.checks['data-shrink']).toEqual({ 'max-drop': expected });
  });

  it.each([
    ['', 4],
    ['report: { max-mb: 0.5 }\n', 0.5],
    ['report: { max-mb: 8 }\n', 8],
  ])('reads the report size budget of %p as %p MiB', (text, expected) => {
    expect(parseConfig(text, 'c.yml').report).toEqual({ 'max-mb': expected });
  });

  it('reads points for the eval tolerance', () => {
    const config = parseConfig(
      'checks:\n  eval-regression: { severity: failure, tolerance: 0.5pt }\n',
      'c.yml',
    );
    expect(config.checks['eval-regression']).toEqual({
      severity: 'failure',
      tolerance: 0.005,
      'relative-tolerance': 0.05,
      significance: 0.05,
      adjustment: 'holm',
      inconclusive: 'notice',
    });
  });

  it.each(['notice', 'warning', 'failure', 'off'] as const)(
    'reads how an inconclusive eval counts: %p',
    (severity) => {
      const config = parseConfig(`checks:\n  eval-regression: { inconclusive: ${severity} }\n`, 'c.yml');
      expect(config.checks['eval-regression'].inconclusive).toBe(severity);
    },
  );

  it.each([
    ['a broken YAML line', 'datasets:\n  - path: a.jsonl\n   split: [\n', 3, /YAML/],
    ['an unknown key, at the key', 'params: [a.yml]\nchecks:\n  data-shrnk: {}\n', 3, /data-shrnk/],
    [
      'an unknown key with a block value, at the key',
      'checks:\n  data-shrnk:\n    max-drop: 5%\n',
      2,
      /data-shrnk/,
    ],
    ['a bad severity, at its value', 'checks:\n  data-shrink:\n    severity: fatal\n', 3, /severity/],
    ['a report budget over 8 MiB, at its value', 'report:\n  max-mb: 16\n', 2, /max-mb/],
  ])('names the file and line for %s', (_name, text, line, pattern) => {
    let error: unknown;
    try {
      parseConfig(text, '.github/tuneguard.yml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.line).toBe(line);
    expect(configError.path).toBe('.github/tuneguard.yml');
    expect(configError.message).toContain(`.github/tuneguard.yml:${line}`);
    expect(configError.message).toMatch(pattern);
  });
});

describe('readConfigText: every problem, with its line, column and a suggestion', () => {
  // Each line holds one mistake; the columns are those of the text as written here.
  const text = [
    'chekcs: {}', // 1: a misspelt top-level key
    'checks:',
    '  data-shrnk: {}', // 3: a misspelt check
    '  data-shrink: { max-drop: lots, severity: warn }', // 4: a bad amount and a near-miss severity
    'datasets:',
    '  - { path: data/train.jsonl, splt: train }', // 6: a misspelt key inside a list entry
    '  - 3', // 7: neither a path nor an entry
    'tokenizer: { encoding: o100k_bas }', // 8: a near-miss encoding
    'params: configs/sft.yaml', // 9: a string where a list is expected
    'real-world: {}', // 10: a required key missing
    '',
  ].join('\n');

  it('finds them all, in file order', () => {
    expect(readConfigText(text).problems).toEqual([
      { line: 1, column: 1, message: 'unknown key "chekcs"; did you mean "checks"?', suggestion: 'checks' },
      {
        line: 3,
        column: 3,
        message: 'unknown check "data-shrnk"; did you mean "data-shrink"?',
        suggestion: 'data-shrink',
      },
      {
        line: 4,
        column: 28,
        message: 'checks.data-shrink.max-drop: write a percentage such as "5%", or a fraction such as 0.05',
      },
      {
        line: 4,
        column: 44,
        message:
          'checks.data-shrink.severity: invalid option: expected one of "failure"|"warning"|"notice"|"off"; did you mean "warning"?',
        suggestion: 'warning',
      },
      {
        line: 6,
        column: 31,
        message: 'unknown key "splt" in datasets[0]; did you mean "split"?',
        suggestion: 'split',
      },
      { line: 7, column: 5, message: 'datasets[1]: expected string or object, not number' },
      {
        line: 8,
        column: 24,
        message:
          'tokenizer.encoding: invalid option: expected one of "o200k_base"|"cl100k_base"; did you mean "o200k_base"?',
        suggestion: 'o200k_base',
      },
      { line: 9, column: 9, message: 'params: expected array, not string' },
      { line: 10, column: 13, message: 'real-world.metrics: required (array)' },
    ]);
  });

  it('lists every one in the ConfigError, as file:line:column', () => {
    const error = (() => {
      try {
        parseConfig(text, '.github/tuneguard.yml');
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error.line).toBe(1);
    expect(error.problems).toHaveLength(9);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid config in .github/tuneguard.yml (9 problems):');
    expect(lines[1]).toBe('.github/tuneguard.yml:1:1: unknown key "chekcs"; did you mean "checks"?');
    expect(lines[9]).toBe('.github/tuneguard.yml:10:13: real-world.metrics: required (array)');
  });

  it('lists each YAML syntax error with its place', () => {
    expect(readConfigText('a: 1\na: 2\nb: [\n').problems.map((p) => [p.line, p.column])).toEqual([
      [2, 1],
      [4, 1],
    ]);
  });

  it('refuses a billion-laughs document with one problem at the alias, not a stack trace', () => {
    const { line, column } = findBillionLaughsExcess(MAX_ALIAS_EXPANSION);
    const { problems } = readConfigText(BILLION_LAUGHS);
    expect(problems).toEqual([{ line, column, message: expect.stringMatching(/^too many aliases: /) }]);
    expect(() => parseConfig(BILLION_LAUGHS, '.github/tuneguard.yml')).toThrow(ConfigError);
  });

  it('reads a config with more aliases than the yaml library allows by default (100)', () => {
    const text = `ignore:\n  - &x "scratch/**"\n${'  - *x\n'.repeat(150)}`;
    expect(readConfigText(text).problems).toEqual([]);
    expect(parseConfig(text, '.github/tuneguard.yml').ignore).toEqual(Array<string>(151).fill('scratch/**'));
  });

  it('is valid for the defaults and a file of comments only', () => {
    expect(readConfigText('').problems).toEqual([]);
    expect(readConfigText('# only a comment\n').problems).toEqual([]);
  });
});

describe('suggest', () => {
  it.each([
    ['chekcs', ['checks', 'params'], 'checks'],
    ['data-shrnk', ['data-shrink', 'data-format'], 'data-shrink'],
    ['eval-regresion', ['eval-regression', 'eval-incomparable'], 'eval-regression'],
    ['params-risky', ['params-risky-change', 'params-changed'], 'params-risky-change'],
    ['zzz', ['checks', 'params'], undefined],
    ['lr', ['lr-factor', 'lr-warmup'], undefined],
  ])('%p among %p: %p', (written, candidates, expected) => {
    expect(suggest(written, candidates)).toBe(expected);
  });
});

describe('findKnownKeys', () => {
  it.each([
    [[], ['datasets', 'params', 'metrics', 'training-logs']],
    [
      ['checks', 'data-shrink'],
      ['severity', 'max-drop'],
    ],
    [
      ['datasets', 0],
      ['path', 'split'],
    ],
    [['tokenizer'], ['encoding', 'exact-up-to-mb', 'file']],
  ])('at %p', (path, expected) => {
    expect(findKnownKeys(configSchema, path)).toEqual(expect.arrayContaining(expected));
  });

  it('knows every check of the catalogue under checks', () => {
    expect(findKnownKeys(configSchema, ['checks']).sort()).toEqual(Object.keys(CHECK_CATALOGUE).sort());
  });
});
