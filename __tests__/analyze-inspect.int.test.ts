import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture } from './checks/helpers/analyze-pair.js';

/*
 * Inspect AI logs (fixtures/inspect and its SOURCES.md) committed as base and head of a pull request in a
 * real temporary git repository, found without any config.
 */

const OLD_RUN = 'logs/2025-02-11T15-18-04-05-00_popularity_mj7khqpMM4GBCfVQozKgzB.eval';
const NEW_RUN = 'logs/2025-02-11T15-40-00-05-00_popularity_Zq7Hn2VbW4kXp9RtYc3LdE.eval';
const oldRun = fixture('inspect/2025-02-11T15-18-04-05-00_popularity_mj7khqpMM4GBCfVQozKgzB.eval');
const newRun = fixture(
  'inspect/2025-02-11T15-40-00-05-00_popularity_Zq7Hn2VbW4kXp9RtYc3LdE.hand-made-zstd.eval',
);

describe('analyze on Inspect AI logs', () => {
  it('finds the regression of a new .eval run against the previous one, sample by sample', async () => {
    const report = await analyzePair({ [OLD_RUN]: oldRun }, { [OLD_RUN]: oldRun, [NEW_RUN]: newRun });
    expect(report.metrics).toHaveLength(1);
    const [file] = report.metrics;
    expect(file).toMatchObject({
      path: NEW_RUN,
      // compared with the previous run, so changed rather than added
      status: 'modified',
      comparedWith: { path: OLD_RUN, reason: 'newer-run' },
      format: 'inspect',
      pairedTasks: ['popularity'],
    });
    // Paired by sample id and epoch: samples 1, 2, 4, 5, 6 and 8 went from C to I, none the other way.
    // python3: McNemar exact, 2 · 0.5⁶ = 0.03125 (one test, so Holm leaves it); delta (0 − 6) / 10 = −0.6.
    // CI: −0.6 ± 1.959964 · sqrt((0.6 − 0.36) / 10) = [−0.90364, −0.29636].
    expect(file?.metrics).toHaveLength(1);
    const metric = file?.metrics[0];
    expect(metric).toMatchObject({
      key: 'popularity/accuracy[match]',
      direction: 'higher',
      base: 0.8,
      head: 0.2,
      change: 'regressed',
      baseStderr: 0.13333333333333333,
      headStderr: 0.13333333333333333,
      significance: { basis: 'per-sample', method: 'McNemar', significant: true, n: 10 },
    });
    expect(metric?.delta).toBeCloseTo(-0.6, 12);
    expect(metric?.significance?.pValue).toBeCloseTo(0.03125, 12);
    expect(metric?.significance?.adjustedPValue).toBeCloseTo(0.03125, 12);
    expect(metric?.significance?.low).toBeCloseTo(-0.90364, 5);
    expect(metric?.significance?.high).toBeCloseTo(-0.29636, 5);
    // Titles round as the comment does: −0.6 is −75.0% of 0.8; the p-value and CI as computed above.
    const regressions = report.findings.filter((f) => f.check === 'eval-regression');
    expect(regressions.map((f) => [f.severity, f.title, f.location, f.details?.[2]])).toEqual([
      [
        'failure',
        'popularity / accuracy[match] regressed: 0.8 → 0.2 (-0.6, -75.0%)',
        { path: NEW_RUN },
        'paired over 10 items (McNemar): p = 0.03125, p = 0.03125 after Holm adjustment; 95% CI of the change [-0.9036, -0.2964]',
      ],
    ]);
    expect(report.verdict).toBe('failure');
  });

  it('reads a .json log found by its content; a changed limit makes it incomparable', async () => {
    // python3: the Claude Sonnet 4 run has config.limit 5 and total_samples 5, the Qwen2.5 0.5B run 3 and 3.
    const path = 'logs/arc_easy.json';
    const report = await analyzePair(
      { [path]: fixture('inspect/inspect_arc_easy_claude-sonnet-4.trimmed.json') },
      { [path]: fixture('inspect/inspect_arc_easy_qwen2.5-0.5b.trimmed.json') },
    );
    expect(report.kinds).toEqual([expect.objectContaining({ path, kind: 'metrics', by: 'content' })]);
    const [file] = report.metrics;
    expect(file?.metrics.map((m) => [m.key, m.base, m.head, m.change])).toEqual([
      ['inspect_evals/arc_easy/accuracy[choice]', 1, 0.3333333333333333, 'incomparable'],
    ]);
    expect(file?.incomparable).toEqual([
      { task: 'inspect_evals/arc_easy', setting: 'sample limit', base: '5', head: '3' },
      { task: 'inspect_evals/arc_easy', setting: 'effective samples', base: '5', head: '3' },
      // sha256 of the sample ids [1,2,3,4,5] and [1,2,3], first 8 hex digits (python3)
      {
        task: 'inspect_evals/arc_easy',
        setting: 'dataset',
        base: 'allenai/ai2_arc, sample ids f5baf0e4',
        head: 'allenai/ai2_arc, sample ids a615eeae',
      },
    ]);
    expect(report.findings.filter((f) => f.check === 'eval-regression')).toEqual([]);
  });
});
