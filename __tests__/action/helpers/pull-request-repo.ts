import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestRepo, type TestRepo } from '../../helpers/git-repo.js';

/** Files of one commit: path → content (`null` deletes). */
export type Files = Record<string, string | Buffer | null>;

/**
 * A pull request as GitHub keeps it, in a real repository playing `origin`: `main` holds the base,
 * `refs/pull/<n>/head` the PR's head (no branch, as for a fork), `refs/pull/<n>/merge` the merge commit
 * that a `pull_request` workflow checks out.
 */
export interface PullRequestRepo {
  number: number;
  origin: TestRepo;
  /** The base branch's tip when the event fired: `pull_request.base.sha`. */
  baseSha: string;
  /** Where the PR branched from `main`: what the PR's diff is taken against. */
  mergeBaseSha: string;
  /** `pull_request.head.sha`. */
  headSha: string;
  /**
   * A new workspace checked out as actions/checkout does by default on `pull_request`: an empty
   * repository with `origin` set, one commit (the merge commit) fetched with `--depth=1`, so neither
   * base nor head is in it. Returns its folder.
   */
  checkout: () => string;
  /** Commits `files` on the PR head and moves `refs/pull/<n>/head` and `/merge`; returns the new head SHA. */
  push: (files: Files, message?: string) => string;
  remove: () => void;
}

/** Builds the pull request: `base` on main, `head` on top of it, then main moves on by one commit. */
export function createPullRequestRepo(number: number, base: Files, head: Files): PullRequestRepo {
  const origin = createTestRepo();
  const workspaces: string[] = [];
  const mergeBaseSha = origin.commit(base, 'base: the fine-tuning setup on main');
  origin.git('switch', '--quiet', '-c', 'contributor');
  let headSha = origin.commit(head, 'head: the pull request');
  origin.git('switch', '--quiet', 'main');
  // main moves on, so base.sha differs from the merge-base as in most real pull requests.
  const baseSha = origin.commit({ 'NOTES.md': 'Main moved on after the pull request branched.\n' }, 'main');
  origin.git('branch', '--quiet', '-D', 'contributor');
  let mergeSha = updatePullRefs(origin, number, headSha);

  const pr: PullRequestRepo = {
    number,
    origin,
    baseSha,
    mergeBaseSha,
    get headSha() {
      return headSha;
    },
    checkout: () => {
      const dir = mkdtempSync(join(tmpdir(), 'tuneguard-workspace-'));
      workspaces.push(dir);
      const git = (...args: string[]): string =>
        execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      git('init', '--quiet');
      git('remote', 'add', 'origin', pathToFileURL(origin.dir).href);
      git(
        'fetch',
        '--quiet',
        '--no-tags',
        '--depth=1',
        'origin',
        `+${mergeSha}:refs/remotes/pull/${number}/merge`,
      );
      git('checkout', '--quiet', '--force', `refs/remotes/pull/${number}/merge`);
      return dir;
    },
    push: (files, message = 'head: another push') => {
      origin.git('switch', '--quiet', '--detach', headSha);
      headSha = origin.commit(files, message);
      origin.git('switch', '--quiet', 'main');
      mergeSha = updatePullRefs(origin, number, headSha);
      return headSha;
    },
    remove: () => {
      origin.remove();
      for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
    },
  };
  return pr;
}

/** Points refs/pull/<n>/head at `head` and refs/pull/<n>/merge at a new merge of it into main. */
function updatePullRefs(origin: TestRepo, number: number, head: string): string {
  origin.git('update-ref', `refs/pull/${number}/head`, head);
  origin.git('switch', '--quiet', '--detach', 'main');
  origin.git('merge', '--quiet', '--no-ff', '--no-edit', '-m', `Merge ${head} into main`, head);
  const merge = origin.git('rev-parse', 'HEAD');
  origin.git('switch', '--quiet', 'main');
  origin.git('update-ref', `refs/pull/${number}/merge`, merge);
  return merge;
}
