import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  BASE_REF,
  BASE_SHA,
  checkRunData,
  HEAD_REF,
  HEAD_SHA,
  INSTALLATION_ID,
  issueCommentEvent,
  MERGE_BASE_SHA,
  mockMergeBase,
  PR_NUMBER,
  pullRequestData,
  REPO_PATH,
  RUN_ID,
  RUN_URL,
} from '../helpers/events.js';
import {
  createTestProbot,
  deliver,
  expectGitHubDone,
  mockGitHub,
  mockToken,
  type GitHubMock,
} from '../helpers/github-app.js';
import { mockArtifact, sampleFiles, sampleZip } from '../helpers/report-run.js';
import { useNock } from '../helpers/use-nock.js';

const COMMENT_ID = 492700400; // the example issue_comment's comment id
const CONFIG = `${REPO_PATH}/contents/.github%2Ftuneguard.yml`;
const DISPATCH_RUN = 30500000;
let github: GitHubMock;
let blob: nock.Scope | undefined;

useNock();
afterEach(() => {
  expectGitHubDone(github);
  blob?.done();
  blob = undefined;
  nock.cleanAll();
});

type Role = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

/** `getCollaboratorPermissionLevel` as GitHub answers it: legacy `permission`, `role_name`, the user's flags. */
function permissionAnswer(role: Role) {
  const legacy = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read' }[role];
  const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
  return {
    permission: legacy,
    role_name: role,
    user: {
      login: 'octocat',
      id: 1,
      type: 'User',
      permissions: { pull: true, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 },
    },
  };
}

/** Mocks the start of every command: token, the `eyes` reaction and the commenter's role. */
function mockCommandStart(role: Role, login = 'octocat') {
  github = mockGitHub();
  mockToken(github, INSTALLATION_ID);
  github.api
    .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: 'eyes' })
    .reply(201, { id: 1, content: 'eyes' });
  github.api.get(`${REPO_PATH}/collaborators/${login}/permission`).reply(200, permissionAnswer(role));
}

