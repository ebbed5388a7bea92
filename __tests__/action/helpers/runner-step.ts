import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultInputs } from './action-inputs.js';
import { artifactServiceEnv, type FakeGitHub } from './fake-github-server.js';
import { EXAMPLE_REPOSITORY, writePullRequestEvent } from './pull-request-event.js';
import type { PullRequestRepo } from './pull-request-repo.js';

/** What one workflow step of the built Action left behind, as a user sees it. */
export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The outputs, read from the `GITHUB_OUTPUT` file. */
  outputs: Record<string, string>;
  /** The job summary, read from the `GITHUB_STEP_SUMMARY` file. */
  summary: string;
  /** The step's checkout (`GITHUB_WORKSPACE`). */
  workspace: string;
}

/** A step's variables, and a way to read back the files it writes. */
export interface RunnerStep {
  /** The runner's variables for the step (no PATH or HOME: the caller adds what its process needs). */
  env: Record<string, string>;
  /** Reads the outputs and the job summary the step wrote. */
  readFiles: () => Pick<StepResult, 'outputs' | 'summary'>;
}

/**
 * Prepares one `pull_request` step of the Action as GitHub's runner does for a `node24` action: every
 * input at action.yml's default in INPUT_* (upper case, hyphens kept: INPUT_GITHUB-TOKEN; the token is
 * the test's), the event file written in `dir`, empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files in
 * `dir`, and GitHub's REST API and artifact service at the stand-in `github`.
 */
export function prepareRunnerStep(step: {
  dir: string;
  github: Pick<FakeGitHub, 'url'>;
  pr: Pick<PullRequestRepo, 'number' | 'baseSha' | 'headSha'>;
  workspace: string;
  runId: string;
  /** The repository's default branch in the event; the example payload's `master` when absent. */
  defaultBranch?: string;
}): RunnerStep {
  const { dir, github, pr, workspace, runId, defaultBranch } = step;
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'step_summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputs = Object.entries(defaultInputs()).map(([name, value]) => [
    `INPUT_${name.toUpperCase()}`,
    value,
  ]);
  const env: Record<string, string> = {
    ...Object.fromEntries(inputs),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: writePullRequestEvent(dir, {
      number: pr.number,
      baseSha: pr.baseSha,
      headSha: pr.headSha,
      ...(defaultBranch !== undefined ? { defaultBranch } : {}),
    }),
    GITHUB_REPOSITORY: `${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.url,
    GITHUB_RUN_ID: runId,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...artifactServiceEnv(github),
  };
  return {
    env,
    readFiles: () => ({
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
    }),
  };
}

/**
 * Runs `command` with `args` as a separate process, stdin closed, and resolves with its exit code (`null`
 * when a signal ended it) and output. Asynchronous, so that a stand-in served from this process answers
 * while it runs.
 */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Pick<StepResult, 'code' | 'stdout' | 'stderr'>> {
  return new Promise((resolve) => {
    const child = execFile(command, args, options, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** stderr without Node's own warnings (a dependency's deprecation notice on a newer Node, say). */
export function errorsIn(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '' && !/^\(node:\d+\) |^\(Use `node --trace/.test(line));
}

/** Reads `name<<delimiter\nvalue\ndelimiter` entries, the format @actions/core writes. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [, name = '', delimiter, value = ''] of text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[name] = delimiter === undefined ? '' : value;
  }
  return outputs;
}
