import { describe, expect, it, jest } from '@jest/globals';
import type { BaselineLookup, BaselineOutcome } from '../src/model/baseline-source.js';
import type { EvalResults } from '../src/model/report-schema.js';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Results produced in CI: the base commit has no results file, the head has one (written by the job),
 * and an earlier run's report stands in for the base side. The earlier run is itself analysed here, as a
 * run on the default branch would be, and its report's `evalResults` become the baseline. Figures are
 * the real lm-eval rwkv7 lambada runs (fixtures/metrics/SOURCES.md): acc 0.688143 → 0.410635 and
 * perplexity 4.263079 → 20.088276, as in analyze-metrics.int.test.ts.
 */

const rwkv = (run: 'good' | 'regressed') => fixture(`metrics/v047_rwkv7-1.5b_lambada_run-${run}.json`);
const RESULTS = 'results/rwkv/results_2025-02-24T21-42-51.190683.json';
const HEAD_RESULTS = 'results/rwkv/results_2025-02-25T08-00-00.000000.json';
const BASE_SAMPLES = 'samples_lambada_openai_2025-02-24T21-42-51.190683.jsonl';
const HEAD_SAMPLES = 'samples_lambada_openai_2025-02-25T08-00-00.000000.jsonl';
const FOUND = {
  runId: 123,
  url: 'https://github.com/octo-org/tuned/actions/runs/123',
  sha: 'a'.repeat(40),
  branch: 'main',
  event: 'push',
  commitsBack: 0,
  createdAt: '2025-02-24T22:00:00Z',
  ageDays: 3,
};

/** The `evalResults` of a default-branch run that added `files` to a repository without results. */
async function defaultBranchResults(files: Record<string, Buffer>): Promise<EvalResults[]> {
  const report = await analyzePair({ 'README.md': '# project\n' }, files);
  return report.evalResults ?? [];
}

const lookupOf = (outcome: BaselineOutcome) => jest.fn<BaselineLookup>(() => Promise.resolve(outcome));

describe('analyze with a baseline from an earlier run', () => {
  it('compares the head results with the baseline run, names it in the report, and calls the regression', async () => {
    const results = await defaultBranchResults({ [RESULTS]: rwkv('good') });
    expect(results.map((entry) => entry.path)).toEqual([RESULTS]);
    const lookup = lookupOf({ found: FOUND, results });

    const report = await analyzePair(
      { 'README.md': '# project\n' },
      { [HEAD_RESULTS]: rwkv('regressed') },
      '',
      lookup,
    );

    expect(lookup).toHaveBeenCalledTimes(1);
    expect(report.baseline).toEqual({ ...FOUND, files: [{ path: HEAD_RESULTS, baselinePath: RESULTS }] });
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'lambada_openai / perplexity regressed: 4.263 → 20.09 (+15.83, ×4.712)',
        location: { path: HEAD_RESULTS, line: 5 },
      },
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'lambada_openai / acc regressed: 0.6881 → 0.4106 (-0.2775, -40.3%)',
        location: { path: HEAD_RESULTS, line: 7 },
      },
    ]);
    expect(report.verdict).toBe('failure');
    // The head's own results are kept for the next run, whatever they were compared with.
    expect(report.evalResults?.map((entry) => [entry.path, entry.metrics.map((m) => m.value)])).toEqual([
      [HEAD_RESULTS, [20.08827618270199, 0.41063458179701146]],
    ]);
  });

  it('pairs the per-item logs across the two runs: acc is tested item by item (6 items)', async () => {
    const results = await defaultBranchResults({
      [RESULTS]: rwkv('good'),
      [`results/rwkv/${BASE_SAMPLES}`]: fixture(`samples/${BASE_SAMPLES}`),
    });
    expect(results[0]?.samples?.map((log) => log.task)).toEqual(['lambada_openai']);

    const report = await analyzePair(
      { 'README.md': '# project\n' },
      {
        [HEAD_RESULTS]: rwkv('regressed'),
        [`results/rwkv/${HEAD_SAMPLES}`]: fixture(`samples/${HEAD_SAMPLES}`),
      },
      '',
      lookupOf({ found: FOUND, results }),
    );

    const file = report.metrics.find((entry) => entry.path === HEAD_RESULTS);
    expect(file?.pairedTasks).toEqual(['lambada_openai']);
    const acc = file?.metrics.find((metric) => metric.key === 'lambada_openai/acc');
    // Six items paired by doc_hash: base right on 4, head on 3 (fixtures/samples/SOURCES.md); McNemar's
    // exact test on 2 discordant pairs one way and 1 the other cannot tell, and 6 items could never
    // show a half-point change: the wrong-way move is inconclusive.
    expect(acc?.significance).toMatchObject({ basis: 'per-sample', n: 6, significant: false });
    expect(acc?.change).toBe('inconclusive');
  });

  it('says why there is no baseline in one notice, and nothing fails for it', async () => {
    const why = 'no report artifact of a push run on main for the base commit or the 49 commits before it';
    const report = await analyzePair(
      { 'README.md': '# project\n' },
      { [HEAD_RESULTS]: rwkv('regressed') },
      '',
      lookupOf({ missing: why }),
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'eval-baseline-missing',
        severity: 'notice',
        title: `No baseline for the results on head: ${why}`,
        location: { path: HEAD_RESULTS },
      },
    ]);
    expect(report.findings[0]?.details[1]).toContain(
      'run tuneguard on `push` to the default branch with the same `results:` input',
    );
    expect(report.verdict).toBe('pass');
    expect(report.baseline).toBeUndefined();
  });

  it('says so when the baseline run holds no results file like the head one', async () => {
    const results = await defaultBranchResults({ 'eval/other.json': rwkv('good') });
    const report = await analyzePair(
      { 'README.md': '# project\n' },
      { [HEAD_RESULTS]: rwkv('regressed') },
      '',
      lookupOf({ found: FOUND, results }),
    );
    expect(report.findings.map((finding) => finding.title)).toEqual([
      "No baseline for the results on head: the report of run 123 holds no results file matching the head's (it has eval/other.json)",
    ]);
  });

  it('never looks for a baseline when the base has results of its own', async () => {
    const lookup = lookupOf({ missing: 'unused' });
    const report = await analyzePair(
      { [RESULTS]: rwkv('good') },
      { [RESULTS]: rwkv('regressed') },
      '',
      lookup,
    );
    expect(lookup).not.toHaveBeenCalled();
    expect(report.baseline).toBeUndefined();
    expect(report.findings.map((finding) => finding.check)).toEqual(['eval-regression', 'eval-regression']);
  });
});
