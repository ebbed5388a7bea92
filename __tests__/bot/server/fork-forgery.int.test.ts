import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { readFileSync } from 'node:fs';
import type { Server } from 'probot';
import { startServer } from '../../../bot/server/start-server.js';
import {
  BASE_SHA,
  checkRunData,
  HEAD_SHA,
  INSTALLATION_ID,
  PR_NUMBER,
  pullRequestData,
  REPO_PATH,
  RUN_ID,
  workflowRunEvent,
} from '../helpers/events.js';
import {
  API,
  APP_ID,
  expectGitHubDone,
  mockGitHub,
  PRIVATE_KEY,
  TestOctokit,
  type GitHubMock,
} from '../helpers/github-app.js';
import { mockArtifact, sampleZip } from '../helpers/report-run.js';
import { useNock } from '../helpers/use-nock.js';
import { freePort } from '../../helpers/free-port.js';
import { signDelivery } from '../helpers/sign-delivery.js';

/*
 * A fork forging a pass. The fork's pull_request run executes the fork's version of the workflow and of
 * whatever the workflow runs from the repository, so such a fork can upload a report with no findings
 * whatever its data. Each delivery goes through the App's real server on 127.0.0.1, signed with the
 * webhook secret; GitHub is nock at the HTTP boundary, every request checked against GitHub's REST
 * description. The report in the artifact claims a pass (no findings) in every case; only a pull request
 * that changes nothing its producing job runs may have it published.
 */

const SECRET = 'webhook-secret-for-tests';
const WORKFLOW = '.github/workflows/tuneguard.yml';
/** The repository's fork-safe example workflow, the one the README tells users to copy. */
const EXAMPLE = readFileSync(
  new URL('../../../examples/workflows/tuneguard-fork-safe.yml', import.meta.url),
  'utf8',
);
const CHECKOUT = '      - uses: actions/checkout@v4\n';
/** The example with a step running the local action `./tools/act` before tuneguard. */
const WITH_LOCAL_ACTION = EXAMPLE.replace(CHECKOUT, `${CHECKOUT}      - uses: ./tools/act\n`);
/** A workflow whose job calls the reusable workflow `.github/workflows/reusable.yml`. */
const CALLING_REUSABLE =
  'name: tuneguard\non: pull_request\njobs:\n  review:\n    uses: ./.github/workflows/reusable.yml\n';
/** The reusable workflow: the example's job, turned into a `workflow_call` one. */
const REUSABLE = WITH_LOCAL_ACTION.replace('on: pull_request', 'on: workflow_call');
const TOOLS_ACTION =
  'name: act\nruns:\n  using: composite\n  steps:\n    - run: ./tools/act/prepare.sh\n      shell: bash\n';

let github: GitHubMock;
let blob: nock.Scope | undefined;
let server: Server;
let url: string;

useNock('127.0.0.1');
afterEach(() => {
  expectGitHubDone(github);
  blob?.done();
  blob = undefined;
  nock.cleanAll();
});

beforeAll(async () => {
  server = await startServer(
    {
      APP_ID: String(APP_ID),
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'fatal',
    },
    { Octokit: TestOctokit },
  );
  url = `http://127.0.0.1:${server.port}/api/github/webhooks`;
});
afterAll(async () => {
  await server.stop();
});

/** Delivers the example workflow_run completed event, signed as GitHub signs it, and expects it handled. */
async function deliverWorkflowRun(): Promise<void> {
  const body = JSON.stringify(workflowRunEvent());
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'workflow_run',
      'x-github-delivery': 'd-forge',
      'x-hub-signature-256': signDelivery(body, SECRET),
    },
  });
  expect(response.status).toBe(200);
}

