import type { Octokit } from '@octokit/core';
import type { PaginateInterface } from '@octokit/plugin-paginate-rest';
import type { Api } from '@octokit/plugin-rest-endpoint-methods';
import { computeScopeSlug } from '../../report/artifact-name.js';
import { findRateLimit, type RateLimit } from './find-rate-limit.js';
import { statusOf } from './status-of.js';

/** Any client with the REST methods and pagination: `getOctokit(token)` in the Action, `context.octokit` in the App. */
export type GitHubClient = Octokit & Api & { paginate: PaginateInterface };

/** Where the sticky comment lives: a pull request (an issue, for the comments API). */
export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** The comment to post, and how to recognise it. */
export interface StickyComment {
  /** The hidden marker ({@link renderCommentMarker}) that starts tuneguard's comment for one scope. */
  marker: string;
  /** The body, marker first, at most {@link MAX_COMMENT_BODY_LENGTH} characters. */
  body: string;
  /**
   * What the comment says, without what changes on every run (the link to the run): the report's key
   * (`computeReportKey`, 16 hex digits). An existing comment with the same key is left as it is.
   */
  key: string;
  /** Whether to create the comment when there is none yet (an existing one is always kept current). */
  create: boolean;
}

/**
 * What happened to the sticky comment. A `forbidden` skip names the permission the token lacks; a
 * `rate-limited` skip says when GitHub's rate limit lets the token write again; a `not-needed` skip
 * means no comment existed and `create` was false.
 */
export type CommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; url: string }
  | { action: 'skipped'; reason: 'forbidden'; permission: string }
  | { action: 'skipped'; reason: 'rate-limited'; limit: RateLimit }
  | { action: 'skipped'; reason: 'not-needed' };

/** GitHub rejects issue comments longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Characters kept free after the body for the key line. */
export const COMMENT_KEY_ROOM = 64;

/** The longest body {@link upsertStickyComment} takes: what is left once the key line has its room. */
export const MAX_COMMENT_BODY_LENGTH = MAX_COMMENT_LENGTH - COMMENT_KEY_ROOM;

/** The permission a workflow's job needs to post the comment with the job's `GITHUB_TOKEN`. */
export const COMMENT_PERMISSION = 'pull-requests: write';

const KEY = /^[0-9a-f]{16}$/;
const KEY_LINE = /<!-- tuneguard:key=([0-9a-f]{16}) -->/;

/**
 * The hidden marker that starts tuneguard's sticky PR comment, the same for the Action and the App so
 * the two update one comment instead of posting twice. `scope` separates several runs in one PR (a
 * monorepo running tuneguard per folder or config); it is reduced by `computeScopeSlug`, so the scope's
 * slug from an artifact name gives the same marker as the scope itself.
 * @example renderCommentMarker() // '<!-- tuneguard:report -->'
 * @example renderCommentMarker('models/a') // '<!-- tuneguard:report scope=models_a -->'
 */
export function renderCommentMarker(scope?: string): string {
  const safe = computeScopeSlug(scope ?? '').replace(/^[._]+|[._]+$/g, '');
  return safe === '' ? '<!-- tuneguard:report -->' : `<!-- tuneguard:report scope=${safe} -->`;
}

/**
 * The line that ends a sticky comment and records its key. Throws a RangeError for a key that is not
 * 16 hex digits (nothing else may go into the HTML comment).
 * @example renderCommentKeyLine('0123456789abcdef') // '<!-- tuneguard:key=0123456789abcdef -->'
 */
export function renderCommentKeyLine(key: string): string {
  if (!KEY.test(key)) throw new RangeError(`A comment key is 16 hex digits, not ${JSON.stringify(key)}.`);
  return `<!-- tuneguard:key=${key} -->`;
}

/** The key recorded in a comment's body by {@link renderCommentKeyLine}, or `undefined` when it has none. */
export function findCommentKey(body: string | null | undefined): string | undefined {
  return body ? KEY_LINE.exec(body)?.[1] : undefined;
}

