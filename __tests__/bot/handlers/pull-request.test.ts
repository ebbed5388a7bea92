import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  BASE_REF,
  HEAD_SHA,
  INSTALLATION_ID,
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
    '%s: starts the tuneguard check in progress on the head, after reading the base branch config',
    async (action) => {
      github = mockGitHub();
      mockToken(github, INSTALLATION_ID);
      github.api.get(CONFIG).query({ ref: BASE_REF }).reply(404, { message: 'Not Found' });
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
      // The config is read with the raw media type, from the base branch and never from the head.
      expect(github.sent('GET', CONFIG)[0]?.path).toBe(`${CONFIG}?ref=${BASE_REF}`);
    },
  );

  it('a valid config on the base: the same pending check', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    github.api
      .get(CONFIG)
      .query({ ref: BASE_REF })
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

  it('an invalid config on the base: a failing check that quotes the parser, not a crash', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    // Line 2 misspells `checks`: the parser names the file, the line and the unknown key.
    github.api
      .get(CONFIG)
      .query({ ref: BASE_REF })
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
    expect(body.output.summary).toContain('Invalid config in .github/tuneguard.yml:2');
    expect(body.output.summary).toContain('Unrecognized key: "chekcs"');
    expect(body.output.summary).toContain('`/tuneguard recheck`');
  });
});
