import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { analyze } from '../src/analyze.js';
import { parseConfig } from '../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../src/io/git.js';
import { findLfsObjectPath } from '../src/model/lfs-pointer.js';
import { reportSchema, type Report } from '../src/model/report-schema.js';
import { analyzePair, fixture, type Files } from './checks/helpers/analyze-pair.js';
import { createTestRepo } from './helpers/git-repo.js';

/*
 * Datasets sharded over several files, as Hugging Face and Spark write them, and Git LFS pointers, in a
 * real temporary repository. The rows are MLX's WikiSQL splits (fixtures/datasets/SOURCES.md). Read with
 * python3 beforehand: train has 1,000 rows, test 100; no test row stands in train after lowercasing and
 * collapsing whitespace; train's normalised duplicates are line 162 (of 161) and line 516 (of 515).
 */
const trainLines = fixture('datasets/mlx_wikisql_train.base.jsonl')
  .toString('utf8')
  .split('\n')
  .slice(0, 1000);
const testText = fixture('datasets/mlx_wikisql_test.jsonl').toString('utf8');
const testFirst = testText.split('\n')[0] as string;
const lines = (from: number, to: number, all = trainLines): string => `${all.slice(from, to).join('\n')}\n`;

describe('a dataset sharded over several files', () => {
  // Base: 2 shards of 500 rows. Head: resharded into 400 + 400 + 200 rows, with row 405 (line 5 of the
  // second shard) replaced by the first test row.
  const leaked = [...trainLines];
  leaked[404] = testFirst;
  const base: Files = {
    'data/train-00000-of-00002.jsonl': lines(0, 500),
    'data/train-00001-of-00002.jsonl': lines(500, 1000),
    'data/test.jsonl': testText,
  };
  const head: Files = {
    'data/train-00000-of-00002.jsonl': null,
    'data/train-00001-of-00002.jsonl': null,
    'data/train-00000-of-00003.jsonl': lines(0, 400, leaked),
    'data/train-00001-of-00003.jsonl': lines(400, 800, leaked),
    'data/train-00002-of-00003.jsonl': lines(800, 1000, leaked),
  };

  it('is one dataset on each side, compared as a whole across the resharding, rows located in their files', async () => {
    const report = await analyzePair(base, head);
    expect(report.datasets.map((d) => [d.path, d.split, d.status])).toEqual([
      ['data/test.jsonl', 'test', 'unchanged'],
      ['data/train-*-of-*.jsonl', 'train', 'modified'],
    ]);
    const train = report.datasets[1];
    expect(train?.files).toEqual([
      'data/train-00000-of-00002.jsonl',
      'data/train-00000-of-00003.jsonl',
      'data/train-00001-of-00002.jsonl',
      'data/train-00001-of-00003.jsonl',
      'data/train-00002-of-00003.jsonl',
    ]);
    expect(train?.base?.rows).toBe(1000);
    expect(train?.head?.rows).toBe(1000);
    expect(train?.base?.files?.map((f) => [f.path, f.rows])).toEqual([
      ['data/train-00000-of-00002.jsonl', 500],
      ['data/train-00001-of-00002.jsonl', 500],
    ]);
    expect(train?.head?.files?.map((f) => [f.path, f.rows])).toEqual([
      ['data/train-00000-of-00003.jsonl', 400],
      ['data/train-00001-of-00003.jsonl', 400],
      ['data/train-00002-of-00003.jsonl', 200],
    ]);
    expect(train?.head?.bytes).toBe(Buffer.byteLength(lines(0, 1000, leaked)));
    // The same two duplicate pairs, each in its own file's lines.
    expect(train?.base?.duplicateExamples).toEqual([
      {
        line: 162,
        firstLine: 161,
        file: 'data/train-00000-of-00002.jsonl',
        firstFile: 'data/train-00000-of-00002.jsonl',
      },
      {
        line: 16,
        firstLine: 15,
        file: 'data/train-00001-of-00002.jsonl',
        firstFile: 'data/train-00001-of-00002.jsonl',
      },
    ]);
    expect(train?.head?.duplicateExamples).toEqual([
      {
        line: 162,
        firstLine: 161,
        file: 'data/train-00000-of-00003.jsonl',
        firstFile: 'data/train-00000-of-00003.jsonl',
      },
      {
        line: 116,
        firstLine: 115,
        file: 'data/train-00001-of-00003.jsonl',
        firstFile: 'data/train-00001-of-00003.jsonl',
      },
    ]);
    // The leaked test row, found in the shard that holds it.
    const leak = report.findings.find((f) => f.check === 'data-leakage' && f.title.includes('also stand'));
    expect(leak?.title).toBe(
      '1 of 100 test rows of data/test.jsonl also stand in the train set data/train-*-of-*.jsonl (was 0)',
    );
    expect(leak?.details).toContain('data/test.jsonl line 1 = data/train-00001-of-00003.jsonl line 5');
    expect(leak?.location).toEqual({ path: 'data/train-00001-of-00003.jsonl', line: 5 });
    expect(report.findings.filter((f) => f.check === 'data-shrink')).toEqual([]);
  });

  it('is unchanged when no shard changed, and added when all its shards are new', async () => {
    // A hyperparameter change is what makes untouched datasets worth profiling (a README-only change reads none).
    const report = await analyzePair({ ...base, 'sft.yaml': 'lr: 1\n' }, { 'sft.yaml': 'lr: 2\n' });
    expect(report.datasets.map((d) => [d.path, d.status])).toEqual([
      ['data/test.jsonl', 'unchanged'],
      ['data/train-*-of-*.jsonl', 'unchanged'],
    ]);
    const added = await analyzePair({ 'README.md': 'x\n' }, base);
    expect(added.datasets.map((d) => [d.path, d.status, d.head?.rows])).toEqual([
      ['data/test.jsonl', 'added', 100],
      ['data/train-*-of-*.jsonl', 'added', 1000],
    ]);
  });
});

