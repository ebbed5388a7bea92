import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ActionError } from '../../action/action-error.js';
import { ensureCommits, FETCH_DEPTHS } from '../../action/ensure-commits.js';
import { openGitRepository } from '../../src/io/git.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

/*
 * Real repositories: `origin` is a local repository reached through file://, the workspace a clone of it.
 * Fetching a commit by its SHA needs no `uploadpack.allowReachableSHA1InWant` here: git's protocol v2
 * (the default since git 2.26) serves any reachable commit, as GitHub does for actions/checkout.
 */
const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((remove) => remove()));

function origin(): TestRepo {
  const repo = createTestRepo();
  cleanup.push(repo.remove);
  return repo;
}

function clone(from: TestRepo, ...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneguard-clone-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('git', ['clone', '--quiet', ...args, pathToFileURL(from.dir).href, dir], { stdio: 'ignore' });
  return dir;
}

/** Adds `count` commits on main in one `git fast-import` (one process instead of `count`). */
function advanceMain(repo: TestRepo, count: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const message = `main moves on ${i}`;
    lines.push('commit refs/heads/main', `committer Test <test@example.invalid> ${1_700_000_000 + i} +0000`);
    lines.push(`data ${Buffer.byteLength(message)}`, message);
    if (i === 1) lines.push(`from ${repo.git('rev-parse', 'main')}`);
    lines.push(`M 100644 inline notes.txt`, `data ${String(i).length}`, String(i), '');
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: lines.join('\n') + '\n' });
  return repo.git('rev-parse', 'main');
}

describe('ensureCommits', () => {
  it('deepens a shallow checkout step by step until the merge-base is in it', async () => {
    const repo = origin();
    const mergeBase = repo.commit({ 'data/train.jsonl': '{"text":"a"}\n' });
    repo.git('switch', '--quiet', '-c', 'contributor');
    const head = repo.commit({ 'data/train.jsonl': '{"text":"b"}\n' });
    repo.git('switch', '--quiet', 'main');
    // The base branch is 150 commits past the merge-base: beyond a 100-deep fetch, within a 1000-deep one.
    const base = advanceMain(repo, 150);
    const workspace = clone(repo, '--depth=1', '--branch=main');
    const git = await openGitRepository(workspace);
    expect(await git.hasCommit(head)).toBe(false);

    const depths: (number | undefined)[] = [];
    expect(await ensureCommits(git, { base, head, onFetch: (depth) => depths.push(depth) })).toBe('fetched');

    expect(depths).toEqual([FETCH_DEPTHS[0], FETCH_DEPTHS[1]]);
    expect(await git.findMergeBase(base, head)).toBe(mergeBase);
  });

  it('fetches nothing when the clone already has both commits and their merge-base', async () => {
    const repo = origin();
    const base = repo.commit({ 'a.txt': 'a' });
    const head = repo.commit({ 'a.txt': 'b' });
    const git = await openGitRepository(clone(repo));
    const depths: (number | undefined)[] = [];
    expect(await ensureCommits(git, { base, head, onFetch: (depth) => depths.push(depth) })).toBe('present');
    expect(depths).toEqual([]);
  });

  it('compares with base itself when a complete clone holds two unrelated histories', async () => {
    const repo = origin();
    const base = repo.commit({ 'a.txt': 'a' });
    repo.git('switch', '--quiet', '--orphan', 'imported');
    const head = repo.commit({ 'b.txt': 'b' });
    repo.git('switch', '--quiet', 'main');
    const git = await openGitRepository(clone(repo, '--no-single-branch'));
    const depths: (number | undefined)[] = [];
    expect(await ensureCommits(git, { base, head, onFetch: (depth) => depths.push(depth) })).toBe(
      'no-merge-base',
    );
    // A complete clone is fetched once, without --depth (which would make it shallow).
    expect(depths).toEqual([undefined]);
    expect(await git.isShallow()).toBe(false);
  });

  it('says what to set in the workflow when origin cannot give the commits', async () => {
    const repo = origin();
    const base = repo.commit({ 'a.txt': 'a' });
    const workspace = clone(repo, '--depth=1');
    const head = repo.commit({ 'a.txt': 'b' });
    execFileSync('git', ['remote', 'set-url', 'origin', join(workspace, 'gone')], { cwd: workspace });
    const git = await openGitRepository(workspace);

    const error = await ensureCommits(git, { base, head }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).kind).toBe('missing-commits');
    expect((error as ActionError).message).toBe(
      `The commits to compare are not in the checkout and could not be fetched from origin (base ${base}, head ${head}). ` +
        'Set `fetch-depth: 0` on actions/checkout (and keep its default `persist-credentials: true`), ' +
        'or check that the job may read the repository (`permissions: contents: read`).',
    );
  });
});
