import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { AppOctokit, SECONDARY_RATE_LIMIT_RETRIES } from '../../../bot/github/octokit.js';
import { API, expectGitHubDone, mockGitHub, type GitHubMock } from '../helpers/github-app.js';
import { useNock } from '../helpers/use-nock.js';

const COMMENTS = '/repos/Codertocat/Hello-World/issues/2/comments';
// What GitHub answers when a burst of writes trips the secondary rate limit.
const SECONDARY = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url:
    'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
};

let github: GitHubMock;
useNock();
afterEach(() => {
  warnings.length = 0;
  expectGitHubDone(github);
  nock.cleanAll();
});

const warnings: string[] = [];
const log = {
  debug: () => {},
  info: () => {},
  warn: (message: string) => void warnings.push(message),
  error: () => {},
};

/**
 * The App's client as Probot makes it for an installation, with Probot's handler that never retries a
 * secondary rate limit (which the App's must replace), waiting 1 ms for each second GitHub asks.
 */
function createClient() {
  return new AppOctokit({
    auth: { token: 'ghs_installation_token' },
    baseUrl: API,
    log,
    retry: { enabled: false },
    throttle: { retryAfterBaseValue: 1, onRateLimit: () => false, onSecondaryRateLimit: () => false },
  });
}

describe("AppOctokit and GitHub's secondary rate limit", () => {
  it('sends the request again as retry-after asks, and succeeds', async () => {
    github = mockGitHub();
    github.api.post(COMMENTS).times(2).reply(403, SECONDARY, { 'retry-after': '1' });
    github.api
      .post(COMMENTS)
      .reply(201, { id: 13, html_url: 'https://github.com/Codertocat/Hello-World/pull/2#issuecomment-13' });

    const { data } = await createClient().rest.issues.createComment({
      owner: 'Codertocat',
      repo: 'Hello-World',
      issue_number: 2,
      body: 'tuneguard',
    });

    expect(data.id).toBe(13);
    expect(github.sent('POST', COMMENTS)).toHaveLength(3);
    expect(warnings).toEqual(
      Array.from(
        { length: 2 },
        () =>
          "GitHub's secondary rate limit on POST /repos/{owner}/{repo}/issues/{issue_number}/comments: retrying in 1 s.",
      ),
    );
  });

  it(`gives up after ${SECONDARY_RATE_LIMIT_RETRIES} retries, and after none when GitHub asks for more than a minute`, async () => {
    github = mockGitHub();
    github.api.post(COMMENTS).times(3).reply(403, SECONDARY, { 'retry-after': '1' });
    github.api.post(COMMENTS).reply(403, SECONDARY, { 'retry-after': '3600' });
    const client = createClient();
    const send = () =>
      client.rest.issues.createComment({
        owner: 'Codertocat',
        repo: 'Hello-World',
        issue_number: 2,
        body: 'x',
      });

    await expect(send()).rejects.toMatchObject({ status: 403 });
    expect(github.sent('POST', COMMENTS)).toHaveLength(1 + SECONDARY_RATE_LIMIT_RETRIES);
    await expect(send()).rejects.toMatchObject({ status: 403 });
    expect(github.sent('POST', COMMENTS)).toHaveLength(2 + SECONDARY_RATE_LIMIT_RETRIES);
  });
});
