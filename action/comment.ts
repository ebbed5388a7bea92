import { createHash } from 'node:crypto';
import type { getOctokit } from '@actions/github';

type Octokit = ReturnType<typeof getOctokit>;

/** Where the sticky comment lives: a pull request (an issue, for the comments API). */
export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** The comment to post, and how to recognise it. */
export interface StickyComment {
  /** The hidden marker (an HTML comment) that starts tuneguard's comment for one scope. */
  marker: string;
  /** The body, marker first, at most {@link MAX_COMMENT_LENGTH} − {@link COMMENT_KEY_ROOM} characters. */
  body: string;
  /**
   * What the report says, without what changes on every run (the link to the run): an existing comment
   * made from the same key is left as it is. Stored in the comment as a short hash.
   */
  key: string;
  /** Whether to create the comment when there is none yet (an existing one is always kept current). */
  create: boolean;
}

/**
 * What happened to the sticky comment. A `forbidden` skip names the permission the token lacks; a
 * `not-needed` skip means the `comment` input asked for no new comment for this result.
 */
export type CommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; url: string }
  | { action: 'skipped'; reason: 'forbidden'; permission: string }
  | { action: 'skipped'; reason: 'not-needed' };

/** GitHub rejects issue comments longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Characters kept free after the body for the key line. */
export const COMMENT_KEY_ROOM = 64;

/** The permission a workflow's job needs to post the comment with the job's `GITHUB_TOKEN`. */
export const COMMENT_PERMISSION = 'pull-requests: write';

/**
 * Creates or updates tuneguard's one comment on a pull request. The comment is found by its hidden
 * marker and a bot author (`github-actions[bot]`, or an App), over every page of comments, stopping at
 * the first match; an existing comment with the same key is not rewritten. A 403 (a fork PR's
 * read-only token, a job without `pull-requests: write`) is not an error: the outcome is a `forbidden`
 * skip naming the permission. Other API errors are thrown. Throws a RangeError when the body is too long.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  target: CommentTarget,
  comment: StickyComment,
): Promise<CommentOutcome> {
  if (comment.body.length > MAX_COMMENT_LENGTH - COMMENT_KEY_ROOM) {
    throw new RangeError(
      `The comment body has ${comment.body.length} characters; at most ${MAX_COMMENT_LENGTH - COMMENT_KEY_ROOM} fit.`,
    );
  }
  const keyLine = renderKeyLine(comment.key);
  const body = `${comment.body.replace(/\n*$/, '')}\n${keyLine}\n`;
  const { owner, repo, issueNumber } = target;
  try {
    const existing = await findStickyComment(octokit, target, comment.marker);
    if (existing) {
      if (existing.body?.includes(keyLine)) return { action: 'unchanged', url: existing.html_url };
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing.id,
        body,
      });
      return { action: 'updated', url: data.html_url };
    }
    if (!comment.create) return { action: 'skipped', reason: 'not-needed' };
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    return { action: 'created', url: data.html_url };
  } catch (error) {
    if (statusOf(error) === 403)
      return { action: 'skipped', reason: 'forbidden', permission: COMMENT_PERMISSION };
    throw error;
  }
}

async function findStickyComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
): Promise<{ id: number; body?: string | undefined; html_url: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    // A person quoting the marker must not take over the comment: only a bot's comment counts.
    const found = page.data.find(
      (comment) => comment.user?.type === 'Bot' && comment.body?.includes(marker) === true,
    );
    if (found) return found;
  }
  return undefined;
}

function renderKeyLine(key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `<!-- tuneguard:key=${hash} -->`;
}

/** The HTTP status of an Octokit request error (a `status` number), else `undefined`. */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
