import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { reportSchema, type Report } from '../../src/model/report-schema.js';
import { BUILT_ACTION } from './helpers/built-action.js';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from './helpers/fake-github-server.js';
import { EXAMPLE_REPOSITORY } from './helpers/pull-request-event.js';
import { createPullRequestRepo, type PullRequestRepo } from './helpers/pull-request-repo.js';
import { errorsIn, prepareRunnerStep, runProcess, type StepResult } from './helpers/runner-step.js';
import { unzipText } from './helpers/unzip-text.js';

/*
 * The done-when test of baselines without a server: the built Action (dist/), run as the runner runs it
 * against the local GitHub stand-in, for a team that never commits its evaluation results. Each run's
 * results are written into the workspace by "an earlier step" and read through the `results` input.
 * 1. A push run on main uploads its report (with the results it read) as an artifact.
 * 2. A pull request run, compared with that commit (where it branched from main), finds that report through the REST API, compares
 *    its own results with it, fails on the planted regression and names its baseline.
 * 3. Without any report to find, the notice says why and how to create one, and the step passes.
 * Figures: the real lm-eval rwkv7 lambada runs (fixtures/metrics/SOURCES.md): the good run on main
 * (acc 0.6881428294197555), the regressed run in the pull request (acc 0.41063458179701146).
 */

const fixture = (path: string): Buffer => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const GOOD = fixture('metrics/v047_rwkv7-1.5b_lambada_run-good.json');
const REGRESSED = fixture('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json');
const RESULTS = 'results/lambada.json';
const webhooks = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

let github: FakeGitHub;
let pr: PullRequestRepo;
const temp = mkdtempSync(join(tmpdir(), 'tuneguard-baseline-e2e-'));

/** The project: a config and a README, no results committed anywhere (CI writes them). */
const PROJECT = {
  'configs/lora.yml': fixture('params/llama3-lora-1b.before.yml'),
  'README.md': '# A fine-tuning project\n',
};

/** Writes the `results` file an earlier step of the job would have written into the workspace. */
function writeResults(workspace: string, bytes: Buffer): void {
  mkdirSync(dirname(join(workspace, RESULTS)), { recursive: true });
  writeFileSync(join(workspace, RESULTS), bytes);
}

/** A `push` event on main (GitHub's example payload with this push's commits and default branch). */
function writePushEvent(dir: string, before: string, after: string): string {
  const definition = webhooks.find((d): d is WebhookDefinition<'push'> => d.name === 'push');
  const example = definition?.examples[0];
  if (!example) throw new Error('no push example');
  const payload = { ...structuredClone(example), ref: 'refs/heads/main', before, after };
  payload.repository.default_branch = 'main';
  const path = join(dir, 'push-event.json');
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

/** Runs dist/index.js as one workflow step of `run`, with the results written into a fresh checkout. */
async function runStep(run: FakeRun, results: Buffer, push?: { before: string }): Promise<StepResult> {
  const workspace = pr.checkout();
  writeResults(workspace, results);
  const dir = mkdtempSync(join(temp, `run-${run.id}-`));
  const step = prepareRunnerStep({
    dir,
    github,
    pr,
    workspace,
    runId: String(run.id),
    defaultBranch: 'main',
  });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ...step.env,
    INPUT_RESULTS: `${RESULTS}\n`,
    // The stand-in's download host has a certificate of its own, as blob storage has a real one.
    NODE_EXTRA_CA_CERTS: github.caFile,
    ...(push
      ? {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: writePushEvent(dir, push.before, run.headSha),
          INPUT_BASE: push.before,
          INPUT_HEAD: run.headSha,
        }
      : {}),
  };
  github.setRun(run);
  const { code, stdout, stderr } = await runProcess(process.execPath, [BUILT_ACTION.index], {
    cwd: workspace,
    env,
  });
  return { code, stdout, stderr, ...step.readFiles(), workspace };
}

/** The report the run uploaded, read back from the stand-in's artifact service. */
async function uploadedReport(name: string): Promise<Report> {
  const artifact = github.artifacts.find((a) => a.create['name'] === name);
  if (!artifact) throw new Error(`no artifact ${name}`);
  const files = await unzipText(artifact.blob);
  return reportSchema.parse(JSON.parse(Object.values(files)[0] ?? ''));
}

