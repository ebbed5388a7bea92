import { expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_TOKEN } from './action-inputs.js';
import { JOB_BACKEND, RUN_BACKEND, type FakeGitHub } from './fake-github-server.js';
import { lineInRegressedResults } from './fine-tuning-project.js';
import type { StepResult } from './runner-step.js';
import { unzipText } from './unzip-text.js';

/**
 * Asserts what a user sees after the built Action's first run on `REGRESSION_PR` (the fixture's
 * 2 failures, 1 warning and 1 notice), with every input at its default, whichever runner ran it: the
 * step failed, outputs and summary were written, findings were annotated on their file and line, the
 * sticky comment was created, and the report was uploaded as the run's artifact. `github` is the
 * stand-in the step talked to, fresh for this run; `runId` is the step's `GITHUB_RUN_ID`.
 */
export async function expectRegressionStep(check: {
  step: StepResult;
  github: FakeGitHub;
  pr: { number: number; headSha: string };
  runId: string;
}): Promise<void> {
  const { step, github, pr, runId } = check;
  const artifactName = `tuneguard-report-pr${pr.number}-${pr.headSha}`;
  expect(step.code).toBe(1);
  const reportPath = join(step.workspace, 'tuneguard-report.json');
  const reportText = readFileSync(reportPath, 'utf8');
  const report = JSON.parse(reportText) as { head: { sha: string } };
  expect(report.head.sha).toBe(pr.headSha);
  expect(step.outputs).toEqual({
    verdict: 'failure',
    failures: '2',
    warnings: '1',
    'report-path': reportPath,
    'comment-url': `https://github.com/Codertocat/Hello-World/pull/${pr.number}#issuecomment-${github.comments[0]?.id}`,
  });

  // Workflow commands on stdout: the annotations and the failure (`:` in a property is written %3A).
  expect(step.stdout).toContain(
    `::error title=tuneguard%3A eval-regression,file=results/lambada.json,line=${lineInRegressedResults('acc,none')}::lambada_openai / acc regressed`,
  );
  expect(step.stdout).toContain('::warning title=tuneguard%3A data-shrink,file=data/train.jsonl::');
  expect(step.stdout).toContain(
    '::error::tuneguard: 2 failures and 1 warning; the verdict failure reaches fail-on: failure.',
  );
  expect(step.summary).toContain('### ❌ tuneguard: 2 failures, 1 warning, 1 notice');
  expect(step.summary).toContain(`- **Report artifact** uploaded as \`${artifactName}\``);

  expect(github.problems).toEqual([]);
  // After creating the comment the Action lists the comments again, so that racing runs converge on one.
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    `GET /repos/Codertocat/Hello-World/issues/${pr.number}/comments?per_page=100`,
    `POST /repos/Codertocat/Hello-World/issues/${pr.number}/comments`,
    `GET /repos/Codertocat/Hello-World/issues/${pr.number}/comments?per_page=100`,
  ]);
  expect(github.requests.every((r) => r.authorization === `token ${TEST_TOKEN}`)).toBe(true);
  expect(github.comments).toHaveLength(1);
  expect(github.comments[0]?.body).toMatch(/^<!-- tuneguard:report -->\n### ❌ tuneguard: 2 failures/);
  expect(github.comments[0]?.body).toContain(
    `[full report](https://github.com/Codertocat/Hello-World/actions/runs/${runId})`,
  );

  // The artifact: created for this run's backend ids, the zip's one file is the report on disk,
  // finalized with the zip's size and SHA-256. Twirp's JSON keeps the protobuf field names.
  expect(github.artifacts).toHaveLength(1);
  const [artifact] = github.artifacts;
  const backend = { workflow_run_backend_id: RUN_BACKEND, workflow_job_run_backend_id: JOB_BACKEND };
  expect(artifact?.create).toEqual({
    ...backend,
    name: artifactName,
    version: 7,
    mime_type: 'application/zip',
  });
  expect(await unzipText(artifact?.blob ?? Buffer.alloc(0))).toEqual({ 'tuneguard-report.json': reportText });
  expect(artifact?.finalize).toEqual({
    ...backend,
    name: artifactName,
    size: String(artifact?.blob.length),
    hash: `sha256:${createHash('sha256')
      .update(artifact?.blob ?? '')
      .digest('hex')}`,
  });
}

/** The first run's head, sticky comment id and `comment-url` output, which the next run must keep. */
export interface FirstRun {
  headSha: string;
  commentId: number | undefined;
  commentUrl: string | undefined;
}

/**
 * Asserts what a user sees after the next run, once `RESTORING_PUSH` is pushed on the regression
 * PR: only the config still differs from the base, so `params-stale-eval` warns (1 warning, 1 notice)
 * and the step passes with `fail-on: failure`; the same comment is updated, and the new head's report is
 * uploaded after the first one. `github.requests` must hold only this run's requests.
 */
export function expectRestoredStep(check: {
  step: StepResult;
  github: FakeGitHub;
  pr: { number: number; headSha: string };
  first: FirstRun;
}): void {
  const { step, github, pr, first } = check;
  expect(step.code).toBe(0);
  expect(step.outputs).toMatchObject({ verdict: 'warning', failures: '0', warnings: '1' });
  expect(step.outputs['comment-url']).toBe(first.commentUrl);
  expect(step.stdout).not.toContain('::error');
  expect(github.problems).toEqual([]);
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    `GET /repos/Codertocat/Hello-World/issues/${pr.number}/comments?per_page=100`,
    `PATCH /repos/Codertocat/Hello-World/issues/comments/${first.commentId}`,
  ]);
  expect(github.comments).toHaveLength(1);
  expect(github.comments[0]?.body).toMatch(
    /^<!-- tuneguard:report -->\n### ⚠️ tuneguard: 1 warning, 1 notice/,
  );
  expect(pr.headSha).not.toBe(first.headSha);
  expect(github.artifacts.map((a) => a.create['name'])).toEqual([
    `tuneguard-report-pr${pr.number}-${first.headSha}`,
    `tuneguard-report-pr${pr.number}-${pr.headSha}`,
  ]);
}
