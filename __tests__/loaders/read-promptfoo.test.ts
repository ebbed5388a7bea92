import { describe, expect, it } from '@jest/globals';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';
import { fixtureText, metricsEntry } from '../checks/helpers/build-context.js';

const FRENCH = fixtureText('metrics/promptfoo_french-greeting_output.json');

/** The real output with its one result repeated over `outcomes`, each a test of its own vars. */
function withTests(outcomes: boolean[]): string {
  const root = JSON.parse(FRENCH) as { results: { results: Record<string, unknown>[] } };
  const [result] = root.results.results;
  root.results.results = outcomes.map((success, index) => ({
    ...result,
    testIdx: index,
    vars: { city: `city ${index}` },
    success,
  }));
  return JSON.stringify(root, null, 2);
}

describe('a promptfoo results file', () => {
  it('is its pass rate, with the standard error of its Wilson interval, not three counts of lm-eval', () => {
    const file = parseMetricsFile(FRENCH, 'evals/results.json');
    expect(file.format).toBe('promptfoo');
    // 0 of 1 test passed; Wilson 95% interval [0, 0.79345]: stderr 0.79345 / (2 × 1.96).
    expect(file.metrics).toEqual([
      {
        key: 'openai:gpt-4o-mini/pass_rate',
        task: 'openai:gpt-4o-mini',
        metric: 'pass_rate',
        value: 0,
        stderr: expect.closeTo(0.20241460860541324, 12),
        higherIsBetter: true,
      },
    ]);
    expect(file.evaluator).toEqual({ version: '0.120.16' });
    expect(file.samples?.map((s) => [s.task, [...(s.scores.get('pass_rate') ?? [])]])).toEqual([
      ['openai:gpt-4o-mini', [['|[]', 0]]],
    ]);
  });

  it('a result without a boolean success is a problem, the others are read', () => {
    const root = JSON.parse(withTests([true, true])) as { results: { results: Record<string, unknown>[] } };
    delete root.results.results[1]?.success;
    const file = parseMetricsFile(JSON.stringify(root), 'results.json');
    expect(file.metrics.map((m) => m.value)).toEqual([1]);
    expect(file.problems).toEqual([
      { reason: 'results.results[1] has no boolean "success": it is left out' },
    ]);
  });

  it('pairs the tests of two runs for McNemar: 10 of 20 that passed now fail', () => {
    const passing = Array.from({ length: 20 }, () => true);
    const half = passing.map((_, index) => index >= 10);
    const entry = metricsEntry('evals/results.json', { base: withTests(passing), head: withTests(half) });
    expect(entry.report.pairedTasks).toEqual(['openai:gpt-4o-mini']);
    const [metric] = entry.report.metrics;
    // b = 10 passed → failed, c = 0: exact two-sided p = 2 × 0.5^10 = 0.001953125.
    expect(metric?.change).toBe('regressed');
    expect(metric?.significance).toMatchObject({ method: 'McNemar', pValue: 0.001953125, n: 20 });
    expect([metric?.base, metric?.head]).toEqual([1, 0.5]);
  });

  it('a test that moved in the list is still the same test (matched by its vars, not its index)', () => {
    const base = withTests([true, false, true]);
    const root = JSON.parse(base) as { results: { results: Record<string, unknown>[] } };
    root.results.results.reverse();
    const entry = metricsEntry('evals/results.json', { base, head: JSON.stringify(root) });
    expect(entry.report.metrics[0]?.significance).toMatchObject({ method: 'McNemar', pValue: 1, n: 3 });
  });
});
