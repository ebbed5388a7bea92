import { escapeCode, escapeMarkdown } from '../../src/render/escape-markdown.js';
import { addAcceptance, readAcceptanceRecords } from '../../src/render/acceptance-record.js';
import {
  findCheckRuns,
  findWorkflowRunId,
  latestPerName,
  scopeOfCheckRunName,
  type CheckRunRecord,
} from '../github/check-run.js';
import { downloadReport, findReportArtifacts } from '../../src/io/github/download-report.js';
import { getPullRequest } from '../github/find-pull-request.js';
import { hasRole } from '../github/get-permission.js';
import { publishReport, type PullRequestRef } from '../publish/publish-report.js';
import type { CommandContext, CommandOutcome } from './command-context.js';

const CHECK_ID = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * `/tuneguard accept <check-id> <reason>`: a maintainer accepts the failures and warnings of one check
 * on the head commit. The report is read again from the workflow run the check run names, the
 * acceptance (who, which check, why) is recorded in a new completed check run with the verdict
 * computed again, and the sticky comment shows it. The next commit has new check runs, so the
 * acceptance lasts until then. Refused below maintain, without a reason, or before the report arrived.
 */
export async function accept(context: CommandContext, args: readonly string[]): Promise<CommandOutcome> {
  if (!hasRole(context.role, 'maintain')) {
    return {
      ok: false,
      text: `Sorry, accepting a check's findings takes the maintain or admin role on this repository (yours is ${context.role}). Ask a maintainer to run it.`,
    };
  }
  const [check = '', ...words] = args;
  const reason = words.join(' ').trim();
  if (!CHECK_ID.test(check) || reason === '') {
    return {
      ok: false,
      text: 'Write it as `/tuneguard accept <check-id> <reason>`, for example `/tuneguard accept eval-regression "known drop, fixed in the next release"`.',
    };
  }
  const { octokit, repo } = context;
  const pr = await getPullRequest(octokit, repo, context.prNumber);
  if (!pr.open) return { ok: false, text: 'This pull request is closed: there is nothing to accept.' };
  const head = pr.headSha.slice(0, 7);
  const runs = await findCheckRuns(octokit, repo, {
    sha: pr.headSha,
    appId: context.appId,
    name: undefined,
  });
  const latest = latestPerName(runs);
  const ready = latest.flatMap((run) => {
    const runId = findWorkflowRunId(run.externalId);
    return run.status === 'completed' && runId !== undefined ? [{ run, runId }] : [];
  });
  if (ready.length === 0 || ready.length < latest.length) {
    return {
      ok: false,
      text: `The report for ${head} has not arrived yet (the check is still in progress, or never got one): accept once the check has completed.`,
    };
  }
  const lines: string[] = [];
  let accepted = 0;
  for (const { run, runId } of ready) {
    const outcome = await acceptOnCheckRun(context, pr, run, runId, runs, check, reason);
    if (!outcome) continue;
    accepted += outcome.findings;
    lines.push(outcome.text);
  }
  if (accepted === 0) {
    return {
      ok: false,
      text: `Nothing to accept: \`${check}\` has no failure or warning on ${head}. The checks with failures or warnings are in the check run.`,
    };
  }
  return {
    ok: true,
    text: [
      `Accepted ${escapeCode(check)} on ${head} for @${context.login}: ${escapeMarkdown(reason)}`,
      '',
      ...lines,
      '',
      'This lasts until the next commit.',
    ].join('\n'),
  };
}

/** Accepts on one check run (one scope); `undefined` when its report has nothing of `check` to accept. */
async function acceptOnCheckRun(
  context: CommandContext,
  pr: PullRequestRef,
  run: CheckRunRecord,
  runId: number,
  runs: readonly CheckRunRecord[],
  check: string,
  reason: string,
): Promise<{ findings: number; text: string } | undefined> {
  const { octokit, repo } = context;
  const scope = scopeOfCheckRunName(run.name);
  const [{ data: workflowRun }, artifacts] = await Promise.all([
    octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId }),
    findReportArtifacts(octokit, repo, runId),
  ]);
  const artifact = artifacts.find((a) => a.sha === pr.headSha && a.scope === scope);
  if (!artifact) return undefined;
  const report = await downloadReport(octokit, repo, artifact);
  const matching = report.findings.filter(
    (finding) => finding.check === check && finding.severity !== 'notice',
  );
  if (matching.length === 0) return undefined;
  const recorded = readAcceptanceRecords(runs.filter((r) => r.name === run.name).map((r) => r.text));
  const acceptances = addAcceptance(recorded, { check, by: context.login, reason });
  const outcome = await publishReport(octokit, repo, {
    pr,
    report,
    source: {
      runId,
      runUrl: workflowRun.html_url,
      artifactName: artifact.name,
      artifactId: artifact.id,
      event: workflowRun.event,
      ...(workflowRun.path ? { workflowPath: workflowRun.path } : {}),
    },
    ...(scope !== undefined ? { scope } : {}),
    appId: context.appId,
    review: false,
    acceptances,
  });
  if (!outcome.trusted) return undefined;
  const failures = matching.filter((finding) => finding.severity === 'failure').length;
  const counted = [
    failures > 0 ? `${failures} failure${failures === 1 ? '' : 's'}` : undefined,
    matching.length - failures > 0
      ? `${matching.length - failures} warning${matching.length - failures === 1 ? '' : 's'}`
      : undefined,
  ].filter((part) => part !== undefined);
  const link = outcome.checkRunUrl ? `[\`${run.name}\`](${outcome.checkRunUrl})` : `\`${run.name}\``;
  return {
    findings: matching.length,
    text: `- ${link}: ${counted.join(' and ')} now count as notices; the check is **${outcome.conclusion}** (it was ${run.conclusion ?? 'not concluded'}).`,
  };
}
