import { checkRunName, upsertCheckRun } from '../github/check-run.js';
import { loadBaseConfig, type BaseConfig } from '../github/load-base-config.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import type { PullRequestRef } from './publish-report.js';

/** What the pending check run says while the report is awaited. */
export interface PendingCheck {
  title: string;
  summary: string;
  detailsUrl?: string;
  externalId?: string;
}

/**
 * Starts the `tuneguard` check run on a pull request's head: `in_progress` with `pending`'s title and
 * summary, so a required check shows pending until the report arrives. The config is read from the
 * base branch first: an invalid one completes the check as a `failure` that quotes the parser's message
 * instead. Returns the config as read, and the check run's id.
 */
export async function startCheck(
  octokit: Octokit,
  repo: RepoRef,
  pr: Pick<PullRequestRef, 'headSha' | 'baseRef'>,
  pending: PendingCheck,
): Promise<{ config: BaseConfig; checkRunId: number }> {
  const config = await loadBaseConfig(octokit, repo, pr.baseRef);
  const base = {
    name: checkRunName(),
    headSha: pr.headSha,
    ...(pending.detailsUrl !== undefined ? { detailsUrl: pending.detailsUrl } : {}),
    ...(pending.externalId !== undefined ? { externalId: pending.externalId } : {}),
  };
  if (!config.valid) {
    const summary = [
      `tuneguard reads its configuration from \`${config.error.path}\` on the base branch \`${pr.baseRef}\`, and it is invalid:`,
      '',
      '```text',
      config.error.message.replace(/```/g, "'''"),
      '```',
      '',
      `Fix the file on \`${pr.baseRef}\`, then comment \`/tuneguard recheck\` here (or push a commit).`,
    ].join('\n');
    const check = await upsertCheckRun(octokit, repo, undefined, {
      ...base,
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Invalid tuneguard config', summary },
    });
    return { config, checkRunId: check.id };
  }
  const check = await upsertCheckRun(octokit, repo, undefined, {
    ...base,
    status: 'in_progress',
    output: { title: pending.title, summary: pending.summary },
  });
  return { config, checkRunId: check.id };
}
