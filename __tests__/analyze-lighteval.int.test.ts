import { describe, expect, it } from '@jest/globals';
import { analyzePair, BASELINE_RUN, fixture, summarise } from './checks/helpers/analyze-pair.js';

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

  it('lists a Parquet file in a details folder but not named as details as not reviewed', async () => {
    const other = 'evals/details/gpt2/2024-09-03T10-00-00.000000/export.parquet';
    const report = await analyzePair(
      { [RESULTS]: zeroShot },
      { [RESULTS]: zeroShot, [other]: fixture('datasets/mlx_wikisql_valid.parquet') },
    );
    expect(report.datasets).toEqual([]);
    expect(report.notReviewed).toEqual([
      {
        path: other,
        reason:
          "in a lighteval details folder but not named details_<task>_<time>.parquet: an evaluation's log, not training data, and not read",
      },
    ]);
  });
});

/*
 * Two real lighteval runs of the LEXam task `community|lexam-en-idk|0` with their details trimmed to the
 * same first 40 items (fixtures/lighteval/SOURCES.md), committed as one model's earlier and newer run.
 * Counted with pyarrow: trad_score is right on 37 items in the earlier run and 31 in the newer; 8 items
 * right before are wrong after and 2 the other way; idk_score (1, 0 or -1) sums to 22 in the newer run.
 */

const T1 = '2025-12-12T15-11-59.471879';
const T2 = '2025-12-12T18-41-16.208682';
const resultsAt = (time: string) => `evals/results/my-model/results_${time}.json`;
const detailsAt = (time: string) =>
  `evals/details/my-model/${time}/details_community|lexam-en-idk|0_${time}.parquet`;
const earlier = {
  [resultsAt(T1)]: fixture('lighteval/results_lexam-en-idk_gpt-5.2.json'),
  [detailsAt(T1)]: fixture('lighteval/lexam-en-idk_gpt-5.2.first40.parquet'),
};
const newer = {
  [resultsAt(T2)]: fixture('lighteval/results_lexam-en-idk_mistral-large-2512.json'),
  [detailsAt(T2)]: fixture('lighteval/lexam-en-idk_mistral-large-2512.first40.parquet'),
};

describe('analyze on lighteval details', () => {
  it('pairs each run’s details with its results and tests the two runs item by item', async () => {
    const report = await analyzePair(earlier, newer);
    expect(report.kinds).toContainEqual({
      path: detailsAt(T2),
      kind: 'eval-samples',
      by: 'name',
      reason: "its name is lighteval's per-item details (details_<task>_<time>.parquet)",
    });
    expect(report.datasets).toEqual([]);
    expect(report.notReviewed).toEqual([]);
    const [file] = report.metrics;
    expect(file).toMatchObject({
      path: resultsAt(T2),
      comparedWith: { path: resultsAt(T1), reason: 'newer-run' },
      pairedTasks: ['community|lexam-en-idk'],
    });
    const metric = (name: string) => file?.metrics.find((m) => m.key === `community|lexam-en-idk/${name}`);
    expect(metric('trad_score')?.significance).toMatchObject({
      basis: 'per-sample',
      method: 'McNemar',
      n: 40,
    });
    // McNemar's exact test on 8 discordant pairs one way and 2 the other: 2 · (1 + 10 + 45) / 2^10.
    expect(metric('trad_score')?.significance?.pValue).toBeCloseTo(112 / 1024, 12);
    expect(metric('idk_score')?.significance).toMatchObject({
      basis: 'per-sample',
      method: 'paired bootstrap',
      n: 40,
    });
    // 40 paired items cannot tell these drops from noise: one notice, sized on the paired items.
    const regression = report.findings.filter((finding) => finding.check === 'eval-regression');
    expect(regression.map((finding) => finding.severity)).toEqual(['notice']);
    expect(regression[0]?.details[0]).toMatch(
      /^community\|lexam-en-idk \/ trad_score: 0\.8885 → 0\.7851 .*\(has 40\)$/,
    );
    // The head's per-item outcomes are kept in the report for a later run's baseline.
    const [packed] = report.evalResults?.[0]?.samples ?? [];
    expect(packed).toMatchObject({ task: 'community|lexam-en-idk', matchedBy: 'prompt_hash' });
    expect(packed?.ids).toMatchObject({ list: expect.any(Array) });
    expect('list' in (packed?.ids ?? {}) ? (packed?.ids as { list: string[] }).list.length : 0).toBe(40);
    const idk = packed?.scores.find((scores) => scores.metric === 'idk_score');
    expect(idk && 'values' in idk ? idk.values.reduce((a, b) => a + b, 0) : undefined).toBe(22);
  });

  it('pairs the newest run’s details when the earlier run stays in the tree', async () => {
    const report = await analyzePair(earlier, { ...earlier, ...newer });
    const file = report.metrics.find((entry) => entry.path === resultsAt(T2));
    expect(file?.pairedTasks).toEqual(['community|lexam-en-idk']);
    const trad = file?.metrics.find((m) => m.metric === 'trad_score');
    expect(trad?.significance).toMatchObject({ method: 'McNemar', n: 40 });
    expect(trad?.base).toBe(0.8885298869143781);
    expect(trad?.head).toBe(0.7851373182552503);
  });

  it('pairs the head’s details with a baseline report’s packed outcomes when the base has no results', async () => {
    const earlierReport = await analyzePair({ 'README.md': '# project\n' }, earlier);
    const results = earlierReport.evalResults ?? [];
    expect(results.map((entry) => entry.samples?.map((log) => log.matchedBy))).toEqual([['prompt_hash']]);
    const report = await analyzePair({ 'README.md': '# project\n' }, newer, '', () =>
      Promise.resolve({ found: BASELINE_RUN, results }),
    );
    const trad = report.metrics[0]?.metrics.find((m) => m.metric === 'trad_score');
    expect(report.metrics[0]?.pairedTasks).toEqual(['community|lexam-en-idk']);
    expect(trad?.significance).toMatchObject({ basis: 'per-sample', method: 'McNemar', n: 40 });
    expect(trad?.significance?.pValue).toBeCloseTo(112 / 1024, 12);
  });

  it('does not blame the pull request for unreadable details on the base branch', async () => {
    // A Parquet file without lighteval's columns, named as details, already on the base branch.
    const broken = `evals/details/my-model/${T1}/details_community|other|0_${T1}.parquet`;
    const wikisql = fixture('datasets/mlx_wikisql_valid.parquet');
    const report = await analyzePair({ ...earlier, [broken]: wikisql }, { ...newer, [broken]: wikisql });
    expect(report.unreadable).toEqual([
      {
        path: broken,
        side: 'base',
        line: 1,
        reason: 'no prompt (doc.query, full_prompt, example) nor hash_example (and 99 more lines)',
      },
    ]);
    expect(report.findings.map(summarise)).toContainEqual({
      check: 'input-unreadable',
      severity: 'notice',
      title: '1 file the pull request did not touch could not be read (not its doing)',
    });
    expect(report.metrics[0]?.pairedTasks).toEqual(['community|lexam-en-idk']);
  });
});
