import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse-config.js';
import { ConfigError } from '../../src/model/errors.js';

describe('parseConfig', () => {
  it('gives the defaults for an empty file', () => {
    const config = parseConfig('', '.github/tuneguard.yml');
    expect(config.checks['data-shrink']).toEqual({ 'max-drop': 0.05 });
    expect(config.checks['eval-regression']).toEqual({
      tolerance: 0.005,
      'relative-tolerance': 0.05,
      significance: 0.05,
      adjustment: 'holm',
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
    });
  });

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
