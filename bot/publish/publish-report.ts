import { renderMarkdown } from '../../src/render/render-markdown.js';
import type { Report } from '../../src/model/report-schema.js';
import { readAcceptanceRecords } from '../../src/render/acceptance-record.js';
import { applyAcceptances, type Acceptance } from '../../src/report/apply-acceptances.js';
import { describeError } from '../../src/model/errors.js';
import {
  checkRunName,
  findCheckRuns,
  renderExternalId,
  upsertCheckRun,
  type CheckRunRecord,
} from '../github/check-run.js';
import { computeDiffLines } from './compute-diff-lines.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import { publishReview, type ReviewOutcome } from './publish-review.js';
import { renderCheckOutput, type ReportSource } from '../../src/render/render-check-output.js';
import { renderReview } from '../../src/render/render-review.js';
import {
  MAX_COMMENT_BODY_LENGTH,
  renderCommentMarker,
  upsertStickyComment,
  type CommentOutcome,
  type StickyComment,
} from '../../src/io/github/sticky-comment.js';
import { computeReportKey } from '../../src/report/compute-report-key.js';
import { listChangedFiles } from '../github/list-changed-files.js';
import { assessReportTrust } from './assess-report-trust.js';
import { renderUntrustedOutput } from './render-untrusted-output.js';

/** What the App needs to know of a pull request, read from the API (never from the report). */
export interface PullRequestRef {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  /** `owner/name` of the head repository; `undefined` when the fork was deleted. */
  headRepo: string | undefined;
  /** Whether the head lives in another repository than the base (a fork, or a deleted one). */
  isFork: boolean;
  /** How many files the pull request changes, as GitHub counts them; `undefined` where the API leaves it out (pull request lists). */
  changedFiles: number | undefined;
}

/** A validated report to publish, and where it came from. */
export interface PublishInput {
  pr: PullRequestRef;
  report: Report;
  source: ReportSource & {
    /** The event of the workflow run that uploaded the report (`pull_request`, `workflow_dispatch`, …). */
    event: string;
    /** The workflow file of that run, e.g. `.github/workflows/tuneguard.yml`. */
    workflowPath?: string;
    /** The report artifact's id, recorded with the run's in the check run's `external_id`. */
    artifactId?: number;
  };
  scope?: string;
  appId: number;
  /** Whether to post the review; acceptances change the verdict, not what is said on each line. */
  review: boolean;
  /** The acceptances to apply, when the caller has just changed them; else those recorded on the commit's check runs. */
  acceptances?: readonly Acceptance[];
  /** The App's check runs of this name on the head, newest first, when the caller has just read them; else read here. */
  checkRuns?: readonly CheckRunRecord[];
}

/** A step after the check run that GitHub's API failed (after the client's retries): the check still stands. */
export interface FailedStep {
  action: 'failed';
  message: string;
}

/** What publishing did. `trusted: false`: the report was refused and the check says why. */
export interface PublishOutcome {
  trusted: boolean;
  conclusion: 'success' | 'neutral' | 'failure';
  title: string;
  checkRunId: number;
  checkRunUrl: string | null;
  acceptances: Acceptance[];
  review?: ReviewOutcome | FailedStep;
  comment?: CommentOutcome | FailedStep;
}

/**
 * Publishes a validated report on its pull request with the App's credentials:
 * 1. read the pull request's files (for the lines the diff shows, and what it changes) and the App's
 *    check runs on the head (for the acceptances they record, and the one still in progress);
 * 2. refuse the report when it comes from a fork's `pull_request` run and the pull request changes
 *    what that run executes, or that cannot be checked (see `assessReportTrust`: the fork could have
 *    written any report): the check fails, names the changed paths and says what to do;
 * 3. apply the acceptances (the recorded ones, or the ones given) and complete the check run: the
 *    newest one still in progress for the head, or a new one (a completed run keeps its annotations,
 *    so it is never reused);
 * 4. post the review (unless unchanged) and minimise the App's earlier ones;
 * 5. create or update the sticky comment the Action shares.
 * Once the check run is complete, a failing review or comment is returned as a `failed` step, not
 * thrown: the check already carries the verdict. Errors before that are thrown.
 */
