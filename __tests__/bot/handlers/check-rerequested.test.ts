import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  MERGE_BASE_SHA,
  mockMergeBase,
  checkRunData,
  checkRunRerequestedEvent,
  checkSuiteRerequestedEvent,
  HEAD_SHA,
  INSTALLATION_ID,
  PR_NUMBER,
  pullRequestData,
  REPO_PATH,
  RUN_ID,
  RUN_URL,
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

let github: GitHubMock;

useNock();
afterEach(() => {
  expectGitHubDone(github);
  nock.cleanAll();
});

describe('check_run.rerequested', () => {
  it('re-runs the workflow run stored in the check run’s external_id and shows it in progress', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    github.api.post(`${REPO_PATH}/actions/runs/${RUN_ID}/rerun`).reply(201, {});
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 95 }));

    await deliver(
      await createTestProbot(),
      'check_run',
      checkRunRerequestedEvent({ externalId: String(RUN_ID) }),
    );

    // The example's sender is `octocat`.
    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toEqual({
      name: 'tuneguard',
      head_sha: HEAD_SHA,
      status: 'in_progress',
      details_url: RUN_URL,
      external_id: String(RUN_ID),
      output: {
        title: 'Re-running the workflow',
        summary: `@octocat asked for a new check: re-running [workflow run ${RUN_ID}](${RUN_URL}). This check completes when its report arrives.`,
      },
    });
    expect(github.sent('POST', `${REPO_PATH}/actions/runs/${RUN_ID}/rerun`)).toHaveLength(1);
  });

  it('a check whose report never arrived starts again on its pull request', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    mockMergeBase(github);
    github.api
      .get(`${REPO_PATH}/contents/.github%2Ftuneguard.yml`)
      .query({ ref: MERGE_BASE_SHA })
      .reply(404, { message: 'Not Found' });
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 96 }));

    await deliver(await createTestProbot(), 'check_run', checkRunRerequestedEvent({ pullRequests: true }));

    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({
      name: 'tuneguard',
      head_sha: HEAD_SHA,
      status: 'in_progress',
      output: { title: 'Waiting for the report' },
    });
  });

  it.each([
    ['another App’s check run', { appId: 29310, externalId: String(RUN_ID) }],
    ['a check run of another name', { name: 'lint', externalId: String(RUN_ID) }],
  ])('%s is ignored', async (_, options) => {
    github = mockGitHub();
    await deliver(await createTestProbot(), 'check_run', checkRunRerequestedEvent(options));
    expect(github.requests).toEqual([]);
  });
});

describe('check_suite.rerequested', () => {
  it('re-runs each workflow run behind the latest check run of each name, once', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    const suiteId = checkSuiteRerequestedEvent().check_suite.id;
    github.api
      .get(`${REPO_PATH}/check-suites/${suiteId}/check-runs`)
      .query({ filter: 'all', per_page: 100 })
      .reply(200, {
        total_count: 3,
        check_runs: [
          checkRunData({ id: 81, status: 'completed', externalId: String(RUN_ID) }),
          checkRunData({
            id: 82,
            status: 'completed',
            externalId: String(RUN_ID),
            name: 'tuneguard (models_sft)',
          }),
          // An older run of the same name: not re-run.
          checkRunData({ id: 70, status: 'completed', externalId: '111' }),
        ],
      });
    github.api.post(`${REPO_PATH}/actions/runs/${RUN_ID}/rerun`).reply(201, {});
    github.api
      .post(`${REPO_PATH}/check-runs`)
      .times(2)
      .reply(201, checkRunData({ id: 97 }));

    await deliver(await createTestProbot(), 'check_suite', checkSuiteRerequestedEvent());

    expect(
      github.sent('POST', `${REPO_PATH}/check-runs`).map((r) => (r.body as { name: string }).name),
    ).toEqual(['tuneguard (models_sft)', 'tuneguard']);
  });
});
