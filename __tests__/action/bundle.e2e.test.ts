import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';
import { readActionMetadata, TEST_TOKEN } from './helpers/action-inputs.js';
import {
  artifactServiceEnv,
  JOB_BACKEND,
  RUN_BACKEND,
  startFakeGitHub,
  type FakeGitHub,
} from './helpers/fake-github-server.js';
import { BASE_PROJECT, lineInRegressedResults, REGRESSION_PR } from './helpers/fine-tuning-project.js';
import { EXAMPLE_REPOSITORY, writePullRequestEvent } from './helpers/pull-request-event.js';
import { createPullRequestRepo, type PullRequestRepo } from './helpers/pull-request-repo.js';

/*
 * The built Action (dist/index.js), run as GitHub's runner runs a `node24` action: a separate node
 * process, inputs in INPUT_* variables (hyphens kept: INPUT_GITHUB-TOKEN), the event in a file, outputs
 * and summary written to the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GitHub's REST API and the
 * artifact service played by a local server.
 *
 * It runs the committed dist/, which is what users get: CI rebuilds dist/ and fails when it differs from
 * the sources before the tests run, so there the bundle tested is always the sources'. Only a missing
 * dist/ (a fresh checkout where nobody bundled yet) is built here.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(root, 'dist/index.js');

interface Step {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

let github: FakeGitHub;
let pr: PullRequestRepo;
const temp = mkdtempSync(join(tmpdir(), 'tuneguard-e2e-'));

/** Runs dist/index.js for the PR's current head from a fresh default checkout, as one workflow step. */
async function runStep(runId: string): Promise<Step> {
  const workspace = pr.checkout();
  const files = mkdtempSync(join(temp, `run-${runId}-`));
  const outputFile = join(files, 'output');
  const summaryFile = join(files, 'step_summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputs = Object.fromEntries(
    Object.entries(readActionMetadata().inputs).map(([name, input]) => [
      // The runner's naming: upper case, hyphens kept.
      `INPUT_${name.toUpperCase()}`,
      input.default === '${{ github.token }}' ? TEST_TOKEN : (input.default ?? ''),
    ]),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ...inputs,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: writePullRequestEvent(files, {
      number: pr.number,
      baseSha: pr.baseSha,
      headSha: pr.headSha,
    }),
    GITHUB_REPOSITORY: `${EXAMPLE_REPOSITORY.owner}/${EXAMPLE_REPOSITORY.repo}`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.url,
    GITHUB_RUN_ID: runId,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: files,
    ...artifactServiceEnv(github),
  };
  // Asynchronous: the fake GitHub answers from this process while the step runs.
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      const child = execFile(process.execPath, [bundle], { cwd: workspace, env }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    },
  );
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    workspace,
  };
}

/** stderr without Node's own warnings (a dependency's deprecation notice on a newer Node, say). */
function errorsIn(stderr: string): string[] {
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

function unzip(zip: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const entries: Record<string, string> = {};
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error) return reject(error);
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries[entry.fileName] = Buffer.concat(chunks).toString('utf8');
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => resolve(entries));
      archive.readEntry();
    });
  });
}