/** Mocks the end: the final reaction and the reply; returns the reply's body after delivery. */
function mockCommandEnd(reaction: '+1' | 'confused') {
  github.api
    .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: reaction })
    .reply(201, { id: 2, content: reaction });
  github.api
    .post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`)
    .reply(201, { id: 900, html_url: 'https://github.com/Codertocat/Hello-World/pull/2#issuecomment-900' });
  return () => github.body<{ body: string }>('POST', `${REPO_PATH}/issues/${PR_NUMBER}/comments`).body;
}

/** Mocks the pull request the comment is on. */
function mockPullRequest(options?: Parameters<typeof pullRequestData>[0]) {
  github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData(options));
}

/**
 * Mocks `.github/tuneguard.yml` as committed on the base branch's tip (where commands read it), or at the
 * merge-base of the pull request (where the check reads it): its text, or absent (404).
 */
function mockBaseConfig(text: string | undefined, at: 'tip' | 'merge-base' = 'tip') {
  if (at === 'merge-base') mockMergeBase(github);
  const config = github.api.get(CONFIG).query({ ref: at === 'tip' ? BASE_REF : MERGE_BASE_SHA });
  if (text === undefined) config.reply(404, { message: 'Not Found' });
  else config.reply(200, text, { 'content-type': 'text/plain; charset=utf-8' });
}

async function comment(body: string, login = 'octocat') {
  await deliver(await createTestProbot(), 'issue_comment', issueCommentEvent(body, { login, type: 'User' }));
}

const CONFIG_WITH_RERUN = [
  'commands:',
  '  rerun-eval:',
  '    workflow: eval.yml',
  "    inputs: { pr: '{pr}', head-sha: '{head-sha}', limit: 200, full: false }",
  '',
].join('\n');

describe('issue_comment: who and what is ignored', () => {
  it.each([
    [
      'a bot, even one quoting a command',
      issueCommentEvent('/tuneguard recheck', { login: 'tuneguard[bot]', type: 'Bot' }),
    ],
    [
      'an issue that is not a pull request',
      issueCommentEvent('/tuneguard recheck', undefined, { onPullRequest: false }),
    ],
    ['a comment without a command', issueCommentEvent('Looks good. Run `/tuneguard recheck` if it flakes.')],
    ['a command inside a code block', issueCommentEvent('```\n/tuneguard recheck\n```')],
    [
      'a command hidden in an HTML comment over several lines',
      issueCommentEvent(
        'Thanks!\n<!--\n/tuneguard rerun-eval\n/tuneguard accept eval-regression "hidden"\n-->',
      ),
    ],
    ['a command inside a one-line HTML comment', issueCommentEvent('<!-- /tuneguard rerun-eval -->')],
    ['a command in a quoted reply', issueCommentEvent('> /tuneguard rerun-eval\n\nAgreed.')],
  ])('%s: no request at all', async (_, payload) => {
    github = mockGitHub();
    await deliver(await createTestProbot(), 'issue_comment', payload);
    expect(github.requests).toEqual([]);
  });
});

describe('issue_comment: permissions', () => {
  it('someone with read access is refused politely', async () => {
    mockCommandStart('read');
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard recheck');
    expect(reply()).toBe(
      '@octocat Sorry, tuneguard commands are for people with write access to this repository (yours is read). A maintainer can run them for you.\n',
    );
  });

  it('someone who is not a collaborator (404) is refused as `none`', async () => {
    github = mockGitHub();
    mockToken(github, INSTALLATION_ID);
    github.api
      .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: 'eyes' })
      .reply(201, { id: 1 });
    github.api.get(`${REPO_PATH}/collaborators/stranger/permission`).reply(404, { message: 'Not Found' });
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard help', 'stranger');
    expect(reply()).toContain('(yours is none)');
  });

  it('a writer asking to accept is refused: accept takes maintain', async () => {
    mockCommandStart('write');
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard accept eval-regression "known"');
    expect(reply()).toContain('takes the maintain or admin role on this repository (yours is write)');
  });
});

describe('issue_comment: help and unknown commands', () => {
  it('help lists the commands; a command anywhere on its own line counts', async () => {
    mockCommandStart('write');
    const reply = mockCommandEnd('+1');
    await comment('Thanks!\n\n/tuneguard help\n');
    expect(reply()).toContain('`/tuneguard rerun-eval [key=value …]`');
    expect(reply()).toContain('`/tuneguard accept <check-id> <reason>`');
  });

  it('several commands get one reply with a section each; an unknown one is named', async () => {
    mockCommandStart('write');
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard help\n/tuneguard frobnicate now');
    expect(reply()).toMatch(/^@octocat\n\n\*\*✅ <code>\/tuneguard help<\/code>\*\*\n/);
    expect(reply()).toContain(
      '**⚠️ <code>/tuneguard frobnicate</code>**\n\n<code>frobnicate</code> is not a tuneguard command.',
    );
  });
});

describe('issue_comment: /tuneguard rerun-eval', () => {
  it('same-repository pull request: dispatches the configured workflow on the head branch and shows it in progress', async () => {
    mockCommandStart('write');
    mockPullRequest();
    mockBaseConfig(CONFIG_WITH_RERUN);
    github.api.post(`${REPO_PATH}/actions/workflows/eval.yml/dispatches`).reply(200, {
      workflow_run_id: DISPATCH_RUN,
      run_url: `https://api.github.com/repos/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN}`,
      html_url: `https://github.com/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN}`,
    });
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 90 }));
    const reply = mockCommandEnd('+1');

    await comment('/tuneguard rerun-eval limit=50 "note=full run"');

    // Placeholders filled from the pull request; numbers and booleans as text; arguments win.
    expect(github.body('POST', `${REPO_PATH}/actions/workflows/eval.yml/dispatches`)).toEqual({
      ref: HEAD_REF,
      inputs: { pr: String(PR_NUMBER), 'head-sha': HEAD_SHA, limit: '50', full: 'false', note: 'full run' },
      return_run_details: true,
    });
    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({
      name: 'tuneguard',
      head_sha: HEAD_SHA,
      status: 'in_progress',
      details_url: `https://github.com/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN}`,
      external_id: String(DISPATCH_RUN),
      output: { title: 'Re-running the evaluation' },
    });
    expect(reply()).toContain(
      'Dispatched the workflow <code>eval.yml</code> as committed on <code>changes</code>',
    );
    expect(reply()).toContain(
      `[Workflow run ${DISPATCH_RUN}](https://github.com/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN})`,
    );
  });

  it("a redelivered command is acted on once: the second delivery finds the App's eyes reaction (200) and stops", async () => {
    mockCommandStart('write');
    mockPullRequest();
    mockBaseConfig(CONFIG_WITH_RERUN);
    github.api.post(`${REPO_PATH}/actions/workflows/eval.yml/dispatches`).reply(200, {
      workflow_run_id: DISPATCH_RUN,
      run_url: `https://api.github.com/repos/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN}`,
      html_url: `https://github.com/Codertocat/Hello-World/actions/runs/${DISPATCH_RUN}`,
    });
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 90 }));
    const reply = mockCommandEnd('+1');
    // The second delivery (the same App, its installation token cached): GitHub's answer for a reaction
    // that exists already.
    github.api
      .post(`${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`, { content: 'eyes' })
      .reply(200, { id: 1, content: 'eyes' });

    const probot = await createTestProbot();
    const payload = issueCommentEvent('/tuneguard rerun-eval');
    // Delivered twice at once, as GitHub's redelivery racing the first attempt.
    await Promise.all([deliver(probot, 'issue_comment', payload), deliver(probot, 'issue_comment', payload)]);

    expect(github.sent('POST', `${REPO_PATH}/actions/workflows/eval.yml/dispatches`)).toHaveLength(1);
    expect(github.sent('POST', `${REPO_PATH}/check-runs`)).toHaveLength(1);
    expect(github.sent('POST', `${REPO_PATH}/issues/${PR_NUMBER}/comments`)).toHaveLength(1);
    expect(
      github.sent('POST', `${REPO_PATH}/issues/comments/${COMMENT_ID}/reactions`).map((r) => r.body),
    ).toEqual([{ content: 'eyes' }, { content: 'eyes' }, { content: '+1' }]);
    expect(reply()).toContain('Dispatched the workflow <code>eval.yml</code>');
  });

  it('not configured: says how to set it up', async () => {
    mockCommandStart('write');
    mockPullRequest();
    mockBaseConfig(undefined);
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard rerun-eval');
    expect(reply()).toContain('`rerun-eval` is not set up for this repository.');
    expect(reply()).toContain('commands:\n  rerun-eval: { workflow: eval.yml }');
  });

  it('a fork without allow-forks: refused, nothing dispatched', async () => {
    mockCommandStart('admin');
    mockPullRequest({ fork: true });
    mockBaseConfig(CONFIG_WITH_RERUN);
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard rerun-eval');
    expect(reply()).toContain('comes from the fork `forker/Hello-World`');
    expect(reply()).toContain('`rerun-eval` is off for forks');
  });

  it('a fork with allow-forks, asked by a writer: refused, it takes a maintainer', async () => {
    mockCommandStart('write');
    mockPullRequest({ fork: true });
    mockBaseConfig(
      CONFIG_WITH_RERUN.replace('workflow: eval.yml', 'workflow: eval.yml\n    allow-forks: true'),
    );
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard rerun-eval');
    expect(reply()).toContain(
      "running its code with this repository's secrets takes the maintain or admin role (yours is write)",
    );
  });

  it('a fork with allow-forks, asked by a maintainer: runs the base branch’s workflow and says exactly what runs', async () => {
    mockCommandStart('maintain');
    mockPullRequest({ fork: true });
    mockBaseConfig(
      "commands:\n  rerun-eval:\n    workflow: eval.yml\n    allow-forks: true\n    inputs: { head-sha: '{head-sha}', base-sha: '{base-sha}', repo: '{head-repo}' }\n",
    );
    // GitHub Enterprise Server answers 204 without the run's details.
    github.api.post(`${REPO_PATH}/actions/workflows/eval.yml/dispatches`).reply(204);
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 91 }));
    const reply = mockCommandEnd('+1');

    await comment('/tuneguard rerun-eval');

    expect(github.body('POST', `${REPO_PATH}/actions/workflows/eval.yml/dispatches`)).toEqual({
      ref: BASE_REF,
      inputs: { 'head-sha': HEAD_SHA, 'base-sha': BASE_SHA, repo: 'forker/Hello-World' },
      return_run_details: true,
    });
    const check = github.body<Record<string, unknown>>('POST', `${REPO_PATH}/check-runs`);
    expect(check).toMatchObject({ status: 'in_progress', head_sha: HEAD_SHA });
    expect(check).not.toHaveProperty('external_id');
    expect(reply()).toContain(
      `the workflow <code>eval.yml</code> as committed on <code>${BASE_REF}</code>, with the inputs <code>head-sha=${HEAD_SHA}</code>, <code>base-sha=${BASE_SHA}</code>, <code>repo=forker/Hello-World</code>. It runs with this repository's secrets; the pull request's head is ${HEAD_SHA.slice(0, 7)} from <code>forker/Hello-World</code>`,
    );
  });

  it('an argument that is not key=value is refused before anything runs', async () => {
    mockCommandStart('write');
    mockPullRequest();
    mockBaseConfig(CONFIG_WITH_RERUN);
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard rerun-eval everything');
    expect(reply()).toContain('<code>everything</code> is not a workflow input');
  });

  it('GitHub refusing the dispatch is reported, not thrown', async () => {
    mockCommandStart('write');
    mockPullRequest();
    mockBaseConfig(CONFIG_WITH_RERUN);
    github.api
      .post(`${REPO_PATH}/actions/workflows/eval.yml/dispatches`)
      .reply(422, { message: 'Unexpected inputs provided: ["note"]' });
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard rerun-eval note=x');
    expect(reply()).toContain('The command failed: Unexpected inputs provided');
  });
});

