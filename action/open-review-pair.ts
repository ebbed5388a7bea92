import * as core from '@actions/core';
import { existsSync, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { openSnapshotPair } from '../src/io/git.js';
import type { SnapshotPair } from '../src/model/snapshot.js';
import { scopeSnapshotPair } from '../src/sources/scope-snapshot-pair.js';
import { ActionError } from './action-error.js';
import type { ActionDeps } from './deps.js';
import { ensureCommits } from './ensure-commits.js';
import type { Inputs } from './inputs.js';
import { overlayResults, type ResultsOverlay } from './overlay-results.js';
import type { RunContext } from './read-run-context.js';
import { toPosix } from './to-posix.js';

/** The commits to review, seen from the working directory. */
export interface ReviewPair {
  pair: SnapshotPair;
  /** The working directory, absolute. */
  workingDirectory: string;
  /** The working directory's path inside its repository (`''` at the root). */
  prefix: string;
  /** The files the `results` input read from disk, and its globs that read none. */
  overlay: ResultsOverlay;
}

/**
 * Opens the two commits to review: the `base` and `head` inputs, else the pull request's. Makes sure
 * they and their merge-base are in the clone (fetching them from a shallow checkout), narrows the pair
 * to the working directory, overlays the files of the `results` input on the head, and labels the sides
 * with the event's branch names. Throws an `ActionError`
 * when there is nothing to compare, the working directory is no folder, or the commits are missing.
 */
export async function openReviewPair(
  inputs: Inputs,
  context: RunContext,
  deps: Pick<ActionDeps, 'openRepository'>,
): Promise<ReviewPair> {
  const head = inputs.head || context.pullRequest?.headSha;
  const base = noCommitBefore(inputs.base || context.pullRequest?.baseSha, head);
  if (!base || !head) {
    throw new ActionError(
      `No commits to compare in a \`${context.eventName || 'unknown'}\` event: run tuneguard on \`pull_request\` events, or set the \`base\` and \`head\` inputs.`,
      'no-commits',
    );
  }
  const workingDirectory = resolve(context.workspace, inputs['working-directory']);
  if (!(await isDirectory(workingDirectory))) {
    throw new ActionError(
      `working-directory \`${inputs['working-directory']}\` is not a folder of the workspace (${context.workspace}): check out the repository there first.`,
      'invalid-inputs',
    );
  }

  const repo = await deps.openRepository(workingDirectory);
  const ensured = await ensureCommits(repo, {
    base,
    head,
    onFetch: (depth) =>
      core.info(
        `Fetching ${base} and ${head} from origin${depth === undefined ? '' : ` (depth ${depth})`}: the checkout does not hold them or their merge-base.`,
      ),
  });
  if (ensured === 'no-merge-base') {
    core.warning(`${base} and ${head} share no history: comparing ${head} with ${base} itself.`);
  }
  const prefix = findRepositoryPrefix(workingDirectory);
  const { pair: scoped, overlay } = await overlayResults(
    scopeSnapshotPair(await openSnapshotPair(repo, base, head), prefix),
    inputs.results,
    workingDirectory,
  );
  const baseRef = inputs.base ? undefined : context.pullRequest?.baseRef;
  const headRef = inputs.head ? undefined : context.pullRequest?.headRef;
  return {
    pair: {
      // The event's branch names label the sides; the SHAs stay those compared.
      base: baseRef === undefined ? scoped.base : { ...scoped.base, ref: baseRef },
      head: headRef === undefined ? scoped.head : { ...scoped.head, ref: headRef },
      changedFiles: scoped.changedFiles,
      renames: scoped.renames,
    },
    workingDirectory,
    prefix,
    overlay,
  };
}

/** GitHub's all-zeros SHA: the `before` of a push that created its branch, which had no commit before. */
const NO_COMMIT = /^(?:0{40}|0{64})$/;

/**
 * The base to compare with: the given one, or the head itself when the base is GitHub's all-zeros SHA
 * (`github.event.before` on a branch's first push), said in a notice: the head is then compared with
 * itself, and only the files the `results` input reads from disk are changes.
 */
function noCommitBefore(base: string | undefined, head: string | undefined): string | undefined {
  if (base === undefined || head === undefined || !NO_COMMIT.test(base)) return base;
  core.notice(
    `The base ${base.slice(0, 7)}… is no commit: a push that creates a branch has none before it (github.event.before). The head is compared with itself, so only files the results input reads from disk count as changes.`,
  );
  return head;
}

/**
 * The folder's path inside its repository (`''` at the root). Found on disk: the git adapter opens the
 * repository's root, and the Action reviews only the folder it was given.
 */
function findRepositoryPrefix(dir: string): string {
  const start = realpathSync(dir);
  for (let current = start; ; current = dirname(current)) {
    // `.git` is a folder in a clone and a file in a worktree or submodule.
    if (existsSync(join(current, '.git'))) return toPosix(relative(current, start));
    if (dirname(current) === current) return '';
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
