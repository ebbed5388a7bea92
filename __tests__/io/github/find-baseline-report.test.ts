import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { findBaselineReport, type BaselineQuery } from '../../../src/io/github/find-baseline-report.js';
import type { GitHubClient } from '../../../src/io/github/sticky-comment.js';
import type { EvalResults } from '../../../src/model/report-schema.js';
import { computeArtifactName } from '../../../src/report/artifact-name.js';
import { serializeReport } from '../../../src/report/serialize-report.js';
import { createZip } from '../../bot/helpers/zip.js';
import { useNock } from '../../bot/helpers/use-nock.js';
import { documentedExample, expectDocumentedRequest } from '../../helpers/github-openapi.js';
import { buildSampleReport } from '../../helpers/sample-report.js';

useNock();

const API = 'https://api.github.com';
const BLOB = 'https://results-receiver.blob.core.windows.net';
const REPO = { owner: 'octo-org', repo: 'tuned' };
const REPO_PATH = `/repos/${REPO.owner}/${REPO.repo}`;
const [BASE, PARENT, GRANDPARENT] = ['1', '2', '3'].map((digit) => digit.repeat(40)) as [
  string,
  string,
  string,
];
const NOW = new Date('2025-03-01T12:00:00Z');
const RESULTS: EvalResults[] = [
  {
    path: 'results/lambada.json',
    format: 'lm-eval',
    metrics: [
      { task: 'lambada_openai', metric: 'acc', value: 0.6881428294197555, stderr: 0.006454004061618767 },
    ],
    tasks: {},
    evaluator: {},
    groups: {},
  },
];
const query = (commits = [BASE, PARENT, GRANDPARENT]): BaselineQuery => ({
  repo: REPO,
  commits,
  defaultBranch: 'main',
  now: NOW,
});
// The App's client: nock intercepts its requests (the Action's client is run against the stand-in in
// the end-to-end test of the built Action).
const client = (): GitHubClient =>
  new ProbotOctokit({
    auth: { token: 'job-token' },
    retry: { enabled: false },
    throttle: { enabled: false },
  });

