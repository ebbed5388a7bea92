import type { RateLimit } from '../src/io/github/find-rate-limit.js';
import { describeError } from '../src/model/errors.js';
import type { Report } from '../src/model/report-schema.js';
import {
  MAX_COMMENT_BODY_LENGTH,
  renderCommentMarker,
  upsertStickyComment,
  type CommentOutcome,
} from '../src/io/github/sticky-comment.js';
import { computeReportKey } from '../src/report/compute-report-key.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import type { ActionDeps } from './deps.js';
import type { Inputs } from './inputs.js';
import type { RunContext } from './read-run-context.js';

/** What became of the PR comment: the upsert's outcome, or why it was not attempted or failed. */
export type CommentStatus =
  | CommentOutcome
  | { action: 'skipped'; reason: 'no-token' | 'not-a-pull-request' | 'mode-never' }
  | { action: 'failed'; message: string };

/** The report to post, and where it belongs. */
export interface CommentRequest {
  report: Report;
  inputs: Pick<Inputs, 'comment' | 'github-token'>;
  context: Pick<RunContext, 'pullRequest' | 'repository' | 'apiUrl' | 'runUrl'>;
  scope: string | undefined;
  heading: string;
}

/**
 * Creates or updates the sticky PR comment as the `comment` input asks: `always`, `on-change` (something
 * tuneguard tracks changed), `on-failure` (the verdict is a failure) or `never`; an existing comment is
 * always kept current. Never throws: an API failure becomes a `failed` status.
 */
export async function postComment(
  request: CommentRequest,
  deps: Pick<ActionDeps, 'createOctokit'>,
): Promise<CommentStatus> {
  const { report, inputs, context, scope, heading } = request;
  if (inputs.comment === 'never') return { action: 'skipped', reason: 'mode-never' };
  if (!context.pullRequest || !context.repository) return { action: 'skipped', reason: 'not-a-pull-request' };
  if (inputs['github-token'] === '') return { action: 'skipped', reason: 'no-token' };
  const marker = renderCommentMarker(scope);
  try {
    return await upsertStickyComment(
      deps.createOctokit(inputs['github-token'], context.apiUrl),
      { ...context.repository, issueNumber: context.pullRequest.number },
      {
        marker,
        body: renderMarkdown(report, {
          marker,
          heading,
          maxLength: MAX_COMMENT_BODY_LENGTH,
          ...(context.runUrl ? { detailsUrl: context.runUrl } : {}),
        }),
        // The link to the run changes on every run; the report itself is what makes a comment current.
        key: computeReportKey(report),
        create:
          inputs.comment === 'always' ||
          (inputs.comment === 'on-change' && touchesTrackedFiles(report)) ||
          (inputs.comment === 'on-failure' && report.verdict === 'failure'),
      },
    );
  } catch (error) {
    return { action: 'failed', message: describeError(error) };
  }
}

/** Whether the comment was wanted but not written: a failure, a missing permission, a rate limit. */
export function isCommentProblem(comment: CommentStatus): boolean {
  if (comment.action === 'failed') return true;
  return (
    comment.action === 'skipped' && (comment.reason === 'forbidden' || comment.reason === 'rate-limited')
  );
}

/** The comment's status for the log and the job summary; a missing permission says how to grant it. */
export function describeComment(status: CommentStatus): string {
  switch (status.action) {
    case 'created':
    case 'updated':
      return `${status.action}: ${status.url}`;
    case 'unchanged':
      return `unchanged (the report is the same): ${status.url}`;
    case 'failed':
      return `failed: ${status.message}`;
    case 'skipped':
      switch (status.reason) {
        case 'forbidden':
          return `skipped: the token may not write PR comments (HTTP 403). Grant the job \`permissions: ${status.permission}\`; a pull request from a fork always gets a read-only token, so there use the fork-safe setup (the tuneguard App, or a \`workflow_run\` job that posts the report artifact).`;
        case 'rate-limited':
          return `skipped: GitHub's API rate limit for this token was reached (HTTP ${status.limit.status}${describeWait(status.limit)}), so the comment was not written. This is GitHub's limit, not a missing permission, and the verdict does not depend on it: the next run writes the comment.`;
        case 'not-needed':
          return 'skipped: not needed for this result (input `comment`: nothing it asks to report, and no earlier comment to update).';
        case 'no-token':
          return 'skipped: the `github-token` input is empty.';
        case 'not-a-pull-request':
          return 'skipped: this run is not for a pull request.';
        case 'mode-never':
          return 'skipped: input `comment` is `never`.';
      }
  }
}

function describeWait(limit: RateLimit): string {
  if (limit.resetAt !== undefined) return `; it resets at ${limit.resetAt}`;
  if (limit.retryAfterSeconds !== undefined) return `; GitHub asked to wait ${limit.retryAfterSeconds} s`;
  return '';
}

function touchesTrackedFiles(report: Report): boolean {
  return [...report.datasets, ...report.params, ...report.metrics, ...report.training].some(
    (entry) => entry.status !== 'unchanged',
  );
}
