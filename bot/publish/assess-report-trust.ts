import { statusOf } from '../../src/io/github/status-of.js';
import { describeError } from '../../src/model/errors.js';
import type { ChangedFiles } from '../github/list-changed-files.js';
import { ExecutedPathsError, loadExecutedPaths } from '../github/load-executed-paths.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import { findUntrustedChanges } from './find-untrusted-changes.js';

/**
 * Whether the App may use a report. `changes`: the pull request changes what produced it (the paths);
 * `unknown`: whether it does could not be told (the reason, one sentence of untrusted text).
 */
export type ReportTrust =
  | { trusted: true }
  | { trusted: false; reason: 'changes'; paths: string[] }
  | { trusted: false; reason: 'unknown'; why: string };

/** A report's pull request, the run that produced it, and the pull request's changed files. */
export interface TrustQuestion {
  pr: { isFork: boolean; headSha: string; baseSha: string };
  /** The workflow run's event and workflow file (`workflow_run.path`). */
  run: { event: string; workflowPath?: string };
  changed: ChangedFiles;
}

/**
 * Decides whether a report may be used. Only a fork's `pull_request` run is in question: its job runs
 * the fork's version of the workflow and of the local actions it uses, so a fork that changes them could
 * upload any report. Such a report is refused when the pull request changes anything under `.github/`,
 * the workflow file, or a local action or reusable workflow the workflow references at the head or the
 * base commit (read through the contents API). It fails closed: when the changed files are not all
 * listed (GitHub's 3,000-file cap, an API error) or the workflow's references cannot be read, it is
 * refused too. Other runs (same-repository pull requests, `workflow_dispatch`, `push`) run workflows of
 * this repository and are trusted.
 */
export async function assessReportTrust(
  octokit: Octokit,
  repo: RepoRef,
  question: TrustQuestion,
): Promise<ReportTrust> {
  const { pr, run, changed } = question;
  if (run.event !== 'pull_request' || !pr.isFork) return { trusted: true };
  if (!changed.complete) {
    return {
      trusted: false,
      reason: 'unknown',
      why: `its changed files could not all be read: ${changed.reason}`,
    };
  }
  const { workflowPath } = run;
  if (workflowPath === undefined) {
    return { trusted: false, reason: 'unknown', why: 'the workflow run does not name its workflow file' };
  }
  // Without a read, a change under .github/ or to the workflow itself is enough.
  const obvious = findUntrustedChanges(changed.files, { files: [workflowPath], folders: [] });
  if (obvious.length > 0) return { trusted: false, reason: 'changes', paths: obvious };
  let executed;
  try {
    executed = await loadExecutedPaths(octokit, repo, {
      workflowPath,
      commits: [pr.headSha, pr.baseSha],
    });
  } catch (error) {
    if (!(error instanceof ExecutedPathsError) && statusOf(error) === undefined) throw error;
    return {
      trusted: false,
      reason: 'unknown',
      why: `its workflow could not be read: ${describeError(error)}`,
    };
  }
  const paths = findUntrustedChanges(changed.files, executed);
  return paths.length > 0 ? { trusted: false, reason: 'changes', paths } : { trusted: true };
}
