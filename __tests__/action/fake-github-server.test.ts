import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { documentedResponse } from '../helpers/github-openapi.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github-server.js';

const REPOSITORY = { owner: 'Codertocat', repo: 'Hello-World' };
const COMMENTS = `/repos/${REPOSITORY.owner}/${REPOSITORY.repo}/issues/7/comments`;

let github: FakeGitHub;
let client: ReturnType<typeof getOctokit>;
beforeAll(async () => {
  github = await startFakeGitHub(REPOSITORY);
  client = getOctokit('token', { baseUrl: github.url });
});
beforeEach(() => github.reset());
afterAll(() => github.close());

/** The fields of a documented answer's object (of the array's items, for a list). */
function documentedFields(method: string, path: string, status: number): string[] {
  const schema = documentedResponse({ method, path }, status) as
    { properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } } | undefined;
  return Object.keys(schema?.items?.properties ?? schema?.properties ?? {});
}

/*
 * The local stand-in answers what GitHub's published REST description (@octokit/openapi) documents:
 * each route's status is one the operation lists, and every field it returns is a documented field.
 */
describe('the local GitHub stand-in, against GitHub’s REST description', () => {
  it('answers list, create, update and delete of issue comments with documented statuses and fields', async () => {
    const repo = { ...REPOSITORY, issue_number: 7 };
    const created = await client.rest.issues.createComment({ ...repo, body: 'hello' });
    const listed = await client.rest.issues.listComments({ ...repo, per_page: 100 });
    const updated = await client.rest.issues.updateComment({
      ...REPOSITORY,
      comment_id: created.data.id,
      body: 'hi',
    });
    const deleted = await client.rest.issues.deleteComment({ ...REPOSITORY, comment_id: created.data.id });
    const one = `/repos/${REPOSITORY.owner}/${REPOSITORY.repo}/issues/comments/${created.data.id}`;

    for (const [method, path, response] of [
      ['POST', COMMENTS, created],
      ['GET', COMMENTS, listed],
      ['PATCH', one, updated],
    ] as const) {
      const fields = documentedFields(method, path, response.status);
      const answered = Array.isArray(response.data)
        ? response.data.flatMap(Object.keys)
        : Object.keys(response.data);
      expect([method, answered.filter((field) => !fields.includes(field))]).toEqual([method, []]);
    }
    expect([created.status, listed.status, updated.status, deleted.status]).toEqual([201, 200, 200, 204]);
    expect(documentedResponse({ method: 'DELETE', path: one }, deleted.status)).toBeUndefined();
    expect(github.comments).toEqual([]);
    expect(github.problems).toEqual([]);
  });

  it('pages the list as GitHub does: a Link header with rel="next" until the last page', async () => {
    for (let i = 0; i < 3; i += 1)
      await client.rest.issues.createComment({ ...REPOSITORY, issue_number: 7, body: `c${i}` });
    const pages: number[] = [];
    for await (const page of client.paginate.iterator(client.rest.issues.listComments, {
      ...REPOSITORY,
      issue_number: 7,
      per_page: 2,
    })) {
      pages.push(page.data.length);
    }
    expect(pages).toEqual([2, 1]);
    expect(github.problems).toEqual([]);
  });

  it('answers a comment deleted meanwhile with 404, as GitHub does, though the description lists no 404 for them', async () => {
    const one = `/repos/${REPOSITORY.owner}/${REPOSITORY.repo}/issues/comments/4242`;
    await expect(
      client.rest.issues.updateComment({ ...REPOSITORY, comment_id: 4242, body: 'hi' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(client.rest.issues.deleteComment({ ...REPOSITORY, comment_id: 4242 })).rejects.toMatchObject(
      {
        status: 404,
      },
    );
    // The answers the stand-in gives beyond the description, as GitHub does: if GitHub documents them,
    // this fails and the exception can go.
    expect(() => documentedResponse({ method: 'PATCH', path: one }, 404)).toThrow('documents no 404 answer');
    expect(() => documentedResponse({ method: 'DELETE', path: one }, 404)).toThrow('documents no 404 answer');
    expect(github.problems).toEqual([]);
  });
});
