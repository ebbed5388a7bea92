import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EXIT, main } from '../../cli/main.js';
import { listDatasetFiles } from '../../src/io/local-files.js';
import { findLfsObjectPath } from '../../src/model/lfs-pointer.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

const content = readFileSync(new URL('../fixtures/datasets/mlx_wikisql_test.jsonl', import.meta.url));
const oid = createHash('sha256').update(content).digest('hex');
const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${content.length}\n`;

/*
 * A linked worktree added outside the main checkout: its `.git` is a file, and LFS objects live in the
 * main repository's common directory, as `git lfs pull` leaves them. The fixture has 100 rows.
 */
describe('local dataset files in a linked worktree', () => {
  let repo: TestRepo;
  let outside: string;
  let worktree: string;
  beforeAll(() => {
    repo = createTestRepo();
    repo.commit({ 'data/test.jsonl': pointer, 'data/train.jsonl': '{"a":1}\n' }, 'LFS pointer');
    outside = mkdtempSync(join(tmpdir(), 'tuneguard-worktree-'));
    worktree = join(outside, 'wt');
    repo.git('worktree', 'add', '--quiet', worktree, '-b', 'feature');
    const common = repo.git('rev-parse', '--path-format=absolute', '--git-common-dir');
    const object = join(common, findLfsObjectPath(oid));
    mkdirSync(dirname(object), { recursive: true });
    writeFileSync(object, content);
  });
  afterAll(() => {
    repo.remove();
    rmSync(outside, { recursive: true, force: true });
  });

  it('resolves an LFS pointer to its object in the git common directory', async () => {
    const files = await listDatasetFiles('data', worktree);
    expect(files.map((file) => [file.path, file.bytes, file.lfs])).toEqual([
      ['data/test.jsonl', content.length, undefined],
      ['data/train.jsonl', 8, undefined],
    ]);
  });

  it('lets tuneguard profile read the rows of the LFS object', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['profile', 'data/test.jsonl', '--jobs', '1'], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      cwd: worktree,
    });
    expect({ code, pointer: stderr.includes('Git LFS pointer') }).toEqual({
      code: EXIT.pass,
      pointer: false,
    });
    expect(JSON.parse(stdout)).toMatchObject({ rows: 100, bytes: content.length });
  });

  it('still reports a pointer whose object was not fetched', async () => {
    repo.commit({ 'data/other.jsonl': pointer.replace(oid, '0'.repeat(64)) }, 'another pointer');
    repo.git('-C', worktree, 'merge', '--quiet', 'main');
    const files = await listDatasetFiles('data/other.jsonl', worktree);
    expect(files.map((file) => [file.path, file.bytes, file.lfs?.oid])).toEqual([
      ['data/other.jsonl', 0, '0'.repeat(64)],
    ]);
  });
});
