import { describe, expect, it } from '@jest/globals';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';

describe('YAML merge keys in metrics files', () => {
  it('merges `<<: *anchor` into the map instead of printing a Symbol(<<) key', () => {
    // As PyYAML reads it: run = { acc: 0.6 (its own), f1: 0.4 (merged) }.
    const text = 'defaults: &d\n  acc: 0.5\n  f1: 0.4\nrun:\n  <<: *d\n  acc: 0.6\n';
    const file = parseMetricsFile(text, 'metrics.yaml');
    expect(file.metrics.map((m) => [m.key, m.value])).toEqual([
      ['defaults/acc', 0.5],
      ['defaults/f1', 0.4],
      ['run/f1', 0.4],
      ['run/acc', 0.6],
    ]);
    expect(JSON.stringify(file)).not.toContain('Symbol');
  });
});