describe('issue_comment: /tuneguard recheck', () => {
  it('re-runs the workflow run that produced the head’s report and shows it in progress', async () => {
    mockCommandStart('write');
    mockPullRequest();
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ app_id: 4242, filter: 'all', per_page: 100 })
      .reply(200, {
        total_count: 2,
        check_runs: [
          checkRunData({ id: 71, status: 'completed', conclusion: 'failure', externalId: String(RUN_ID) }),
          checkRunData({ id: 60, status: 'completed', conclusion: 'failure', externalId: '111' }),
        ],
      });
    github.api.post(`${REPO_PATH}/actions/runs/${RUN_ID}/rerun`).reply(201, {});
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 72 }));
    const reply = mockCommandEnd('+1');

    await comment('/tuneguard recheck');

    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toEqual({
      name: 'tuneguard',
      head_sha: HEAD_SHA,
      status: 'in_progress',
      details_url: RUN_URL,
      external_id: String(RUN_ID),
      output: {
        title: 'Re-running the workflow',
        summary: `@octocat asked for a new check: re-running [workflow run ${RUN_ID}](${RUN_URL}). This check completes when its report arrives.`,
      },
    });
    expect(reply()).toContain(`Re-running [workflow run ${RUN_ID}](${RUN_URL}) for ${HEAD_SHA.slice(0, 7)}`);
  });

  it('no report yet: the check starts again, reading the config at the merge-base again', async () => {
    mockCommandStart('write');
    mockPullRequest();
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [checkRunData({ id: 73, status: 'completed', conclusion: 'failure' })],
      });
    mockBaseConfig(undefined, 'merge-base');
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 74 }));
    const reply = mockCommandEnd('+1');

    await comment('/tuneguard recheck');

    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({
      status: 'in_progress',
      output: { title: 'Waiting for the report' },
    });
    expect(reply()).toContain('No report has arrived for ec26c3e yet');
  });

  it('no report yet and an invalid config at the merge-base: the check fails again and the reply quotes the parser', async () => {
    mockCommandStart('write');
    mockPullRequest();
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] });
    mockBaseConfig('checks: { data-shrink: { max-drop: lots } }\n', 'merge-base');
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 77 }));
    const reply = mockCommandEnd('confused');

    await comment('/tuneguard recheck');

    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Invalid tuneguard config' },
    });
    expect(reply()).toContain(
      'The config, read at 6dcb09b, the merge-base of `master` and this pull request, is invalid, so the check fails until the fix is on `master` and in this pull request (merge or rebase):',
    );
    expect(reply()).toContain(
      '.github/tuneguard.yml:1:36: checks.data-shrink.max-drop: write a percentage such as "5%", or a fraction such as 0.05',
    );
  });

  it('a run GitHub will not re-run: the reason is reported', async () => {
    mockCommandStart('write');
    mockPullRequest();
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [checkRunData({ id: 71, status: 'completed', externalId: String(RUN_ID) })],
      });
    github.api
      .post(`${REPO_PATH}/actions/runs/${RUN_ID}/rerun`)
      .reply(403, { message: 'Unable to re-run this workflow run because it was created over a month ago' });
    const reply = mockCommandEnd('confused');

    await comment('/tuneguard recheck');

    expect(reply()).toContain(
      `GitHub would not re-run workflow run ${RUN_ID} for \`tuneguard\`: Unable to re-run this workflow run`,
    );
  });
});

