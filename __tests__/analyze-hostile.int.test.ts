import { describe, expect, it } from '@jest/globals';
import { MAX_ALIAS_EXPANSION } from '../src/loaders/measure-aliases.js';
import type { Finding, Report } from '../src/model/report-schema.js';
import { analyzePair, summarise } from './checks/helpers/analyze-pair.js';
import { BILLION_LAUGHS, findBillionLaughsExcess } from './helpers/billion-laughs.js';

describe('analyze on hostile inputs', () => {
  it('turns a billion-laughs metrics file into one finding at its alias, and still compares the others', async () => {
    const report = await analyzePair(
      { 'eval/metrics.yaml': 'arc: { acc: 0.5 }\n', 'eval/metrics_mmlu.yaml': 'mmlu: { acc: 0.5 }\n' },
      { 'eval/metrics.yaml': BILLION_LAUGHS, 'eval/metrics_mmlu.yaml': 'mmlu: { acc: 0.25 }\n' },
    );
    const { line } = findBillionLaughsExcess(MAX_ALIAS_EXPANSION);
    const unreadable = report.findings.filter((finding) => finding.check === 'input-unreadable');
    expect(unreadable.map(summarise)).toEqual([
      {
        check: 'input-unreadable',
        severity: 'warning',
        title: expect.stringMatching(
          new RegExp(`^Could not read eval/metrics\\.yaml at line ${line} \\(head\\): too many aliases: `),
        ),
        location: { path: 'eval/metrics.yaml', side: 'head', line },
      },
    ]);
    expect(report.findings.some((finding) => finding.location?.path === 'eval/metrics_mmlu.yaml')).toBe(true);
  });
});

describe('analyze within the review budget', () => {
  const rows = (n: number): string =>
    Array.from({ length: n }, (_, i) => `{"prompt": "question ${i}", "completion": "answer ${i}"}\n`).join(
      '',
    );
  const notAnalysed = (report: Report): Finding[] =>
    report.findings.filter((finding) => finding.check === 'input-not-analysed');

  it('analyses the first files that fit and names the rest in one warning', async () => {
    const head = Object.fromEntries(
      ['a', 'b', 'c', 'd', 'e'].map((name, i) => [`data/${name}_train.jsonl`, rows(30 + i)]),
    );
    const report = await analyzePair({ 'README.md': 'x\n' }, head, 'budget:\n  max-files: 3\n');
    expect(report.datasets.map((dataset) => dataset.path)).toEqual([
      'data/a_train.jsonl',
      'data/b_train.jsonl',
      'data/c_train.jsonl',
    ]);
    const leftOut = ['data/d_train.jsonl', 'data/e_train.jsonl'];
    const bytes = leftOut.reduce((sum, path) => sum + Buffer.byteLength(head[path] as string), 0);
    expect(notAnalysed(report).map((finding) => [finding.severity, finding.title, finding.details])).toEqual([
      [
        'warning',
        `2 files (${Math.ceil(bytes / 1024)} KiB) not analysed: past the review budget of 3 files and 20 GiB`,
        [...leftOut, expect.stringContaining('budget.max-files')],
      ],
    ]);
  });

  it('spends the budget on the files the pull request touched, and skips only what does not fit', async () => {
    const big = rows(100);
    const report = await analyzePair(
      { 'data/old_train.jsonl': rows(20) },
      { 'data/new_train.jsonl': rows(10), 'data/big_train.jsonl': big },
      // 1 KiB more than the new file, less than the big one: the old file does not fit after it either.
      `budget:\n  max-gb: ${(Buffer.byteLength(rows(10)) + 1024) / 2 ** 30}\n`,
    );
    expect(report.datasets.map((dataset) => dataset.path)).toEqual(['data/new_train.jsonl']);
    expect(notAnalysed(report)[0]?.details.slice(0, 2)).toEqual([
      'data/big_train.jsonl',
      'data/old_train.jsonl',
    ]);
  });

  it('leaves out a path too long to match against globs, with a warning, and reads the rest', async () => {
    const long = `${'a/'.repeat(600)}train.jsonl`;
    const report = await analyzePair(
      { 'README.md': 'x\n' },
      { [long]: rows(5), 'data/train.jsonl': rows(5) },
    );
    expect(report.datasets.map((dataset) => dataset.path)).toEqual(['data/train.jsonl']);
    expect(notAnalysed(report).map((finding) => [finding.severity, finding.title, finding.details])).toEqual([
      [
        'warning',
        '1 file not analysed: its path is too long to match against globs (over 1,024 characters, or a name over 255)',
        [`${long.slice(0, 120)}… (1,211 characters)`],
      ],
    ]);
  });
});
