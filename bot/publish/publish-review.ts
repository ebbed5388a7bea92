import { statusOf } from '../../src/io/github/status-of.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import { parseReviewMarker, type RenderedReview, type ReviewMarker } from '../../src/render/render-review.js';

/** What became of the review: posted, left as it was (the same review is already there), or not needed. */
export type ReviewOutcome =
  | { action: 'created'; id: number; url: string; inline: number; minimized: number }
  | { action: 'unchanged'; minimized: number }
  | { action: 'none'; minimized: number };

/** Pages of reviews read (100 each); a pull request with more reviews than this keeps its oldest ones as they are. */
const MAX_REVIEW_PAGES = 10;

/** Subjects minimised per GraphQL request. */
const MINIMIZE_BATCH = 25;

/** Lists a pull request's reviews with what the App needs to recognise and hide its own. */
export const REVIEWS_QUERY = `query ($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviews(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          body
          isMinimized
          viewerDidAuthor
          comments(first: 100) { nodes { id isMinimized } }
        }
      }
    }
  }
}`;

interface ReviewNode {
  id: string;
  body: string;
  isMinimized: boolean;
  viewerDidAuthor: boolean;
  comments: { nodes: ({ id: string; isMinimized: boolean } | null)[] | null };
}
interface ReviewsResponse {
  repository: {
    pullRequest: {
      reviews: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: (ReviewNode | null)[] | null;
      };
    } | null;
  } | null;
}

/** What to post: the review and its fallback (every finding in the body), for which pull request. */
export interface ReviewRequest {
  target: ReviewTarget;
  /** The review to post; `undefined` when there is nothing to say (earlier reviews are only minimised). */
  review: RenderedReview | undefined;
  /** The same review without inline comments, posted when GitHub refuses one of `review`'s lines. */
  fallback: RenderedReview | undefined;
}

/** The pull request and commit a review is for, and the scope of the report. */
export interface ReviewTarget {
  number: number;
  headSha: string;
  scope?: string;
}

/**
 * Posts `review` on the pull request (event `COMMENT`, on `headSha`) unless the App's latest review of
 * the same scope on the same commit says the same (its marker's key), then minimises (GraphQL
 * `minimizeComment`, as `OUTDATED`) every other review of the App for that scope and their inline
 * comments, so a new head never stacks a second set of comments on the first. Reviews are recognised by
 * the GraphQL `viewerDidAuthor` flag and their marker, so a person quoting the marker is never hidden.
 * After posting, the reviews are listed again and the oldest review of the same commit and key is kept
 * (a concurrent run may have posted one too), so racing runs end with one visible review.
 * When GitHub refuses an inline comment's line (HTTP 422, a diff GitHub did not show in full), the
 * review is posted as `fallback`, with every finding in the body. `review: undefined` (nothing to say)
 * only minimises.
 */
export async function publishReview(
  octokit: Octokit,
  repo: RepoRef,
  request: ReviewRequest,
): Promise<ReviewOutcome> {
  const { target, review, fallback } = request;
  const own = await listOwnReviews(octokit, repo, target);
  const latest = own.filter((node) => !node.isMinimized).at(-1);
  if (review && latest && latest.marker.sha === target.headSha && latest.marker.key === review.key) {
    const minimized = await minimize(octokit, collectHidden(own, latest.id));
    return { action: 'unchanged', minimized };
  }
  if (!review) return { action: 'none', minimized: await minimize(octokit, collectHidden(own, undefined)) };
  let posted: { id: number; node_id: string; html_url: string };
  let sent = review;
  try {
    posted = await createReview(octokit, repo, target, review);
  } catch (error) {
    if (statusOf(error) !== 422 || !fallback || review.comments.length === 0) throw error;
    posted = await createReview(octokit, repo, target, fallback);
    sent = fallback;
  }
  // Listed again: a run that raced this one may have posted the same review meanwhile. The oldest of
  // the same commit and key stays, every other one is minimised, so racing runs converge on one.
  const after = await listOwnReviews(octokit, repo, target);
  const keep =
    after.find(
      (node) => !node.isMinimized && node.marker.sha === target.headSha && node.marker.key === sent.key,
    )?.id ?? posted.node_id;
  const hidden = collectHidden(after.some((node) => node.id === posted.node_id) ? after : own, keep);
  const minimized = await minimize(octokit, hidden);
  return {
    action: 'created',
    id: posted.id,
    url: posted.html_url,
    inline: sent.comments.length,
    minimized,
  };
}

