import { createHash } from 'node:crypto';
import type { Octokit, RepoRef } from './octokit.js';

/** GitHub rejects issue comments longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Characters kept free after the body for the key line. */
export const COMMENT_KEY_ROOM = 64;

/** What became of the sticky comment. */
export type StickyOutcome = { action: 'created' | 'updated' | 'unchanged'; url: string };

/**
 * Creates or updates the one tuneguard comment of a pull request, the same one the Action keeps: it is
 * found by the shared hidden `marker` on a bot's comment, over every page of comments, and its key line
 * (`<!-- tuneguard:key=… -->`, a hash of `key`) is written the way the Action writes it, so whichever of
 * the two posts second sees the same key and leaves the comment alone. Only a bot's comment counts, so a
 * person quoting the marker never takes it over. Throws a RangeError when the body is too long.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  comment: { marker: string; body: string; key: string },
): Promise<StickyOutcome> {
  if (comment.body.length > MAX_COMMENT_LENGTH - COMMENT_KEY_ROOM) {
    throw new RangeError(
      `The comment body has ${comment.body.length} characters; at most ${MAX_COMMENT_LENGTH - COMMENT_KEY_ROOM} fit.`,
    );
  }
  const keyLine = `<!-- tuneguard:key=${createHash('sha256').update(comment.key).digest('hex').slice(0, 16)} -->`;
  const body = `${comment.body.replace(/\n*$/, '')}\n${keyLine}\n`;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find((c) => c.user?.type === 'Bot' && c.body?.includes(comment.marker) === true);
    if (!found) continue;
    if (found.body?.includes(keyLine)) return { action: 'unchanged', url: found.html_url };
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: found.id, body });
    return { action: 'updated', url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  return { action: 'created', url: data.html_url };
}