/** Every request nock answered, to check against GitHub's REST description. */
const seen: { method: string; path: string }[] = [];
function api(): nock.Scope {
  return nock(API).on('request', (req: { method: string; path: string }) => {
    seen.push({ method: req.method, path: req.path });
  });
}
afterEach(() => {
  for (const request of seen) expectDocumentedRequest(request);
  seen.length = 0;
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

/** An artifact as the REST API lists it, from GitHub's documented example. */
function artifact(id: number, sha: string, run: { id: number; branch?: string }, extra: object = {}): object {
  return {
    ...documentedExample<object>('artifact'),
    id,
    name: computeArtifactName({ sha }),
    created_at: '2025-02-26T10:00:00Z',
    digest: undefined,
    workflow_run: {
      id: run.id,
      repository_id: 1,
      head_repository_id: 1,
      head_branch: run.branch ?? 'main',
      head_sha: sha,
    },
    ...extra,
  };
}
/** A workflow run as the REST API gives it, from GitHub's documented example. */
function run(id: number, sha: string, event: string, headRepository = 'octo-org/tuned'): object {
  const example = documentedExample<{ head_repository: object; repository: object }>('workflow-run');
  return {
    ...example,
    id,
    event,
    head_branch: 'main',
    head_sha: sha,
    html_url: `https://github.com/octo-org/tuned/actions/runs/${id}`,
    head_repository: { ...example.head_repository, full_name: headRepository },
    repository: { ...example.repository, full_name: 'octo-org/tuned' },
  };
}
/** The report zip of a default-branch run on `sha`. */
function reportZip(sha: string): Buffer {
  const report = buildSampleReport({ head: { ref: 'main', sha }, evalResults: RESULTS });
  return createZip([{ name: 'tuneguard-report.json', data: serializeReport(report) }]);
}
function download(id: number, sha: string): void {
  api()
    .get(`${REPO_PATH}/actions/artifacts/${id}/zip`)
    .reply(302, '', { location: `${BLOB}/artifacts/${id}.zip?sig=x` });
  nock(BLOB).get(`/artifacts/${id}.zip`).query(true).reply(200, reportZip(sha));
}

describe('findBaselineReport', () => {
  it("takes the base commit's report by name when a push run on main uploaded it", async () => {
    api()
      .get(`${REPO_PATH}/actions/artifacts`)
      .query({ name: computeArtifactName({ sha: BASE }), per_page: 10 })
      .reply(200, { total_count: 1, artifacts: [artifact(31, BASE, { id: 901 })] });
    api()
      .get(`${REPO_PATH}/actions/runs/901`)
      .reply(200, run(901, BASE, 'push'));
    download(31, BASE);

    const outcome = await findBaselineReport(client(), query());

    expect(outcome).toEqual({
      found: {
        runId: 901,
        url: 'https://github.com/octo-org/tuned/actions/runs/901',
        sha: BASE,
        branch: 'main',
        event: 'push',
        commitsBack: 0,
        createdAt: '2025-02-26T10:00:00Z',
        // 2025-02-26T10:00 to 2025-03-01T12:00: 3 days and 2 hours.
        ageDays: 3,
      },
      results: RESULTS,
    });
  });

  it("skips a pull request's forged report and an expired one, and takes the nearest ancestor's", async () => {
    api()
      .get(`${REPO_PATH}/actions/artifacts`)
      .query({ name: computeArtifactName({ sha: BASE }), per_page: 10 })
      .reply(200, { total_count: 0, artifacts: [] });
    api()
      .get(`${REPO_PATH}/actions/artifacts`)
      .query({ per_page: 100 })
      .reply(200, {
        total_count: 3,
        artifacts: [
          artifact(41, PARENT, { id: 902 }),
          artifact(40, PARENT, { id: 900 }, { expired: true }),
          artifact(39, GRANDPARENT, { id: 899 }),
        ],
      });
    // The parent's artifact says main, but its run is a fork's pull_request run: refused.
    api()
      .get(`${REPO_PATH}/actions/runs/902`)
      .reply(200, run(902, PARENT, 'pull_request', 'mallory/tuned'));
    api()
      .get(`${REPO_PATH}/actions/runs/899`)
      .reply(200, run(899, GRANDPARENT, 'workflow_dispatch'));
    download(39, GRANDPARENT);

    const outcome = await findBaselineReport(client(), query());

    expect(outcome).toMatchObject({
      found: { runId: 899, sha: GRANDPARENT, event: 'workflow_dispatch', commitsBack: 2 },
      results: RESULTS,
    });
  });

  it('says why when no run on main uploaded a report for these commits', async () => {
    api()
      .get(`${REPO_PATH}/actions/artifacts`)
      .query({ name: computeArtifactName({ sha: BASE }), per_page: 10 })
      .reply(200, { total_count: 0, artifacts: [] });
    api()
      .get(`${REPO_PATH}/actions/artifacts`)
      .query({ per_page: 100 })
      .reply(200, { total_count: 1, artifacts: [artifact(50, PARENT, { id: 903, branch: 'feature' })] });

    expect(await findBaselineReport(client(), query())).toEqual({
      missing:
        'no usable report artifact of a push, workflow_dispatch or schedule run on main for the base commit or the 2 commits before it',
    });
  });

  it('names the permission when the token may not list artifacts, and does not throw', async () => {
    api()
      .get(`${REPO_PATH}/actions/artifacts`)
      .query({ name: computeArtifactName({ sha: BASE }), per_page: 10 })
      .reply(403, { message: 'Resource not accessible by integration' });

    expect(await findBaselineReport(client(), query([BASE]))).toEqual({
      missing:
        "the job's token may not list this repository's artifacts (HTTP 403): give the job `permissions: actions: read`",
    });
  });
});