/** The App's reviews of the target's scope, oldest first, each with its marker. */
async function listOwnReviews(
  octokit: Octokit,
  repo: RepoRef,
  target: ReviewTarget,
): Promise<(ReviewNode & { marker: ReviewMarker })[]> {
  return (await listReviews(octokit, repo, target.number)).filter(
    (node): node is ReviewNode & { marker: ReviewMarker } =>
      node.marker !== undefined && node.marker.scope === target.scope,
  );
}

async function createReview(
  octokit: Octokit,
  repo: RepoRef,
  target: ReviewTarget,
  review: RenderedReview,
): Promise<{ id: number; node_id: string; html_url: string }> {
  const { data } = await octokit.rest.pulls.createReview({
    ...repo,
    pull_number: target.number,
    commit_id: target.headSha,
    event: 'COMMENT',
    body: review.body,
    ...(review.comments.length > 0 ? { comments: review.comments.map((comment) => ({ ...comment })) } : {}),
  });
  return data;
}

async function listReviews(
  octokit: Octokit,
  repo: RepoRef,
  number: number,
): Promise<(ReviewNode & { marker: ReviewMarker | undefined })[]> {
  const reviews: (ReviewNode & { marker: ReviewMarker | undefined })[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_REVIEW_PAGES; page += 1) {
    const response: ReviewsResponse = await octokit.graphql<ReviewsResponse>(REVIEWS_QUERY, {
      owner: repo.owner,
      repo: repo.repo,
      number,
      cursor,
    });
    const connection = response.repository?.pullRequest?.reviews;
    for (const node of connection?.nodes ?? []) {
      if (node?.viewerDidAuthor) reviews.push({ ...node, marker: parseReviewMarker(node.body) });
    }
    if (!connection?.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    cursor = connection.pageInfo.endCursor;
  }
  return reviews;
}

/** Node ids of the reviews other than `keep` and their inline comments that are not minimised yet. */
function collectHidden(reviews: readonly ReviewNode[], keep: string | undefined): string[] {
  const ids: string[] = [];
  for (const review of reviews) {
    if (review.id === keep) continue;
    if (!review.isMinimized) ids.push(review.id);
    for (const comment of review.comments.nodes ?? []) {
      if (comment && !comment.isMinimized) ids.push(comment.id);
    }
  }
  return ids;
}

/**
 * Minimises subjects as `OUTDATED`, several per request (one aliased mutation each).
 * @returns how many were minimised
 */
async function minimize(octokit: Octokit, ids: readonly string[]): Promise<number> {
  for (let start = 0; start < ids.length; start += MINIMIZE_BATCH) {
    const batch = ids.slice(start, start + MINIMIZE_BATCH);
    await octokit.graphql(
      renderMinimizeMutation(batch.length),
      Object.fromEntries(batch.map((id, i) => [`id${i}`, id])),
    );
  }
  return ids.length;
}

/**
 * A mutation minimising `count` subjects, with variables `$id0`…: one aliased `minimizeComment` each.
 * @example renderMinimizeMutation(1)
 *   // 'mutation ($id0: ID!) { m0: minimizeComment(input: { subjectId: $id0, classifier: OUTDATED }) { minimizedComment { isMinimized } } }'
 */
export function renderMinimizeMutation(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const variables = indexes.map((i) => `$id${i}: ID!`).join(', ');
  const fields = indexes
    .map(
      (i) =>
        `m${i}: minimizeComment(input: { subjectId: $id${i}, classifier: OUTDATED }) { minimizedComment { isMinimized } }`,
    )
    .join(' ');
  return `mutation (${variables}) { ${fields} }`;
}