describe('issue_comment: /tuneguard accept', () => {
  it('a maintainer accepts a check: recorded in a new check run, verdict computed again, sticky comment updated', async () => {
    mockCommandStart('maintain', 'maint');
    mockPullRequest();
    const completed = checkRunData({
      id: 71,
      status: 'completed',
      conclusion: 'failure',
      externalId: String(RUN_ID),
    });
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ app_id: 4242, filter: 'all', per_page: 100 })
      .reply(200, { total_count: 1, check_runs: [completed] });
    github.api.get(`${REPO_PATH}/actions/runs/${RUN_ID}`).reply(200, {
      id: RUN_ID,
      event: 'pull_request',
      path: '.github/workflows/tuneguard.yml',
      html_url: RUN_URL,
    });
    blob = mockArtifact(github, sampleZip());
    github.api
      .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: 100 })
      .reply(200, sampleFiles());
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: 'tuneguard', app_id: 4242, filter: 'all', per_page: 100 })
      .reply(200, { total_count: 1, check_runs: [completed] });
    github.api.post(`${REPO_PATH}/check-runs`).reply(201, checkRunData({ id: 76, status: 'completed' }));
    github.api
      .get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`)
      .query({ per_page: 100 })
      .reply(200, [
        {
          id: 12,
          body: '<!-- tuneguard:report -->\nold\n<!-- tuneguard:key=ffffffffffffffff -->',
          user: { login: 'tuneguard[bot]', type: 'Bot' },
        },
      ]);
    github.api
      .patch(`${REPO_PATH}/issues/comments/12`)
      .reply(200, { id: 12, html_url: 'https://github.com/Codertocat/Hello-World/pull/2#issuecomment-12' });
    const reply = mockCommandEnd('+1');

    await comment('/tuneguard accept eval-regression “known drop: the 13B base model, fixed in #9”', 'maint');

    // The sample has 3 eval-regression failures; with them accepted, data-shrink still fails.
    const check = github.body<{
      output: { text: string; annotations: { annotation_level: string; path: string }[] };
    }>('POST', `${REPO_PATH}/check-runs`);
    expect(check).toMatchObject({
      name: 'tuneguard',
      head_sha: HEAD_SHA,
      status: 'completed',
      conclusion: 'failure',
      // The workflow run and the report artifact (5001, the mocked artifact's id).
      external_id: `${RUN_ID}:5001`,
      details_url: RUN_URL,
      output: { title: '1 failure, 2 warnings, 5 notices, 3 accepted' },
    });
    expect(check.output.text).toContain(
      '- <code>eval-regression</code> accepted by @maint: known drop: the 13B base model, fixed in #&#8203;9',
    );
    const record = /<!-- tuneguard:accepted ([A-Za-z0-9_-]+) -->/.exec(check.output.text)?.[1] ?? '';
    expect(JSON.parse(Buffer.from(record, 'base64url').toString('utf8'))).toEqual([
      { check: 'eval-regression', by: 'maint', reason: 'known drop: the 13B base model, fixed in #9' },
    ]);
    expect(
      check.output.annotations
        .filter((a) => a.path === 'results/lambada_openai.json')
        .map((a) => a.annotation_level),
    ).toEqual(['notice', 'notice']);
    expect(github.body<{ body: string }>('PATCH', `${REPO_PATH}/issues/comments/12`).body).toContain(
      '✔️ Accepted by maint: known drop: the 13B base model, fixed in',
    );
    expect(reply()).toContain('Accepted <code>eval-regression</code> on ec26c3e for @maint');
    expect(reply()).toContain('3 failures now count as notices; the check is **failure** (it was failure).');
    expect(reply()).toContain('This lasts until the next commit.');
  });

  it('nothing of that check to accept: said so, nothing recorded', async () => {
    mockCommandStart('admin');
    mockPullRequest();
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [
          checkRunData({ id: 71, status: 'completed', conclusion: 'failure', externalId: String(RUN_ID) }),
        ],
      });
    github.api
      .get(`${REPO_PATH}/actions/runs/${RUN_ID}`)
      .reply(200, { id: RUN_ID, event: 'pull_request', html_url: RUN_URL });
    blob = mockArtifact(github, sampleZip());
    const reply = mockCommandEnd('confused');

    await comment('/tuneguard accept data-leakage "no leak"');

    expect(reply()).toContain('Nothing to accept: `data-leakage` has no failure or warning on ec26c3e.');
  });

  it('before the report arrived: refused', async () => {
    mockCommandStart('admin');
    mockPullRequest();
    github.api
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [checkRunData({ id: 71, status: 'in_progress' })] });
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard accept eval-regression known');
    expect(reply()).toContain('The report for ec26c3e has not arrived yet');
  });

  it('without a reason: the usage is shown', async () => {
    mockCommandStart('admin');
    const reply = mockCommandEnd('confused');
    await comment('/tuneguard accept eval-regression');
    expect(reply()).toContain('Write it as `/tuneguard accept <check-id> <reason>`');
  });
});
