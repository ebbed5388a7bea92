import type { Context } from 'probot';
import { toPullRequestRef } from '../github/find-pull-request.js';
import { startCheck } from '../publish/start-check.js';

/**
 * `pull_request` opened, synchronize or reopened: starts the `tuneguard` check run on the new head
 * (pending until the report arrives), or fails it at once when the base branch's config is invalid.
 */
export async function handlePullRequest(
  context: Context<'pull_request.opened' | 'pull_request.synchronize' | 'pull_request.reopened'>,
): Promise<void> {
  const pr = toPullRequestRef(context.payload.pull_request);
  const { config } = await startCheck(context.octokit, context.repo(), pr, {
    title: 'Waiting for the report',
    summary: [
      `tuneguard reviews ${pr.headSha.slice(0, 7)} when the workflow that runs the tuneguard Action for this pull request uploads its report (the artifact \`tuneguard-report-pr${pr.number}-${pr.headSha}\`).`,
      '',
      'If no workflow runs the Action on `pull_request`, this check stays pending: see the README, "The GitHub App".',
    ].join('\n'),
  });
  context.log.info(
    { pr: pr.number, head: pr.headSha, config: config.valid ? 'valid' : 'invalid' },
    config.valid ? 'tuneguard check started' : 'tuneguard check failed: invalid config',
  );
}
