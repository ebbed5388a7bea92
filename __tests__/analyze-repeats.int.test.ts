import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaselineLookup } from '../src/model/baseline-source.js';
import type { MetricDiff } from '../src/model/report-schema.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import { analyzePair, BASELINE_RUN, type Files } from './checks/helpers/analyze-pair.js';

/*
 * Repeats as `/tuneguard rerun-eval repeats=3` makes them: the example evaluator (examples/eval, naive
 * Bayes on the WikiSQL aggregation fixture, see fixtures/eval/SOURCES.md) run once per seed, each run an
 * lm-eval results file of its own (`results_<time>.json`, with `random_seed` … `fewshot_seed` = the seed)
 * in the model's folder. The seed picks which 90% of the training rows the model learns from, so the score
 * moves with the seed alone. The head's training data has every COUNT question relabelled NONE.
 * Expected values are computed here from the runs' own JSON (mean, sample variance), not by tuneguard.
 */

const EVALUATE = fileURLToPath(new URL('../examples/eval/evaluate.mjs', import.meta.url));
const fixturePath = (name: string) => fileURLToPath(new URL(`fixtures/eval/${name}`, import.meta.url));
const FOLDER = 'eval-results/my-org__my-model';
const KEY = 'wikisql_agg/acc';

interface Run {
  path: string;
  acc: number;
  stderr: number;
}

let scratch: string;
let trainBase: string;
let trainHead: string;

