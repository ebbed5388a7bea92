import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { renderCommentKeyLine } from '../../../src/io/github/sticky-comment.js';
import { computeReportKey } from '../../../src/report/compute-report-key.js';
import type { Finding } from '../../../src/model/report-schema.js';
import {
  checkRunData,
  HEAD_SHA,
  INSTALLATION_ID,
  PR_NUMBER,
  pullRequestData,
  REPO_PATH,
  RUN_ID,
  RUN_URL,
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
import { mockArtifact, sampleFiles, sampleReport, sampleZip } from '../helpers/report-run.js';
import { useNock } from '../helpers/use-nock.js';

const OLD_SHA = '1111111111111111111111111111111111111111';
const ARTIFACT = `tuneguard-report-pr${PR_NUMBER}-${HEAD_SHA}`;
/** The check run's `external_id`: the workflow run and the report artifact (the mocked artifact's id, 5001). */
const RECORD = `${RUN_ID}:5001`;
let github: GitHubMock;
let blob: nock.Scope | undefined;

useNock();
afterEach(() => {
  expectGitHubDone(github);
  blob?.done();
  blob = undefined;
  nock.cleanAll();
});

interface ReviewNodeData {
  id: string;
  body: string;
  isMinimized: boolean;
  viewerDidAuthor: boolean;
  comments: { nodes: { id: string; isMinimized: boolean }[] };
}

/** The reviews GraphQL query's answer. */
function reviewsAnswer(nodes: ReviewNodeData[]) {
  return {
    data: {
      repository: {
        pullRequest: { reviews: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } },
      },
    },
  };
}

/** Mocks everything a published report reads and writes after the download. */
function mockPublish(options: {
  checkRuns?: ReturnType<typeof checkRunData>[];
  reviews?: ReviewNodeData[];
  /** The reviews listed after posting; `reviews` by default. */
  reviewsAfter?: ReviewNodeData[];
  minimize?: boolean;
  comments?: { id: number; body: string; user: { login: string; type: string } }[];
  checkRunId?: number;
}) {
  const id = options.checkRunId ?? 71;
  github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`).query({ per_page: 100 }).reply(200, sampleFiles());
  github.api
    .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
    .query({ check_name: 'tuneguard', app_id: 4242, filter: 'all', per_page: 100 })
    .reply(200, { total_count: options.checkRuns?.length ?? 0, check_runs: options.checkRuns ?? [] });
  if (options.checkRuns?.some((run) => run.status === 'in_progress')) {
    github.api.patch(`${REPO_PATH}/check-runs/${id}`).reply(200, checkRunData({ id, status: 'completed' }));
  } else {
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id, status: 'completed' }));
  }
  // Listed before posting, and again after: by default without the new review, as a listing that does
  // not show it yet (the reviews listed first are then the ones minimised).
  github.api
    .post('/graphql', (body: { query: string }) => body.query.startsWith('query'))
    .reply(200, reviewsAnswer(options.reviews ?? []));
  github.api
    .post('/graphql', (body: { query: string }) => body.query.startsWith('query'))
    .reply(200, reviewsAnswer(options.reviewsAfter ?? options.reviews ?? []));
  github.api.post(`${REPO_PATH}/pulls/${PR_NUMBER}/reviews`).reply(200, {
    id: 80,
    node_id: 'PRR_new',
    html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}#pullrequestreview-80`,
  });
  if (options.minimize) {
    github.api
      .post('/graphql', (body: { query: string }) => body.query.startsWith('mutation'))
      .reply(200, { data: { m0: { minimizedComment: { isMinimized: true } } } });
  }
  github.api
    .get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`)
    .query({ per_page: 100 })
    .reply(200, options.comments ?? []);
}

const commentUrl = (id: number) =>
  `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}#issuecomment-${id}`;

