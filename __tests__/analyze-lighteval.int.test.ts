import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture } from './checks/helpers/analyze-pair.js';

/*
 * lighteval results (fixtures/lighteval and its SOURCES.md) committed as base and head of a pull request
 * in a real temporary git repository. The 0-shot file is lighteval's own gpt2 run; the 5-shot and
 * max_samples files are hand-made variants of it (values unchanged, settings changed).
 */

const RESULTS = 'evals/results/gpt2/results_2024-09-03T10-00-00.000000.json';
const zeroShot = fixture('lighteval/results_gpt2_lighteval-gsm8k-0.json');

describe('analyze on lighteval results', () => {
  it('a few-shot change makes the task incomparable, not removed and added', async () => {
    const report = await analyzePair(
      { [RESULTS]: zeroShot },
      { [RESULTS]: fixture('lighteval/results_gpt2_lighteval-gsm8k-5.hand-made.json') },
    );
    const [file] = report.metrics;
    expect(file).toMatchObject({ path: RESULTS, status: 'modified', format: 'lighteval' });
    expect(file?.metrics.map((m) => [m.key, m.change])).toEqual([
      ['lighteval|gsm8k/qem', 'incomparable'],
      ['lighteval|gsm8k/maj@8', 'incomparable'],
    ]);
    // hash_full_prompts is 8517d5bf7e880086 in the 0-shot file, 0d35c4a6b2e4f11c in the 5-shot one.
    expect(file?.incomparable).toEqual([
      { task: 'lighteval|gsm8k', setting: 'n-shot', base: '0', head: '5' },
      { task: 'lighteval|gsm8k', setting: 'prompt hash', base: '8517d5bf7e880086', head: '0d35c4a6b2e4f11c' },
    ]);
    expect(report.findings.filter((f) => f.check === 'eval-regression')).toEqual([]);
  });

  it('a changed max_samples and example hash make it incomparable', async () => {
    const report = await analyzePair(
      { [RESULTS]: zeroShot },
      { [RESULTS]: fixture('lighteval/results_gpt2_lighteval-gsm8k-0.max-samples-10.hand-made.json') },
    );
    expect(report.metrics[0]?.incomparable).toEqual([
      { task: 'lighteval|gsm8k', setting: 'sample limit', base: '1', head: '10' },
      { task: 'lighteval|gsm8k', setting: 'effective samples', base: '1', head: '10' },
      { task: 'lighteval|gsm8k', setting: 'task hash', base: '8517d5bf7e880086', head: 'c2f1a0e7d94b3358' },
    ]);
    expect(report.metrics[0]?.metrics.every((m) => m.change === 'incomparable')).toBe(true);
  });

  it('finds a results file by its content wherever it sits', async () => {
    const path = 'gpt2_gsm8k.json';
    const report = await analyzePair({ 'README.md': 'x\n' }, { [path]: zeroShot });
    expect(report.kinds).toEqual([expect.objectContaining({ path, kind: 'metrics', by: 'content' })]);
    expect(report.metrics[0]).toMatchObject({ path, status: 'added', format: 'lighteval' });
  });

  it('never reads the `all` average as a task', async () => {
    const report = await analyzePair({ [RESULTS]: zeroShot }, { [RESULTS]: zeroShot, 'README.md': 'x\n' });
    const tasks = new Set(report.metrics.flatMap((file) => file.metrics.map((m) => m.task)));
    expect([...tasks]).toEqual(['lighteval|gsm8k']);
  });

  it('does not profile a details Parquet file as a dataset', async () => {
    // lighteval writes `details/<model>/<time>/details_<task>_<time>.parquet`; any Parquet bytes stand in here.
    const details =
      'evals/details/gpt2/2024-09-03T10-00-00.000000/details_lighteval|gsm8k|0_2024-09-03T10-00-00.000000.parquet';
    const report = await analyzePair(
      { [RESULTS]: zeroShot },
      { [RESULTS]: zeroShot, [details]: fixture('datasets/mlx_wikisql_valid.parquet') },
    );
    expect(report.datasets).toEqual([]);
    expect(report.notReviewed).toEqual([
      {
        path: details,
        reason:
          "lighteval's per-item details (one row per example with its prompt, response and scores): an evaluation's log, not training data, and not read",
      },
    ]);
  });
});
