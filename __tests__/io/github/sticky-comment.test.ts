import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { ProbotOctokit } from 'probot';
import { computeScopeSlug } from '../../../src/report/artifact-name.js';
import { computeReportKey } from '../../../src/report/compute-report-key.js';
import {
  findCommentKey,
  MAX_COMMENT_BODY_LENGTH,
  renderCommentKeyLine,
  renderCommentMarker,
  upsertStickyComment,
  type GitHubClient,
} from '../../../src/io/github/sticky-comment.js';
import { startFakeGitHub, type FakeGitHub } from '../../action/helpers/fake-github-server.js';
import { buildSampleReport } from '../../helpers/sample-report.js';

const REPOSITORY = { owner: 'Codertocat', repo: 'Hello-World' };
const TARGET = { ...REPOSITORY, issueNumber: 7 };

describe('renderCommentMarker', () => {
  it.each([
    [undefined, '<!-- tuneguard:report -->'],
    ['', '<!-- tuneguard:report -->'],
    ['models/sft', '<!-- tuneguard:report scope=models_sft -->'],
    ['models/sft:cfg/tuneguard.yml', '<!-- tuneguard:report scope=models_sft_cfg_tuneguard.yml -->'],
    // Nothing in a scope can close the HTML comment early.
    ['a --> <b>', '<!-- tuneguard:report scope=a_--_b -->'],
  ])('%p → %p', (scope, marker) => {
    expect(renderCommentMarker(scope)).toBe(marker);
  });

  it('uses the slug of artifact names, so the App can rebuild the Action marker from one', () => {
    const slug = computeScopeSlug('models/sft');
    expect(`tuneguard-report-pr7-abc-${slug}`).toBe('tuneguard-report-pr7-abc-models_sft');
    expect(renderCommentMarker(slug)).toBe(renderCommentMarker('models/sft'));
  });
});

describe('the comment key line', () => {
  it.each(['0123456789abcdef', 'ffffffffffffffff'])('round-trips %s, also inside a whole comment', (key) => {
    expect(renderCommentKeyLine(key)).toBe(`<!-- tuneguard:key=${key} -->`);
    expect(findCommentKey(renderCommentKeyLine(key))).toBe(key);
    expect(findCommentKey(`<!-- tuneguard:report -->\n### tuneguard\n${renderCommentKeyLine(key)}\n`)).toBe(
      key,
    );
  });

  it.each(['', '0123', '0123456789ABCDEF', 'x --> <b> 012345'])('refuses the key %p', (key) => {
    expect(() => renderCommentKeyLine(key)).toThrow(RangeError);
  });

  it.each([undefined, null, '', '<!-- tuneguard:report -->', '<!-- tuneguard:key=0123 -->'])(
    'finds no key in %p',
    (body) => {
      expect(findCommentKey(body)).toBeUndefined();
    },
  );
});

/*
 * The one protocol, spoken by both shells' clients against the same comments: the Action's
 * `getOctokit(token)` and the App's Probot client, each pointed at a local GitHub.
 */
describe('upsertStickyComment with an Action-shaped and an App-shaped client', () => {
  let github: FakeGitHub;
  let action: GitHubClient;
  let app: GitHubClient;

  beforeAll(async () => {
    github = await startFakeGitHub(REPOSITORY);
    action = getOctokit('action-token', { baseUrl: github.url });
    app = new ProbotOctokit({
      auth: { token: 'installation-token' },
      baseUrl: github.url,
      retry: { enabled: false },
      throttle: { enabled: false },
    });
  });
  beforeEach(() => github.reset());
  afterAll(() => github.close());

  const report = buildSampleReport();
  const comment = (key: string, body = `${renderCommentMarker()}\n### tuneguard`) => ({
    marker: renderCommentMarker(),
    body,
    key,
    create: true,
  });

  it('what one shell writes, the other recognises: the same report leaves the comment alone', async () => {
    const key = computeReportKey(report);

    const created = await upsertStickyComment(action, TARGET, comment(key));
    const again = await upsertStickyComment(
      app,
      TARGET,
      comment(key, `${renderCommentMarker()}\nother link`),
    );

    expect(created).toEqual({ action: 'created', url: expect.stringContaining('#issuecomment-') });
    expect(again).toEqual({ action: 'unchanged', url: created.action === 'created' ? created.url : '' });
    expect(github.comments).toHaveLength(1);
    expect(findCommentKey(github.comments[0]?.body)).toBe(key);
    expect(github.comments[0]?.body.endsWith(`\n${renderCommentKeyLine(key)}\n`)).toBe(true);
    expect(github.problems).toEqual([]);
  });

  it('a new report rewrites the comment whichever shell posts it, and the other then leaves it alone', async () => {
    const before = computeReportKey(report);
    const changed = { ...report, changedFiles: [...report.changedFiles, 'data/new.jsonl'] };
    const after = computeReportKey(changed);
    expect(after).not.toBe(before);

    await upsertStickyComment(app, TARGET, comment(before));
    const updated = await upsertStickyComment(app, TARGET, comment(after));
    const seen = await upsertStickyComment(action, TARGET, comment(after));

    expect(updated.action).toBe('updated');
    expect(seen.action).toBe('unchanged');
    // Create, then list again for a racing duplicate; update; the other shell only lists.
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'GET', 'PATCH', 'GET']);
    expect(github.requests.map((r) => r.authorization)).toEqual([
      'token installation-token',
      'token installation-token',
      'token installation-token',
      'token installation-token',
      'token installation-token',
      'token action-token',
    ]);
    expect(github.problems).toEqual([]);
  });

  it('two shells racing to create the comment end with one: the older is kept and brought to the newer key, the newer deleted', async () => {
    const first = computeReportKey(report);
    const second = computeReportKey({ ...report, changedFiles: [...report.changedFiles, 'data/new.jsonl'] });
    // Both list the comments before either creates one.
    github.holdUntil('GET', `/repos/${REPOSITORY.owner}/${REPOSITORY.repo}/issues/7/comments`, 2);

    const outcomes = await Promise.all([
      upsertStickyComment(action, TARGET, comment(first)),
      upsertStickyComment(app, TARGET, comment(second)),
    ]);

    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(github.comments.map((c) => c.id)).toEqual([1001]);
    // Each run that saw both deletes the newer one (the second DELETE, if any, finds it gone: a 404).
    const deleted = new Set(github.requests.filter((r) => r.method === 'DELETE').map((r) => r.path));
    expect([...deleted]).toEqual([`/repos/${REPOSITORY.owner}/${REPOSITORY.repo}/issues/comments/1002`]);
    // Whichever run created 1002 found 1001 older and wrote its own report into it.
    const creatorOf1002 = github.requests.filter((r) => r.method === 'POST')[1]?.authorization;
    const lastKey = creatorOf1002 === 'token action-token' ? first : second;
    expect(findCommentKey(github.comments[0]?.body)).toBe(lastKey);
    expect(
      outcomes
        .map((o) => ('url' in o ? o.url : ''))
        .every((url) => url.endsWith('#issuecomment-1001') || url.endsWith('#issuecomment-1002')),
    ).toBe(true);
    expect(github.problems).toEqual([]);
  });

  it('refuses a body over the cap before asking GitHub anything', async () => {
    const body = 'x'.repeat(MAX_COMMENT_BODY_LENGTH + 1);
    await expect(upsertStickyComment(action, TARGET, comment('0123456789abcdef', body))).rejects.toThrow(
      RangeError,
    );
    expect(github.requests).toEqual([]);
  });
});
