import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  BASE_REF,
  BASE_SHA,
  COMPARE_PATH,
  HEAD_SHA,
  INSTALLATION_ID,
  MERGE_BASE_SHA,
  mockMergeBase,
  PR_NUMBER,
  pullRequestEvent,
  REPO_PATH,
} from '../helpers/events.js';
import {
  createTestProbot,
  deliver,
  expectGitHubDone,
  mockGitHub,
  mockToken,
  type GitHubMock,
} from '../helpers/github-app.js';
import { useNock } from '../helpers/use-nock.js';

const CONFIG = `${REPO_PATH}/contents/.github%2Ftuneguard.yml`;
let github: GitHubMock;

useNock();
afterEach(() => {
  expectGitHubDone(github);
  nock.cleanAll();
});

describe('pull_request', () => {
  it.each(['opened', 'synchronize', 'reopened'] as const)(
    '%s: starts the tuneguard check in progress on the head, after reading the config at the merge-base',
    async (action) => {
      github = mockGitHub();
      mockToken(github, INSTALLATION_ID);
      mockMergeBase(github);
      github.api.get(CONFIG).query({ ref: MERGE_BASE_SHA }).reply(404, { message: 'Not Found' });
      github.api
        .post(`${REPO_PATH}/check-runs`)
        .reply(201, { id: 71, html_url: 'https://github.com/c/r/runs/71' });

      await deliver(await createTestProbot(), 'pull_request', pullRequestEvent(action));

      const body = github.body('POST', `${REPO_PATH}/check-runs`);
      expect(body).toEqual({
        name: 'tuneguard',
        head_sha: HEAD_SHA,
        status: 'in_progress',
        output: {
          title: 'Waiting for the report',
          summary: expect.stringContaining(`the artifact \`tuneguard-report-pr${PR_NUMBER}-${HEAD_SHA}\``),
        },
      });
      // The merge-base of the payload's base and head, one commit per page, as the Action compares them;
      // the config is read there with the raw media type, never from the head.
      expect(github.sent('GET', COMPARE_PATH)[0]?.path).toBe(`${COMPARE_PATH}?per_page=1`);
      expect(github.sent('GET', CONFIG)[0]?.path).toBe(`${CONFIG}?ref=${MERGE_BASE_SHA}`);
    },
  );

  it('a valid config at the merge-base: the same pending check', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    mockMergeBase(github);
    github.api
      .get(CONFIG)
      .query({ ref: MERGE_BASE_SHA })
      .reply(
        200,
        'checks:\n  data-shrink: { max-drop: 10% }\ncommands:\n  rerun-eval: { workflow: eval.yml }\n',
        {
          'content-type': 'application/vnd.github.raw',
        },
      );
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, { id: 72, html_url: null });

    await deliver(await createTestProbot(), 'pull_request', pullRequestEvent('opened'));

    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({ status: 'in_progress' });
  });

  it('an invalid config at the merge-base: a failing check that quotes the parser, not a crash', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    mockMergeBase(github);
    // Line 2 misspells `checks`: the parser names the file, the line and the unknown key.
    github.api
      .get(CONFIG)
      .query({ ref: MERGE_BASE_SHA })
      .reply(200, 'params: [configs/sft.yaml]\nchekcs: { data-shrink: { max-drop: 10% } }\n', {
        'content-type': 'application/vnd.github.raw',
      });
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, { id: 73, html_url: null });

    await deliver(await createTestProbot(), 'pull_request', pullRequestEvent('opened'));

    const body = github.body<{ output: { summary: string } }>('POST', `${REPO_PATH}/check-runs`);
    expect(body).toMatchObject({
      name: 'tuneguard',
      head_sha: HEAD_SHA,
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Invalid tuneguard config' },
    });
    expect(body.output.summary).toContain('Invalid config in .github/tuneguard.yml (1 problem):');
    expect(body.output.summary).toContain(
      '.github/tuneguard.yml:2:1: unknown key "chekcs"; did you mean "checks"?',
    );
    expect(body.output.summary).toContain(
      `\`.github/tuneguard.yml\` at ${MERGE_BASE_SHA.slice(0, 7)}, the merge-base of \`${BASE_REF}\` and this pull request, and it is invalid:`,
    );
    expect(body.output.summary).toContain(
      `Fix the file on \`${BASE_REF}\`, then bring the fix into this pull request (merge or rebase \`${BASE_REF}\`)`,
    );
  });

  it('base and head share no history (GitHub finds no common ancestor): the config at base itself', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    mockMergeBase(github, 'unrelated');
    github.api
      .get(CONFIG)
      .query({ ref: BASE_SHA })
      .reply(200, 'chekcs: {}\n', { 'content-type': 'application/vnd.github.raw' });
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, { id: 74, html_url: null });

    await deliver(await createTestProbot(), 'pull_request', pullRequestEvent('opened'));

    const body = github.body<{ output: { summary: string } }>('POST', `${REPO_PATH}/check-runs`);
    expect(body.output.summary).toContain(
      `at ${BASE_SHA.slice(0, 7)}, the tip of \`${BASE_REF}\` (it shares no history with this pull request)`,
    );
    expect(body.output.summary).toContain('`/tuneguard recheck`');
  });
});
