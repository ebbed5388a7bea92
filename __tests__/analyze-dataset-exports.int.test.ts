import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Report } from '../src/model/report-schema.js';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Datasets as people export them, in real git repositories:
 * - datasets/kaggle_sms_spam.first600.csv: a spreadsheet export whose header is `v1,v2,,,` (a label, a
 *   text, three unnamed and mostly empty columns). Python's csv module reads 599 records; 3 have text
 *   spilled into the unnamed columns (lines 97, 284, 447); of the other 596, v1 is `ham` 509 times and
 *   `spam` 87 times.
 * - a JSON Lines file written with Python's str(): every line a dict literal no trainer can load.
 */

const spamCsv = fixture('datasets/kaggle_sms_spam.first600.csv').toString('utf8');

describe('a CSV export with unnamed trailing columns and a label column named v1', () => {
  let report: Report;

  beforeAll(async () => {
    report = await analyzePair({ 'README.md': 'spam filter\n' }, { 'data/train.csv': spamCsv });
  });

  it('reads no field from the unnamed columns, and reports the rows whose text spilled into them', () => {
    expect(report.findings.filter((f) => f.check === 'data-missing-values')).toEqual([]);
    const head = report.datasets[0]?.head;
    expect(head?.fields.map((field) => field.name)).toEqual(['v1', 'v2']);
    const malformed = report.findings.filter((f) => f.check === 'data-format').map(summarise);
    expect(malformed).toEqual([
      {
        check: 'data-format',
        severity: 'warning',
        title: '3 malformed rows in data/train.csv (was 0)',
        location: { path: 'data/train.csv', line: 97 },
      },
    ]);
  });

  it('recognises v1 as the label column by its values and counts its classes', () => {
    expect(report.datasets[0]?.head?.labels).toEqual({
      classes: [
        { label: 'ham', rows: 509 },
        { label: 'spam', rows: 87 },
      ],
      otherRows: 0,
      column: 'v1',
    });
  });

  it('finds the label shift when the pull request drops most spam rows', async () => {
    // Keep the first 10 of the 88 records starting `spam,` (one of them is a spilled row): head has
    // ham 509 and spam 10, 519 rows. Shares: base 85.4% / 14.6%, head 98.1% / 1.9%; total variation 12.7%.
    let spam = 0;
    const fewerSpam = spamCsv
      .split('\n')
      .filter((line) => !line.startsWith('spam,') || ++spam <= 10)
      .join('\n');
    const shifted = await analyzePair({ 'data/train.csv': spamCsv }, { 'data/train.csv': fewerSpam });
    const shift = shifted.findings.find((f) => f.check === 'data-label-shift');
    expect(shift?.title).toMatch(/^The label distribution of data\/train\.csv shifted by 12\.7%/);
    expect(shift?.details.slice(0, 2)).toEqual([
      'base: ham 85.4%, spam 14.6% (596 rows)',
      'head: ham 98.1%, spam 1.9% (519 rows)',
    ]);
  });
});

describe('a JSON Lines dataset written with str()', () => {
  it('is a data-format failure that says what the lines are and how to write them, not an unreadable file', async () => {
    // The first 20 WikiSQL validation rows, each printed as Python prints a dict.
    const rows = fixture('datasets/mlx_wikisql_valid.jsonl').toString('utf8').split('\n').slice(0, 20);
    const pythonLines = rows
      .map((line) => {
        const { text } = JSON.parse(line) as { text: string };
        return `{'text': ${JSON.stringify(text).replace(/^"|"$/g, "'")}}`;
      })
      .join('\n');
    const report = await analyzePair(
      { 'data/valid.jsonl': fixture('datasets/mlx_wikisql_valid.jsonl') },
      { 'data/valid.jsonl': fixture('datasets/mlx_wikisql_valid.jsonl'), 'data/train.jsonl': pythonLines },
    );
    expect(report.unreadable).toEqual([]);
    const failure = report.findings.find((f) => f.check === 'data-format');
    expect(failure && summarise(failure)).toEqual({
      check: 'data-format',
      severity: 'failure',
      title: 'No row of data/train.jsonl can be read: 20 malformed rows and none other',
      location: { path: 'data/train.jsonl', line: 1 },
    });
    // One line for the one reason all 20 lines share (the parser's words are the runtime's own).
    expect(failure?.details).toEqual([
      expect.stringMatching(
        /^line 1: invalid JSON: .+; the line is a Python dict literal \(single quotes or True\/False\/None, as str\(\) or print\(\) writes a dict\): write each record with json\.dumps$/,
      ),
      'A trainer cannot load this train dataset as it is: fix how it is written, then push again.',
    ]);
    expect(report.verdict).toBe('failure');
  });
});
