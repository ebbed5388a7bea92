import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_ACTION } from './helpers/built-action.js';
import {
  expectRegressionStep,
  expectRestoredStep,
  type FirstRun,
} from './helpers/expect-regression-steps.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github-server.js';
import { BASE_PROJECT, REGRESSION_PR, RESTORING_PUSH } from './helpers/fine-tuning-project.js';
import { EXAMPLE_REPOSITORY } from './helpers/pull-request-event.js';
import { createPullRequestRepo, type PullRequestRepo } from './helpers/pull-request-repo.js';
import { errorsIn, prepareRunnerStep, runProcess, type StepResult } from './helpers/runner-step.js';

/*
 * The built Action (dist/index.js, which imports the bundle dist/main.js), run as GitHub's runner runs a
 * `node24` action: a separate node process, inputs in INPUT_* variables (hyphens kept:
 * INPUT_GITHUB-TOKEN), the event in a file, outputs and summary written to the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, GitHub's REST API and the artifact service played by a local server.
 *
 * It runs the committed dist/, which is what users get: CI rebuilds dist/ and fails when it differs from
 * the sources before the tests run, so there the bundle tested is always the sources'. Only a missing
 * dist/ (a fresh checkout where nobody bundled yet) is built, by jest's global set-up.
 */
let github: FakeGitHub;
let pr: PullRequestRepo;
const temp = mkdtempSync(join(tmpdir(), 'tuneguard-e2e-'));

/** Runs dist/index.js for the PR's current head from a fresh default checkout, as one workflow step. */
async function runStep(runId: string): Promise<StepResult> {
  const workspace = pr.checkout();
  const step = prepareRunnerStep({
    dir: mkdtempSync(join(temp, `run-${runId}-`)),
    github,
    pr,
    workspace,
    runId,
  });
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], ...step.env };
  const { code, stdout, stderr } = await runProcess(process.execPath, [BUILT_ACTION.index], {
    cwd: workspace,
    env,
  });
  return { code, stdout, stderr, ...step.readFiles(), workspace };
}

beforeAll(async () => {
  pr = createPullRequestRepo(7, BASE_PROJECT, REGRESSION_PR);
  github = await startFakeGitHub(EXAMPLE_REPOSITORY);
});
afterAll(async () => {
  await github.close();
  pr.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('dist/index.js run as the runner runs it', () => {
  let first: StepResult;
  let firstHead = '';

  it('first run: fails the step on the regression, creates the comment, writes outputs and summary, uploads the artifact', async () => {
    firstHead = pr.headSha;
    first = await runStep('101');

    expect(errorsIn(first.stderr)).toEqual([]);
    await expectRegressionStep({ step: first, github, pr, runId: '101' });
  });

  it('second run, after a push that restores the data and results: passes the step and updates the same comment', async () => {
    const before: FirstRun = {
      headSha: firstHead,
      commentId: github.comments[0]?.id,
      commentUrl: first.outputs['comment-url'],
    };
    github.requests.length = 0;
    pr.push(RESTORING_PUSH);

    const second = await runStep('102');

    expect(errorsIn(second.stderr)).toEqual([]);
    expectRestoredStep({ step: second, github, pr, first: before });
  });
});
