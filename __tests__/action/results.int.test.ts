import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultInputs } from './helpers/action-inputs.js';
import { createCoreMock } from './helpers/core-mock.js';
import { artifactServiceEnv, startFakeGitHub, type FakeGitHub } from './helpers/fake-github-server.js';
import {
  BASE_PROJECT,
  LAMBADA,
  lineInRegressedResults,
  PARAMS_ONLY_PR,
} from './helpers/fine-tuning-project.js';
import { EXAMPLE_REPOSITORY, writePullRequestEvent } from './helpers/pull-request-event.js';
import { createPullRequestRepo, type Files, type PullRequestRepo } from './helpers/pull-request-repo.js';

// Only @actions/core is a stand-in: GitHub's REST API and the artifact service are a local server.
const core = createCoreMock();
jest.unstable_mockModule('@actions/core', () => core);
const { run } = await import('../../action/main.js');

const REGRESSED = readFileSync(
  new URL('../fixtures/metrics/v047_rwkv7-1.5b_lambada_run-regressed.json', import.meta.url),
);

let github: FakeGitHub;
const temp = mkdtempSync(join(tmpdir(), 'tuneguard-results-'));
const repos: PullRequestRepo[] = [];
const envKeys: string[] = [];

function pullRequest(base: Files, head: Files): PullRequestRepo {
  const pr = createPullRequestRepo(7, base, head);
  repos.push(pr);
  return pr;
}

/** Writes files into the checkout, as an earlier step of the job would. */
function writeInto(workspace: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
}