export async function publishReport(
  octokit: Octokit,
  repo: RepoRef,
  input: PublishInput,
): Promise<PublishOutcome> {
  const { pr, source, scope } = input;
  const name = checkRunName(scope);
  const heading = scope === undefined ? 'tuneguard' : `tuneguard (${scope})`;

  // 1.
  const changed = await listChangedFiles(octokit, repo, pr);
  const diffLines = new Map(changed.files.map((file) => [file.filename, computeDiffLines(file.patch)]));

  const runs =
    input.checkRuns ?? (await findCheckRuns(octokit, repo, { sha: pr.headSha, appId: input.appId, name }));
  const acceptances = [...(input.acceptances ?? readAcceptanceRecords(runs.map((run) => run.text)))];
  const inProgress = runs.find((run) => run.status !== 'completed')?.id;
  const identity = {
    name,
    headSha: pr.headSha,
    detailsUrl: source.runUrl,
    externalId: renderExternalId(source.runId, source.artifactId),
  };

  // 2.
  const trust = await assessReportTrust(octokit, repo, {
    pr,
    run: { event: source.event, ...(source.workflowPath ? { workflowPath: source.workflowPath } : {}) },
    changed,
  });
  if (!trust.trusted) {
    const output = renderUntrustedOutput(trust, { workflowPath: source.workflowPath });
    const check = await upsertCheckRun(octokit, repo, inProgress, {
      ...identity,
      status: 'completed',
      conclusion: 'failure',
      output,
    });
    return { trusted: false, conclusion: 'failure', title: output.title, ...toCheckRef(check), acceptances };
  }

  // 3.
  const report = applyAcceptances(input.report, acceptances);
  const output = renderCheckOutput(report, { acceptances, source, heading });
  const check = await upsertCheckRun(octokit, repo, inProgress, {
    ...identity,
    status: 'completed',
    conclusion: output.conclusion,
    output: { title: output.title, summary: output.summary, text: output.text },
    annotations: output.annotations,
  });

  // 4.
  const review = input.review
    ? await tryStep(() =>
        postReview(octokit, repo, { report, pr, scope, heading, diffLines, checkRunUrl: check.htmlUrl }),
      )
    : undefined;

  // 5.
  const comment = await tryStep(() =>
    upsertStickyComment(
      octokit,
      { ...repo, issueNumber: pr.number },
      renderStickyComment(report, { scope, heading, detailsUrl: source.runUrl }),
    ),
  );

  return {
    trusted: true,
    conclusion: output.conclusion,
    title: output.title,
    ...toCheckRef(check),
    acceptances,
    ...(review ? { review } : {}),
    comment,
  };
}

function toCheckRef(check: {
  id: number;
  htmlUrl: string | null;
}): Pick<PublishOutcome, 'checkRunId' | 'checkRunUrl'> {
  return { checkRunId: check.id, checkRunUrl: check.htmlUrl };
}

/** Runs a step after the check run; an error becomes a `failed` step. */
async function tryStep<T>(step: () => Promise<T>): Promise<T | FailedStep> {
  try {
    return await step();
  } catch (error) {
    return { action: 'failed', message: describeError(error) };
  }
}

/** The report (acceptances applied) to review on its pull request, and what the review links to. */
interface ReviewToPost {
  report: Report;
  pr: PullRequestRef;
  scope: string | undefined;
  heading: string;
  diffLines: ReadonlyMap<string, ReadonlySet<number>>;
  checkRunUrl: string | null;
}

/** Posts the report's review (inline where the diff shows the line), or only minimises old ones when it has no findings. */
async function postReview(octokit: Octokit, repo: RepoRef, post: ReviewToPost): Promise<ReviewOutcome> {
  const { report, pr, scope, heading, diffLines, checkRunUrl } = post;
  const options = {
    heading,
    ...(scope !== undefined ? { scope } : {}),
    ...(checkRunUrl ? { checkRunUrl } : {}),
  };
  const target = { number: pr.number, headSha: pr.headSha, ...(scope !== undefined ? { scope } : {}) };
  if (report.findings.length === 0) {
    return publishReview(octokit, repo, { target, review: undefined, fallback: undefined });
  }
  return publishReview(octokit, repo, {
    target,
    review: renderReview(report, diffLines, options),
    fallback: renderReview(report, new Map(), options),
  });
}

/** The sticky comment as the Action writes it: the same marker, and the same key for the same report. */
function renderStickyComment(
  report: Report,
  options: { scope: string | undefined; heading: string; detailsUrl: string },
): StickyComment {
  const marker = renderCommentMarker(options.scope);
  return {
    marker,
    body: renderMarkdown(report, {
      marker,
      heading: options.heading,
      maxLength: MAX_COMMENT_BODY_LENGTH,
      detailsUrl: options.detailsUrl,
    }),
    // What the report says, without the link that changes on every run.
    key: computeReportKey(report),
    create: true,
  };
}
