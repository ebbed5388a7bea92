import { describe, expect, it } from '@jest/globals';
import {
  reportSchema,
  type Finding,
  type MetricDiff,
  type MetricsReport,
  type Report,
} from '../../src/model/report-schema.js';
import { DEFAULT_REPORT_BUDGET, fitReportBudget } from '../../src/report/fit-report-budget.js';
import { measureReport, serializeReport } from '../../src/report/serialize-report.js';
import { summariseArtifact } from '../../src/report/summarise-artifact.js';
import { buildSampleReport } from '../helpers/sample-report.js';

/** `count` metrics of one results file, each the same on both sides (an lm-eval file run again unchanged). */
function sameMetrics(count: number): MetricDiff[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `task_${index}/acc`,
    task: `task_${index}`,
    metric: 'acc',
    direction: 'higher' as const,
    base: 0.5 + index / 1000,
    head: 0.5 + index / 1000,
    baseStderr: 0.01,
    headStderr: 0.01,
    delta: 0,
    relativeDelta: 0,
    change: 'unchanged' as const,
  }));
}

/** `files` results files of `metrics` metrics each, `results/run-000.json`…, all with one status. */
function resultsFiles(files: number, metrics: number, status: MetricsReport['status']): MetricsReport[] {
  return Array.from({ length: files }, (_, index) => ({
    path: `results/run-${String(index).padStart(3, '0')}.json`,
    status,
    format: 'lm-eval',
    metrics: sameMetrics(metrics),
  }));
}

const sample = buildSampleReport();

/** The sample with more results files after its own. */
function withResults(extra: MetricsReport[], overrides: Partial<Report> = {}): Report {
  return buildSampleReport({ metrics: [...sample.metrics, ...extra], ...overrides });
}

/** The report after a JSON round trip, as the App reads it, checked against the schema. */
function roundTrip(report: Report): Report {
  return reportSchema.parse(JSON.parse(serializeReport(report)));
}

