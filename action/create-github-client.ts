import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { GitHubClient } from '../src/io/github/sticky-comment.js';

/** Times a request refused for the rate limit is sent again. */
export const RATE_LIMIT_RETRIES = 2;

/** The longest wait for a rate limit (seconds) a run sits out; GitHub asking for longer fails the request. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

/** Times a request that failed with a server error (5xx) or 429 is sent again. */
export const SERVER_ERROR_RETRIES = 3;

/** How the client waits; tests shorten the wait. */
export interface ClientTimings {
  /** Milliseconds per second of wait (GitHub's `retry-after`, and the retries' 1, 4, 9 s back-off). */
  retryAfterBaseValue: number;
}

/**
 * `@actions/github`'s REST client for `token` at `baseUrl`, with `@octokit/plugin-retry` (a 5xx or 429
 * is sent again up to {@link SERVER_ERROR_RETRIES} times, after 1, 4 and 9 s) and
 * `@octokit/plugin-throttling` (writes spaced as GitHub asks; a primary or secondary rate limit waited
 * out up to {@link RATE_LIMIT_RETRIES} times when GitHub asks for at most
 * {@link MAX_RATE_LIMIT_WAIT_SECONDS} s). A request that still fails throws its last error, so callers
 * can tell a rate limit from a permission by its headers.
 */
export function createGitHubClient(
  token: string,
  baseUrl: string,
  timings: ClientTimings = { retryAfterBaseValue: 1000 },
): GitHubClient {
  const onLimit =
    (which: string) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const again = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
      core.info(
        `GitHub's ${which} rate limit on ${options.method} ${options.url}: ${again ? `retrying in ${retryAfter} s` : 'giving up'}.`,
      );
      return again;
    };
  return getOctokit(
    token,
    {
      baseUrl,
      retry: { retries: SERVER_ERROR_RETRIES, retryAfterBaseValue: timings.retryAfterBaseValue },
      throttle: {
        retryAfterBaseValue: timings.retryAfterBaseValue,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
      },
    },
    retry,
    throttling,
  );
}
