import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { readActionMetadata } from './helpers/action-inputs.js';
import { ACTION_ROOT, BUILT_ACTION } from './helpers/built-action.js';
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
 * The built Action run under @github/local-action, GitHub's local runner for JavaScript actions, as a
 * developer runs it from this repository's root: `local-action run . dist/main.js <dotenv file>`, every
 * variable of the step in the dotenv file. It reviews a real pull request (the fixture's regression)
 * against the local GitHub stand-in.
 *
 * local-action imports the entrypoint and calls the `run` it exports, so it is given dist/main.js: the
 * bundle that dist/index.js (what action.yml names) imports and runs. It is the same built file.
 *
 * What local-action stubs does not reach a bundle: it swaps node_modules/@actions/{core,github,artifact,
 * cache}/lib/*.js for its own (through quibble), and the bundle loads none of them, the toolkit being
 * inlined. So the step behaves as on GitHub's runner: outputs and summary go to the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, workflow commands (annotations, the failure) to stdout, the comment through
 * the REST API at GITHUB_API_URL, the artifact to the service at ACTIONS_RESULTS_URL. What shows it:
 * local-action's own "Action Outputs" table says none were set, and its artifact folder
 * (LOCAL_ACTION_ARTIFACT_PATH) stays empty.
 */
const localActionFolder = join(ACTION_ROOT, 'node_modules/@github/local-action');
const localActionPackage = JSON.parse(readFileSync(join(localActionFolder, 'package.json'), 'utf8')) as {
  bin: { 'local-action': string };
};
/** The `local-action` command's script. */
const localAction = join(localActionFolder, localActionPackage.bin['local-action']);

let github: FakeGitHub;
let pr: PullRequestRepo;
const temp = mkdtempSync(join(tmpdir(), 'tuneguard-local-action-'));
const artifactFolder = join(temp, 'local-artifacts');

/** Writes `variables` as a dotenv file, each value single-quoted (taken literally by dotenv). */
function writeDotenv(path: string, variables: Record<string, string>): string {
  const lines = Object.entries(variables).map(([name, value]) => {
    if (/['\n]/.test(value)) throw new Error(`${name}: a quote or newline would not survive the dotenv file`);
    return `${name}='${value}'`;
  });
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Runs `local-action run . dist/main.js <dotenv>` from the repository root for the PR's current head. */
async function runUnderLocalAction(runId: string): Promise<StepResult> {
  const workspace = pr.checkout();
  const dir = mkdtempSync(join(temp, 'run-'));
  const step = prepareRunnerStep({ dir, github, pr, workspace, runId });
  const dotenv = writeDotenv(join(dir, '.env'), {
    ...step.env,
    LOCAL_ACTION_ARTIFACT_PATH: artifactFolder,
  });
  const env: NodeJS.ProcessEnv = {
    // local-action starts `npm exec tsx …`: the node running the tests comes first on PATH for both.
    PATH: [dirname(process.execPath), process.env['PATH']].join(delimiter),
    HOME: process.env['HOME'],
    // tsx is installed with local-action: npm must never fetch it, nor check the registry for itself.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const args = [localAction, 'run', '.', 'dist/main.js', dotenv];
  const { code, stdout, stderr } = await runProcess(process.execPath, args, { cwd: ACTION_ROOT, env });
  return { code, stdout, stderr, ...step.readFiles(), workspace };
}

beforeAll(async () => {
  mkdirSync(artifactFolder);
  pr = createPullRequestRepo(8, BASE_PROJECT, REGRESSION_PR);
  github = await startFakeGitHub(EXAMPLE_REPOSITORY);
});
afterAll(async () => {
  await github.close();
  pr.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('the built Action under @github/local-action', () => {
  let first: FirstRun;

  it('first run: fails on the regression PR, comments, uploads, writes outputs and summary as on a runner', async () => {
    const headSha = pr.headSha;
    const step = await runUnderLocalAction('201');

    // local-action ran the bundle with this repository's action.yml.
    expect(step.stdout).toContain(`'${BUILT_ACTION.main}'`);
    for (const input of Object.keys(readActionMetadata().inputs)) expect(step.stdout).toContain(`'${input}'`);
    expect(errorsIn(step.stderr)).toEqual([]);
    await expectRegressionStep({ step, github, pr, runId: '201' });
    // Its stubs were not reached (see above).
    expect(step.stdout).toMatch(/Action Outputs\n=+\n\nNo outputs were set!/);
    expect(readdirSync(artifactFolder)).toEqual([]);
    first = { headSha, commentId: github.comments[0]?.id, commentUrl: step.outputs['comment-url'] };
  }, 120_000);

  it('second run, after a push that restores the data and results: local-action exits 0, the comment is updated', async () => {
    github.requests.length = 0;
    pr.push(RESTORING_PUSH);

    const step = await runUnderLocalAction('202');

    expect(errorsIn(step.stderr)).toEqual([]);
    expectRestoredStep({ step, github, pr, first });
    expect(readdirSync(artifactFolder)).toEqual([]);
  }, 120_000);
});
