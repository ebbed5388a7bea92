import { checkRunName, upsertCheckRun } from '../github/check-run.js';
import { loadPullRequestConfig, type BaseConfig, type ConfigCommit } from '../github/load-base-config.js';
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
 * summary, so a required check shows pending until the report arrives. The config is read first, at the
 * merge-base of base and head as the Action reads it: an invalid one completes the check as a `failure`
 * that quotes the parser's message instead. Returns the config as read, where, and the check run's id.
 */
export async function startCheck(
  octokit: Octokit,
  repo: RepoRef,
  pr: Pick<PullRequestRef, 'headSha' | 'baseRef' | 'baseSha'>,
  pending: PendingCheck,
): Promise<{ config: BaseConfig; at: ConfigCommit; checkRunId: number }> {
  const { config, at } = await loadPullRequestConfig(octokit, repo, pr);
  const base = {
    name: checkRunName(),
    headSha: pr.headSha,
    ...(pending.detailsUrl !== undefined ? { detailsUrl: pending.detailsUrl } : {}),
    ...(pending.externalId !== undefined ? { externalId: pending.externalId } : {}),
  };
  if (!config.valid) {
    const summary = [
      `tuneguard reads its configuration from \`${config.error.path}\` ${describeConfigCommit(at, pr.baseRef)}, and it is invalid:`,
      '',
      '```text',
      config.error.message.replace(/```/g, "'''"),
      '```',
      '',
      at.mergeBase
        ? `Fix the file on \`${pr.baseRef}\`, then bring the fix into this pull request (merge or rebase \`${pr.baseRef}\`): the push checks it again.`
        : `Fix the file on \`${pr.baseRef}\`, then comment \`/tuneguard recheck\` here (or push a commit).`,
    ].join('\n');
    const check = await upsertCheckRun(octokit, repo, undefined, {
      ...base,
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Invalid tuneguard config', summary },
    });
    return { config, at, checkRunId: check.id };
  }
  const check = await upsertCheckRun(octokit, repo, undefined, {
    ...base,
    status: 'in_progress',
    output: { title: pending.title, summary: pending.summary },
  });
  return { config, at, checkRunId: check.id };
}

/**
 * Where a pull request's config was read, in words.
 * @example describeConfigCommit({ sha: '6dcb09b5…', mergeBase: true }, 'main') // 'at 6dcb09b, the merge-base of `main` and this pull request'
 */
export function describeConfigCommit(at: ConfigCommit, baseRef: string): string {
  return at.mergeBase
    ? `at ${at.sha.slice(0, 7)}, the merge-base of \`${baseRef}\` and this pull request`
    : `at ${at.sha.slice(0, 7)}, the tip of \`${baseRef}\` (it shares no history with this pull request)`;
}