beforeAll(async () => {
  // The pull request changes only the README: its results come from the workspace alone.
  pr = createPullRequestRepo(9, PROJECT, { 'README.md': '# A fine-tuning project\n\nNew prompt format.\n' });
  github = await startFakeGitHub(EXAMPLE_REPOSITORY, { downloads: true });
});
beforeEach(() => github.reset());
afterAll(async () => {
  await github.close();
  pr.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('a baseline from the report of a push run on the default branch', () => {
  it('push run on main uploads its report; the pull request run compares with it, fails on the regression and names it', async () => {
    // The push that made main the commit the pull request branched from (and is compared with).
    const mainRun: FakeRun = { id: 201, event: 'push', headBranch: 'main', headSha: pr.mergeBaseSha };
    const pushed = await runStep(mainRun, GOOD, { before: pr.mergeBaseSha });
    expect(errorsIn(pushed.stderr)).toEqual([]);
    expect(pushed.code).toBe(0);
    const mainReport = await uploadedReport(`tuneguard-report-${pr.mergeBaseSha}`);
    expect(mainReport.evalResults?.map((r) => [r.path, r.metrics.map((m) => [m.metric, m.value])])).toEqual([
      [
        RESULTS,
        [
          ['perplexity', 4.263079441956042],
          ['acc', 0.6881428294197555],
        ],
      ],
    ]);

    const prRun: FakeRun = { id: 202, event: 'pull_request', headBranch: 'contributor', headSha: pr.headSha };
    const reviewed = await runStep(prRun, REGRESSED);

    expect(errorsIn(reviewed.stderr)).toEqual([]);
    expect(reviewed.code).toBe(1);
    expect(reviewed.stdout).toContain(`::error title=tuneguard%3A eval-regression,file=${RESULTS}`);
    expect(reviewed.stdout).toContain(
      // Annotation text is percent-encoded by @actions/core: % is %25.
      'lambada_openai / acc regressed: 0.6881 → 0.4106 (-0.2775, -40.3%25)',
    );
    expect(reviewed.stdout).toContain(
      `Baseline: run 201 on main at ${pr.mergeBaseSha.slice(0, 7)}, less than a day old.`,
    );
    const report = await uploadedReport(`tuneguard-report-pr9-${pr.headSha}`);
    expect(report.baseline).toMatchObject({
      runId: 201,
      url: 'https://github.com/Codertocat/Hello-World/actions/runs/201',
      sha: pr.mergeBaseSha,
      branch: 'main',
      event: 'push',
      commitsBack: 0,
      ageDays: 0,
      files: [{ path: RESULTS, baselinePath: RESULTS }],
    });
    expect(report.findings.filter((f) => f.check === 'eval-regression').map((f) => f.evidence)).toEqual([
      { base: 4.263079441956042, head: 20.08827618270199, delta: 20.08827618270199 - 4.263079441956042 },
      {
        base: 0.6881428294197555,
        head: 0.41063458179701146,
        delta: 0.41063458179701146 - 0.6881428294197555,
      },
    ]);
    const comment = github.comments[0]?.body ?? '';
    expect(comment).toContain(
      `**Baseline:** [run 201](https://github.com/Codertocat/Hello-World/actions/runs/201) on <code>main</code> at ${pr.mergeBaseSha.slice(0, 7)}, less than a day old.`,
    );
    // The job summary names the run without a link (it has no page of its own run to check it against).
    expect(reviewed.summary).toContain(
      `**Baseline:** run 201 on <code>main</code> at ${pr.mergeBaseSha.slice(0, 7)}`,
    );
    // Every REST request of both runs is one GitHub documents.
    expect(github.problems).toEqual([]);
    expect(github.requests.map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`)).toEqual(
      expect.arrayContaining([
        'GET /repos/Codertocat/Hello-World/actions/artifacts',
        'GET /repos/Codertocat/Hello-World/actions/runs/201',
        `GET /repos/Codertocat/Hello-World/actions/artifacts/1/zip`,
      ]),
    );
  });

  it('without any report to find: a notice says why and how to create one, and the step passes', async () => {
    const prRun: FakeRun = { id: 203, event: 'pull_request', headBranch: 'contributor', headSha: pr.headSha };
    const reviewed = await runStep(prRun, REGRESSED);

    expect(errorsIn(reviewed.stderr)).toEqual([]);
    expect(reviewed.code).toBe(0);
    expect(reviewed.outputs['verdict']).toBe('pass');
    expect(reviewed.stdout).toContain(`::notice title=tuneguard%3A eval-baseline-missing,file=${RESULTS}`);
    const report = await uploadedReport(`tuneguard-report-pr9-${pr.headSha}`);
    expect(report.baseline).toBeUndefined();
    expect(report.findings.map((f) => [f.check, f.severity, f.title])).toEqual([
      [
        'eval-baseline-missing',
        'notice',
        'No baseline for the results on head: no usable report artifact of a push, workflow_dispatch or schedule run on main for the base commit',
      ],
    ]);
    expect(github.problems).toEqual([]);
  });
});