/** Answers the sticky comment's creation, and the listing after it that looks for a racing duplicate. */
function mockCreatedComment(id: number) {
  github.api.post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, { id, html_url: commentUrl(id) });
  github.api
    .get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`)
    .query({ per_page: 100 })
    .reply(200, [
      {
        id,
        body: '<!-- tuneguard:report -->\n### tuneguard',
        user: { login: 'tuneguard[bot]', type: 'Bot' },
        html_url: commentUrl(id),
      },
    ]);
}

describe('workflow_run completed', () => {
  it('publishes the report: check run, review on the changed lines, sticky comment; hides the old review', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip());
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    mockPublish({
      checkRuns: [checkRunData({ id: 71 })],
      reviews: [
        // The App's review of an earlier head, one of its two comments hidden already.
        {
          id: 'PRR_old',
          body: `<!-- tuneguard:review sha=${OLD_SHA} key=0123456789abcdef -->\n### old`,
          isMinimized: false,
          viewerDidAuthor: true,
          comments: {
            nodes: [
              { id: 'PRRC_old1', isMinimized: false },
              { id: 'PRRC_old2', isMinimized: true },
            ],
          },
        },
        // A person quoting the marker: never hidden.
        {
          id: 'PRR_person',
          body: `> <!-- tuneguard:review sha=${OLD_SHA} key=0123456789abcdef -->`,
          isMinimized: false,
          viewerDidAuthor: false,
          comments: { nodes: [] },
        },
      ],
      minimize: true,
      // The Action's comment of the earlier head: the same marker, another report.
      comments: [
        { id: 11, body: 'LGTM', user: { login: 'octocat', type: 'User' } },
        {
          id: 12,
          body: '<!-- tuneguard:report -->\n### ✅ tuneguard: no problems found\n<!-- tuneguard:key=ffffffffffffffff -->\n',
          user: { login: 'github-actions[bot]', type: 'Bot' },
        },
      ],
    });
    github.api.patch(`${REPO_PATH}/issues/comments/12`).reply(200, { id: 12, html_url: commentUrl(12) });

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    // The check run opened by pull_request is completed. The sample's findings are 4 failures
    // (data-shrink, two on lambada_openai, boolq), 2 warnings and 2 notices.
    const check = github.body<{
      output: { summary: string; text: string; annotations: Record<string, unknown>[] };
    }>('PATCH', `${REPO_PATH}/check-runs/71`);
    expect(check).toMatchObject({
      name: 'tuneguard',
      status: 'completed',
      conclusion: 'failure',
      details_url: RUN_URL,
      external_id: RECORD,
      output: { title: '4 failures, 2 warnings, 2 notices' },
    });
    expect(check.output.summary.startsWith('### ❌ tuneguard: 4 failures, 2 warnings, 2 notices\n')).toBe(
      true,
    );
    expect(check.output.summary).toContain(`[full report](${RUN_URL})`);
    expect(check.output.text).toBe(`Report \`${ARTIFACT}\` from [workflow run ${RUN_ID}](${RUN_URL}).\n`);
    // One annotation per head-side finding with a line (all six of the sample's, changed lines or not).
    expect(
      check.output.annotations.map((a) => [a['path'], a['start_line'], a['annotation_level'], a['title']]),
    ).toEqual([
      ['configs/lora-1b.yml', 57, 'notice', 'tuneguard: params-changed'],
      ['data/wikisql/train.jsonl', 162, 'warning', 'tuneguard: data-duplicates'],
      ['results/lambada_openai.json', 7, 'failure', 'tuneguard: eval-regression'],
      ['results/lambada_openai.json', 5, 'failure', 'tuneguard: eval-regression'],
      ['recipes/zephyr-7b-beta/sft/config_full.yaml', 5, 'notice', 'tuneguard: params-changed'],
      ['results/common_sense_reasoning_0-shot.json', 28, 'failure', 'tuneguard: eval-regression'],
    ]);

    // The review: inline where git's diff shows the line. Hunks (git diff -U3 of the fixtures):
    // lambada @@ -2,10 +2,10 @@ → lines 2–11; common-sense @@ -1,85 +1,85 @@ → 1–85; zephyr @@ -2,7 +2,7 @@
    // → 2–8; lora @@ -54,7 +54,7 @@ → 54–60; wikisql @@ -90,7 +90,7 @@ → 90–96, so line 162 is not shown.
    const review = github.body<{
      body: string;
      comments: { path: string; line: number; side: string; body: string }[];
    }>('POST', `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`);
    expect(review).toMatchObject({ commit_id: HEAD_SHA, event: 'COMMENT' });
    expect(review.comments.map((c) => [c.path, c.line, c.side])).toEqual([
      ['results/lambada_openai.json', 7, 'RIGHT'],
      ['results/lambada_openai.json', 5, 'RIGHT'],
      ['results/common_sense_reasoning_0-shot.json', 28, 'RIGHT'],
      ['configs/lora-1b.yml', 57, 'RIGHT'],
      ['recipes/zephyr-7b-beta/sft/config_full.yaml', 5, 'RIGHT'],
    ]);
    // lambada acc 0.6881428294197555 → 0.41063458179701146, delta −0.277508…: 4 significant digits.
    expect(review.comments[0]?.body).toContain('**Base → head:** 0.6881 → 0.4106 (-0.2775)');
    expect(review.comments[0]?.body).toContain('The drop is 29.48 standard errors: significant at 0.05.');
    // A hyperparameter finding lists what moved: regressions first (the sample's order within them),
    // then improvements: hellaswag 0.7298 → 0.7624 (+0.03256), arc 0.3823 → 0.4394 (+0.05717).
    const lora = review.comments[3]?.body ?? '';
    expect(lora).toContain('**Metrics in this pull request**');
    expect(lora).toContain(
      '| <code>lambada&#95;openai/perplexity</code> | 4.263 | 20.09 | +15.83 | regressed |',
    );
    expect(lora).toContain('| <code>hellaswag/acc&#95;norm</code> | 0.7298 | 0.7624 | +0.03256 | improved |');
    expect(lora).toContain('| <code>arc&#95;challenge/acc</code> | 0.3823 | 0.4394 | +0.05717 | improved |');
    expect(review.body).toMatch(
      /^<!-- tuneguard:review sha=ec26c3e57ca3a959ca5aad62de7213c562f8c821 key=[0-9a-f]{16} -->\n/,
    );
    expect(review.body).toContain('### ❌ tuneguard: 4 failures, 2 warnings, 2 notices');
    expect(review.body).toContain('5 comments below on the changed lines');
    const listed = review.body.slice(review.body.indexOf('**Not on a changed line**'));
    expect(listed.match(/^- /gm)).toHaveLength(3);
    expect(listed).toContain('<code>data-shrink</code>');
    expect(listed).toContain('<code>data/wikisql/train.jsonl:162</code>');
    expect(listed).toContain('<code>train-eval-loss-rising</code>');

    // The old review and its comment still shown are minimised; the person's review is left alone.
    const minimize = github
      .sent('POST', '/graphql')
      .find((r) => (r.body as { query: string }).query.startsWith('mutation'));
    expect(minimize?.body).toEqual({
      query: expect.stringContaining('classifier: OUTDATED'),
      variables: { id0: 'PRR_old', id1: 'PRRC_old1' },
    });

    // The sticky comment: the Action's marker, updated in place, with the key line the Action writes.
    const comment = github.body<{ body: string }>('PATCH', `${REPO_PATH}/issues/comments/12`);
    expect(comment.body.startsWith('<!-- tuneguard:report -->\n### ❌ tuneguard: 4 failures')).toBe(true);
    expect(comment.body).toContain(`[full report](${RUN_URL})`);
  });

  it('the sticky comment already says what the Action wrote for this report: left unchanged, no second comment', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip());
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    // The key line as the Action writes it for the report it uploaded (the one in the artifact).
    const keyLine = renderCommentKeyLine(computeReportKey(sampleReport()));
    mockPublish({
      checkRuns: [],
      comments: [
        {
          id: 12,
          body: `<!-- tuneguard:report -->\n### ❌ tuneguard …\n${keyLine}\n`,
          user: { login: 'github-actions[bot]', type: 'Bot' },
        },
      ],
    });

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    // No check run was pending (the App was installed after the PR opened): a completed one is created.
    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({
      head_sha: HEAD_SHA,
      status: 'completed',
      conclusion: 'failure',
    });
    expect(github.sent('PATCH', `${REPO_PATH}/issues/comments/12`)).toEqual([]);
    expect(github.sent('POST', `${REPO_PATH}/issues/${PR_NUMBER}/comments`)).toEqual([]);
  });

  it('acceptances recorded on the head commit stay: the failure of an accepted check counts as a notice', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip());
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    // A maintainer accepted eval-regression on this head earlier (the record the App writes: base64url JSON).
    const record = Buffer.from(
      JSON.stringify([{ check: 'eval-regression', by: 'maintainer', reason: 'known drop, fixed next' }]),
    ).toString('base64url');
    mockPublish({
      checkRuns: [
        checkRunData({ id: 71, status: 'in_progress' }),
        checkRunData({
          id: 60,
          status: 'completed',
          conclusion: 'neutral',
          externalId: '111',
          text: `<!-- tuneguard:accepted ${record} -->`,
        }),
      ],
      comments: [],
    });
    mockCreatedComment(13);

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    // 3 eval-regression failures accepted; data-shrink is still a failure.
    const check = github.body<{ output: { title: string; text: string } }>(
      'PATCH',
      `${REPO_PATH}/check-runs/71`,
    );
    expect(check).toMatchObject({
      conclusion: 'failure',
      output: { title: '1 failure, 2 warnings, 5 notices, 3 accepted' },
    });
    expect(check.output.text).toContain(
      '<code>eval-regression</code> accepted by @maintainer: known drop, fixed next',
    );
    expect(check.output.text).toContain(`<!-- tuneguard:accepted ${record} -->`);
    const created = github.body<{ body: string }>('POST', `${REPO_PATH}/issues/${PR_NUMBER}/comments`);
    expect(created.body).toContain('✔️ Accepted by maintainer: known drop, fixed next');
  });

  it('a report that marks its own findings accepted and claims a pass is recounted from its findings', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    const forged = sampleReport();
    const findings: Finding[] = forged.findings.map((f) => ({
      ...f,
      accepted: { by: 'forker', reason: 'trust me' },
    }));
    blob = mockArtifact(
      github,
      zipReport({ ...forged, findings, verdict: 'pass', counts: { failure: 0, warning: 0, notice: 8 } }),
    );
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    mockPublish({ checkRuns: [checkRunData({ id: 71 })], comments: [] });
    mockCreatedComment(13);

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    const check = github.body<{ output: { text: string } }>('PATCH', `${REPO_PATH}/check-runs/71`);
    expect(check).toMatchObject({
      conclusion: 'failure',
      output: { title: '4 failures, 2 warnings, 2 notices' },
    });
    expect(JSON.stringify(github.requests)).not.toContain('trust me');
  });

  it('more than 50 annotations: the first 50 complete the check, the rest follow in updates of 50', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    const findings: Finding[] = Array.from({ length: 120 }, (_, i) => ({
      check: 'data-duplicates',
      severity: 'warning',
      title: `Line ${i + 2} repeats line 1`,
      details: [],
      location: { path: 'data/wikisql/train.jsonl', line: i + 2, side: 'head' },
    }));
    blob = mockArtifact(github, sampleZip({ findings }));
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    mockPublish({ checkRuns: [checkRunData({ id: 71 })], comments: [] });
    github.api
      .patch(`${REPO_PATH}/check-runs/71`)
      .times(2)
      .reply(200, checkRunData({ id: 71, status: 'completed' }));
    mockCreatedComment(13);

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    const updates = github
      .sent('PATCH', `${REPO_PATH}/check-runs/71`)
      .map(
        (r) =>
          r.body as { conclusion?: string; output: { title: string; annotations: { start_line: number }[] } },
      );
    expect(updates.map((u) => [u.conclusion, u.output.title, u.output.annotations.length])).toEqual([
      ['neutral', '120 warnings', 50],
      [undefined, '120 warnings', 50],
      [undefined, '120 warnings', 20],
    ]);
    expect(updates[2]?.output.annotations.at(-1)?.start_line).toBe(121);
    // At most 40 inline comments in one review (wikisql's diff shows lines 90–96 only: 7 of them here).
    const review = github.body<{ comments: unknown[] }>('POST', `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`);
    expect(review.comments).toHaveLength(7);
  });

  it('a report for a commit that is no longer the head is ignored', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    mockArtifact(github, sampleZip(), { download: false });
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData({ headSha: OLD_SHA }));

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    expect(github.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'POST /app/installations/1/access_tokens',
      `GET ${REPO_PATH}/actions/runs/${RUN_ID}/artifacts`,
      `GET ${REPO_PATH}/pulls/${PR_NUMBER}`,
    ]);
  });

  it('a pull_request run whose artifact names another commit is ignored without a download', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    mockArtifact(github, sampleZip(), { download: false, name: `tuneguard-report-pr7-${OLD_SHA}` });

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    expect(github.requests).toHaveLength(2);
  });

  it('a run without a tuneguard artifact is not the App’s business', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    github.api
      .get(`${REPO_PATH}/actions/runs/${RUN_ID}/artifacts`)
      .query({ per_page: 100 })
      .reply(200, { total_count: 0, artifacts: [] });

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    expect(github.requests).toHaveLength(2);
  });

  it.each([
    [
      'not a valid report',
      () => ({ zip: zipReport({ ...sampleReport(), verdict: 'maybe' }) }),
      'is not a valid tuneguard report',
    ],
    [
      'larger than 16 MiB before any download',
      () => ({ zip: sampleZip(), size: 16 * 1024 * 1024 + 1, download: false }),
      `has ${16 * 1024 * 1024 + 1} bytes; at most ${16 * 1024 * 1024} are read`,
    ],
    [
      'not the bytes GitHub recorded',
      () => ({ zip: sampleZip(), digest: `sha256:${'0'.repeat(64)}` }),
      'does not match the SHA-256 digest GitHub recorded at upload',
    ],
    [
      'about another commit than its name',
      () => ({ zip: sampleZip({ head: { ref: 'changes', sha: OLD_SHA } }) }),
      `is about ${OLD_SHA}, not the commit its name gives`,
    ],
  ])('an artifact that is %s fails the check with the reason', async (_, scenario, reason) => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    const { zip, ...options } = scenario();
    blob = mockArtifact(github, zip, options);
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: 'tuneguard', app_id: 4242, filter: 'all', per_page: 100 })
      .reply(200, { total_count: 1, check_runs: [checkRunData({ id: 71 })] });
    github.api.patch(`${REPO_PATH}/check-runs/71`).reply(200, checkRunData({ id: 71, status: 'completed' }));

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    const check = github.body<{ output: { summary: string } }>('PATCH', `${REPO_PATH}/check-runs/71`);
    expect(check).toMatchObject({
      conclusion: 'failure',
      external_id: RECORD,
      output: { title: 'The report artifact could not be used' },
    });
    expect(check.output.summary).toContain(reason);
    expect(github.sent('POST', `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`)).toEqual([]);
  });

  it('a fork’s pull_request run that changes the workflow which produced the report is not trusted', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip());
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData({ fork: true }));
    github.api
      .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: 100 })
      .reply(200, [
        ...sampleFiles(),
        {
          sha: 'abc',
          filename: '.github/workflows/tuneguard.yml',
          status: 'modified',
          additions: 1,
          deletions: 1,
          changes: 2,
          patch: '@@ -1 +1 @@\n-a\n+b',
        },
      ]);
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: 'tuneguard', app_id: 4242, filter: 'all', per_page: 100 })
      .reply(200, { total_count: 1, check_runs: [checkRunData({ id: 71 })] });
    github.api.patch(`${REPO_PATH}/check-runs/71`).reply(200, checkRunData({ id: 71, status: 'completed' }));

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    expect(github.body('PATCH', `${REPO_PATH}/check-runs/71`)).toMatchObject({
      conclusion: 'failure',
      output: {
        title: 'Report not trusted: this pull request changes what produced it',
        summary: expect.stringContaining('- <code>.github/workflows/tuneguard.yml</code>\n'),
      },
    });
    expect(github.sent('GET', `${REPO_PATH}/issues/${PR_NUMBER}/comments`)).toEqual([]);
  });

  it('a workflow_dispatch run (a re-run of the evaluation) finds its pull request by head; the same review is not posted twice', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip(), { name: `tuneguard-report-${HEAD_SHA}` });
    github.api
      .get(`${REPO_PATH}/pulls`)
      .query({ state: 'open', per_page: 100 })
      .reply(
        200,
        [pullRequestData({ headSha: OLD_SHA }), pullRequestData()].map((pull, i) => ({
          ...pull,
          number: i === 0 ? 1 : PR_NUMBER,
        })),
      );
    github.api
      .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: 100 })
      .reply(200, sampleFiles());
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: 'tuneguard', app_id: 4242, filter: 'all', per_page: 100 })
      .reply(200, { total_count: 1, check_runs: [checkRunData({ id: 75 })] });
    github.api.patch(`${REPO_PATH}/check-runs/75`).reply(200, checkRunData({ id: 75, status: 'completed' }));
    // The App's review of this head from the first run: the same report renders the same key.
    const first = await reviewKeyOfSample();
    github.api
      .post('/graphql', (body: { query: string }) => body.query.startsWith('query'))
      .reply(
        200,
        reviewsAnswer([
          {
            id: 'PRR_same',
            body: `<!-- tuneguard:review sha=${HEAD_SHA} key=${first} -->\n…`,
            isMinimized: false,
            viewerDidAuthor: true,
            comments: { nodes: [{ id: 'PRRC_1', isMinimized: false }] },
          },
        ]),
      );
    github.api.get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).query({ per_page: 100 }).reply(200, []);
    mockCreatedComment(13);

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent({ event: 'workflow_dispatch' }));

    expect(github.body('PATCH', `${REPO_PATH}/check-runs/75`)).toMatchObject({ conclusion: 'failure' });
    expect(github.sent('POST', `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`)).toEqual([]);
  });
});

