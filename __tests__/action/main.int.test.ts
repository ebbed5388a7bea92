import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import type { Report } from '../../src/model/report-schema.js';
import { getOctokit } from '@actions/github';
import type { ActionDeps } from '../../action/deps.js';
import { defaultInputs, TEST_TOKEN } from './helpers/action-inputs.js';
import { createCoreMock } from './helpers/core-mock.js';
import { artifactServiceEnv, startFakeGitHub, type FakeGitHub } from './helpers/fake-github-server.js';
import {
  BASE_PROJECT,
  DOCS_ONLY_PR,
  inFolder,
  LAMBADA,
  lineInRegressedResults,
  PARAMS_ONLY_PR,
  REGRESSION_PR,
} from './helpers/fine-tuning-project.js';
import { EXAMPLE_REPOSITORY, writePullRequestEvent } from './helpers/pull-request-event.js';
import { createPullRequestRepo, type Files, type PullRequestRepo } from './helpers/pull-request-repo.js';
import { MAX_ALIAS_EXPANSION } from '../../src/loaders/measure-aliases.js';
import { BILLION_LAUGHS, findBillionLaughsExcess } from '../helpers/billion-laughs.js';

// Only @actions/core is a stand-in: GitHub's REST API and the artifact service are a local server
// that the Action's real clients talk to over HTTP.
const core = createCoreMock();
jest.unstable_mockModule('@actions/core', () => core);
const { run } = await import('../../action/main.js');
const { createGitHubClient } = await import('../../action/create-github-client.js');

const REPO = `/repos/${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}`;
const RUN_URL = `https://github.com/${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}/actions/runs/`;
const MARKER = '<!-- tuneguard:report -->';
const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const HUMAN = { login: 'octocat', id: 583231, type: 'User' };

function issueComment(id: number, body: string, user: typeof BOT | typeof HUMAN) {
  return {
    id,
    body,
    user,
    html_url: `https://github.com/${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}/pull/7#issuecomment-${id}`,
  };
}

// Every REST request the fake receives is checked against GitHub's REST description; a request it
// could not answer or that GitHub would refuse is a problem, asserted empty after each test.
let github: FakeGitHub;
const requests = (): { method: string; path: string }[] =>
  github.requests.map(({ method, path }) => ({ method, path }));
const bodiesOf = (method: string): string[] =>
  github.requests.filter((r) => r.method === method).map((r) => (r.body as { body: string }).body);
const artifactNames = (): unknown[] => github.artifacts.map((artifact) => artifact.create['name']);

const temp = mkdtempSync(join(tmpdir(), 'tuneguard-action-'));
const repos: PullRequestRepo[] = [];
const envKeys = new Set<string>();
function setEnv(vars: Record<string, string>): void {
  for (const [key, value] of Object.entries(vars)) {
    envKeys.add(key);
    process.env[key] = value;
  }
}

function pullRequest(base: Files, head: Files): PullRequestRepo {
  const pr = createPullRequestRepo(7, base, head);
  repos.push(pr);
  return pr;
}

interface RunOptions {
  inputs?: Record<string, string>;
  workspace?: string;
  fork?: boolean;
  runId?: string;
  /** The runner's `GITHUB_API_URL`; the local GitHub by default. */
  apiUrl?: string;
  /** The runner's `GITHUB_SERVER_URL`; github.com by default. */
  serverUrl?: string;
  overrides?: Partial<ActionDeps>;
}

/** Runs the Action as the runner would on the PR's `pull_request` event, from a default shallow checkout. */
async function runOn(pr: PullRequestRepo, options: RunOptions = {}) {
  const workspace = options.workspace ?? pr.checkout();
  const eventPath = writePullRequestEvent(mkdtempSync(join(temp, 'event-')), {
    number: pr.number,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    ...(options.fork ? { fork: true } : {}),
  });
  setEnv({
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: options.serverUrl ?? 'https://github.com',
    GITHUB_RUN_ID: options.runId ?? '9001',
    GITHUB_STEP_SUMMARY: join(temp, 'summary.md'),
    GITHUB_API_URL: options.apiUrl ?? github.url,
    ...artifactServiceEnv(github),
  });
  for (const [name, value] of Object.entries({ ...defaultInputs(), ...options.inputs })) {
    core.inputs.set(name, value);
  }
  const report = await run(options.overrides);
  const outputs = Object.fromEntries(core.setOutput.mock.calls.map(([name, value]) => [name, String(value)]));
  return { report, workspace, outputs };
}