/** A changed file as `GET …/pulls/{n}/files` lists it. */
function changedFile(filename: string, options: { previous?: string } = {}) {
  return {
    sha: '0123456789abcdef0123456789abcdef01234567',
    filename,
    status: options.previous ? 'renamed' : 'modified',
    additions: 1,
    deletions: 1,
    changes: 2,
    blob_url: `https://github.com/Codertocat/Hello-World/blob/${HEAD_SHA}/${filename}`,
    raw_url: `https://github.com/Codertocat/Hello-World/raw/${HEAD_SHA}/${filename}`,
    contents_url: `https://api.github.com/repos/Codertocat/Hello-World/contents/${filename}?ref=${HEAD_SHA}`,
    patch: '@@ -1 +1 @@\n-a\n+b',
    ...(options.previous ? { previous_filename: options.previous } : {}),
  };
}

/** Data files a pull request on a fine-tuning repository changes. */
const DATA_FILES = ['data/train.jsonl', 'results/lambada_openai.json'];

/**
 * Mocks the start of every case: the token, the run's artifact (a report with no findings, for the
 * head), the fork's pull request with `changedFiles`, and the API's answer to its files.
 */
function mockForkRun(
  changedFiles: number,
  files: 'error' | ReturnType<typeof changedFile>[],
  headers: Record<string, string> = {},
) {
  github = mockGitHub();
  // One server for the file, so its installation token is asked for once and cached for the next cases.
  github.api
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .optionally()
    .reply(201, { token: 'ghs_installation_token', expires_at: '2099-01-01T00:00:00Z' });
  blob = mockArtifact(github, sampleZip({ findings: [] }));
  github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData({ fork: true, changedFiles }));
  const list = github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`).query({ per_page: 100 });
  if (files === 'error') list.reply(502, { message: 'Server Error' });
  else list.reply(200, files, headers);
  github.api
    .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
    .query({ check_name: 'tuneguard', app_id: APP_ID, filter: 'all', per_page: 100 })
    .reply(200, { total_count: 1, check_runs: [checkRunData({ id: 71 })] });
}

/**
 * Mocks the contents API's answers for files at one commit: text, or `undefined` for GitHub's 404. The
 * raw media type answers `text/plain` for text files and GitHub's own raw type for others, which the
 * client hands over as bytes: `type` picks which.
 */
function mockContents(
  sha: string,
  files: Record<string, string | undefined>,
  type = 'text/plain; charset=utf-8',
) {
  for (const [path, text] of Object.entries(files)) {
    const read = github.api.get(`${REPO_PATH}/contents/${encodeURIComponent(path)}`).query({ ref: sha });
    if (text === undefined) read.reply(404, { message: 'Not Found' });
    else read.reply(200, text, { 'content-type': type });
  }
}

/** Mocks the check run's completion, the one write a refused report makes. */
function mockRefusal() {
  github.api.patch(`${REPO_PATH}/check-runs/71`).reply(200, checkRunData({ id: 71, status: 'completed' }));
}

/**
 * Asserts that the report was refused: the check run completed as a failure with `title` and a summary
 * holding each of `lines`, and no review or comment was read or written (nothing says "no problems").
 */
function expectRefused(title: string, lines: string[]) {
  const check = github.body<{
    conclusion: string;
    status: string;
    output: { title: string; summary: string };
  }>('PATCH', `${REPO_PATH}/check-runs/71`);
  expect([check.status, check.conclusion, check.output.title]).toEqual(['completed', 'failure', title]);
  for (const line of lines) expect(check.output.summary).toContain(line);
  expect(check.output.summary).toContain('/tuneguard rerun-eval');
  expect(check.output.summary).not.toContain('no problems found');
  expect(github.requests.filter((r) => /\/(reviews|comments)\b|^\/graphql/.test(r.path))).toEqual([]);
}

const CHANGES = 'Report not trusted: this pull request changes what produced it';
const UNCHECKED = 'Report not trusted: could not check what produced it';

describe('a fork’s report with no findings, through the App’s server', () => {
  it('(a) the PR edits the producing workflow file: refused without reading anything', async () => {
    mockForkRun(
      3,
      [...DATA_FILES, WORKFLOW].map((f) => changedFile(f)),
    );
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, [`- <code>${WORKFLOW}</code>\n`]);
    expect(github.sent('GET', `${REPO_PATH}/contents/${encodeURIComponent(WORKFLOW)}`)).toEqual([]);
  });

  it('(b) the PR edits a local composite action under .github/actions: refused', async () => {
    mockForkRun(
      2,
      ['data/train.jsonl', '.github/actions/x/action.yml'].map((f) => changedFile(f)),
    );
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, ['- <code>.github/actions/x/action.yml</code>\n']);
  });

  it('(c) the PR edits the reusable workflow the producing workflow calls: refused', async () => {
    mockForkRun(
      2,
      ['results/lambada_openai.json', '.github/workflows/reusable.yml'].map((f) => changedFile(f)),
    );
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, ['- <code>.github/workflows/reusable.yml</code>\n']);
  });

  it('(d) the PR edits a local action outside .github/ that the workflow uses (`uses: ./tools/act`): refused', async () => {
    // The workflow as committed on the head and on the base: both use ./tools/act.
    mockForkRun(
      3,
      ['data/train.jsonl', 'tools/act/prepare.sh', 'tools/act/action.yml'].map((f) => changedFile(f)),
    );
    mockContents(HEAD_SHA, { [WORKFLOW]: WITH_LOCAL_ACTION, 'tools/act/action.yml': TOOLS_ACTION });
    mockContents(
      BASE_SHA,
      { [WORKFLOW]: WITH_LOCAL_ACTION, 'tools/act/action.yml': TOOLS_ACTION },
      'application/vnd.github.raw',
    );
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, ['- <code>tools/act/prepare.sh</code>\n- <code>tools/act/action.yml</code>\n']);
    expect(refusedSummary()).not.toContain('data/train.jsonl');
  });

  it('(d) a local action reached through the reusable workflow the job calls, added on the base only: refused', async () => {
    mockForkRun(
      2,
      ['data/train.jsonl', 'tools/act/action.yaml'].map((f) => changedFile(f)),
    );
    // The head (the fork's branch) predates the reusable workflow; the base calls it, and it uses ./tools/act.
    mockContents(HEAD_SHA, { [WORKFLOW]: EXAMPLE });
    mockContents(BASE_SHA, {
      [WORKFLOW]: CALLING_REUSABLE,
      '.github/workflows/reusable.yml': REUSABLE,
      'tools/act/action.yml': undefined,
      'tools/act/action.yaml': TOOLS_ACTION,
    });
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, ['- <code>tools/act/action.yaml</code>\n']);
  });

  it('(d) a rename that moves a file out of a local action: refused by its old path', async () => {
    mockForkRun(1, [changedFile('data/prepare.sh', { previous: 'tools/act/prepare.sh' })]);
    for (const sha of [HEAD_SHA, BASE_SHA]) {
      mockContents(sha, { [WORKFLOW]: WITH_LOCAL_ACTION, 'tools/act/action.yml': TOOLS_ACTION });
    }
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, ['- <code>tools/act/prepare.sh</code>\n']);
  });

  it('(d) the action at the repository root (`uses: ./`): its metadata and the files its `runs` names count, other root files do not', async () => {
    mockForkRun(
      3,
      ['README.md', 'dist/index.js', 'data/train.jsonl'].map((f) => changedFile(f)),
    );
    for (const sha of [HEAD_SHA, BASE_SHA]) {
      mockContents(sha, {
        [WORKFLOW]: EXAMPLE.replace('tuneguard/tuneguard@v1', './'),
        'action.yml': 'name: own\nruns:\n  using: node24\n  main: dist/index.js\n',
      });
    }
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, ['\n\n- <code>dist/index.js</code>\n\n']);
  });

  it('(e) the PR changes only data files: trusted, the report is published as a pass', async () => {
    mockForkRun(
      2,
      DATA_FILES.map((f) => changedFile(f)),
    );
    for (const sha of [HEAD_SHA, BASE_SHA]) {
      mockContents(sha, { [WORKFLOW]: WITH_LOCAL_ACTION, 'tools/act/action.yml': TOOLS_ACTION });
    }
    github.api.patch(`${REPO_PATH}/check-runs/71`).reply(200, checkRunData({ id: 71, status: 'completed' }));
    github.api
      .post('/graphql', (body: { query: string }) => body.query.startsWith('query'))
      .reply(200, {
        data: {
          repository: {
            pullRequest: { reviews: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } },
          },
        },
      });
    github.api.get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).query({ per_page: 100 }).reply(200, []);
    github.api.post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, {
      id: 13,
      html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}#issuecomment-13`,
    });

    await deliverWorkflowRun();

    expect(github.body('PATCH', `${REPO_PATH}/check-runs/71`)).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      // The workflow run and the report artifact (5001, the mocked artifact's id).
      external_id: `${RUN_ID}:5001`,
    });
    const comment = github.body<{ body: string }>('POST', `${REPO_PATH}/issues/${PR_NUMBER}/comments`);
    expect(comment.body).toContain('tuneguard: no problems found');
  });

  it('(f) the PR changes more files than GitHub lists (3,000): refused, though the listed ones are data', async () => {
    mockForkRun(3500, pageOfData(1), { link: `<${filesPage(2)}>; rel="next"` });
    // The files API answers 30 pages of 100, linked as GitHub links them, and stops there.
    for (let page = 2; page <= 30; page += 1) {
      github.api
        .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
        .query({ per_page: 100, page })
        .reply(200, pageOfData(page), page < 30 ? { link: `<${filesPage(page + 1)}>; rel="next"` } : {});
    }
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, ['the pull request changes 3500 files, and GitHub lists at most 3000']);
    expect(github.sent('GET', `${REPO_PATH}/pulls/${PR_NUMBER}/files`)).toHaveLength(30);
  });

  it('(f) GitHub lists fewer files than the pull request changes: refused', async () => {
    mockForkRun(
      3,
      DATA_FILES.map((f) => changedFile(f)),
    );
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, ['GitHub listed 2 of the 3 files the pull request changes']);
  });

  it('(f) the file list fails to load: refused with GitHub’s answer', async () => {
    mockForkRun(2, 'error');
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, [
      'its changed files could not all be read: GitHub did not list them: Server Error',
    ]);
  });

  it('(f) the pull request found by its head among the open ones (lists carry no file count): the count is read, and a short list refused', async () => {
    github = mockGitHub();
    github.api
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .optionally()
      .reply(201, { token: 'ghs_installation_token', expires_at: '2099-01-01T00:00:00Z' });
    // An artifact name without the pull request's number.
    blob = mockArtifact(github, sampleZip({ findings: [] }), { name: `tuneguard-report-${HEAD_SHA}` });
    const listed: Record<string, unknown> = { ...pullRequestData({ fork: true }) };
    for (const field of [
      'changed_files',
      'additions',
      'deletions',
      'commits',
      'comments',
      'review_comments',
    ]) {
      delete listed[field];
    }
    github.api.get(`${REPO_PATH}/pulls`).query({ state: 'open', per_page: 100 }).reply(200, [listed]);
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: 'tuneguard', app_id: APP_ID, filter: 'all', per_page: 100 })
      .reply(200, { total_count: 1, check_runs: [checkRunData({ id: 71 })] });
    github.api
      .get(`${REPO_PATH}/pulls/${PR_NUMBER}`)
      .reply(200, pullRequestData({ fork: true, changedFiles: 3 }));
    github.api
      .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: 100 })
      .reply(
        200,
        DATA_FILES.map((f) => changedFile(f)),
      );
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, ['GitHub listed 2 of the 3 files the pull request changes']);
  });

  it('(f) the contents API refuses to read the workflow: refused with GitHub’s answer', async () => {
    mockForkRun(
      2,
      DATA_FILES.map((f) => changedFile(f)),
    );
    github.api
      .get(`${REPO_PATH}/contents/${encodeURIComponent(WORKFLOW)}`)
      .query({ ref: HEAD_SHA })
      .reply(403, { message: 'Resource not accessible by integration' });
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, ['its workflow could not be read: Resource not accessible by integration']);
  });

  it('(f) the producing workflow is on neither the head nor the base: refused', async () => {
    mockForkRun(
      2,
      DATA_FILES.map((f) => changedFile(f)),
    );
    mockContents(HEAD_SHA, { [WORKFLOW]: undefined });
    mockContents(BASE_SHA, { [WORKFLOW]: undefined });
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, [
      `its workflow could not be read: The workflow ${WORKFLOW} is not on the pull request&#39;s head or base commit. Unchecked`,
    ]);
  });

  it('(f) the workflow at the head is not valid YAML: refused with the parser’s message', async () => {
    mockForkRun(
      2,
      DATA_FILES.map((f) => changedFile(f)),
    );
    mockContents(HEAD_SHA, { [WORKFLOW]: `${EXAMPLE}      - uses: [./tools/act\n` });
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, [`its workflow could not be read: ${WORKFLOW} is not valid YAML:`]);
  });

  it('(f) a workflow with more local actions than tuneguard follows: refused after 40 reads', async () => {
    mockForkRun(
      2,
      DATA_FILES.map((f) => changedFile(f)),
    );
    const steps = Array.from({ length: 25 }, (_, i) => `      - uses: ./tools/a${i}\n`).join('');
    // The workflow, then action.yml and action.yaml of each action (none there): the 41st read is not made.
    const reads: Record<string, string | undefined> = { [WORKFLOW]: `${EXAMPLE}${steps}` };
    for (let i = 0; i < 20; i += 1) {
      reads[`tools/a${i}/action.yml`] = undefined;
      if (i < 19) reads[`tools/a${i}/action.yaml`] = undefined;
    }
    mockContents(HEAD_SHA, reads);
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(UNCHECKED, [
      'its workflow could not be read: The workflow references more local files than the 40 tuneguard reads to follow them',
    ]);
    expect(github.requests.filter((r) => r.path.includes('/contents/'))).toHaveLength(40);
  });

  it('changed paths are escaped in the summary, and a long list is cut at 20', async () => {
    const hostile = '.github/actions/<img src=x onerror=alert(1)>/`@octocat`.yml';
    const many = Array.from({ length: 24 }, (_, i) => `.github/actions/a${i}/action.yml`);
    mockForkRun(
      25,
      [hostile, ...many].map((f) => changedFile(f)),
    );
    mockRefusal();

    await deliverWorkflowRun();

    expectRefused(CHANGES, [
      '- <code>.github/actions/&lt;img src=x onerror=alert(1)&gt;/&#96;@&#8203;octocat&#96;.yml</code>\n',
      '- <code>.github/actions/a18/action.yml</code>\n- and 5 more\n',
    ]);
    expect(refusedSummary()).not.toContain('<img');
  });
});

/** The summary of the refused check run of the current test. */
function refusedSummary(): string {
  return github.body<{ output: { summary: string } }>('PATCH', `${REPO_PATH}/check-runs/71`).output.summary;
}

function filesPage(page: number): string {
  return `${API}${REPO_PATH}/pulls/${PR_NUMBER}/files?per_page=100&page=${page}`;
}

/** One page of 100 changed data files, as the files API answers page `page`. */
function pageOfData(page: number) {
  return Array.from({ length: 100 }, (_, i) => changedFile(`data/shard-${(page - 1) * 100 + i}.jsonl`));
}
