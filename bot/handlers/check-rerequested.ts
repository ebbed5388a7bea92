import type { Context } from 'probot';
import type { AppIdentity } from '../github/app-identity.js';
import { findSuiteCheckRuns, isCheckRunName, latestPerName, toCheckRunRecord } from '../github/check-run.js';
import { findPullRequest } from '../github/find-pull-request.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import type { PullRequestRef } from '../publish/publish-report.js';
import { rerunReports } from '../publish/rerun-reports.js';

/**
 * `check_run.rerequested` (the "Re-run" button of one tuneguard check): re-runs the workflow run that
 * produced its report, found in the check run's `external_id`; a check whose report never arrived
 * starts again. Check runs of other Apps are ignored.
 */
export async function handleCheckRunRerequested(
  context: Context<'check_run.rerequested'>,
  identity: AppIdentity,
): Promise<void> {
  const checkRun = context.payload.check_run;
  const appId = await identity.appId();
  if (checkRun.app?.id !== appId || !isCheckRunName(checkRun.name)) return;
  const repo = context.repo();
  const record = toCheckRunRecord({ ...checkRun, output: { text: checkRun.output.text ?? null } });
  const findPr = () => findPullRequestOf(context.octokit, repo, checkRun.head_sha, checkRun.pull_requests);
  const outcomes = await rerunReports(context.octokit, repo, {
    latest: [record],
    findPr,
    requester: context.payload.sender.login,
  });
  context.log.info({ head: checkRun.head_sha, outcomes }, 'check run re-requested');
}

/**
 * `check_suite.rerequested` (the "Re-run all checks" button): the same for the latest tuneguard check
 * run of each name in the App's suite.
 */
export async function handleCheckSuiteRerequested(
  context: Context<'check_suite.rerequested'>,
  identity: AppIdentity,
): Promise<void> {
  const suite = context.payload.check_suite;
  const appId = await identity.appId();
  if (suite.app?.id !== appId) return;
  const repo = context.repo();
  const latest = latestPerName(await findSuiteCheckRuns(context.octokit, repo, suite.id, appId));
  const findPr = () => findPullRequestOf(context.octokit, repo, suite.head_sha, suite.pull_requests);
  const outcomes = await rerunReports(context.octokit, repo, {
    latest,
    findPr,
    requester: context.payload.sender.login,
  });
  context.log.info({ head: suite.head_sha, outcomes }, 'check suite re-requested');
}

/** The open pull request whose head is `sha`: from the event's list (same-repository ones), else searched. */
async function findPullRequestOf(
  octokit: Octokit,
  repo: RepoRef,
  sha: string,
  candidates: readonly { number: number; head: { sha: string } }[],
): Promise<PullRequestRef | undefined> {
  const found = await findPullRequest(octokit, repo, { sha, number: undefined, candidates });
  return 'pr' in found ? found.pr : undefined;
}