/** Runs the Action on the PR's `pull_request` event in `workspace` (a checkout of the PR). */
async function runIn(pr: PullRequestRepo, workspace: string, inputs: Record<string, string>) {
  const env: Record<string, string> = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: writePullRequestEvent(mkdtempSync(join(temp, 'event-')), {
      number: pr.number,
      baseSha: pr.baseSha,
      headSha: pr.headSha,
    }),
    GITHUB_REPOSITORY: `${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '9001',
    GITHUB_STEP_SUMMARY: join(temp, 'summary.md'),
    GITHUB_API_URL: github.url,
    ...artifactServiceEnv(github),
  };
  for (const [key, value] of Object.entries(env)) {
    envKeys.push(key);
    process.env[key] = value;
  }
  for (const [name, value] of Object.entries({ ...defaultInputs(), ...inputs })) core.inputs.set(name, value);
  return run();
}

beforeAll(async () => {
  github = await startFakeGitHub(EXAMPLE_REPOSITORY);
});
afterEach(() => {
  const problems = [...github.problems];
  github.reset();
  for (const key of envKeys.splice(0)) delete process.env[key];
  core.reset();
  expect(problems).toEqual([]);
});
afterAll(async () => {
  await github.close();
  for (const pr of repos) pr.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('the results input: files written by earlier steps of the job', () => {
  it('reviews results the head commit does not hold, read from the workspace, git-ignored: the regression fails the step', async () => {
    // The head commit drops the committed results and ignores the folder: CI writes them now.
    const pr = pullRequest(BASE_PROJECT, { 'results/lambada.json': null, '.gitignore': 'results/\n' });
    const workspace = pr.checkout();
    writeInto(workspace, { 'results/lambada.json': REGRESSED });

    const report = await runIn(pr, workspace, { results: '# lm-eval writes here\nresults/*.json\n' });

    expect(report?.head).toEqual({
      ref: expect.any(String) as unknown,
      sha: pr.headSha,
      workspace: { files: ['results/lambada.json'] },
    });
    expect(report?.changedFiles).toContain('results/lambada.json');
    // Expected from the fixtures: acc 0.688 → 0.411 and perplexity 4.26 → 20.09, both past tolerance;
    // nothing says the results were removed, since the workspace has them.
    expect(report?.findings.map((f) => [f.check, f.severity, f.location?.path])).toEqual([
      ['eval-regression', 'failure', 'results/lambada.json'],
      ['eval-regression', 'failure', 'results/lambada.json'],
    ]);
    expect(report?.findings.map((f) => f.evidence)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ base: LAMBADA.base['acc,none'], head: LAMBADA.head['acc,none'] }),
        expect.objectContaining({
          base: LAMBADA.base['perplexity,none'],
          head: LAMBADA.head['perplexity,none'],
        }),
      ]),
    );
    expect(core.error).toHaveBeenCalledWith(expect.stringContaining('lambada_openai / acc regressed'), {
      title: 'tuneguard: eval-regression',
      file: 'results/lambada.json',
      startLine: lineInRegressedResults('acc,none'),
    });
    expect(core.info).toHaveBeenCalledWith(
      'results: 1 file read from the workspace instead of the head commit: results/lambada.json.',
    );
    const line = '📂 1 file came from the workspace, not from the commit: <code>results/lambada.json</code>.';
    const comment = github.requests.find((r) => r.method === 'POST')?.body as { body: string } | undefined;
    expect(comment?.body).toContain(line);
    expect(core.summaryRecord.text).toContain(line);
    expect(core.setFailed).toHaveBeenCalledWith(
      'tuneguard: 2 failures and 0 warnings; the verdict failure reaches fail-on: failure.',
    );
  });

  it("compares the head with itself when the base is GitHub's all-zeros SHA: a branch's first push", async () => {
    // tuneguard-baseline.yml passes github.event.before, all zeros when the push created the branch.
    const pr = pullRequest(BASE_PROJECT, { 'results/lambada.json': null, '.gitignore': 'results/\n' });
    const workspace = pr.checkout();
    writeInto(workspace, { 'results/lambada.json': REGRESSED });

    const report = await runIn(pr, workspace, {
      base: '0'.repeat(40),
      head: pr.headSha,
      results: 'results/*.json',
      'fail-on': 'never',
    });

    expect(core.notice).toHaveBeenCalledWith(
      'The base 0000000… is no commit: a push that creates a branch has none before it (github.event.before). The head is compared with itself, so only files the results input reads from disk count as changes.',
    );
    expect(report?.base.sha).toBe(pr.headSha);
    expect(report?.metrics.map((file) => [file.path, file.status])).toEqual([
      ['results/lambada.json', 'added'],
    ]);
    // The results are kept for later pull requests' baselines: acc 0.4106 as the fixture has it.
    const acc = report?.evalResults?.[0]?.metrics.find(
      (m) => m.task === 'lambada_openai' && m.metric === 'acc',
    );
    expect(acc?.value).toBe(LAMBADA.head['acc,none']);
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('says which glob matched nothing and which reached outside, logs a link it did not follow, and reviews the rest', async () => {
    const pr = pullRequest(BASE_PROJECT, PARAMS_ONLY_PR);
    const workspace = pr.checkout();
    // A link to a file outside the workspace, named as the glob expects a result.
    writeFileSync(join(temp, 'outside.json'), REGRESSED);
    symlinkSync(join(temp, 'outside.json'), join(workspace, 'results/latest.json'));

    const report = await runIn(pr, workspace, {
      results: ['results/*.json', 'eval/**/*.json', '', '../outside/*.json'].join('\n'),
    });

    // The committed results, read from disk, equal the base's: unchanged, so the config change is stale.
    expect(report?.head.workspace).toEqual({ files: ['results/lambada.json'] });
    expect(report?.changedFiles).toEqual(['configs/lora.yml']);
    expect(report?.findings.map((f) => [f.check, f.severity, f.title])).toEqual([
      ['params-stale-eval', 'warning', expect.any(String)],
      ['params-changed', 'notice', expect.any(String)],
      [
        'config-unmatched',
        'notice',
        'The results glob eval/**/*.json matches no file in the working directory',
      ],
      [
        'config-unmatched',
        'notice',
        'The results glob ../outside/*.json reaches outside the working directory: it was not read',
      ],
    ]);
    expect(core.warning).toHaveBeenCalledWith(
      'results: results/latest.json is a symbolic link: not followed, not read.',
    );
    expect(report?.verdict).toBe('warning');
    expect(core.setFailed).not.toHaveBeenCalled();
  });
});
