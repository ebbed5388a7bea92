import { describeError } from '../../src/model/errors.js';
import { statusOf } from '../../src/io/github/status-of.js';
import type { Octokit, RepoRef } from './octokit.js';

/**
 * Most files GitHub's pull-request files API lists, whatever the pages asked for: the files past the
 * 3,000th of a larger pull request are not listed at all.
 */
export const MAX_LISTED_FILES = 3000;

/** A changed file as the pull-request files API lists it. */
export interface ChangedFile {
  filename: string;
  /** The name before a rename, when GitHub gives it. */
  previousFilename?: string;
  /** The unified diff's hunks; GitHub leaves it out of binary and large files. */
  patch?: string;
}

/**
 * A pull request's changed files. `complete: false` when the list may miss some: GitHub's cap was
 * reached, fewer files came than the pull request counts, or the API failed (`reason` says which).
 */
export type ChangedFiles =
  { complete: true; files: ChangedFile[] } | { complete: false; files: ChangedFile[]; reason: string };

/**
 * Lists every page of a pull request's changed files and says whether the list is complete.
 * `expected` is the pull request's `changed_files` count when known (from `GET …/pulls/{n}`); without
 * it the count is read first. An API error (any HTTP status) gives `complete: false` and no files;
 * other errors are thrown.
 */
export async function listChangedFiles(
  octokit: Octokit,
  repo: RepoRef,
  pr: { number: number; changedFiles: number | undefined },
): Promise<ChangedFiles> {
  let expected: number;
  let listed;
  try {
    expected = pr.changedFiles ?? (await countChangedFiles(octokit, repo, pr.number));
    listed = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...repo,
      pull_number: pr.number,
      per_page: 100,
    });
  } catch (error) {
    if (statusOf(error) === undefined) throw error;
    return { complete: false, files: [], reason: `GitHub did not list them: ${describeError(error)}` };
  }
  const files = listed.map((file) => ({
    filename: file.filename,
    ...(file.previous_filename ? { previousFilename: file.previous_filename } : {}),
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
  }));
  if (expected > MAX_LISTED_FILES) {
    const reason = `the pull request changes ${expected} files, and GitHub lists at most ${MAX_LISTED_FILES}`;
    return { complete: false, files, reason };
  }
  if (files.length < expected) {
    const reason = `GitHub listed ${files.length} of the ${expected} files the pull request changes`;
    return { complete: false, files, reason };
  }
  return { complete: true, files };
}

async function countChangedFiles(octokit: Octokit, repo: RepoRef, pullNumber: number): Promise<number> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return data.changed_files;
}