describe('fitReportBudget', () => {
  it('returns a report within its budget as it is, with nothing summarised', () => {
    expect(fitReportBudget(sample, measureReport(sample))).toBe(sample);
    expect(sample.summarised).toBeUndefined();
  });

  it('summarises untouched results files in a line each, and keeps every finding and changed file whole', () => {
    // 300 untouched files of 40 metrics; the budget leaves room for the sample and 60 KB more.
    const report = withResults(resultsFiles(300, 40, 'unchanged'));
    const budget = measureReport(sample) + 60_000;
    const fitted = roundTrip(fitReportBudget(report, budget));

    expect(measureReport(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.summarised?.maxBytes).toBe(budget);
    expect(fitted.summarised?.fullBytes).toBe(measureReport(report));
    expect(fitted.findings).toEqual(sample.findings);
    expect([fitted.verdict, fitted.counts]).toEqual([sample.verdict, sample.counts]);
    // The sample's own files are all changed but one dataset; none of them gave way to an untouched one.
    expect(fitted.metrics.slice(0, 2)).toEqual(sample.metrics);
    expect(fitted.params).toEqual(sample.params);
    expect(fitted.training).toEqual(sample.training);
    expect(fitted.datasets.filter((d) => d.status !== 'unchanged')).toEqual(
      sample.datasets.filter((d) => d.status !== 'unchanged'),
    );
    // Every untouched file is either whole or a line with its 40 metrics counted: none is lost.
    const lines = fitted.summarised?.artifacts ?? [];
    const whole = fitted.metrics.slice(2).map((file) => file.path);
    const inLines = lines.filter((line) => line.kind === 'metrics').map((line) => line.path);
    expect([...whole, ...inLines].sort()).toEqual(report.metrics.slice(2).map((file) => file.path));
    expect(inLines.length).toBeGreaterThan(250);
    for (const line of lines.filter((l) => l.kind === 'metrics')) {
      expect(line).toEqual({
        kind: 'metrics',
        path: line.path,
        status: 'unchanged',
        metrics: { unchanged: 40 },
      });
    }
    expect(fitted.summarised?.counted).toEqual([]);
    expect(fitted.summarised?.findings).toBe(0);
  });

  it('leaves out the per-item outcomes kept for the next run before any changed artifact, keeping their metrics', () => {
    // 20,000 items of continuous scores: some 200 kB of numbers, which a budget 50 kB over the rest cannot hold.
    const values = Array.from({ length: 20_000 }, (_, index) => (index % 7) / 7);
    const evalResults = [
      {
        path: 'results/r.json',
        format: 'lm-eval' as const,
        metrics: [{ task: 'arc', metric: 'f1', value: 0.5 }],
        tasks: {},
        evaluator: {},
        groups: {},
        samples: [
          {
            task: 'arc',
            matchedBy: 'id' as const,
            ids: { ranges: [0, 20_000] },
            scores: [{ metric: 'f1', values }],
          },
        ],
      },
    ];
    const report = withResults(resultsFiles(3, 5, 'modified'), { evalResults });
    const fitted = roundTrip(
      fitReportBudget(report, measureReport(withResults(resultsFiles(3, 5, 'modified'))) + 50_000),
    );
    expect(fitted.evalResults).toEqual([
      {
        path: 'results/r.json',
        format: 'lm-eval',
        metrics: [{ task: 'arc', metric: 'f1', value: 0.5 }],
        tasks: {},
        evaluator: {},
        groups: {},
        samplesOmitted: true,
      },
    ]);
    // Untouched artifacts went first (the sample's validation split); no changed one had to.
    expect(fitted.metrics).toEqual(report.metrics);
    expect(fitted.summarised?.artifacts.map((line) => line.status)).toEqual(['unchanged']);
  });

  it('summarises changed files no finding names before those a finding names', () => {
    // 100 re-run results files no finding names: the sample's results files, named by findings, stay whole.
    const report = withResults(resultsFiles(100, 40, 'modified'));
    const fitted = fitReportBudget(report, measureReport(sample) + 20_000);
    expect(fitted.metrics.slice(0, 2)).toEqual(sample.metrics);
    const changedLines = fitted.summarised?.artifacts.filter((line) => line.status !== 'unchanged') ?? [];
    expect(changedLines.length).toBeGreaterThan(0);
    expect(changedLines.every((line) => line.path.startsWith('results/run-'))).toBe(true);
  });

  it('summarises changed files a finding names last, the largest first, and keeps the finding', () => {
    // The sample's changed files and 10 re-runs, in room for the sample without its results files and
    // 1 KB: the 10 re-runs go, then the largest file a finding names (the training log, with its two
    // loss curves), and that is enough.
    const datasets = sample.datasets.filter((dataset) => dataset.status !== 'unchanged');
    const report = withResults(resultsFiles(10, 40, 'modified'), { datasets });
    const budget = measureReport(buildSampleReport({ datasets, metrics: [] })) + 1_000;
    const fitted = roundTrip(fitReportBudget(report, budget));
    expect(measureReport(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.findings).toEqual(sample.findings);
    expect(fitted.summarised?.artifacts.map((line) => line.path)).toEqual([
      ...report.metrics.slice(2).map((file) => file.path),
      'outputs/trainer_state.json',
    ]);
    expect(fitted.summarised?.artifacts.at(-1)).toEqual({
      kind: 'training-log',
      path: 'outputs/trainer_state.json',
      status: 'modified',
      // The sample's base log stops at step 1,900, the head's at 2,907.
      lastStep: { base: 1900, head: 2907 },
    });
    expect(fitted.training).toEqual([]);
    expect(fitted.metrics).toEqual(sample.metrics);
  });

  it('cuts the longest lists of findings and of changed files, and counts what it left out', () => {
    // One cause in 5,001 files, 100 lines of details, a pull request changing 3,000 files.
    const places = Array.from({ length: 5_001 }, (_, index) => ({ path: `configs/run-${index}.yaml` }));
    const sweeping: Finding = {
      check: 'params-changed',
      severity: 'notice',
      title: 'Hyperparameters in configs/run-0.yaml and 5,000 more files: 1 changed',
      details: Array.from({ length: 100 }, (_, index) => `detail ${index}`),
      location: places[0] ?? { path: '' },
      also: places.slice(1),
    };
    const changedFiles = places.slice(0, 3_000).map((place) => place.path);
    const report = buildSampleReport({ findings: [...sample.findings, sweeping], changedFiles });
    const fitted = roundTrip(fitReportBudget(report, measureReport(sample) + 20_000));

    const cut = fitted.findings.at(-1);
    expect(cut?.also).toEqual(places.slice(1, 21));
    expect(cut?.details).toEqual(sweeping.details.slice(0, 20));
    expect(cut?.omitted).toEqual({ also: 5_000 - 20, details: 100 - 20 });
    expect(fitted.findings.slice(0, -1)).toEqual(sample.findings);
    expect(fitted.counts).toEqual(report.counts);
    expect(fitted.changedFiles).toEqual(changedFiles.slice(0, 1_000));
    expect(fitted.summarised).toMatchObject({ findings: 1, changedFiles: 3_000 });
  });

  it('counts files by kind and status when even a line each does not fit', () => {
    // 20,000 untouched results files of one metric: their lines alone take about 2.6 MB.
    const report = withResults(resultsFiles(20_000, 1, 'unchanged'));
    const budget = measureReport(sample) + 100_000;
    const fitted = roundTrip(fitReportBudget(report, budget));
    expect(measureReport(fitted)).toBeLessThanOrEqual(budget);
    const counted = fitted.summarised?.counted ?? [];
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ kind: 'metrics', status: 'unchanged' });
    const inLines = fitted.summarised?.artifacts.filter((line) => line.path.startsWith('results/run-')) ?? [];
    const whole = fitted.metrics.filter((file) => file.path.startsWith('results/run-'));
    expect(whole.length + inLines.length + (counted[0]?.files ?? 0)).toBe(20_000);
    expect(counted[0]?.files).toBeGreaterThan(10_000);
  });

  it('keeps every finding even when the findings alone outgrow the budget, and says how large it is', () => {
    const report = withResults(resultsFiles(10, 40, 'unchanged'));
    const fitted = fitReportBudget(report, 1_000);
    expect(fitted.findings).toEqual(sample.findings);
    expect(measureReport(fitted)).toBeGreaterThan(1_000);
    expect(fitted.summarised).toMatchObject({ maxBytes: 1_000, fullBytes: measureReport(report) });
  });

  it('brings a report of 600 untouched results files under the default budget of 4 MiB', () => {
    const report = withResults(resultsFiles(600, 40, 'unchanged'));
    expect(measureReport(report)).toBeGreaterThan(4 * 1024 * 1024);
    const fitted = fitReportBudget(report);
    expect(DEFAULT_REPORT_BUDGET).toBe(4 * 1024 * 1024);
    expect(measureReport(fitted)).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(fitted.findings).toEqual(sample.findings);
  });
});

