import { findCheckRuns, latestPerName } from '../github/check-run.js';
import { getPullRequest } from '../github/find-pull-request.js';
import { rerunReports } from '../publish/rerun-reports.js';
import type { CommandContext, CommandOutcome } from './command-context.js';

/**
 * `/tuneguard recheck`: asks again for the head commit's report, as the Checks tab's re-run button does:
 * the workflow run that produced it runs again, or, when no report ever arrived, the check starts again
 * (reading the config again at the merge-base, so a fix merged into the pull request clears an
 * invalid-config failure).
 */
export async function recheck(context: CommandContext): Promise<CommandOutcome> {
  const { octokit, repo } = context;
  const pr = await getPullRequest(octokit, repo, context.prNumber);
  if (!pr.open) return { ok: false, text: 'This pull request is closed: there is nothing to check.' };
  const head = pr.headSha.slice(0, 7);
  const latest = latestPerName(
    await findCheckRuns(octokit, repo, { sha: pr.headSha, appId: context.appId, name: undefined }),
  );
  const outcomes = await rerunReports(octokit, repo, {
    latest,
    findPr: () => Promise.resolve(pr),
    requester: context.login,
  });
  const lines: string[] = [];
  let ok = true;
  for (const outcome of outcomes) {
    switch (outcome.action) {
      case 'rerun': {
        const run = outcome.runUrl
          ? `[workflow run ${outcome.runId}](${outcome.runUrl})`
          : `workflow run ${outcome.runId}`;
        lines.push(
          `Re-running ${run} for ${head}: \`${outcome.name}\` shows it in progress and updates when its report arrives.`,
        );
        break;
      }
      case 'failed':
        ok = false;
        lines.push(
          `GitHub would not re-run workflow run ${outcome.runId} for \`${outcome.name}\`: ${outcome.message.replace(/\s+/g, ' ')}`,
        );
        break;
      case 'restarted':
        if (outcome.configError !== undefined) {
          ok = false;
          lines.push(
            `The config, read ${outcome.configAt ?? `on \`${pr.baseRef}\``}, is invalid, so the check fails until the fix is on \`${pr.baseRef}\` and in this pull request (merge or rebase):\n\n\`\`\`text\n${outcome.configError.replace(/```/g, "'''")}\n\`\`\``,
          );
        } else {
          lines.push(
            `No report has arrived for ${head} yet, so there is no workflow run to re-run. The check is pending again; it completes when the workflow that runs the tuneguard Action uploads the report.`,
          );
        }
        break;
    }
  }
  return { ok, text: lines.join('\n\n') };
}
