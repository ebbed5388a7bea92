import type { Octokit } from '@octokit/core';
import type { PaginateInterface } from '@octokit/plugin-paginate-rest';
import type { Api } from '@octokit/plugin-rest-endpoint-methods';
import { computeScopeSlug } from '../../report/artifact-name.js';
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
 * `not-needed` skip means no comment existed and `create` was false.
 */
export type CommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; url: string }
  | { action: 'skipped'; reason: 'forbidden'; permission: string }
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
 * existing comment with the same key is not rewritten. A 403 (a fork PR's read-only token, a job
 * without `pull-requests: write`) is not an error: the outcome is a `forbidden` skip naming the
 * permission. Other API errors are thrown. Throws a RangeError when the body is longer than
 * {@link MAX_COMMENT_BODY_LENGTH} or the key is not 16 hex digits.
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
      const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { action: 'updated', url: data.html_url };
    }
    if (!comment.create) return { action: 'skipped', reason: 'not-needed' };
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { action: 'created', url: data.html_url };
  } catch (error) {
    if (statusOf(error) === 403)
      return { action: 'skipped', reason: 'forbidden', permission: COMMENT_PERMISSION };
    throw error;
  }
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
    const found = page.data.find(
      (comment) => comment.user?.type === 'Bot' && comment.body?.includes(marker) === true,
    );
    if (found) return found;
  }
  return undefined;
}
