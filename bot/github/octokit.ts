import { ProbotOctokit, type Context } from 'probot';

/** The installation-authenticated client Probot hands each event handler. */
export type Octokit = Context['octokit'];

/** A repository, as the REST API's `owner` and `repo` parameters. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Times a request refused by GitHub's secondary rate limit is sent again. */
export const SECONDARY_RATE_LIMIT_RETRIES = 2;

/** The longest wait (seconds) the App sits out for a secondary rate limit before giving up. */
export const MAX_SECONDARY_WAIT_SECONDS = 60;

/**
 * Whether to send a request again after GitHub's secondary rate limit (`@octokit/plugin-throttling`'s
 * `onSecondaryRateLimit`): up to {@link SECONDARY_RATE_LIMIT_RETRIES} times, when GitHub asks to wait
 * at most {@link MAX_SECONDARY_WAIT_SECONDS} seconds. Probot's own handler only logs, so a burst of
 * writes (a review, its minimised predecessors, the comment) would fail the publication.
 */
export function retrySecondaryRateLimit(
  retryAfter: number,
  options: { method: string; url: string },
  octokit: { log: { warn: (message: string) => void } },
  retryCount: number,
): boolean {
  const again = retryCount < SECONDARY_RATE_LIMIT_RETRIES && retryAfter <= MAX_SECONDARY_WAIT_SECONDS;
  octokit.log.warn(
    `GitHub's secondary rate limit on ${options.method} ${options.url}: ${again ? `retrying in ${retryAfter} s` : 'giving up'}.`,
  );
  return again;
}

/**
 * Probot's client with {@link retrySecondaryRateLimit}. A function given to `defaults` sees the options
 * Probot builds for each installation last, so the handler replaces Probot's rather than being replaced.
 */
export const AppOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...(options['throttle'] as object | undefined),
    onSecondaryRateLimit: retrySecondaryRateLimit,
  },
}));
