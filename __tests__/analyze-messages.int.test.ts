import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { analyze } from '../src/analyze.js';
import { parseConfig } from '../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../src/io/git.js';
import type { Report } from '../src/model/report-schema.js';
import { LINK_REASON, SUBMODULE_REASON } from '../src/sources/list-not-reviewed.js';
import { analyzePair, fixture } from './checks/helpers/analyze-pair.js';
import { createTestRepo } from './helpers/git-repo.js';

/*
 * What a user reads about a file tuneguard could not use, on a real temporary git repository: each
 * cause named as it is (compressed, a row too large, nesting too deep, a header that repeats a column,
 * an impossible standard error), once, at its line, and the rest of the file still read. The data are
 * real fixtures (SOURCES.md), broken here in code.
 */

const text = (path: string): string => fixture(path).toString('utf8');
/** MLX's WikiSQL valid split: 100 JSON lines. */
const valid = text('datasets/mlx_wikisql_valid.jsonl');
const validLines = valid.trimEnd().split('\n');
/** Line 3 of the valid split replaced by a row of 20 MiB, or by one nested 1,000 levels deep. */
const withLine3 = (row: string): string =>
  `${[...validLines.slice(0, 2), row, ...validLines.slice(3)].join('\n')}\n`;
const giant = JSON.stringify({ text: 'word '.repeat(4 * 2 ** 20) });
const deep = `{"text": ${'['.repeat(1000)}${']'.repeat(1000)}}`;
/** The hand-made text/label CSV with a header that names `text` twice. */
const csv = text('datasets/handmade_text_label.csv');
const twiceText = csv.replace('text,label\n', 'text,text\n');
const lambada = text('metrics/v047_rwkv7-1.5b_lambada_run-good.json');

describe('files tuneguard cannot use in full', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyzePair(
      {
        'data/zipped_train.jsonl': valid,
        'data/giant_train.jsonl': valid,
        'data/deep_train.jsonl': valid,
        'data/labels_train.csv': csv,
        'results/results.json': lambada,
      },
      {
        'data/zipped_train.jsonl': gzipSync(valid),
        'data/giant_train.jsonl': withLine3(giant),
        'data/deep_train.jsonl': withLine3(deep),
        'data/labels_train.csv': twiceText,
        'results/results.json': lambada.replace(
          '"acc_stderr,none": 0.006454004061618767',
          '"acc_stderr,none": -0.0065',
        ),
      },
    );
  });

  it('says why the whole file could not be read, or the part of it that could not, once, at its line', () => {
    expect(report.unreadable).toEqual([
      {
        path: 'data/zipped_train.jsonl',
        side: 'head',
        line: 1,
        reason:
          'no record could be read: the file is compressed (gzip: it starts with the bytes 1f 8b), not read: tuneguard reads JSON Lines, JSON, CSV and TSV as plain text',
      },
      {
        path: 'results/results.json',
        side: 'head',
        line: 8,
        reason:
          'results.lambada_openai."acc_stderr,none" is number -0.0065: a standard error cannot be negative or infinite, so acc\'s change is not tested for noise',
      },
    ]);
  });

  it('says why each row it could not read was left out, at its line', () => {
    const malformed = report.findings
      .filter((f) => f.check === 'data-format' && f.title.includes('malformed'))
      .map((f) => [f.title, f.location?.line, f.details]);
    expect(malformed).toEqual([
      [
        '1 malformed row in data/deep_train.jsonl (was 0)',
        3,
        ['line 3: nested deeper than 100 levels of arrays and objects: not read'],
      ],
      [
        '1 malformed row in data/giant_train.jsonl (was 0)',
        3,
        ['line 3: a row of 20.0 MiB, over the 16 MiB one row may take: not read'],
      ],
      [
        // Line 6 of the fixture is a row of one column: malformed on both sides.
        '2 malformed rows in data/labels_train.csv (was 1)',
        1,
        [
          'line 1: the header names the column "text" twice (columns 1 and 2): only the last one\'s values are read',
          'line 6: expected 2 columns, found 1',
        ],
      ],
    ]);
  });

  it('still reads the other rows: 99 of the 100 valid rows where one was too large or too deep', () => {
    const rows = Object.fromEntries(report.datasets.map((d) => [d.path, [d.base?.rows, d.head?.rows]]));
    expect(rows).toEqual({
      'data/deep_train.jsonl': [100, 99],
      'data/giant_train.jsonl': [100, 99],
      // Four records of two columns (one spans lines 4 and 5); the fifth, on line 6, has one.
      'data/labels_train.csv': [4, 4],
      'data/zipped_train.jsonl': [100, 0],
    });
  });
});