describe('workflow_run completed: repeated deliveries and GitHub failing', () => {
  const CHECK_RUNS = `${REPO_PATH}/commits/${HEAD_SHA}/check-runs`;
  const checkRunsQuery = { check_name: 'tuneguard', app_id: 4242, filter: 'all', per_page: 100 };
  const published = checkRunData({ id: 71, status: 'completed', conclusion: 'failure', externalId: RECORD });

  it('three identical deliveries at once end with one check run, one review and one comment', async () => {
    github = mockGitHub();
    // The deliveries may each ask for the installation token before the first answer is cached.
    mockToken(github, INSTALLATION_ID);
    github.api
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .times(2)
      .optionally()
      .reply(201, { token: 'ghs_installation_token', expires_at: '2099-01-01T00:00:00Z' });
    blob = mockArtifact(github, sampleZip());
    mockArtifact(github, sampleZip(), { download: false });
    mockArtifact(github, sampleZip(), { download: false });
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).times(3).reply(200, pullRequestData());
    // The check run as GitHub holds it: in progress (pull_request opened it) until a delivery completes it.
    let checkRun: Record<string, unknown> = checkRunData({ id: 71 });
    github.api
      .get(CHECK_RUNS)
      .query(checkRunsQuery)
      .times(3)
      .reply(() => [200, { total_count: 1, check_runs: [checkRun] }]);
    github.api.patch(`${REPO_PATH}/check-runs/71`).reply((_, body) => {
      const { status, conclusion, external_id } = body as Record<string, unknown>;
      checkRun = { ...checkRun, status, conclusion, external_id };
      return [200, checkRun];
    });
    github.api
      .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: 100 })
      .reply(200, sampleFiles());
    github.api
      .post('/graphql', (body: { query: string }) => body.query.startsWith('query'))
      .times(2)
      .reply(200, reviewsAnswer([]));
    github.api.post(`${REPO_PATH}/pulls/${PR_NUMBER}/reviews`).reply(200, {
      id: 80,
      node_id: 'PRR_new',
      html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}#pullrequestreview-80`,
    });
    github.api.get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).query({ per_page: 100 }).reply(200, []);
    mockCreatedComment(13);

    const probot = await createTestProbot();
    const payload = workflowRunEvent();
    await Promise.all([1, 2, 3].map(() => deliver(probot, 'workflow_run', payload)));

    expect(github.sent('GET', CHECK_RUNS)).toHaveLength(3);
    expect(github.sent('PATCH', `${REPO_PATH}/check-runs/71`)).toHaveLength(1);
    expect(github.sent('POST', `${REPO_PATH}/check-runs`)).toEqual([]);
    expect(github.sent('POST', `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`)).toHaveLength(1);
    expect(github.sent('POST', `${REPO_PATH}/issues/${PR_NUMBER}/comments`)).toHaveLength(1);
    expect(github.sent('GET', `${REPO_PATH}/actions/artifacts/5001/zip`)).toHaveLength(1);
    expect(checkRun).toMatchObject({ status: 'completed', conclusion: 'failure', external_id: RECORD });
  });

  it('a review another copy of the App posted meanwhile (same commit, same key) is kept, and this one minimised', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip());
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    const marker = `<!-- tuneguard:review sha=${HEAD_SHA} key=${await reviewKeyOfSample()} -->`;
    const review = (id: string) => ({
      id,
      body: `${marker}\n### tuneguard`,
      isMinimized: false,
      viewerDidAuthor: true,
      comments: { nodes: [{ id: `${id}_c1`, isMinimized: false }] },
    });
    mockPublish({
      checkRuns: [checkRunData({ id: 71 })],
      reviews: [],
      reviewsAfter: [review('PRR_other'), review('PRR_new')],
      minimize: true,
    });
    mockCreatedComment(13);

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    const mutation = github
      .sent('POST', '/graphql')
      .map((r) => r.body as { query: string; variables?: Record<string, string> })
      .find((body) => body.query.startsWith('mutation'));
    expect(Object.values(mutation?.variables ?? {})).toEqual(['PRR_new', 'PRR_new_c1']);
  });

  it('a redelivery after a restart finds the completed check run recording this run and artifact, and publishes nothing', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    mockArtifact(github, sampleZip(), { download: false });
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    github.api
      .get(CHECK_RUNS)
      .query(checkRunsQuery)
      .reply(200, { total_count: 1, check_runs: [published] });

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    expect(github.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET']);
  });

  it('a re-run of the same workflow run (same run id, a new artifact) is published', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip(), { id: 5002 });
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    // `/tuneguard recheck` put a new check run in progress; the first attempt's stays completed.
    mockPublish({
      checkRuns: [checkRunData({ id: 72, externalId: String(RUN_ID) }), published],
      checkRunId: 72,
    });
    mockCreatedComment(13);

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    expect(github.body('PATCH', `${REPO_PATH}/check-runs/72`)).toMatchObject({
      status: 'completed',
      external_id: `${RUN_ID}:5002`,
    });
  });

  it("GitHub failing before the check is complete completes it as action_required with the reason, not pending and not the PR's failure", async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    blob = mockArtifact(github, sampleZip());
    github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData());
    github.api
      .get(CHECK_RUNS)
      .query(checkRunsQuery)
      .reply(200, { total_count: 1, check_runs: [checkRunData({ id: 71 })] });
    github.api
      .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: 100 })
      .reply(200, sampleFiles());
    // Completing the check with the report fails (after the client's retries); the explanation goes through.
    github.api.patch(`${REPO_PATH}/check-runs/71`).reply(502, { message: 'Server Error' });
    github.api.patch(`${REPO_PATH}/check-runs/71`).reply(200, checkRunData({ id: 71, status: 'completed' }));

    await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent());

    const updates = github.sent('PATCH', `${REPO_PATH}/check-runs/71`);
    expect(updates).toHaveLength(2);
    expect(updates[0]?.body).toMatchObject({
      conclusion: 'failure',
      output: { title: '4 failures, 2 warnings, 2 notices' },
    });
    const check = updates[1]?.body as { output: { summary: string } };
    expect(check).toMatchObject({
      status: 'completed',
      conclusion: 'action_required',
      details_url: RUN_URL,
      external_id: RECORD,
      output: { title: "GitHub's API failed while tuneguard published the report" },
    });
    expect(check.output.summary).toContain('Server Error');
    expect(check.output.summary).toContain('This says nothing about the pull request.');
    expect(github.sent('POST', `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`)).toEqual([]);
  });
});

/** The key of the review the App renders for the sample report, read from a first publication. */
async function reviewKeyOfSample(): Promise<string> {
  const { renderReview } = await import('../../../src/render/render-review.js');
  const { computeDiffLines } = await import('../../../bot/publish/compute-diff-lines.js');
  const lines = new Map(sampleFiles().map((file) => [file.filename, computeDiffLines(file.patch)]));
  return renderReview(sampleReport(), lines, {
    heading: 'tuneguard',
    // The first publication linked the check run of the first run (71); this one links 75.
    checkRunUrl: 'https://github.com/Codertocat/Hello-World/runs/71',
  }).key;
}
