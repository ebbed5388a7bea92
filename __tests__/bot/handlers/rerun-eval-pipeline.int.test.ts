import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../../src/analyze.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../../../src/io/git.js';
import { listWorkspaceFiles } from '../../../src/io/list-workspace-files.js';
import { overlayWorkspace } from '../../../src/io/overlay-workspace.js';
import type { Report } from '../../../src/model/report-schema.js';
import { createEvaluatedRepo } from '../../helpers/evaluated-repo.js';
import type { TestRepo } from '../../helpers/git-repo.js';
import {
  BASE_REF,
  checkRunData,
  HEAD_REF,
  INSTALLATION_ID,
  issueCommentEvent,
  PR_NUMBER,
  pullRequestData,
  REPO_PATH,
  workflowRunEvent,
  zipReport,
} from '../helpers/events.js';
import {
  createTestProbot,
  deliver,
  expectGitHubDone,
  mockGitHub,
  mockToken,
  type GitHubMock,
} from '../helpers/github-app.js';
import { mockArtifact, mockFreshPublication } from '../helpers/report-run.js';
import { useNock } from '../helpers/use-nock.js';

/*
 * `/tuneguard rerun-eval` end to end, as a repository set up like examples/ runs it: the example config's
 * `commands` (examples/tuneguard.yml) name examples/workflows/tuneguard-eval.yml; the comment dispatches it with
 * `repeats=3`; the run it dispatched completes, and its report artifact becomes the `tuneguard` check
 * and the review.
 *
 * The report is a real one: the example evaluator (examples/eval) trains its classifier on the WikiSQL
 * fixture and scores it, on a real repository, for the base and for a head whose data/train.jsonl was
 * regenerated with every COUNT question labelled NONE (helpers/evaluated-repo.ts); the head's output
 * is not committed, and is read from the working tree as the Action's `results: eval-results/**` reads
 * it; `analyze` (the Action's pipeline) compares them.
 * Computed independently with Python at writing time: seed 1 gets 73 of 100 held-out items right on
 * the base and 62 on the head; 15 items lost and 4 gained, so McNemar's exact test gives
 * p = 2·P(X ≤ 4 | X ~ Bin(19, ½)) = 0.01921.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The repository's config: the example's `commands` section (its other keys name another layout's files). */
const CONFIG = `commands:\n${readFileSync(join(root, 'examples/tuneguard.yml'), 'utf8').split('\ncommands:\n')[1] ?? ''}`;
const DISPATCH_RUN = 30500001;
const DISPATCH_URL = `https://github.com/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN}`;
const ARTIFACT_ID = 5077;
const COMMENT_ID = 492700400; // the example issue_comment's comment id

let repo: TestRepo;
let headSha: string;
let report: Report;
let github: GitHubMock | undefined;

useNock();
beforeAll(async () => {
  ({ repo, headSha } = createEvaluatedRepo(HEAD_REF, 'workspace'));
  // As the Action runs with `results: eval-results/**`: the head's results are read from the working tree.
  const { files } = await listWorkspaceFiles(repo.dir, ['eval-results/**']);
  const git = await openGitRepository(repo.dir);
  report = await analyze({
    pair: await overlayWorkspace(await openSnapshotPair(git, 'main', HEAD_REF), {
      root: repo.dir,
      files,
      deleted: [],
    }),
    config: parseConfig(CONFIG, '.github/tuneguard.yml'),
    toolVersion: '0.1.0',
    workspace: { files },
  });
});
afterAll(() => repo.remove());
afterEach(() => {
  if (github) expectGitHubDone(github);
  nock.cleanAll();
});

/**
 * The pull request's files as GitHub lists them: git's own patches and counts of the two commits (the
 * relabelled training data, and the base's results the head removed).
 */
function filesOfPullRequest() {
  const statuses: Record<string, string> = { M: 'modified', D: 'removed', A: 'added' };
  return repo
    .git('diff', '--numstat', 'main', headSha)
    .split('\n')
    .map((line) => {
      const [additions = '0', deletions = '0', filename = ''] = line.split('\t');
      const status = repo.git('diff', '--name-status', 'main', headSha, '--', filename).split('\t')[0] ?? 'M';
      const diff = repo.git('diff', '--no-color', '-U3', 'main', headSha, '--', filename);
      return {
        sha: headSha,
        filename,
        status: statuses[status] ?? 'modified',
        additions: Number(additions),
        deletions: Number(deletions),
        changes: Number(additions) + Number(deletions),
        patch: diff.slice(diff.indexOf('@@')),
      };
    });
}

it('the report the evaluator and tuneguard produce: a paired regression of 0.73 → 0.62, the head read from the workspace', () => {
  expect(repo.git('status', '--porcelain', '--untracked-files=all')).toMatch(
    /^\?\? eval-results\/my-org__my-model\/results_[\dT.-]+\.json\n\?\? eval-results\/my-org__my-model\/samples_wikisql_agg_[\dT.-]+\.jsonl$/,
  );
  expect(report.head.workspace?.files).toHaveLength(2);
  const metrics = report.metrics.flatMap((file) => file.metrics.map((metric) => ({ file, metric })));
  expect(
    metrics.map(({ file, metric }) => [file.format, file.pairedTasks, metric.key, metric.base, metric.head]),
  ).toEqual([['lm-eval', ['wikisql_agg'], 'wikisql_agg/acc', 0.73, 0.62]]);
  expect(report.verdict).toBe('failure');
});