beforeAll(async () => {
  if (!existsSync(bundle))
    execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
  pr = createPullRequestRepo(7, BASE_PROJECT, REGRESSION_PR);
  github = await startFakeGitHub(EXAMPLE_REPOSITORY);
});
afterAll(async () => {
  await github.close();
  pr.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('dist/index.js run as the runner runs it', () => {
  let first: Step;
  let firstHead = '';

  it('first run: fails the step on the regression, creates the comment, writes outputs and summary, uploads the artifact', async () => {
    firstHead = pr.headSha;
    first = await runStep('101');

    expect(errorsIn(first.stderr)).toEqual([]);
    expect(first.code).toBe(1);
    const reportPath = join(first.workspace, 'tuneguard-report.json');
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { head: { sha: string }; verdict: string };
    expect(report.head.sha).toBe(pr.headSha);
    expect(first.outputs).toEqual({
      verdict: 'failure',
      failures: '2',
      warnings: '1',
      'report-path': reportPath,
      'comment-url': `https://github.com/Codertocat/Hello-World/pull/7#issuecomment-${github.comments[0]?.id}`,
    });

    // Workflow commands on stdout: the annotations and the failure (`:` in a property is written %3A).
    expect(first.stdout).toContain(
      `::error title=tuneguard%3A eval-regression,file=results/lambada.json,line=${lineInRegressedResults('acc,none')}::lambada_openai / acc regressed`,
    );
    expect(first.stdout).toContain('::warning title=tuneguard%3A data-shrink,file=data/train.jsonl::');
    expect(first.stdout).toContain(
      '::error::tuneguard: 2 failures and 1 warning; the verdict failure reaches fail-on: failure.',
    );
    expect(first.summary).toContain('### ❌ tuneguard: 2 failures, 1 warning, 1 notice');
    expect(first.summary).toContain(
      `- **Report artifact** uploaded as \`tuneguard-report-pr7-${pr.headSha}\``,
    );

    expect(github.problems).toEqual([]);
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/Codertocat/Hello-World/issues/7/comments?per_page=100',
      'POST /repos/Codertocat/Hello-World/issues/7/comments',
    ]);
    expect(github.requests.every((r) => r.authorization === `token ${TEST_TOKEN}`)).toBe(true);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(/^<!-- tuneguard:report -->\n### ❌ tuneguard: 2 failures/);
    expect(github.comments[0]?.body).toContain(
      '[full report](https://github.com/Codertocat/Hello-World/actions/runs/101)',
    );

    // The artifact: created for this run's backend ids, the zip's one file is the report on disk,
    // finalized with the zip's size and SHA-256.
    expect(github.artifacts).toHaveLength(1);
    const [artifact] = github.artifacts;
    // Twirp's JSON keeps the protobuf field names.
    expect(artifact?.create).toEqual({
      workflow_run_backend_id: RUN_BACKEND,
      workflow_job_run_backend_id: JOB_BACKEND,
      name: `tuneguard-report-pr7-${pr.headSha}`,
      version: 7,
      mime_type: 'application/zip',
    });
    expect(await unzip(artifact?.blob ?? Buffer.alloc(0))).toEqual({
      'tuneguard-report.json': readFileSync(reportPath, 'utf8'),
    });
    expect(artifact?.finalize).toEqual({
      workflow_run_backend_id: RUN_BACKEND,
      workflow_job_run_backend_id: JOB_BACKEND,
      name: `tuneguard-report-pr7-${pr.headSha}`,
      size: String(artifact?.blob.length),
      hash: `sha256:${createHash('sha256')
        .update(artifact?.blob ?? '')
        .digest('hex')}`,
    });
  });

  it('second run, after a push that restores the data and results: passes the step and updates the same comment', async () => {
    const commentId = github.comments[0]?.id;
    github.requests.length = 0;
    pr.push({
      'data/train.jsonl': BASE_PROJECT['data/train.jsonl'] ?? null,
      'results/lambada.json': BASE_PROJECT['results/lambada.json'] ?? null,
    });

    const second = await runStep('102');

    expect(errorsIn(second.stderr)).toEqual([]);
    // Only the config differs from the base now: params-stale-eval warns, fail-on failure passes.
    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ verdict: 'warning', failures: '0', warnings: '1' });
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(second.stdout).not.toContain('::error');
    expect(github.problems).toEqual([]);
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/Codertocat/Hello-World/issues/7/comments?per_page=100',
      `PATCH /repos/Codertocat/Hello-World/issues/comments/${commentId}`,
    ]);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(
      /^<!-- tuneguard:report -->\n### ⚠️ tuneguard: 1 warning, 1 notice/,
    );
    expect(pr.headSha).not.toBe(firstHead);
    expect(github.artifacts.map((a) => a.create['name'])).toEqual([
      `tuneguard-report-pr7-${firstHead}`,
      `tuneguard-report-pr7-${pr.headSha}`,
    ]);
  });
});