/**
 * Creates or updates tuneguard's one comment on a pull request, for the Action and the App alike. The
 * comment is found by its hidden marker and a bot author (`github-actions[bot]`, or an App), over every
 * page of comments, stopping at the first match, so a person quoting the marker never takes it over; an
 * existing comment with the same key is not rewritten. A comment deleted between the listing and the
 * update (HTTP 404) is created again. After creating one, the comments are listed again and every newer
 * bot comment with the same marker is deleted, so runs that raced to create it end with the oldest one
 * (updated to this body when its key differs). A 403 (a fork PR's read-only token, a job without
 * `pull-requests: write`) is not an error: the outcome is a `forbidden` skip naming the permission; a
 * 403 or 429 that is GitHub's rate limit (`findRateLimit`) is a `rate-limited` skip. Other API errors
 * are thrown. Throws a RangeError when the body is longer than {@link MAX_COMMENT_BODY_LENGTH} or the
 * key is not 16 hex digits.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  target: CommentTarget,
  comment: StickyComment,
): Promise<CommentOutcome> {
  if (comment.body.length > MAX_COMMENT_BODY_LENGTH) {
    throw new RangeError(
      `The comment body has ${comment.body.length} characters; at most ${MAX_COMMENT_BODY_LENGTH} fit.`,
    );
  }
  const keyLine = renderCommentKeyLine(comment.key);
  const body = `${comment.body.replace(/\n*$/, '')}\n${keyLine}\n`;
  const { owner, repo, issueNumber } = target;
  try {
    const existing = await findStickyComment(client, target, comment.marker);
    if (existing) {
      if (findCommentKey(existing.body) === comment.key)
        return { action: 'unchanged', url: existing.html_url };
      const url = await tryUpdateComment(client, target, existing.id, body);
      if (url !== undefined) return { action: 'updated', url };
      // Deleted since it was listed: it was wanted, so it is created again whatever `create` says.
    } else if (!comment.create) {
      return { action: 'skipped', reason: 'not-needed' };
    }
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return await settleDuplicates(client, target, { marker: comment.marker, key: comment.key, body }, data);
  } catch (error) {
    const limit = findRateLimit(error);
    if (limit) return { action: 'skipped', reason: 'rate-limited', limit };
    if (statusOf(error) === 403)
      return { action: 'skipped', reason: 'forbidden', permission: COMMENT_PERMISSION };
    throw error;
  }
}

/** Updates a comment; `undefined` when it no longer exists (HTTP 404). */
async function tryUpdateComment(
  client: GitHubClient,
  target: CommentTarget,
  commentId: number,
  body: string,
): Promise<string | undefined> {
  try {
    const { data } = await client.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: commentId,
      body,
    });
    return data.html_url;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * After creating `created`, lists the comments again so concurrent runs converge on one comment: the
 * oldest bot comment with the marker is kept (brought to `posted`'s key when it differs; one deleted
 * meanwhile gives way to the next) and every newer one is deleted. A comment another run already
 * deleted, or one the token may not delete, is left to that run.
 */
async function settleDuplicates(
  client: GitHubClient,
  target: CommentTarget,
  posted: { marker: string; key: string; body: string },
  created: { id: number; html_url: string },
): Promise<CommentOutcome> {
  const own = (await listStickyComments(client, target, posted.marker)).sort((a, b) => a.id - b.id);
  let kept: { id: number; outcome: CommentOutcome } | undefined;
  for (const candidate of own) {
    if (candidate.id === created.id) break;
    if (findCommentKey(candidate.body) === posted.key) {
      kept = { id: candidate.id, outcome: { action: 'unchanged', url: candidate.html_url } };
      break;
    }
    const url = await tryUpdateComment(client, target, candidate.id, posted.body);
    if (url !== undefined) {
      kept = { id: candidate.id, outcome: { action: 'updated', url } };
      break;
    }
  }
  const keep = kept ?? { id: created.id, outcome: { action: 'created', url: created.html_url } };
  for (const duplicate of own.filter((comment) => comment.id > keep.id)) {
    await tryDeleteComment(client, target, duplicate.id);
  }
  return keep.outcome;
}

/** Deletes a comment; one already deleted (404) or that the token may not delete (403) is left. */
async function tryDeleteComment(
  client: GitHubClient,
  target: CommentTarget,
  commentId: number,
): Promise<void> {
  try {
    await client.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: commentId });
  } catch (error) {
    const status = statusOf(error);
    if (status !== 404 && status !== 403) throw error;
  }
}

/** Every bot comment on the pull request that carries `marker`, in GitHub's order. */
async function listStickyComments(
  client: GitHubClient,
  target: CommentTarget,
  marker: string,
): Promise<{ id: number; body?: string | undefined; html_url: string }[]> {
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  return comments.filter((comment) => isStickyComment(comment, marker));
}

function isStickyComment(
  comment: { user?: { type?: string } | null; body?: string | undefined },
  marker: string,
): boolean {
  return comment.user?.type === 'Bot' && comment.body?.includes(marker) === true;
}

async function findStickyComment(
  client: GitHubClient,
  target: CommentTarget,
  marker: string,
): Promise<{ id: number; body?: string | undefined; html_url: string } | undefined> {
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find((comment) => isStickyComment(comment, marker));
    if (found) return found;
  }
  return undefined;
}