it('rerun-eval repeats=3 → the dispatch → the dispatched run completes → its report is the check and the review', async () => {
  const gh = mockGitHub();
  github = gh;
  const pull = pullRequestData({ headSha });

  // 1. The command: the config on the base branch's tip names the workflow; the dispatch returns the run.
  mockToken(gh, INSTALLATION_ID);
  gh.api
    .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: 'eyes' })
    .reply(201, { id: 1, content: 'eyes' });
  gh.api.get(`${REPO_PATH}/collaborators/octocat/permission`).reply(200, {
    permission: 'write',
    role_name: 'write',
    user: { login: 'octocat', id: 1, type: 'User' },
  });
  gh.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pull);
  gh.api
    .get(`${REPO_PATH}/contents/.github%2Ftuneguard.yml`)
    .query({ ref: BASE_REF })
    .reply(200, CONFIG, { 'content-type': 'text/plain; charset=utf-8' });
  gh.api.post(`${REPO_PATH}/actions/workflows/tuneguard-eval.yml/dispatches`).reply(200, {
    workflow_run_id: DISPATCH_RUN,
    run_url: `https://api.github.com/repos/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN}`,
    html_url: DISPATCH_URL,
  });
  gh.api
    .post(`${REPO_PATH}/check-runs`)
    .reply(201, { ...checkRunData({ id: 90, externalId: String(DISPATCH_RUN) }), head_sha: headSha });
  gh.api
    .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: '+1' })
    .reply(201, { id: 2, content: '+1' });
  gh.api
    .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`)
    .reply(201, { id: 900, html_url: 'https://github.com/Codertocat/Hello-World/pull/2#issuecomment-900' });

  await deliver(
    await createTestProbot(),
    'issue_comment',
    issueCommentEvent('/tuneguard rerun-eval repeats=3'),
  );

  expect(gh.body('POST', `${REPO_PATH}/actions/workflows/tuneguard-eval.yml/dispatches`)).toEqual({
    ref: HEAD_REF,
    inputs: { 'head-sha': headSha, 'base-sha': pull.base.sha, pr: String(PR_NUMBER), repeats: '3' },
    return_run_details: true,
  });
  expect(gh.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({
    head_sha: headSha,
    status: 'in_progress',
    details_url: DISPATCH_URL,
    external_id: String(DISPATCH_RUN),
  });

  expect(
    (gh.sent('POST', `${REPO_PATH}/issues/${PR_NUMBER}/comments`)[0]?.body as { body: string }).body,
  ).toContain('Dispatched the workflow <code>tuneguard-eval.yml</code> as committed on <code>changes</code>');

  // 2. The dispatched run completes. Its artifact names no pull request (a dispatch has none): the App
  // finds the open pull request whose head is the report's commit.
  mockToken(gh, INSTALLATION_ID);
  const blob = mockArtifact(gh, zipReport(report), {
    id: ARTIFACT_ID,
    runId: DISPATCH_RUN,
    name: `tuneguard-report-${headSha}`,
  });
  gh.api.get(`${REPO_PATH}/pulls`).query({ state: 'open', per_page: 100 }).reply(200, [pull]);
  gh.api
    .get(`${REPO_PATH}/commits/${headSha}/check-runs`)
    .query(true)
    .reply(200, {
      total_count: 1,
      check_runs: [{ ...checkRunData({ id: 90, externalId: String(DISPATCH_RUN) }), head_sha: headSha }],
    });
  gh.api
    .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
    .query({ per_page: 100 })
    .reply(200, filesOfPullRequest());
  gh.api
    .patch(`${REPO_PATH}/check-runs/90`)
    .reply(200, { ...checkRunData({ id: 90, status: 'completed' }), head_sha: headSha });
  mockFreshPublication(gh.api);

  await deliver(
    await createTestProbot(),
    'workflow_run',
    workflowRunEvent({
      event: 'workflow_dispatch',
      headSha,
      runId: DISPATCH_RUN,
      path: '.github/workflows/tuneguard-eval.yml',
    }),
  );
  blob?.done();

  // The check in progress is completed with the re-run's verdict, linked to the dispatched run.
  const check = gh.body<{
    conclusion: string;
    details_url: string;
    external_id: string;
    output: { title: string; summary: string; text?: string };
  }>('PATCH', `${REPO_PATH}/check-runs/90`);
  expect(check).toMatchObject({
    status: 'completed',
    conclusion: 'failure',
    details_url: DISPATCH_URL,
    external_id: `${DISPATCH_RUN}:${ARTIFACT_ID}`,
    // The regression fails; COUNT gone from the training labels warns (data-label-shift).
    output: { title: '1 failure, 1 warning' },
  });
  expect(`${check.output.summary}\n${check.output.text ?? ''}`).toContain(
    'wikisql&#95;agg / acc regressed: 0.73 → 0.62',
  );
  expect(`${check.output.summary}\n${check.output.text ?? ''}`).toContain(
    'paired over 100 items (McNemar): p = 0.01921',
  );
  // The review: the results are in no file the pull request changes (they were never committed), so
  // the findings are listed in its body, the regression first, with the results file and line.
  const review = gh.body<{ commit_id: string; event: string; body: string; comments?: unknown[] }>(
    'POST',
    `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`,
  );
  const resultsPath = report.metrics[0]?.path ?? '';
  expect(resultsPath).toMatch(/^eval-results\/my-org__my-model\/results_[\dT.-]+\.json$/);
  expect(review).toMatchObject({ commit_id: headSha, event: 'COMMENT' });
  expect(review.comments ?? []).toEqual([]);
  expect(review.body).toContain('### ❌ tuneguard: 1 failure, 1 warning');
  expect(review.body).toContain(
    `- ❌ <code>eval-regression</code> wikisql&#95;agg / acc regressed: 0.73 → 0.62 (-0.11, -15.1%) · <code>${resultsPath.replaceAll('_', '&#95;')}:5</code>`,
  );
});