beforeAll(async () => {
  github = await startFakeGitHub(EXAMPLE_REPOSITORY);
});
afterEach(() => {
  const problems = [...github.problems];
  github.reset();
  for (const key of envKeys) delete process.env[key];
  envKeys.clear();
  core.reset();
  expect(problems).toEqual([]);
});
afterAll(async () => {
  await github.close();
  for (const pr of repos) pr.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('the Action on a pull_request event', () => {
  it('reviews a regression from the default shallow checkout: report, artifact, annotations, summary, outputs, a new comment, and a failed step', async () => {
    const pr = pullRequest(BASE_PROJECT, REGRESSION_PR);
    const workspace = pr.checkout();
    // The default checkout holds the merge commit only: tuneguard must fetch base and head itself.
    expect(() =>
      execFileSync('git', ['cat-file', '-e', `${pr.headSha}^{commit}`], { cwd: workspace, stdio: 'ignore' }),
    ).toThrow();
    const { report, outputs } = await runOn(pr, { workspace });

    // Head is compared with the merge-base, not with main's newer tip.
    expect(report?.base.sha).toBe(pr.mergeBaseSha);
    expect(report?.head.sha).toBe(pr.headSha);
    expect(report?.verdict).toBe('failure');
    expect(report?.counts).toEqual({ failure: 2, warning: 1, notice: 1 });
    const reportPath = join(workspace, 'tuneguard-report.json');
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toEqual(report);
    expect(outputs).toEqual({
      verdict: 'failure',
      failures: '2',
      warnings: '1',
      'report-path': reportPath,
      'comment-url': issueComment(1001, '', BOT).html_url,
    });
    // The fake GitHub numbers new comments from 1001. After creating it, the Action lists the comments
    // again, in case a concurrent run created one too.
    expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${REPO}/issues/7/comments?per_page=100`,
      `POST ${REPO}/issues/7/comments`,
      `GET ${REPO}/issues/7/comments?per_page=100`,
    ]);
    expect(artifactNames()).toEqual([`tuneguard-report-pr7-${pr.headSha}`]);
    expect(github.artifacts[0]?.finalize).toMatchObject({ name: `tuneguard-report-pr7-${pr.headSha}` });
    expect(core.info).toHaveBeenCalledWith(
      expect.stringContaining(`Fetching ${pr.baseSha} and ${pr.headSha} from origin (depth 100)`),
    );

    // Annotations: the regressed metrics on their lines of the head's results file.
    expect(core.error).toHaveBeenCalledWith(expect.stringContaining('lambada_openai / acc regressed'), {
      title: 'tuneguard: eval-regression',
      file: 'results/lambada.json',
      startLine: lineInRegressedResults('acc,none'),
    });
    expect(core.error).toHaveBeenCalledWith(
      expect.stringContaining('lambada_openai / perplexity regressed'),
      {
        title: 'tuneguard: eval-regression',
        file: 'results/lambada.json',
        startLine: lineInRegressedResults('perplexity,none'),
      },
    );
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining('1,000 → 900 rows'), {
      title: 'tuneguard: data-shrink',
      file: 'data/train.jsonl',
    });

    // One new comment, marker first, the run linked, the key last.
    const [body = ''] = bodiesOf('POST');
    expect(body.startsWith(`${MARKER}\n### ❌ tuneguard: 2 failures, 1 warning, 1 notice`)).toBe(true);
    expect(body).toContain(`[full report](${RUN_URL}9001)`);
    expect(body).toMatch(/\n<!-- tuneguard:key=[0-9a-f]{16} -->\n$/);
    // The evidence shows the fixture's own figures (4 significant digits).
    expect(body).toContain(
      `${LAMBADA.base['acc,none'].toPrecision(4)} → ${LAMBADA.head['acc,none'].toPrecision(4)}`,
    );

    expect(core.summaryRecord.writes).toBe(1);
    expect(core.summaryRecord.text).toContain('### ❌ tuneguard: 2 failures, 1 warning, 1 notice');
    expect(core.summaryRecord.text).toContain(
      `- **PR comment** created: ${issueComment(1001, '', BOT).html_url}`,
    );
    expect(core.summaryRecord.text).toContain(
      `- **Report artifact** uploaded as \`tuneguard-report-pr7-${pr.headSha}\``,
    );
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed).toHaveBeenCalledWith(
      'tuneguard: 2 failures and 1 warning; the verdict failure reaches fail-on: failure.',
    );
  });

  it('finds its comment on the second page, ignores a person quoting the marker, updates it, and passes with a warning', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    const firstPage = Array.from({ length: 100 }, (_, i) => issueComment(i + 1, `Looks good ${i}`, HUMAN));
    firstPage[50] = issueComment(51, `Why does the bot write ${MARKER}?`, HUMAN);
    github.comments.push(...firstPage, issueComment(555, `${MARKER}\nAn older report`, BOT));

    const { outputs } = await runOn(pr);

    expect(outputs).toMatchObject({ verdict: 'warning', failures: '0', warnings: '1' });
    expect(outputs['comment-url']).toBe(issueComment(555, '', BOT).html_url);
    const [body = ''] = bodiesOf('PATCH');
    expect(body.startsWith(`${MARKER}\n### ⚠️ tuneguard: 1 warning, 1 notice`)).toBe(true);
    expect(body).toContain('params-stale-eval');
    expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${REPO}/issues/7/comments?per_page=100`,
      `GET ${REPO}/issues/7/comments?per_page=100&page=2`,
      `PATCH ${REPO}/issues/comments/555`,
    ]);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('leaves its comment alone when a later run finds the same report', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    await runOn(pr, { runId: '1' });
    const [posted = ''] = bodiesOf('POST');
    expect(posted).toContain(`[full report](${RUN_URL}1)`);
    expect(core.setFailed).not.toHaveBeenCalled();
    core.reset();

    // A re-run: another run id (so another link in the body), the same report.
    const { outputs } = await runOn(pr, { runId: '2' });

    // The first run: list, create, list again; the re-run: list, and nothing to write.
    expect(requests().map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'GET']);
    expect(outputs['comment-url']).toBe(issueComment(1001, '', BOT).html_url);
    expect(github.comments.map((c) => c.body)).toEqual([posted]);
    expect(core.info).toHaveBeenCalledWith(
      `PR comment unchanged (the report is the same): ${outputs['comment-url']}`,
    );
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it("turns a fork PR's 403 into a warning naming the permission, and still writes the summary, artifact and outputs", async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    github.failNext('POST', `${REPO}/issues/7/comments`, 403, {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '403',
    });

    const { outputs, report } = await runOn(pr, { fork: true });

    expect(report?.verdict).toBe('warning');
    expect(outputs).toMatchObject({ verdict: 'warning', warnings: '1', 'comment-url': '' });
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(
        /^PR comment skipped: the token may not write PR comments \(HTTP 403\)\. Grant the job `permissions: pull-requests: write`/,
      ),
    );
    expect(core.summaryRecord.text).toContain(
      '- **PR comment** skipped: the token may not write PR comments (HTTP 403)',
    );
    expect(core.summaryRecord.text).toContain('pull-requests: write');
    expect(core.summaryRecord.text).toContain('### ⚠️ tuneguard: 1 warning, 1 notice');
    expect(artifactNames()).toEqual([`tuneguard-report-pr7-${pr.headSha}`]);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('on GitHub Enterprise Server, says in one notice that no artifact is uploaded, and still comments and passes', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    // What a GHES runner sets: its own server URL, and an artifact runtime token all the same.
    const { outputs } = await runOn(pr, { serverUrl: 'https://github.example.com' });

    const name = `tuneguard-report-pr7-${pr.headSha}`;
    expect(github.artifacts).toEqual([]);
    const notices = core.notice.mock.calls.map(([message]) => String(message));
    expect(notices.filter((message) => message.includes('artifact'))).toEqual([
      'Report artifact not uploaded: GitHub Enterprise Server (github.example.com) does not support the artifact service of @actions/artifact v2 and later, so the App and workflow_run jobs get no report; the summary, annotations, comment and status are unaffected.',
    ]);
    // No warning from the artifact client either: it was never asked.
    expect(
      core.warning.mock.calls.map(([message]) => String(message)).filter((m) => /artifact/i.test(m)),
    ).toEqual([]);
    expect(core.summaryRecord.text).toContain(
      `- **Report artifact** \`${name}\` not uploaded: GitHub Enterprise Server (github.example.com)`,
    );
    // The comment is made as on github.com, linking the run on the enterprise server.
    expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${REPO}/issues/7/comments?per_page=100`,
      `POST ${REPO}/issues/7/comments`,
      `GET ${REPO}/issues/7/comments?per_page=100`,
    ]);
    expect(bodiesOf('POST')[0]).toContain(
      `[full report](https://github.example.com/${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}/actions/runs/9001)`,
    );
    expect(outputs).toMatchObject({
      verdict: 'warning',
      'comment-url': issueComment(1001, '', BOT).html_url,
    });
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('takes its clients from run(overrides): the REST client is the one the caller makes', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    const createOctokit = jest.fn((token: string, _baseUrl: string) =>
      getOctokit(token, { baseUrl: github.url }),
    );
    // Nothing listens on the runner's API URL here: only the caller's client reaches GitHub.
    const { outputs } = await runOn(pr, { apiUrl: 'http://127.0.0.1:9', overrides: { createOctokit } });

    expect(createOctokit).toHaveBeenCalledWith(TEST_TOKEN, 'http://127.0.0.1:9');
    expect(outputs['comment-url']).toBe(issueComment(1001, '', BOT).html_url);
    expect(github.requests.map((r) => r.authorization)).toEqual([
      `token ${TEST_TOKEN}`,
      `token ${TEST_TOKEN}`,
      `token ${TEST_TOKEN}`,
    ]);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('on-change: stays quiet when nothing tuneguard tracks changed', async () => {
    const pr = pullRequest(BASE_PROJECT, DOCS_ONLY_PR);
    const { outputs, report } = await runOn(pr);

    expect(report?.changedFiles).toEqual(['README.md']);
    expect(outputs).toMatchObject({ verdict: 'pass', failures: '0', warnings: '0', 'comment-url': '' });
    expect(requests().map((r) => r.method)).toEqual(['GET']);
    expect(core.summaryRecord.text).toContain('- **PR comment** skipped: not needed for this result');
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it.each([
    ['warning', 'warning', true],
    ['warning', 'failure', false],
    ['failure', 'never', false],
    ['failure', 'warning', true],
  ])('fail-on: verdict %s with fail-on %s fails the step: %s', async (verdict, failOn, fails) => {
    const pr = pullRequest(BASE_PROJECT, verdict === 'failure' ? REGRESSION_PR : PARAMS_ONLY_PR);
    const { outputs } = await runOn(pr, { inputs: { 'fail-on': failOn, comment: 'never' } });
    expect(outputs['verdict']).toBe(verdict);
    expect(core.setFailed).toHaveBeenCalledTimes(fails ? 1 : 0);
    if (fails)
      expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining(`reaches fail-on: ${failOn}`));
    // comment: never sends nothing to GitHub's API.
    expect(requests()).toEqual([]);
  });

  it('working-directory: reviews one project of a monorepo with its own comment and artifact, annotating workspace paths', async () => {
    const pr = pullRequest(
      { ...inFolder('models/sft', BASE_PROJECT), ...inFolder('models/reward', BASE_PROJECT) },
      inFolder('models/sft', PARAMS_ONLY_PR),
    );
    // The comment of a run on the whole repository is not this scope's.
    github.comments.push(issueComment(300, `${MARKER}\nThe whole repository`, BOT));

    const { outputs, report, workspace } = await runOn(pr, { inputs: { 'working-directory': 'models/sft' } });

    expect(report?.datasets.map((d) => d.path).sort()).toEqual(['data/train.jsonl', 'data/valid.jsonl']);
    expect(report?.changedFiles).toEqual(['configs/lora.yml']);
    expect(outputs['report-path']).toBe(join(workspace, 'models/sft/tuneguard-report.json'));
    expect(artifactNames()).toEqual([`tuneguard-report-pr7-${pr.headSha}-models_sft`]);
    // Zipped from the working directory: the one entry is the report's name, without its folders.
    const zip = github.artifacts[0]?.blob.toString('latin1') ?? '';
    expect(zip).toContain('tuneguard-report.json');
    expect(zip).not.toContain('models/sft/');
    const afterLines = readFileSync(
      new URL('../fixtures/params/llama3-lora-1b.after.yml', import.meta.url),
      'utf8',
    ).split('\n');
    expect(core.notice).toHaveBeenCalledWith(expect.stringContaining('Hyperparameters in configs/lora.yml'), {
      title: 'tuneguard: params-changed',
      file: 'models/sft/configs/lora.yml',
      startLine: afterLines.findIndex((line) => line.startsWith('warmup_ratio:')) + 1,
    });
    expect(github.comments.map((c) => c.id)).toEqual([300, 1001]);
    const [body = ''] = bodiesOf('POST');
    expect(
      body.startsWith('<!-- tuneguard:report scope=models_sft -->\n### ⚠️ tuneguard (models/sft): 1 warning'),
    ).toBe(true);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('shortens a comment longer than GitHub takes and points to the run, whose job summary has it all', async () => {
    // 1,000 hyperparameters, every one changed: the table alone is over 65,536 characters.
    const keys = Array.from({ length: 1000 }, (_, i) => `layer_${String(i).padStart(4, '0')}_dropout`);
    const pr = pullRequest(
      { ...BASE_PROJECT, 'configs/sweep.yml': keys.map((key) => `${key}: 0.1\n`).join('') },
      { 'configs/sweep.yml': keys.map((key) => `${key}: 0.2\n`).join('') },
    );
    await runOn(pr, { inputs: { 'fail-on': 'never' } });

    const [body = ''] = bodiesOf('POST');
    expect(body.length).toBeLessThanOrEqual(65_536);
    // The comment's table keeps its first 60 rows and counts the other 940.
    expect(body).toContain('940 more changes not shown.');
    expect(body).toContain(`[full report](${RUN_URL}9001)`);
    // The renderer escapes `_` as `&#95;`.
    const lastKey = 'layer&#95;0999&#95;dropout';
    expect(body).not.toContain(lastKey);
    // The job summary has room for all of it.
    expect(core.summaryRecord.text).toContain(lastKey);
    expect(core.summaryRecord.text).not.toContain('This report was cut');
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('reads the config of the base commit: a pull request cannot loosen its own checks', async () => {
    const strict = 'checks:\n  data-shrink: { severity: failure }\n';
    const pr = pullRequest(
      { ...BASE_PROJECT, '.github/tuneguard.yml': strict },
      {
        '.github/tuneguard.yml': 'checks:\n  data-shrink: { severity: off }\n',
        'data/train.jsonl': REGRESSION_PR['data/train.jsonl'] ?? null,
      },
    );

    const { report } = await runOn(pr, { inputs: { comment: 'never', config: './.github/tuneguard.yml' } });

    expect(report?.configPath).toBe('.github/tuneguard.yml');
    // The default config, however spelled, adds no scope to the artifact (nor to the comment).
    expect(artifactNames()).toEqual([`tuneguard-report-pr7-${pr.headSha}`]);
    expect(report?.findings.find((f) => f.check === 'data-shrink')?.severity).toBe('failure');
    expect(core.notice).toHaveBeenCalledWith(
      'This pull request changes .github/tuneguard.yml: it is reviewed with the config of its base commit, and the new one applies once merged.',
    );
    expect(core.setFailed).toHaveBeenCalledWith(
      expect.stringContaining('the verdict failure reaches fail-on: failure'),
    );
  });

  it('fails on a billion-laughs config with the config error at its alias, not a stack trace', async () => {
    const pr = pullRequest({ ...BASE_PROJECT, '.github/tuneguard.yml': BILLION_LAUGHS }, PARAMS_ONLY_PR);
    const { line, column } = findBillionLaughsExcess(MAX_ALIAS_EXPANSION);

    const { report } = await runOn(pr, { inputs: { comment: 'never' } });

    expect(report).toBeUndefined();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    const message = String(core.setFailed.mock.calls[0]?.[0]);
    expect(message).toContain(`.github/tuneguard.yml:${line}:${column}: too many aliases: `);
    expect(message).not.toMatch(/ReferenceError|\n\s+at /);
  });

  it('says to set fetch-depth: 0 when the commits cannot be fetched', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    const workspace = pr.checkout();
    execFileSync('git', ['remote', 'set-url', 'origin', join(temp, 'no-such-origin')], { cwd: workspace });

    const { report } = await runOn(pr, { workspace });

    expect(report).toBeUndefined();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed).toHaveBeenCalledWith(
      expect.stringContaining('Set `fetch-depth: 0` on actions/checkout'),
    );
    expect(core.setOutput).not.toHaveBeenCalled();
  });
});

describe("the Action with GitHub's faults and concurrent runs", () => {
  // The real client with its retries and throttling, waiting 1 ms where GitHub asks for a second.
  const quickClient = {
    createOctokit: (token: string, baseUrl: string) =>
      createGitHubClient(token, baseUrl, { retryAfterBaseValue: 1 }),
  };
  const LIST = `${REPO}/issues/7/comments`;
  const listed = `GET ${LIST}?per_page=100`;
  const trail = () =>
    requests().map((r) => `${r.method} ${r.path.startsWith(`${LIST}?`) ? r.path : r.path.split('?')[0]}`);

  it('two concurrent runs that both find no comment end with one comment: the newer is deleted', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    // Both runs list the comments before either creates one.
    github.holdUntil('GET', LIST, 2);

    const [first, second] = await Promise.all([runOn(pr), runOn(pr)]);

    expect(first.report?.verdict).toBe('warning');
    expect(second.report?.verdict).toBe('warning');
    expect(bodiesOf('POST')).toHaveLength(2);
    expect(github.comments.map((c) => c.id)).toEqual([1001]);
    expect(
      requests()
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.path),
    ).toEqual([`${REPO}/issues/comments/1002`]);
    expect(github.comments[0]?.body.startsWith(`${MARKER}\n### ⚠️ tuneguard: 1 warning, 1 notice`)).toBe(
      true,
    );
    expect(core.warning).not.toHaveBeenCalledWith(expect.stringMatching(/^PR comment/));
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('sends a request that got a 502 again, and comments', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    github.failNext('GET', LIST, 502, { message: 'Server Error' });

    const { outputs } = await runOn(pr, { overrides: quickClient });

    expect(trail()).toEqual([listed, listed, `POST ${LIST}`, listed]);
    expect(outputs['comment-url']).toBe(issueComment(1001, '', BOT).html_url);
    expect(github.comments).toHaveLength(1);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it("waits out a 429 secondary rate limit as GitHub's retry-after asks, and comments", async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    github.failNext(
      'POST',
      LIST,
      429,
      {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      },
      { headers: { 'retry-after': '2' } },
    );

    const { outputs } = await runOn(pr, { overrides: quickClient });

    expect(trail()).toEqual([listed, `POST ${LIST}`, `POST ${LIST}`, listed]);
    expect(outputs['comment-url']).toBe(issueComment(1001, '', BOT).html_url);
    expect(github.comments).toHaveLength(1);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('tells a rate-limit 403 that outlasts the retries apart from a missing permission: a warning, the step passes', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    const reset = Math.floor(Date.now() / 1000) + 1;
    // The first answer and the two retries.
    github.failNext(
      'POST',
      LIST,
      403,
      {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      },
      {
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(reset),
        },
        times: 3,
      },
    );

    const { outputs } = await runOn(pr, { overrides: quickClient });

    expect(trail()).toEqual([listed, `POST ${LIST}`, `POST ${LIST}`, `POST ${LIST}`]);
    expect(outputs).toMatchObject({ verdict: 'warning', 'comment-url': '' });
    const warned = core.warning.mock.calls
      .map(([message]) => String(message))
      .filter((m) => m.startsWith('PR comment'));
    expect(warned).toEqual([
      `PR comment skipped: GitHub's API rate limit for this token was reached (HTTP 403; it resets at ${new Date(reset * 1000).toISOString()}), so the comment was not written. This is GitHub's limit, not a missing permission, and the verdict does not depend on it: the next run writes the comment.`,
    ]);
    expect(core.summaryRecord.text).not.toContain('pull-requests: write');
    expect(github.comments).toEqual([]);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('creates the comment again when it was deleted between the listing and the update (PATCH → 404)', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    github.comments.push(issueComment(555, `${MARKER}\nAn older report`, BOT));
    github.failNext(
      'PATCH',
      `${REPO}/issues/comments/555`,
      404,
      { message: 'Not Found' },
      {
        effect: () => void github.comments.splice(0),
      },
    );

    const { outputs } = await runOn(pr, { overrides: quickClient });

    expect(trail()).toEqual([listed, `PATCH ${REPO}/issues/comments/555`, `POST ${LIST}`, listed]);
    expect(outputs['comment-url']).toBe(issueComment(1001, '', BOT).html_url);
    expect(github.comments.map((c) => c.id)).toEqual([1001]);
    expect(github.comments[0]?.body.startsWith(`${MARKER}\n### ⚠️ tuneguard: 1 warning, 1 notice`)).toBe(
      true,
    );
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('a server error that outlasts the retries is a warning and never turns a passing review red', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    // The first answer and the three retries.
    github.failNext('GET', LIST, 500, { message: 'Server Error' }, { times: 4 });

    const { outputs } = await runOn(pr, { overrides: quickClient, inputs: { 'fail-on': 'failure' } });

    expect(trail()).toEqual([listed, listed, listed, listed]);
    expect(outputs).toMatchObject({ verdict: 'warning', 'comment-url': '' });
    expect(core.warning).toHaveBeenCalledWith('PR comment failed: Server Error');
    expect(core.summaryRecord.text).toContain('- **PR comment** failed: Server Error');
    expect(core.setFailed).not.toHaveBeenCalled();
  });
});

describe('the Action outside a pull request', () => {
  const webhooks = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
  const push = webhooks.find((d) => d.name === 'push')?.examples[0];

  function runOnPush(workspace: string, inputs: Record<string, string>) {
    const eventPath = join(temp, 'push.json');
    writeFileSync(eventPath, JSON.stringify(push));
    setEnv({
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: `${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}`,
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: join(temp, 'summary.md'),
    });
    for (const [name, value] of Object.entries({ ...defaultInputs(), ...inputs }))
      core.inputs.set(name, value);
    return run();
  }

  it('compares the base and head inputs, with no comment and no artifact service', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    const report: Report | undefined = await runOnPush(pr.origin.dir, { base: 'main', head: pr.headSha });
    expect(report?.base.sha).toBe(pr.mergeBaseSha);
    expect(report?.verdict).toBe('warning');
    expect(core.info).toHaveBeenCalledWith('PR comment skipped: this run is not for a pull request.');
    expect(core.info).toHaveBeenCalledWith(
      'Report artifact not uploaded: not running on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN).',
    );
    expect(github.artifacts).toEqual([]);
    expect(core.summaryRecord.text).toContain(`\`tuneguard-report-${pr.headSha}\` not uploaded`);
    expect(requests()).toEqual([]);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it.each([
    [
      {},
      'tuneguard: No commits to compare in a `push` event: run tuneguard on `pull_request` events, or set the `base` and `head` inputs.',
    ],
    [
      { base: 'main', head: 'main', comment: 'sometimes' },
      'tuneguard: Invalid action inputs:\n✖ Invalid option: expected one of "always"|"on-change"|"on-failure"|"never"\n  → at comment',
    ],
    [
      { base: 'main', head: 'main', 'working-directory': 'no/such/folder' },
      'is not a folder of the workspace',
    ],
  ])('fails the step with what to change: %j', async (inputs, message) => {
    const report = await runOnPush(temp, inputs);
    expect(report).toBeUndefined();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining(message));
  });
});
