import { describe, expect, it } from '@jest/globals';
import type { ArtifactLine, DatasetReport, Report } from '../../src/model/report-schema.js';
import { DETAIL_LEVELS } from '../../src/render/markdown-parts.js';
import { renderMarkdown } from '../../src/render/render-markdown.js';
import { renderSections } from '../../src/render/render-sections.js';
import { buildSampleReport } from '../helpers/sample-report.js';

const [detailed] = DETAIL_LEVELS;
if (!detailed) throw new Error('a detail level');

const sample = buildSampleReport();

/** Three untouched results files of 40 metrics in a line each, and 500 more only counted. */
const untouched: ArtifactLine[] = [0, 1, 2].map((index) => ({
  kind: 'metrics',
  path: `results/old-${index}.json`,
  status: 'unchanged',
  metrics: { unchanged: 40 },
}));
const summarised: Report['summarised'] = {
  maxBytes: 4 * 2 ** 20,
  fullBytes: 5 * 2 ** 20,
  artifacts: untouched,
  counted: [{ kind: 'metrics', status: 'unchanged', files: 500 }],
  findings: 2,
};

describe('renderSections of a report that summarised files', () => {
  const report = buildSampleReport({ summarised });
  const metrics =
    renderSections(report, detailed).find((section) => section.includes('<b>Metrics</b>')) ?? '';

  it('counts them with the files it shows in full, and names them in a line each', () => {
    // The sample's 2 results files in full (3 regressions: lambada's two and boolq), 3 in a line, 500 counted.
    expect(metrics.split('\n')[0]).toBe(
      '<details><summary><b>Metrics</b> · 505 files, 3 regressions</summary>',
    );
    const lines = metrics.split('\n');
    const start = lines.indexOf('503 more files, in a line each:');
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, start + 7)).toEqual([
      '',
      '- <code>results/old-0.json</code> · unchanged · 40 metrics: 40 unchanged',
      '- <code>results/old-1.json</code> · unchanged · 40 metrics: 40 unchanged',
      '- <code>results/old-2.json</code> · unchanged · 40 metrics: 40 unchanged',
      '',
      'And 500 more (500 unchanged).',
    ]);
  });

  it('says what the report summarised, under the sections', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(
      '\n> 📦 The JSON report would take 5 MiB in full, over its budget of 4 MiB (`report.max-mb`): it keeps ' +
        'every finding, and holds in short 3 files in a line each (3 untouched), 500 more files only counted ' +
        'and 2 findings with their longest lists cut short.\n\n<sub>',
    );
  });

  it('counts summarised files among those compared when nothing looks wrong', () => {
    const clear = buildSampleReport({
      findings: [],
      counts: { failure: 0, warning: 0, notice: 0 },
      verdict: 'pass',
      datasets: [],
      params: [],
      training: [],
      unreadable: [],
      summarised,
    });
    // The sample's 2 results files, 3 in a line and 500 counted.
    expect(renderMarkdown(clear)).toContain(
      '✅ Nothing tuneguard tracks looks wrong: compared 505 metrics files.',
    );
  });
});

describe('renderSections of many files', () => {
  const [dataset] = sample.datasets;
  if (!dataset) throw new Error('the sample has a dataset');
  const datasets: DatasetReport[] = Array.from({ length: 70 }, (_, index) => ({
    ...dataset,
    path: `data/part-${index}.jsonl`,
    status: index < 65 ? 'unchanged' : 'modified',
  }));

  it('shows changed files first and at most 60 rows, and names the rest in a line each', () => {
    const [data] = renderSections(
      buildSampleReport({ datasets, params: [], metrics: [], training: [] }),
      detailed,
    );
    const rows = (data ?? '').split('\n').filter((line) => line.startsWith('| <code>data/part-'));
    expect(rows).toHaveLength(60);
    // The 5 modified (65 to 69) come first, then the unchanged from 0 to 54.
    expect(rows.slice(0, 6).map((row) => /part-(\d+)/.exec(row)?.[1])).toEqual([
      '65',
      '66',
      '67',
      '68',
      '69',
      '0',
    ]);
    expect(data).toContain('10 more files, in a line each:');
    expect(data).toContain(
      '- <code>data/part-64.jsonl</code> · unchanged · train · rows 910 → 500 (-410, -45.1%)',
    );
  });
});

describe('renderMarkdown with complete', () => {
  // One results file of 75 metrics that moved: a comment shows 60 rows of its table.
  const [file] = sample.metrics;
  const [metric] = file?.metrics ?? [];
  if (!file || !metric) throw new Error('the sample has a results file');
  const metrics = Array.from({ length: 75 }, (_, index) => ({ ...metric, task: `task_${index}` }));
  const report = buildSampleReport({ metrics: [{ ...file, metrics }] });
  const rows = (text: string): number =>
    text.split('\n').filter((line) => line.startsWith('| <code>task&#95;')).length;

  it('shows every row that fits, where a comment keeps to 60', () => {
    expect(rows(renderMarkdown(report))).toBe(60);
    expect(rows(renderMarkdown(report, { complete: true }))).toBe(75);
  });

  it('is shortened like a comment when everything does not fit', () => {
    const comment = renderMarkdown(report);
    expect(renderMarkdown(report, { complete: true, maxLength: comment.length })).toBe(comment);
  });
});

describe('renderSections of an inconclusive metric', () => {
  it('marks it in the metrics table, after the regressions and before the improvements', () => {
    const metric = (
      task: string,
      base: number,
      head: number,
      change: 'regressed' | 'improved' | 'inconclusive',
    ) => ({
      key: `${task}/acc`,
      task,
      metric: 'acc',
      direction: 'higher' as const,
      base,
      head,
      delta: head - base,
      change,
    });
    const report = buildSampleReport({
      metrics: [
        {
          path: 'results/r.json',
          status: 'modified',
          format: 'lm-eval',
          metrics: [
            metric('piqa', 0.7, 0.75, 'improved'),
            metric('arc', 0.5, 0.49, 'inconclusive'),
            metric('boolq', 0.8, 0.6, 'regressed'),
          ],
        },
      ],
    });
    const section = renderSections(report, detailed).find((text) => text.includes('<b>Metrics</b>')) ?? '';
    const rows = section.split('\n').filter((line) => line.startsWith('| <code>'));
    expect(rows).toEqual([
      '| <code>boolq</code> | <code>acc</code> | 0.8 | 0.6 | -0.2 | ↑ | 🔴 regressed |',
      '| <code>arc</code> | <code>acc</code> | 0.5 | 0.49 | -0.01 | ↑ | ❔ inconclusive |',
      '| <code>piqa</code> | <code>acc</code> | 0.7 | 0.75 | +0.05 | ↑ | 🟢 improved |',
    ]);
  });
});