describe('summariseArtifact', () => {
  // The sample's entries: identity_chat 910 → 500 rows; lora-1b.yml adds warmup_ratio and removes
  // warmup_steps; lambada_openai's two metrics regressed; the training log stops at 1,900 on base and
  // 2,907 on head.
  it.each([
    [
      'a dataset: its split and rows on each side',
      { kind: 'dataset' as const, entry: sample.datasets[0] },
      {
        kind: 'dataset',
        path: 'data/identity_chat.json',
        status: 'modified',
        split: 'train',
        rows: { base: 910, head: 500 },
      },
    ],
    [
      'a hyperparameter file: its changed keys',
      { kind: 'params' as const, entry: sample.params[0] },
      { kind: 'params', path: 'configs/lora-1b.yml', status: 'modified', changes: 2 },
    ],
    [
      'a metrics file: its metrics by change',
      { kind: 'metrics' as const, entry: sample.metrics[0] },
      { kind: 'metrics', path: 'results/lambada_openai.json', status: 'modified', metrics: { regressed: 2 } },
    ],
    [
      'a training log: its last step on each side',
      { kind: 'training-log' as const, entry: sample.training[0] },
      {
        kind: 'training-log',
        path: 'outputs/trainer_state.json',
        status: 'modified',
        lastStep: { base: 1900, head: 2907 },
      },
    ],
  ])('%s', (_, artifact, line) => {
    if (artifact.entry === undefined) throw new Error('the sample lacks this entry');
    expect(summariseArtifact(artifact as Parameters<typeof summariseArtifact>[0])).toEqual(line);
  });

  it('names the base path of a file compared across a move, and leaves out a side that does not exist', () => {
    const [file] = resultsFiles(1, 3, 'added');
    if (!file) throw new Error('no file');
    const moved = { ...file, comparedWith: { path: 'results/old.json', reason: 'renamed' as const } };
    expect(summariseArtifact({ kind: 'metrics', entry: moved })).toEqual({
      kind: 'metrics',
      path: 'results/run-000.json',
      status: 'added',
      comparedWith: 'results/old.json',
      metrics: { unchanged: 3 },
    });
    const added = { path: 'outputs/new.json', status: 'added' as const };
    expect(summariseArtifact({ kind: 'training-log', entry: added })).toEqual({
      kind: 'training-log',
      path: 'outputs/new.json',
      status: 'added',
      lastStep: {},
    });
  });
});
