import { describe, expect, it } from '@jest/globals';
import { expectDocumentedRequest } from './github-openapi.js';

describe('expectDocumentedRequest', () => {
  it.each([
    ['POST', '/repos/o/r/issues/7/comments', { body: 'hello' }, 'issues/create-comment'],
    ['PATCH', '/repos/o/r/issues/comments/42', { body: 'hello' }, 'issues/update-comment'],
    ['GET', '/repos/o/r/issues/7/comments?per_page=100&page=2', undefined, 'issues/list-comments'],
    [
      'POST',
      '/repos/o/r/check-runs',
      { name: 'tuneguard', head_sha: 'a'.repeat(40), status: 'in_progress' },
      'checks/create',
    ],
  ])('accepts %s %s', (method, path, body, operationId) => {
    expect(expectDocumentedRequest({ method, path, body })).toBe(operationId);
  });

  it.each([
    ['an invented endpoint', 'POST', '/repos/o/r/tuneguard', { x: 1 }, /not an operation/],
    [
      'an invented body field',
      'POST',
      '/repos/o/r/issues/7/comments',
      { body: 'x', sticky: true },
      /additional/,
    ],
    ['a missing required field', 'POST', '/repos/o/r/issues/7/comments', {}, /required/],
    [
      'an undocumented query parameter',
      'GET',
      '/repos/o/r/issues/7/comments?author=me',
      undefined,
      /not documented/,
    ],
    [
      'a wrong enum value',
      'POST',
      '/repos/o/r/check-runs',
      { name: 'n', head_sha: 'a', status: 'done' },
      /allowed values/,
    ],
  ])('rejects %s', (_name, method, path, body, pattern) => {
    expect(() => expectDocumentedRequest({ method, path, body })).toThrow(pattern);
  });
});
