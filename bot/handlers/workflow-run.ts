import type { Context } from 'probot';
import type { AppIdentity } from '../github/app-identity.js';
import { checkRunName, findCheckRuns, upsertCheckRun } from '../github/check-run.js';
import { downloadReport, findReportArtifacts, type ReportArtifact } from '../github/download-report.js';
import { findPullRequest } from '../github/find-pull-request.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import { publishReport, type PullRequestRef } from '../publish/publish-report.js';
import { ReportArtifactError } from '../github/report-artifact-error.js';

type WorkflowRun = Context<'workflow_run.completed'>['payload']['workflow_run'];

/**
 * `workflow_run` completed: publishes each tuneguard report artifact of the run (a run without one is
 * ignored):
 * 1. find the artifacts named `tuneguard-report-…`;
 * 2. bind each to its pull request by head commit: a `pull_request` run may only report on its own
 *    head, and the pull request's current head (read from the API) must be the report's, else the report
 *    is outdated and ignored;
 * 3. download and validate it as untrusted input; a refused artifact fails the check with the reason;
 * 4. publish it: check run, review, sticky comment.
 */
export async function handleWorkflowRun(
  context: Context<'workflow_run.completed'>,
  identity: AppIdentity,
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
    await publishArtifact(context.octokit, repo, { run, artifact, pr: found.pr, appId, log: context.log });
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
  const source = { runId: run.id, runUrl: run.html_url, artifactName: artifact.name };
  // 3.
  let report;
  try {
    report = await downloadReport(octokit, repo, artifact);
  } catch (error) {
    if (!(error instanceof ReportArtifactError)) throw error;
    log.warn({ run: run.id, artifact: artifact.name, kind: error.kind }, 'report refused');
    const name = checkRunName(artifact.scope);
    const runs = await findCheckRuns(octokit, repo, { sha: pr.headSha, appId, name });
    await upsertCheckRun(octokit, repo, runs.find((r) => r.status !== 'completed')?.id, {
      name,
      headSha: pr.headSha,
      status: 'completed',
      conclusion: 'failure',
      detailsUrl: run.html_url,
      externalId: String(run.id),
      output: {
        title: 'The report artifact could not be used',
        summary: [
          `The artifact \`${artifact.name}\` of [workflow run ${run.id}](${run.html_url}) was refused:`,
          '',
          '```text',
          error.message.replace(/```/g, "'''"),
          '```',
          '',
          'Re-run the workflow, or comment `/tuneguard recheck`.',
        ].join('\n'),
      },
    });
    return;
  }
  // 4.
  const outcome = await publishReport(octokit, repo, {
    pr,
    report,
    source: { ...source, event: run.event, ...(run.path ? { workflowPath: run.path } : {}) },
    ...(artifact.scope !== undefined ? { scope: artifact.scope } : {}),
    appId,
    review: true,
  });
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
