import { describe, expect, it } from '@jest/globals';
import { RequestError } from '@octokit/request-error';
import { findRateLimit } from '../../../src/io/github/find-rate-limit.js';

const request = {
  method: 'POST' as const,
  url: 'https://api.github.com/repos/o/r/issues/7/comments',
  headers: {},
};
const refusal = (status: number, headers: Record<string, string>) =>
  new RequestError('refused', status, {
    request,
    response: { status, url: request.url, headers, data: { message: 'refused' } },
  });

describe('findRateLimit', () => {
  it.each([
    [
      'a primary rate limit (403, no requests left) with its reset time',
      refusal(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600' }),
      { status: 403, resetAt: '2026-01-01T00:00:00.000Z' },
    ],
    [
      'a secondary rate limit (403 with retry-after)',
      refusal(403, { 'retry-after': '60' }),
      { status: 403, retryAfterSeconds: 60 },
    ],
    ['a 429 with retry-after', refusal(429, { 'retry-after': '0' }), { status: 429, retryAfterSeconds: 0 }],
    ['a 429 with no requests left', refusal(429, { 'x-ratelimit-remaining': '0' }), { status: 429 }],
  ])('%s', (_, error, limit) => {
    expect(findRateLimit(error)).toEqual(limit);
  });

  it.each([
    ['a 403 for a missing permission', refusal(403, { 'x-ratelimit-remaining': '4999' })],
    ['a 403 without rate-limit headers', refusal(403, {})],
    ['a 500 with retry-after', refusal(500, { 'retry-after': '1' })],
    ['a plain Error', new Error('boom')],
    ['a string', 'boom'],
    ['null', null],
  ])('is undefined for %s', (_, error) => {
    expect(findRateLimit(error)).toBeUndefined();
  });
});
