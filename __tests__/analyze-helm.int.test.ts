import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * HELM's narrative_qa run of openai/gpt2 (fixtures/helm and its SOURCES.md), committed with its
 * run_spec.json as base and head of a pull request in a real temporary git repository. Head variants
 * are hand-made: one statistic's mean (and sum, min, max: one trial) set to 0.09, or one setting of the
 * run spec changed.
 */

const STATS = fixture('helm/narrative_qa_gpt2_stats.json').toString('utf8');
const RUN_SPEC = fixture('helm/narrative_qa_gpt2_run_spec.json').toString('utf8');
const RUN = 'benchmark_output/runs/v1/narrative_qa:model=openai_gpt2';

/** The statistics with the mean of `name` on `split` (under `perturbation`, or none) set to `mean`. */
function withMean(name: string, split: string, perturbation: string | undefined, mean: number): string {
  const stats = JSON.parse(STATS) as {
    name: { name: string; split: string; perturbation?: { name: string } };
    [field: string]: unknown;
  }[];
  const stat = stats.find(
    (entry) =>
      entry.name.name === name &&
      entry.name.split === split &&
      entry.name.perturbation?.name === perturbation,
  );
  if (!stat) throw new Error(`no ${name} on ${split}`);
  Object.assign(stat, { sum: mean, sum_squared: mean * mean, min: mean, max: mean, mean });
  return JSON.stringify(stats, null, 2);
}

const base = { [`${RUN}/stats.json`]: STATS, [`${RUN}/run_spec.json`]: RUN_SPEC };

describe('analyze on HELM stats.json', () => {
  it('calls a lower test f1_score a regression, judged by the tolerance (one trial: no standard error)', async () => {
    const report = await analyzePair(base, {
      ...base,
      [`${RUN}/stats.json`]: withMean('f1_score', 'test', undefined, 0.09),
    });
    expect(report.metrics.map((file) => [file.path, file.status, file.format])).toEqual([
      [`${RUN}/stats.json`, 'modified', 'helm'],
    ]);
    // 0.09 - 0.17424242424242425 = -0.08424 (-48.3%); the f1_score entry of test starts on line 244.
    expect(report.findings.filter((f) => f.check === 'eval-regression').map(summarise)).toEqual([
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'test / f1_score regressed: 0.1742 → 0.09 (-0.08424, -48.3%)',
        location: { path: `${RUN}/stats.json`, line: 244 },
      },
    ]);
  });

  it('says a robustness slice regressed while its split held', async () => {
    const report = await analyzePair(base, {
      ...base,
      [`${RUN}/stats.json`]: withMean('f1_score', 'test', 'robustness', 0.09),
    });
    expect(report.findings.filter((f) => f.check === 'eval-slice-regression').map((f) => f.title)).toEqual([
      '1 slice of test / f1_score regressed while the aggregate held (0)',
    ]);
    expect(report.findings.filter((f) => f.check === 'eval-regression').map((f) => f.title)).toEqual([
      'test · robustness / f1_score regressed: 0.1742 → 0.09 (-0.08424, -48.3%)',
    ]);
  });

  it('makes a run with other in-context examples incomparable (run_spec.json), not regressed', async () => {
    const zeroShot = RUN_SPEC.replace('"max_train_instances": 5', '"max_train_instances": 0');
    const report = await analyzePair(base, {
      [`${RUN}/stats.json`]: withMean('f1_score', 'test', undefined, 0.09),
      [`${RUN}/run_spec.json`]: zeroShot,
    });
    const [file] = report.metrics;
    expect(file?.incomparable?.filter((item) => item.task === 'test')).toEqual([
      { task: 'test', setting: 'n-shot', base: '5', head: '0' },
    ]);
    expect(file?.metrics.every((m) => m.change === 'incomparable')).toBe(true);
    expect(report.findings.filter((f) => f.check === 'eval-regression')).toEqual([]);
    expect(report.notReviewed).toEqual([
      {
        path: `${RUN}/run_spec.json`,
        reason:
          "a HELM run's own file (run spec, scenario, requests, per-instance statistics): run_spec.json's settings are read with the run's stats.json, the rest is not read",
      },
    ]);
  });

  it('finds stats.json by its content elsewhere, as results and never as a dataset', async () => {
    const path = 'data/helm/narrative_qa/stats.json';
    const report = await analyzePair({ 'README.md': 'x\n' }, { 'README.md': 'x\n', [path]: STATS });
    expect(report.datasets).toEqual([]);
    expect(report.kinds).toEqual([
      {
        path,
        kind: 'metrics',
        by: 'content',
        reason: 'it holds HELM statistics (a list of name, count, sum, sum_squared, …)',
      },
    ]);
    expect(report.metrics.map((file) => [file.path, file.format, file.metrics.length])).toEqual([
      [path, 'helm', 54],
    ]);
  });
});
