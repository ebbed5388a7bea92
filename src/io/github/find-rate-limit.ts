/** A request GitHub refused for the rate limit, and when it says to try again. */
export interface RateLimit {
  /** The HTTP status: 403 or 429. */
  status: number;
  /** When the limit resets (`x-ratelimit-reset`, an ISO date), if GitHub said. */
  resetAt?: string;
  /** Seconds to wait (`retry-after`), if GitHub said. */
  retryAfterSeconds?: number;
}

/**
 * Whether an Octokit request error is GitHub's rate limit rather than a refusal: a 403 or 429 whose
 * response says `x-ratelimit-remaining: 0` or carries `retry-after` (the primary and the secondary
 * limit). A 403 without them is a permission the token lacks. Judged by headers only, never by the
 * message, which GitHub words differently over time. `undefined` for anything else.
 * @example findRateLimit({ status: 403, response: { headers: { 'x-ratelimit-remaining': '0' } } }) // { status: 403 }
 * @example findRateLimit({ status: 403, response: { headers: {} } }) // undefined
 */
export function findRateLimit(error: unknown): RateLimit | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const { status } = error;
  if (status !== 403 && status !== 429) return undefined;
  const headers = readHeaders(error);
  const remaining = headers['x-ratelimit-remaining'];
  const retryAfter = headers['retry-after'];
  if (remaining !== '0' && retryAfter === undefined) return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  const wait = Number(retryAfter);
  return {
    status,
    ...(remaining === '0' && Number.isSafeInteger(reset) && reset > 0
      ? { resetAt: new Date(reset * 1000).toISOString() }
      : {}),
    ...(retryAfter !== undefined && Number.isFinite(wait) && wait >= 0 ? { retryAfterSeconds: wait } : {}),
  };
}

function readHeaders(error: object): Record<string, string | undefined> {
  if (!('response' in error) || typeof error.response !== 'object' || error.response === null) return {};
  const { response } = error;
  if (!('headers' in response) || typeof response.headers !== 'object' || response.headers === null)
    return {};
  return Object.fromEntries(
    Object.entries(response.headers).map(([name, value]) => [
      name.toLowerCase(),
      value === undefined || value === null ? undefined : String(value),
    ]),
  );
}
