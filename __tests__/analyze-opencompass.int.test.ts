import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * OpenCompass summary tables (fixtures/opencompass and its SOURCES.md) committed as base and head of a
 * pull request in a real temporary git repository. The race table is internlm-7b-hf's run of the
 * documentation; the re-run is a hand-made variant of it: race-high 74.53 → 68.10, and the group's
 * naive_average recomputed as OpenCompass does, (68.10 + 77.92) / 2 = 73.01.
 */

const RACE = fixture('opencompass/summarizer-guide_race_internlm-7b.csv').toString('utf8');
const RERUN = RACE.replace('ppl,76.23', 'ppl,73.01').replace('ppl,74.53', 'ppl,68.10');
const FIRST = 'outputs/default/20240923_083857/summary/summary_20240923_083857.csv';
const SECOND = 'outputs/default/20241001_090000/summary/summary_20241001_090000.csv';

describe('analyze on OpenCompass summary tables', () => {
  it('compares a re-run in a new timestamped folder with the old run, and calls the regression', async () => {
    // OpenCompass keeps every run: the old folder stays beside the new one.
    const report = await analyzePair({ [FIRST]: RACE }, { [FIRST]: RACE, [SECOND]: RERUN });
    expect(report.metrics.map((file) => [file.path, file.status, file.comparedWith, file.format])).toEqual([
      [SECOND, 'modified', { path: FIRST, reason: 'newer-run' }, 'opencompass'],
    ]);
    // 0.6810 - 0.7453 = -0.0643 (-8.6%), 0.7301 - 0.7623 = -0.0322 (-4.2%): beyond the 0.005 tolerance;
    // no standard error on either side, so judged by the tolerance alone.
    expect(report.findings.filter((f) => f.check === 'eval-regression').map(summarise)).toEqual([
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'race / naive_average regressed: 0.7623 → 0.7301 (-0.0322, -4.2%)',
        location: { path: SECOND, line: 2 },
      },
      {
        check: 'eval-regression',
        severity: 'failure',
        title: 'race-high / accuracy regressed: 0.7453 → 0.681 (-0.0643, -8.6%)',
        location: { path: SECOND, line: 3 },
      },
    ]);
    expect(report.findings.map((f) => f.check)).not.toContain('eval-metric-removed');
  });

  it('compares the new run when the old one is deleted, as a run and not as a deleted file', async () => {
    const report = await analyzePair({ [FIRST]: RACE }, { [FIRST]: null, [SECOND]: RERUN });
    expect(report.metrics.map((file) => [file.path, file.status, file.comparedWith?.path])).toEqual([
      [SECOND, 'modified', FIRST],
    ]);
    expect(report.findings.map((f) => f.check)).toEqual(['eval-regression', 'eval-regression']);
  });

  it("pairs each dataset's result file of a re-run with the same file of the previous run", async () => {
    // OpenCompass's per-dataset results (`<time>/results/<model>/<dataset>.json`: `{"accuracy": …}`),
    // here with the race-high scores of the two tables.
    const result = (time: string) => `outputs/default/${time}/results/internlm-7b-hf/race-high.json`;
    const report = await analyzePair(
      { [FIRST]: RACE, [result('20240923_083857')]: '{"accuracy": 74.53}\n' },
      {
        [FIRST]: RACE,
        [result('20240923_083857')]: '{"accuracy": 74.53}\n',
        [SECOND]: RERUN,
        [result('20241001_090000')]: '{"accuracy": 68.1}\n',
      },
    );
    expect(report.metrics.map((file) => [file.path, file.comparedWith?.path])).toEqual([
      [result('20241001_090000'), result('20240923_083857')],
      [SECOND, FIRST],
    ]);
  });

  it('makes a dataset evaluated in another mode incomparable, not regressed', async () => {
    const report = await analyzePair(
      { [FIRST]: RACE },
      { [FIRST]: RERUN.replace('race-high,0c332f,accuracy,ppl', 'race-high,0c332f,accuracy,gen') },
    );
    const [file] = report.metrics;
    expect(file?.incomparable).toEqual([
      { task: 'race-high', setting: 'inference mode', base: 'ppl', head: 'gen' },
    ]);
    expect(file?.metrics.find((m) => m.key === 'race-high/accuracy')?.change).toBe('incomparable');
    expect(report.findings.filter((f) => f.check === 'eval-regression').map((f) => f.title)).toEqual([
      'race / naive_average regressed: 0.7623 → 0.7301 (-0.0322, -4.2%)',
    ]);
  });

  it('never profiles a summary table as a dataset', async () => {
    const report = await analyzePair({ 'README.md': 'x\n' }, { 'README.md': 'x\n', [FIRST]: RACE });
    expect(report.datasets).toEqual([]);
    expect(report.kinds).toEqual([
      {
        path: FIRST,
        kind: 'metrics',
        by: 'name',
        reason: "its name is OpenCompass's summary table (summary_<time>.csv)",
      },
    ]);
    expect(report.metrics.map((file) => [file.path, file.status, file.metrics.length])).toEqual([
      [FIRST, 'added', 3],
    ]);
  });

  it('finds a summary table by its header under another name, as results and not a dataset', async () => {
    const path = 'eval/internlm-7b/race.csv';
    const report = await analyzePair({ 'README.md': 'x\n' }, { 'README.md': 'x\n', [path]: RACE });
    expect(report.datasets).toEqual([]);
    expect(report.kinds).toEqual([
      {
        path,
        kind: 'metrics',
        by: 'content',
        reason: "its header is an OpenCompass summary table's (dataset, version, metric, mode, …)",
      },
    ]);
    expect(report.metrics[0]).toMatchObject({ path, status: 'added', format: 'opencompass' });
  });

  it('is not a dataset either when the config lists results files that leave it out', async () => {
    const report = await analyzePair(
      { 'README.md': 'x\n' },
      { 'README.md': 'x\n', [FIRST]: RACE },
      'metrics:\n  - results/**/*.json\n',
    );
    expect(report.datasets).toEqual([]);
    expect(report.metrics).toEqual([]);
    expect(report.notReviewed?.map((entry) => entry.path)).toEqual([FIRST]);
  });
});
