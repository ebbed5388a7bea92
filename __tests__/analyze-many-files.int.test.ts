import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { JSDOM } from 'jsdom';
import { analyze } from '../src/analyze.js';
import { parseConfig } from '../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../src/io/git.js';
import { reportSchema, type Report } from '../src/model/report-schema.js';
import { renderCheckOutput } from '../src/render/render-check-output.js';
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from '../src/render/render-markdown.js';
import { renderReview } from '../src/render/render-review.js';
import { measureReport, serializeReport } from '../src/report/serialize-report.js';
import type { Files } from './checks/helpers/analyze-pair.js';
import { createTestRepo } from './helpers/git-repo.js';
import { alpacaRows, lmEvalResults, trainConfig } from './helpers/many-files.js';

/*
 * A pull request that changes 500 files of three kinds at once, in a repository that also holds 200
 * results files it leaves alone (the files are made by helpers/many-files.ts):
 * - 100 datasets data/task-NNN/train.jsonl of 20 unique rows: tasks 0–49 keep 15 rows (−25%; their 20
 *   rows were already below the 100 data-min-size asks of a train split, so the change is not blamed for
 *   that); tasks 50–99 gain 5 copies of their first 5 rows (20 → 25 rows);
 * - 200 configs configs/run-NNN.yaml whose learning_rate goes 2e-5 → 2e-4 (×10);
 * - 200 lm-eval results results/run-NNN/results.json of 20 tasks, acc of task t = base + t/1000 with
 *   stderr 0.002: runs 0–99 fall from base 0.6 to 0.55 (−0.05, ten times the 0.005 tolerance, z ≈ 17.7),
 *   runs 100–199 move to 0.6005 (+0.0005, within tolerance);
 * - untouched: 200 results files results/old/run-NNN/results.json of 20 tasks, none re-run although the
 *   configs and data changed.
 * Expected findings by cause: 100 × 20 = 2,000 eval-regression failures; 50 data-shrink and 50
 * data-duplicates warnings; one params-risky-change and one params-changed for the 200 configs
 * (one cause); one params-stale-eval warning for the 200 untouched results files. 2,000 failures, 102
 * warnings, 1 notice.
 */
const pad = (index: number): string => String(index).padStart(3, '0');
const base: Files = {};
const head: Files = {};
for (let task = 0; task < 100; task += 1) {
  base[`data/task-${pad(task)}/train.jsonl`] = alpacaRows(task, 20);
  head[`data/task-${pad(task)}/train.jsonl`] = task < 50 ? alpacaRows(task, 15) : alpacaRows(task, 20, 5);
}
for (let run = 0; run < 200; run += 1) {
  base[`configs/run-${pad(run)}.yaml`] = trainConfig(run, '2.0e-5');
  head[`configs/run-${pad(run)}.yaml`] = trainConfig(run, '2.0e-4');
  base[`results/run-${pad(run)}/results.json`] = lmEvalResults(20, 0.6);
  head[`results/run-${pad(run)}/results.json`] = lmEvalResults(20, run < 100 ? 0.55 : 0.6005);
  base[`results/old/run-${pad(run)}/results.json`] = lmEvalResults(20, 0.5);
}

const MIB = 1024 * 1024;
/** The causes, as the comment's table lists them: severity, check, findings, files. */
const CAUSES: [string, string, number, number][] = [
  ['❌', 'eval-regression', 2000, 100],
  ['⚠️', 'data-shrink', 50, 50],
  ['⚠️', 'data-duplicates', 50, 50],
  ['⚠️', 'params-risky-change', 1, 200],
  ['⚠️', 'params-stale-eval', 1, 200],
  ['ℹ️', 'params-changed', 1, 200],
];

let report: Report;

beforeAll(async () => {
  const repo = createTestRepo();
  try {
    repo.commit(base, 'base');
    repo.git('switch', '--quiet', '-c', 'pr');
    repo.commit(head, 'head');
    const pair = await openSnapshotPair(await openGitRepository(repo.dir), 'main', 'pr');
    report = await analyze({
      pair,
      config: parseConfig('', '.github/tuneguard.yml'),
      toolVersion: '0.0.0-test',
    });
  } finally {
    repo.remove();
  }
}, 300_000);