describe('a dataset replaced by a symbolic link', () => {
  it('says the link is not followed, and reads neither it nor its target as the dataset', async () => {
    const repo = createTestRepo();
    try {
      repo.commit({ 'data/train.jsonl': valid, 'shared/train.jsonl': valid }, 'base');
      repo.git('switch', '--quiet', '-c', 'pr');
      repo.commit({ 'data/train.jsonl': null });
      symlinkSync('../shared/train.jsonl', join(repo.dir, 'data/train.jsonl'));
      repo.commit({}, 'link');
      const pair = await openSnapshotPair(await openGitRepository(repo.dir), 'main', 'pr');
      expect(await pair.head.listLinks()).toEqual(['data/train.jsonl']);
      expect(await pair.head.listFiles()).toEqual(['shared/train.jsonl']);
      const report = await analyze({ pair, config: parseConfig('', 'c.yml'), toolVersion: '0.0.0-test' });
      expect(report.notReviewed).toEqual([{ path: 'data/train.jsonl', reason: LINK_REASON }]);
      // The base file is gone from head: no text "../shared/train.jsonl" read as invalid JSON.
      expect(report.unreadable).toEqual([]);
      expect(report.datasets.map((d) => [d.path, d.status, d.base?.rows, d.head?.rows])).toEqual([
        ['data/train.jsonl', 'removed', 100, undefined],
        ['shared/train.jsonl', 'unchanged', 100, 100],
      ]);
    } finally {
      repo.remove();
    }
  });
});

describe('a per-item eval log with lines that name no item', () => {
  it('says so once, at the first such line, with how many more lines have it', async () => {
    const name = 'samples_lambada_openai_2025-02-24T21-42-51.190683.jsonl';
    const samples = text(`samples/${name}`);
    // Lines 2, 4 and 5 lose their item id (doc_id) and doc_hash; the other three keep theirs.
    const head = samples
      .trimEnd()
      .split('\n')
      .map((line, index) => {
        if (![1, 3, 4].includes(index)) return line;
        const { doc_id: _id, doc_hash: _hash, ...rest } = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify(rest);
      })
      .join('\n');
    const report = await analyzePair({ [`eval/${name}`]: samples }, { [`eval/${name}`]: `${head}\n` });
    expect(report.unreadable).toEqual([
      {
        path: `eval/${name}`,
        side: 'head',
        line: 2,
        reason: 'no item id (doc_id, doc_hash, id, example_id) (and 2 more lines)',
      },
    ]);
  });
});

describe('trainer_state entries logged without a step', () => {
  it('are one problem at the first such entry, with how many more have it', async () => {
    // qlora-diverging_trainer_state.json: `log_history` entries 10 … 100 by step; the first three lose their step.
    const state = JSON.parse(text('training/qlora-diverging_trainer_state.json')) as {
      log_history: Record<string, unknown>[];
    };
    const stepless = {
      ...state,
      log_history: state.log_history.map((entry, index) => {
        if (index > 2) return entry;
        const { step: _step, ...rest } = entry;
        return rest;
      }),
    };
    const head = JSON.stringify(stepless, null, 2);
    // The line of the first entry's `{` in the pretty-printed JSON.
    const firstLine =
      head.split('\n').findIndex((line) => line.trim() === '{' && line.startsWith('    ')) + 1;
    const report = await analyzePair(
      { 'outputs/trainer_state.json': text('training/qlora-diverging_trainer_state.json') },
      { 'outputs/trainer_state.json': head },
    );
    expect(report.unreadable).toEqual([
      {
        path: 'outputs/trainer_state.json',
        side: 'head',
        line: firstLine,
        reason: 'log_history entry: no step (and 2 more lines)',
      },
    ]);
  });
});