describe('a sharded held-out split', () => {
  // The test split as two shards of 50 rows; head appends to the second shard two train rows with
  // " Thanks!" added: not exact copies, but nearly all their 13-word passages stand in train.
  const testLines = testText.split('\n').filter((line) => line !== '');
  const thanks = (line: string): string =>
    JSON.stringify({ text: `${(JSON.parse(line) as { text: string }).text} Thanks!` });
  const base: Files = {
    'data/train.jsonl': lines(0, 1000),
    'data/test-00000-of-00002.jsonl': lines(0, 50, testLines),
    'data/test-00001-of-00002.jsonl': lines(50, 100, testLines),
  };
  const head: Files = {
    'data/test-00001-of-00002.jsonl': `${lines(50, 100, testLines)}${thanks(trainLines[99] as string)}\n${thanks(trainLines[199] as string)}\n`,
  };

  it('locates a passage leak in the shard file and line that hold it, not at the glob', async () => {
    const report = await analyzePair(base, head);
    const leak = report.findings.find((f) => f.check === 'data-leakage');
    expect(leak?.title).toBe(
      '2 of 102 test rows of data/test-*-of-*.jsonl share their prompt or most of their text with the train set data/train.jsonl (was 0)',
    );
    expect(leak?.location).toEqual({ path: 'data/test-00001-of-00002.jsonl', line: 51 });
    expect(leak?.details).toContain('first at data/test-00001-of-00002.jsonl line 51');
  });
});

describe('Git LFS pointers in a pull request', () => {
  const pointerOf = (content: string): { text: string; oid: string; size: number } => {
    const oid = createHash('sha256').update(content).digest('hex');
    const size = Buffer.byteLength(content);
    return {
      text: `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`,
      oid,
      size,
    };
  };

  async function analyzeWithStore(baseFiles: Files, headFiles: Files, objects: string[]): Promise<Report> {
    const repo = createTestRepo();
    try {
      repo.commit(baseFiles, 'base');
      repo.git('switch', '--quiet', '-c', 'pr');
      repo.commit(headFiles, 'head');
      // What `git lfs pull` (or actions/checkout with lfs: true) leaves in the repository's LFS store.
      for (const content of objects) {
        const path = join(repo.dir, '.git', findLfsObjectPath(pointerOf(content).oid));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
      const pair = await openSnapshotPair(await openGitRepository(repo.dir), 'main', 'pr');
      const report = await analyze({ pair, config: parseConfig('', 'c.yml'), toolVersion: '0.0.0-test' });
      return reportSchema.parse(JSON.parse(JSON.stringify(report)));
    } finally {
      repo.remove();
    }
  }

  it('reads a pointer whose object is in the LFS store as the dataset it stands for', async () => {
    const content = lines(0, 1000);
    const report = await analyzeWithStore(
      { 'data/train.jsonl': lines(0, 999) },
      { 'data/train.jsonl': pointerOf(content).text },
      [content],
    );
    const [train] = report.datasets;
    expect(train?.head).toMatchObject({ rows: 1000, bytes: Buffer.byteLength(content), duplicateRows: 2 });
    expect(train?.head?.lfs).toBeUndefined();
    expect(report.findings.filter((f) => f.check === 'data-lfs-pointer')).toEqual([]);
  });

  it('says which shards are pointers without content, and does not call the dataset shrunk', async () => {
    const second = lines(500, 1000);
    const report = await analyzeWithStore(
      {
        'data/train-00000-of-00002.jsonl': lines(0, 500),
        'data/train-00001-of-00002.jsonl': second,
      },
      { 'data/train-00001-of-00002.jsonl': pointerOf(second).text },
      [],
    );
    const [train] = report.datasets;
    expect(train?.head?.files?.map((f) => [f.path, f.rows, f.lfs ?? false])).toEqual([
      ['data/train-00000-of-00002.jsonl', 500, false],
      ['data/train-00001-of-00002.jsonl', 0, true],
    ]);
    expect(train?.head?.lfs).toEqual({ oid: pointerOf(second).oid, size: Buffer.byteLength(second) });
    expect(report.findings.map((f) => [f.check, f.title, f.location])).toEqual([
      [
        'data-lfs-pointer',
        '1 of the 2 files of data/train-*-of-*.jsonl are Git LFS pointers whose content was not fetched: the dataset was not analysed',
        { path: 'data/train-00001-of-00002.jsonl' },
      ],
    ]);
  });
});