describe('the report of a pull request changing 500 files, over its 4 MiB budget', () => {
  it('stays within the budget, and validates against the committed JSON Schema', () => {
    expect(report.changedFiles).toHaveLength(500);
    expect(report.summarised?.fullBytes).toBeGreaterThan(4 * MIB);
    expect(report.summarised?.maxBytes).toBe(4 * MIB);
    expect(measureReport(report)).toBeLessThanOrEqual(4 * MIB);
    const schema = JSON.parse(readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema as object);
    const valid = validate(JSON.parse(serializeReport(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(reportSchema.safeParse(JSON.parse(serializeReport(report))).success).toBe(true);
  });

  it('keeps every finding, with its counts', () => {
    expect(report.counts).toEqual({ failure: 2000, warning: 102, notice: 1 });
    const byCheck = new Map<string, number>();
    for (const finding of report.findings) byCheck.set(finding.check, (byCheck.get(finding.check) ?? 0) + 1);
    expect(Object.fromEntries(byCheck)).toEqual(
      Object.fromEntries(CAUSES.map(([, check, findings]) => [check, findings])),
    );
    const sweeping = report.findings.filter((finding) => (finding.also?.length ?? 0) > 0);
    expect(sweeping.map((finding) => [finding.check, finding.also?.length, finding.omitted])).toEqual([
      ['params-risky-change', 199, undefined],
      ['params-stale-eval', 199, undefined],
      ['params-changed', 199, undefined],
    ]);
    expect(report.summarised?.findings).toBe(0);
  });

  it('summarises the untouched results files first, then changed ones no finding names, and loses none', () => {
    const lines = report.summarised?.artifacts ?? [];
    const untouched = lines.filter((line) => line.status === 'unchanged');
    expect(untouched.map((line) => line.path).sort()).toEqual(
      Array.from({ length: 200 }, (_, run) => `results/old/run-${pad(run)}/results.json`),
    );
    for (const line of untouched) expect(line).toMatchObject({ kind: 'metrics', metrics: { unchanged: 20 } });
    // Changed files in a line are only results of runs 100–199, whose 20 metrics moved within tolerance.
    const changed = lines.filter((line) => line.status !== 'unchanged');
    expect(changed.length).toBeGreaterThan(0);
    for (const line of changed) {
      expect(line.path).toMatch(/^results\/run-1\d\d\/results\.json$/);
      expect(line.metrics).toEqual({ unchanged: 20 });
    }
    // The 100 regressed results files, the 100 datasets and the 200 configs are whole.
    const whole = report.metrics.map((file) => file.path);
    for (let run = 0; run < 100; run += 1) expect(whole).toContain(`results/run-${pad(run)}/results.json`);
    expect(report.datasets).toHaveLength(100);
    expect(report.params).toHaveLength(200);
    expect([...whole, ...lines.map((line) => line.path)].sort()).toEqual(
      Array.from({ length: 200 }, (_, run) => [
        `results/old/run-${pad(run)}/results.json`,
        `results/run-${pad(run)}/results.json`,
      ])
        .flat()
        .sort(),
    );
    expect(report.summarised?.counted).toEqual([]);
  });
});

describe('the PR comment of a pull request changing 500 files', () => {
  let comment: string;
  beforeAll(() => {
    comment = renderMarkdown(report, { marker: 'tuneguard-comment' });
  });

  it('fits in a GitHub comment, verdict first, without being cut', () => {
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment.split('\n').slice(0, 2)).toEqual([
      '<!-- tuneguard-comment -->',
      '### ❌ tuneguard: 2,000 failures, 102 warnings, 1 notice',
    ]);
    expect(comment).not.toContain('✂️');
  });

  it('counts the findings by cause in a table, failures first', () => {
    const rows = comment.split('\n').filter((line) => /^\| (❌|⚠️|ℹ️) \| /u.test(line));
    expect(rows).toHaveLength(CAUSES.length);
    expect(new Set(rows)).toEqual(
      new Set(
        CAUSES.map(
          ([icon, check, findings, files]) =>
            `| ${icon} | <code>${check}</code> | ${findings.toLocaleString('en-US')} | ${files} |`,
        ),
      ),
    );
    const order = ['❌', '⚠️', 'ℹ️'];
    const icons = rows.map((row) => order.indexOf(row.slice(2, row.indexOf(' |', 2))));
    expect(icons).toEqual([...icons].sort((a, b) => a - b));
  });

  it('lists failures, then warnings, then notices, a few of each cause in full and the rest collapsed', () => {
    const icons = comment
      .split('\n')
      .map((line) => /^- (❌|⚠️|ℹ️) /u.exec(line)?.[1])
      .filter((icon): icon is string => icon !== undefined);
    const order = ['❌', '⚠️', 'ℹ️'];
    expect(icons.map((icon) => order.indexOf(icon))).toEqual(
      [...icons.map((icon) => order.indexOf(icon))].sort((a, b) => a - b),
    );
    // 5 of each cause in full; 2,000 − 5 and 50 − 5 in collapsed lists.
    expect(comment).toContain(
      '<details><summary>❌ 1,995 more <code>eval-regression</code> failures</summary>',
    );
    expect(comment).toContain('<details><summary>⚠️ 45 more <code>data-shrink</code> warnings</summary>');
    expect(comment).toMatch(/^And 1,9\d\d more, in the full report\.$/m);
  });

  it('closes every block it opens and keeps every table short and regular', () => {
    expect(comment.match(/<details>/g)?.length).toBe(comment.match(/<\/details>/g)?.length);
    expect((comment.match(/^```/gm) ?? []).length % 2).toBe(0);
    const body = new JSDOM(comment).window.document.body;
    const names = new Set([...body.querySelectorAll('*')].map((element) => element.tagName));
    expect([...names].filter((name) => !['CODE', 'DETAILS', 'SUMMARY', 'B', 'SUB'].includes(name))).toEqual(
      [],
    );
    let depth = 0;
    let table: { cells: number[]; depth: number } | undefined;
    const tables: { cells: number[]; depth: number }[] = [];
    for (const line of comment.split('\n')) {
      if (line.startsWith('<details>')) depth += 1;
      if (line === '</details>') depth -= 1;
      if (line.startsWith('|')) {
        table ??= { cells: [], depth };
        table.cells.push(line.split('|').length - 2);
      } else if (table) {
        tables.push(table);
        table = undefined;
      }
    }
    expect(tables.length).toBeGreaterThan(1);
    for (const { cells, depth: level } of tables) {
      expect(new Set(cells).size).toBe(1);
      // Only the table of causes stands outside a collapsed block; none has more than 60 rows.
      expect(cells.length).toBeLessThanOrEqual(level === 0 ? CAUSES.length + 2 : 62);
    }
  });

  it('says what the JSON report holds in short', () => {
    // Each tested metric states what its test could detect (significance.detectable), and the 400 results
    // files are kept again for later runs' baselines (evalResults): 11.0 MiB in full. The untouched and
    // quiet files (300) are held in a line each, then the baseline copy is left out, so that the files the
    // findings name stay whole.
    expect(comment).toMatch(
      /^> 📦 The JSON report would take 11\.\d MiB in full, over its budget of 4 MiB \(`report\.max-mb`\): it keeps every finding, and holds in short 3\d\d files in a line each \(200 untouched\)\. Its 400 results files kept for later runs' baselines were left out: this run's report serves none\.$/m,
    );
    expect(report.evalResults).toBeUndefined();
    expect(report.summarised?.evalResults).toBe(400);
    expect(comment).toContain('<details><summary><b>Metrics</b> · 400 files, 2,000 regressions</summary>');
    expect(comment).toContain('<details><summary><b>Data</b> · 100 files</summary>');
    expect(comment).toContain('<details><summary><b>Hyperparameters</b> · 200 files, 200 changes</summary>');
  });
});

describe('the check run and the review of a pull request changing 500 files', () => {
  it('keeps the check run output within GitHub’s 65,535 characters', () => {
    const runUrl = 'https://github.com/octo/repo/actions/runs/7';
    const output = renderCheckOutput(report, {
      acceptances: [],
      source: { runId: 7, runUrl, artifactName: 'tuneguard-report-pr1' },
      heading: 'tuneguard',
    });
    expect(output.summary.length).toBeLessThanOrEqual(65_535);
    expect(output.text.length).toBeLessThanOrEqual(65_535);
    expect(output.summary.split('\n')[0]).toBe('### ❌ tuneguard: 2,000 failures, 102 warnings, 1 notice');
    expect(output.title).toBe('2,000 failures, 102 warnings, 1 notice');
  });

  it('keeps the review body and every comment within a comment’s limit, and counts what it leaves to the check run', () => {
    // Every head-side line a finding names is on the diff: the first 40 lines get a comment each.
    const diffLines = new Map<string, Set<number>>();
    for (const finding of report.findings) {
      const { path, line } = finding.location ?? {};
      if (path === undefined || line === undefined) continue;
      diffLines.set(path, new Set([...(diffLines.get(path) ?? []), line]));
    }
    const review = renderReview(report, diffLines, {
      heading: 'tuneguard',
      checkRunUrl: 'https://github.com/octo/repo/runs/9',
    });
    expect(review.comments).toHaveLength(40);
    expect(review.body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    for (const posted of review.comments)
      expect(posted.body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // The 40 comments take the first 40 regressions; the body lists 10 more and counts 2,000 − 50.
    expect(review.comments.every((posted) => posted.body.includes('<code>eval-regression</code>'))).toBe(
      true,
    );
    expect(review.body).toContain(
      '- ❌ and 1,950 more <code>eval-regression</code> failures, in the check run',
    );
  });
});