describe('JSON a pull request nests beyond the stack', () => {
  const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

  it('is set aside or unreadable, and the run still gives a verdict', async () => {
    const report = await analyzePair(
      { 'results/results.json': lambada },
      {
        'results/results.json': lambada,
        'results/deep.json': nested,
        'data/deep.json': nested,
        'outputs/trainer_state.json': `{"log_history": ${nested}}`,
      },
    );
    expect(report.verdict).toBeDefined();
    expect(report.kinds?.find((kind) => kind.path === 'results/deep.json')).toMatchObject({
      kind: 'none',
      reason: 'a JSON array, not an object of metrics',
    });
    expect(report.unreadable.map((entry) => [entry.path, entry.reason])).toEqual(
      expect.arrayContaining([
        [
          'outputs/trainer_state.json',
          'log_history entry: expected an object, found a list nested too deeply to show',
        ],
      ]),
    );
  });
});

describe('bytes that are not JSON under a results name', () => {
  it('are an unreadable results file, not "a JSON array"', async () => {
    // Bytes 0x07, 0x8a, 0x0d, … : a `[` (0x5b) somewhere inside is not the start of a document.
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256));
    const report = await analyzePair({ 'results/results.json': lambada }, { 'results/blob.json': bytes });
    expect(report.kinds?.find((kind) => kind.path === 'results/blob.json')?.kind).toBe('metrics');
    expect(report.unreadable).toEqual([
      { path: 'results/blob.json', side: 'head', line: 1, reason: 'the file is not valid UTF-8 text' },
    ]);
  });
});

describe('a submodule added under data/', () => {
  it('is listed as not reviewed, and nothing of it is read', async () => {
    const repo = createTestRepo();
    try {
      repo.commit({ 'data/train.jsonl': valid }, 'base');
      repo.git('switch', '--quiet', '-c', 'pr');
      // A gitlink: the commit of another repository, as `git submodule add` records it.
      repo.git('update-index', '--add', '--cacheinfo', `160000,${'a'.repeat(40)},data/vendor`);
      repo.git('commit', '--quiet', '-m', 'submodule');
      const pair = await openSnapshotPair(await openGitRepository(repo.dir), 'main', 'pr');
      expect(await pair.head.listSubmodules()).toEqual(['data/vendor']);
      expect(await pair.head.listFiles()).toEqual(['data/train.jsonl']);
      const report = await analyze({ pair, config: parseConfig('', 'c.yml'), toolVersion: '0.0.0-test' });
      expect(report.notReviewed).toEqual([{ path: 'data/vendor', reason: SUBMODULE_REASON }]);
      expect(report.unreadable).toEqual([]);
    } finally {
      repo.remove();
    }
  });
});

describe('a per-item eval log committed as a Git LFS pointer without its content', () => {
  it('is not read as lines of invalid JSON: the metrics are still compared, with their standard errors', async () => {
    const name = 'samples_lambada_openai_2025-02-24T21-42-51.190683.jsonl';
    // The pointer Git LFS writes for a file (version, oid, size), as the lm_eval_results repository commits its logs.
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${'4d'.repeat(32)}\nsize 42807696\n`;
    const report = await analyzePair(
      { 'eval/results_2025-02-24T21-42-51.190683.json': lambada, [`eval/${name}`]: text(`samples/${name}`) },
      { 'eval/results_2025-02-24T21-42-51.190683.json': lambada, [`eval/${name}`]: pointer },
    );
    expect(report.unreadable).toEqual([]);
    expect(report.findings.filter((finding) => finding.check === 'input-unreadable')).toEqual([]);
    expect(report.metrics.map((file) => file.path)).toEqual(['eval/results_2025-02-24T21-42-51.190683.json']);
  });
});