/** Runs the evaluator once per seed on `train`, in order; gives the files written and each run's acc. */
function evaluate(train: string, seeds: number[]): { files: Files; runs: Run[] } {
  const out = mkdtempSync(join(scratch, 'out-'));
  for (const seed of seeds) {
    execFileSync(
      process.execPath,
      [
        EVALUATE,
        ...['--train', train, '--test', fixturePath('wikisql_agg_test.jsonl'), '--output', out],
        ...['--model-name', 'my-org/my-model', '--task', 'wikisql_agg', '--seed', String(seed)],
      ],
      { stdio: 'pipe' },
    );
  }
  const dir = join(out, 'my-org__my-model');
  const files: Files = {};
  const runs: Run[] = [];
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    files[`${FOLDER}/${name}`] = text;
    if (!name.startsWith('results_')) continue;
    const result = (JSON.parse(text) as { results: { wikisql_agg: Record<string, number> } }).results
      .wikisql_agg;
    runs.push({
      path: `${FOLDER}/${name}`,
      acc: result['acc,none'] ?? NaN,
      stderr: result['acc_stderr,none'] ?? NaN,
    });
  }
  return { files, runs };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const variance = (values: number[]) => {
  const m = mean(values);
  return values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1);
};
const metricOf = (report: Awaited<ReturnType<typeof analyzePair>>): MetricDiff | undefined =>
  report.metrics[0]?.metrics.find((metric) => metric.key === KEY);

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tuneguard-repeats-'));
  const text = readFileSync(fixturePath('wikisql_agg_train.jsonl'), 'utf8');
  trainBase = join(scratch, 'train-base.jsonl');
  trainHead = join(scratch, 'train-head.jsonl');
  writeFileSync(trainBase, text);
  writeFileSync(trainHead, text.replaceAll('"label": "COUNT"', '"label": "NONE"'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('repeated runs with other seeds', () => {
  it('pools three seeds on head against one on base: mean, and the seeds spread in the noise', async () => {
    // The same training data on both sides: the head's runs differ by their seeds alone.
    const base = evaluate(trainBase, [1]);
    const head = evaluate(trainBase, [1, 2, 3]);
    const report = await analyzePair(base.files, head.files);
    const file = report.metrics[0];
    const [only] = base.runs;
    const newest = head.runs.at(-1);
    expect(file?.path).toBe(newest?.path);
    expect(file?.repeats).toEqual({
      base: [only?.path],
      head: head.runs.map((run) => run.path).reverse(),
    });
    const accs = head.runs.map((run) => run.acc);
    const seedVariance = variance(accs);
    const metric = metricOf(report);
    expect(metric?.head).toBeCloseTo(mean(accs), 12);
    expect(metric?.base).toBe(only?.acc);
    // Head: the runs' own item noise, plus the seeds' variance over three runs.
    const headWithin = mean(head.runs.map((run) => run.stderr ** 2));
    expect(metric?.headStderr).toBeCloseTo(Math.sqrt(headWithin + seedVariance / 3), 12);
    // Base ran once: it carries one seed's luck, as large as the head's runs show it.
    expect(metric?.baseStderr).toBeCloseTo(Math.sqrt((only?.stderr ?? NaN) ** 2 + seedVariance), 12);
    expect(seedVariance).toBeGreaterThan(0);
    // Welch–Satterthwaite: one estimate (head's, 2 df) behind both seed parts, s²·(1 + 1/3).
    const within = (only?.stderr ?? NaN) ** 2 + headWithin;
    const seeds = seedVariance * (1 + 1 / 3);
    const df = (within + seeds) ** 2 / (seeds ** 2 / 2);
    expect(metric?.significance).toMatchObject({
      basis: 'stderr',
      method: `Welch t-test (stderr and seed spread: 3 runs on head, 1 on base pooled, ${df >= 100 ? Math.round(df) : df.toFixed(1)} df)`,
      detectable: { repeats: { base: 1, head: 3 } },
    });
    // The per-item logs of one folder belong to three seeds: none is paired with the base's.
    expect(file?.pairedTasks).toBeUndefined();
    expect(renderMarkdown(report)).toContain('· lm-eval · 3 runs with other seeds pooled on head, 1 on base');
    // The pooled runs are reviewed, not listed as files no rule claims.
    expect(report.notReviewed ?? []).toEqual([]);
  });

  it('pools both sides, and promises no number of repeats when the noise of the items alone exceeds the tolerance', async () => {
    const base = evaluate(trainBase, [1, 2, 3]);
    const head = evaluate(trainHead, [1, 2, 3]);
    const report = await analyzePair(base.files, head.files);
    const metric = metricOf(report);
    const baseAccs = base.runs.map((run) => run.acc);
    const headAccs = head.runs.map((run) => run.acc);
    expect(report.metrics[0]?.repeats?.base).toHaveLength(3);
    expect(metric?.base).toBeCloseTo(mean(baseAccs), 12);
    expect(metric?.head).toBeCloseTo(mean(headAccs), 12);
    const baseSe2 = mean(base.runs.map((run) => run.stderr ** 2)) + variance(baseAccs) / 3;
    const headSe2 = mean(head.runs.map((run) => run.stderr ** 2)) + variance(headAccs) / 3;
    expect(metric?.baseStderr).toBeCloseTo(Math.sqrt(baseSe2), 12);
    expect(metric?.headStderr).toBeCloseTo(Math.sqrt(headSe2), 12);
    const detectable = metric?.significance?.detectable;
    expect(detectable?.repeats).toEqual({ base: 3, head: 3 });
    // On 100 items the items' noise alone (√(w_base + w_head) ≈ 0.06) is far above the 0.005 tolerance:
    // no number of repeats can bring the detectable change down to it, so none is promised.
    expect(detectable?.repeatsNeeded).toBeUndefined();
    expect(detectable?.itemsNeeded).toBeGreaterThan(100);
  });

  it('does not pool re-runs with the same seed: the newest is compared with the newest', async () => {
    const base = evaluate(trainBase, [1, 1]);
    const head = evaluate(trainHead, [1]);
    const report = await analyzePair(base.files, head.files);
    const file = report.metrics[0];
    expect(file?.repeats).toBeUndefined();
    expect(file?.comparedWith).toEqual({ path: base.runs.at(-1)?.path, reason: 'newer-run' });
    const metric = metricOf(report);
    expect(metric?.base).toBe(base.runs.at(-1)?.acc);
    expect(metric?.baseStderr).toBe(base.runs.at(-1)?.stderr);
    expect(metric?.significance?.method).toBe('McNemar');
  });

  it('does not count a run the base already had as a repeat of the head', async () => {
    const base = evaluate(trainBase, [1]);
    const head = evaluate(trainHead, [2]);
    const report = await analyzePair(base.files, head.files);
    expect(report.metrics[0]?.repeats).toBeUndefined();
    expect(metricOf(report)?.head).toBe(head.runs[0]?.acc);
  });

  it('does not pool runs of another model or other settings', async () => {
    const base = evaluate(trainBase, [1]);
    const head = evaluate(trainHead, [1, 2]);
    const [older, newer] = head.runs;
    // The older run evaluated another model (as a folder reused for a new checkpoint would hold).
    const text = String(head.files[older?.path ?? '']).replaceAll(
      'pretrained=my-org/my-model',
      'pretrained=my-org/other',
    );
    const report = await analyzePair(base.files, { ...head.files, [older?.path ?? '']: text });
    expect(report.metrics[0]?.repeats).toBeUndefined();
    expect(metricOf(report)?.head).toBe(newer?.acc);
  });

  it('keeps the repeats in the report, and pools them when that report is the baseline', async () => {
    // The default branch evaluates with three seeds (tuneguard-baseline.yml) and uploads its report.
    const main = evaluate(trainBase, [1, 2, 3]);
    const mainReport = await analyzePair({ 'README.md': '# project\n' }, main.files);
    const newestFirst = main.runs.map((r) => r.path).reverse();
    expect(mainReport.evalResults?.map((entry) => [entry.path, entry.repeatOf])).toEqual([
      [newestFirst[0], undefined],
      [newestFirst[1], newestFirst[0]],
      [newestFirst[2], newestFirst[0]],
    ]);
    // A pull request whose results come only from its job, with three seeds too.
    const head = evaluate(trainHead, [1, 2, 3]);
    const lookup = jest.fn<BaselineLookup>(() =>
      Promise.resolve({
        found: BASELINE_RUN,
        results: mainReport.evalResults ?? [],
      }),
    );
    const report = await analyzePair({ 'README.md': '# project\n' }, head.files, '', lookup);
    expect(report.baseline?.files).toEqual([{ path: head.runs.at(-1)?.path, baselinePath: newestFirst[0] }]);
    expect(report.metrics[0]?.repeats).toEqual({
      base: newestFirst,
      head: head.runs.map((run) => run.path).reverse(),
    });
    const baseAccs = main.runs.map((run) => run.acc);
    const metric = metricOf(report);
    expect(metric?.base).toBeCloseTo(mean(baseAccs), 12);
    expect(metric?.baseStderr).toBeCloseTo(
      Math.sqrt(mean(main.runs.map((run) => run.stderr ** 2)) + variance(baseAccs) / 3),
      12,
    );
    expect(metric?.significance?.detectable?.repeats).toEqual({ base: 3, head: 3 });
  });
});
