import type { Context } from 'probot';
import type { AppIdentity } from '../github/app-identity.js';
import { describeError } from '../../src/model/errors.js';
import {
  checkRunName,
  findCheckRuns,
  renderExternalId,
  upsertCheckRun,
  type CheckRunRecord,
} from '../github/check-run.js';
import {
  downloadReport,
  findReportArtifacts,
  type ReportArtifact,
} from '../../src/io/github/download-report.js';
import { findPullRequest } from '../github/find-pull-request.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import type { KeyedQueue } from '../publish/create-keyed-queue.js';
import { publishReport, type PublishOutcome, type PullRequestRef } from '../publish/publish-report.js';
import { ReportArtifactError } from '../../src/io/github/report-artifact-error.js';

type WorkflowRun = Context<'workflow_run.completed'>['payload']['workflow_run'];

/**
 * `workflow_run` completed: publishes each tuneguard report artifact of the run (a run without one is
 * ignored):
 * 1. find the artifacts named `tuneguard-report-…`;
 * 2. bind each to its pull request by head commit: a `pull_request` run may only report on its own
 *    head, and the pull request's current head (read from the API) must be the report's, else the report
 *    is outdated and ignored;
 * 3. skip it when the newest check run of its name on the head is complete and records this run and
 *    artifact (`external_id`): the delivery is a repeat (GitHub redelivers; a hook is retried). Deliveries
 *    for the same check run are handled one after the other (`queue`), so one arriving meanwhile sees the
 *    record of the first;
 * 4. download and validate it as untrusted input; a refused artifact fails the check with the reason;
 * 5. publish it: check run, review, sticky comment. When GitHub's API fails before the check run is
 *    complete, the check is completed as `action_required` with the reason, never left pending and
 *    never failed for GitHub's fault.
 */
export async function handleWorkflowRun(
  context: Context<'workflow_run.completed'>,
  identity: AppIdentity,
  queue: KeyedQueue,
): Promise<void> {
  const run = context.payload.workflow_run;
  const repo = context.repo();
  // 1.
  const artifacts = await findReportArtifacts(context.octokit, repo, run.id);
  if (artifacts.length === 0) {
    context.log.debug({ run: run.id }, 'no tuneguard report in this workflow run');
    return;
  }
  const appId = await identity.appId();
  for (const artifact of artifacts) {
    // 2.
    if (run.event === 'pull_request' && artifact.sha !== run.head_sha) {
      context.log.warn(
        { run: run.id, artifact: artifact.name },
        'ignored: a pull_request run reports on another commit',
      );
      continue;
    }
    const candidates = (run.pull_requests ?? []).filter((pull) => pull !== null);
    const found = await findPullRequest(context.octokit, repo, {
      sha: artifact.sha,
      number: artifact.pr,
      candidates,
    });
    if ('miss' in found) {
      context.log.info({ run: run.id, artifact: artifact.name, reason: found.miss }, 'report ignored');
      continue;
    }
    const key = `${repo.owner}/${repo.repo}@${found.pr.headSha}:${checkRunName(artifact.scope)}`;
    await queue.run(key, () =>
      publishArtifact(context.octokit, repo, { run, artifact, pr: found.pr, appId, log: context.log }),
    );
  }
}

/** One report artifact of a workflow run, bound to its pull request. */
interface ArtifactToPublish {
  run: WorkflowRun;
  artifact: ReportArtifact;
  pr: PullRequestRef;
  appId: number;
  log: Context['log'];
}

async function publishArtifact(octokit: Octokit, repo: RepoRef, job: ArtifactToPublish): Promise<void> {
  const { run, artifact, pr, appId, log } = job;
  const name = checkRunName(artifact.scope);
  const externalId = renderExternalId(run.id, artifact.id);
  // 3.
  const runs = await findCheckRuns(octokit, repo, { sha: pr.headSha, appId, name });
  const [latest] = runs;
  if (latest?.status === 'completed' && latest.externalId === externalId) {
    log.info({ run: run.id, artifact: artifact.name, checkRun: latest.id }, 'report already published');
    return;
  }
  const target: CheckTarget = { name, headSha: pr.headSha, runs, externalId, run };
  // 4.
  let report;
  try {
    report = await downloadReport(octokit, repo, artifact);
  } catch (error) {
    if (!(error instanceof ReportArtifactError)) throw error;
    log.warn({ run: run.id, artifact: artifact.name, kind: error.kind }, 'report refused');
    await completeCheck(octokit, repo, target, {
      conclusion: 'failure',
      title: 'The report artifact could not be used',
      summary: [
        `The artifact \`${artifact.name}\` of [workflow run ${run.id}](${run.html_url}) was refused:`,
        '',
        ...quoteError(error.message),
        '',
        'Re-run the workflow, or comment `/tuneguard recheck`.',
      ].join('\n'),
    });
    return;
  }
  // 5.
  let outcome: PublishOutcome;
  try {
    outcome = await publishReport(octokit, repo, {
      pr,
      report,
      source: {
        runId: run.id,
        runUrl: run.html_url,
        artifactName: artifact.name,
        artifactId: artifact.id,
        event: run.event,
        ...(run.path ? { workflowPath: run.path } : {}),
      },
      ...(artifact.scope !== undefined ? { scope: artifact.scope } : {}),
      appId,
      review: true,
      checkRuns: runs,
    });
  } catch (error) {
    log.error({ err: error, run: run.id, artifact: artifact.name }, 'publishing the report failed');
    await completeCheck(octokit, repo, target, {
      conclusion: 'action_required',
      title: "GitHub's API failed while tuneguard published the report",
      summary: [
        `The report \`${artifact.name}\` of [workflow run ${run.id}](${run.html_url}) was read, but GitHub's API failed while tuneguard published it (after retrying):`,
        '',
        ...quoteError(describeError(error)),
        '',
        'This says nothing about the pull request. Comment `/tuneguard recheck` to publish the report again.',
      ].join('\n'),
    });
    return;
  }
  log.info(
    {
      pr: pr.number,
      head: pr.headSha,
      conclusion: outcome.conclusion,
      review: outcome.review?.action,
      comment: outcome.comment?.action,
    },
    outcome.trusted ? 'report published' : 'report not trusted',
  );
}

/** The check run a report belongs to: its name and commit, the App's runs of it, and the record to store. */
interface CheckTarget {
  name: string;
  headSha: string;
  runs: readonly CheckRunRecord[];
  externalId: string;
  run: WorkflowRun;
}

/** Completes the check run in progress (or a new one) with a conclusion that is not the report's. */
async function completeCheck(
  octokit: Octokit,
  repo: RepoRef,
  target: CheckTarget,
  output: { conclusion: 'failure' | 'action_required'; title: string; summary: string },
): Promise<void> {
  await upsertCheckRun(octokit, repo, target.runs.find((r) => r.status !== 'completed')?.id, {
    name: target.name,
    headSha: target.headSha,
    status: 'completed',
    conclusion: output.conclusion,
    detailsUrl: target.run.html_url,
    externalId: target.externalId,
    output: { title: output.title, summary: output.summary },
  });
}

/** An error message as a text block, its fences defused (the message may quote untrusted text). */
function quoteError(message: string): string[] {
  return ['```text', message.replace(/```/g, "'''"), '```'];
}
