import type { getOctokit } from '@actions/github';

type Octokit = ReturnType<typeof getOctokit>;

/** Where the sticky comment lives. */
export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** What happened to the sticky comment. `skipped` carries the reason (a missing permission, the mode). */
export type CommentOutcome =
  { action: 'created' | 'updated' | 'unchanged'; url: string } | { action: 'skipped'; reason: string };

/** GitHub rejects issue comments longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/**
 * Creates or updates tuneguard's one comment on a PR. The comment is found by its hidden `marker`
 * and a bot author, across every page of comments; an identical body is left alone. A new comment is
 * only created when `create` is true. A 403 (a fork PR's read-only token, missing `pull-requests: write`)
 * is not an error: the outcome is `skipped` with the permission to grant.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
  create: boolean,
): Promise<CommentOutcome> {
  const { owner, repo, issueNumber } = target;
  try {
    const existing = await findStickyComment(octokit, target, marker);
    if (existing) {
      if (existing.body === body) return { action: 'unchanged', url: existing.html_url };
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing.id,
        body,
      });
      return { action: 'updated', url: data.html_url };
    }
    if (!create)
      return { action: 'skipped', reason: 'no comment is needed for this result (input `comment`)' };
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    return { action: 'created', url: data.html_url };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403) {
      return {
        action: 'skipped',
        reason:
          'the token may not write PR comments (HTTP 403). Grant `permissions: pull-requests: write` to the job; a PR from a fork always gets a read-only token, so use the fork-safe setup (the tuneguard App or a `workflow_run` job) to comment there.',
      };
    }
    throw error;
  }
}

async function findStickyComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
): Promise<{ id: number; body?: string; html_url: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    // A human quoting the marker must not hijack the comment: only a bot's own comment counts.
    const found = page.data.find((comment) => comment.user?.type === 'Bot' && comment.body?.includes(marker));
    if (found)
      return {
        id: found.id,
        html_url: found.html_url,
        ...(found.body !== undefined ? { body: found.body } : {}),
      };
  }
  return undefined;
}
