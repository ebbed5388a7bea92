import * as core from '@actions/core';
import * as github from '@actions/github';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, posix, resolve } from 'node:path';
import { analyze } from '../src/analyze.js';
import { loadConfig } from '../src/config/load-config.js';
import { describeError } from '../src/errors.js';
import { openGitRepository, openSnapshotPair, type GitRepository } from '../src/io/git.js';
import { renderCommentMarker } from '../src/render/comment-marker.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import type { Finding, Report } from '../src/report/schema.js';
import { TOOL_VERSION } from '../src/version.js';
import { MAX_COMMENT_LENGTH, upsertStickyComment, type CommentOutcome } from './comment.js';
import { readInputs, type Inputs } from './inputs.js';
import { computeOutputs } from './outputs.js';
import { uploadReport } from './upload-report.js';

/** How deep to fetch history when the checkout lacks the commits to compare (the default checkout is shallow). */
const FETCH_DEPTHS = [100, 1000] as const;

/**
 * The Action: one run reviews one pull request (or any two commits) and returns the report.
 * 1. read the inputs and the event;
 * 2. make sure base and head are in the clone, fetching them when the checkout is shallow;
 * 3. load the config from the base commit (head when base has none) and analyse;
 * 4. write the JSON report, upload it as an artifact, write the job summary and annotations;
 * 5. post or update the sticky PR comment when the token may;
 * 6. set the outputs, and fail the step when the verdict reaches `fail-on`.
 */
export async function run(): Promise<Report | undefined> {
  try {
    // 1.
    const inputs = readInputs((name) => core.getInput(name));
    const pullRequest = github.context.payload.pull_request;
    const baseRef = inputs.base || (pullRequest?.['base'] as { sha?: string } | undefined)?.sha;
    const headRef =
      inputs.head || (pullRequest?.['head'] as { sha?: string } | undefined)?.sha || github.context.sha;
    if (!baseRef || !headRef) {
      throw new Error(
        'No commits to compare: run tuneguard on `pull_request` events, or set the `base` and `head` inputs.',
      );
    }
    const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
    const workingDirectory = resolve(workspace, inputs['working-directory']);

    // 2.
    const repo = await openGitRepository(workingDirectory);
    await ensureCommits(repo, baseRef, headRef);
    const pair = await openSnapshotPair(repo, baseRef, headRef);
    core.info(
      `tuneguard ${TOOL_VERSION}: comparing ${pair.head.sha} with ${pair.base.sha} (merge-base of ${baseRef})`,
    );

    // 3.
    let loaded = await loadConfig(pair.base, inputs.config);
    if (loaded.path === undefined) {
      const fromHead = await loadConfig(pair.head, inputs.config);
      if (fromHead.path !== undefined) {
        core.info(`${inputs.config} is not on the base commit; using the one the pull request adds.`);
        loaded = fromHead;
      }
    }
    const report = await analyze({
      pair,
      config: loaded.config,
      ...(loaded.path !== undefined ? { configPath: loaded.path } : {}),
      toolVersion: TOOL_VERSION,
    });

    // 4.
    const reportPath = resolve(workingDirectory, inputs['report-path']);
    await mkdir(dirname(reportPath), { recursive: true });
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    const scope = computeScope(inputs, workspace);
    const artifactName = computeArtifactName(pullRequest?.number, pair.head.sha, scope);
    const upload = await uploadReport(artifactName, reportPath);
    core.info(
      upload.uploaded
        ? `Uploaded the report as artifact ${artifactName}.`
        : `Report artifact not uploaded: ${upload.reason}`,
    );
    annotate(report.findings, posix.relative(toPosix(workspace), toPosix(workingDirectory)));

    // 5.
    const runUrl = computeRunUrl();
    let comment: CommentOutcome | undefined;
    if (pullRequest && inputs.comment !== 'never') {
      const marker = renderCommentMarker(scope);
      const body = renderMarkdown(report, {
        marker,
        maxLength: MAX_COMMENT_LENGTH - 100,
        ...(runUrl ? { detailsUrl: runUrl } : {}),
      });
      const create =
        inputs.comment === 'always' ||
        (inputs.comment === 'on-change' && touchesTrackedFiles(report)) ||
        (inputs.comment === 'on-failure' && report.verdict === 'failure');
      comment = await upsertStickyComment(
        github.getOctokit(inputs['github-token']),
        { ...github.context.repo, issueNumber: pullRequest.number },
        marker,
        body,
        create,
      );
      if (comment.action === 'skipped') {
        const log = comment.reason.includes('403') ? core.warning : core.info;
        log(`PR comment skipped: ${comment.reason}`);
      } else {
        core.info(`PR comment ${comment.action}: ${comment.url}`);
      }
    }
    const summary = renderMarkdown(report, { heading: 'tuneguard' });
    await core.summary
      .addRaw(summary)
      .addRaw(comment?.action === 'skipped' ? `\n\n> PR comment skipped: ${comment.reason}\n` : '')
      .write();

    // 6.
    const outputs = computeOutputs(
      report,
      reportPath,
      comment && comment.action !== 'skipped' ? comment.url : undefined,
    );
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    if (reachesFailOn(report, inputs['fail-on'])) {
      core.setFailed(
        `tuneguard: verdict ${report.verdict} (${report.counts.failure} failures, ${report.counts.warning} warnings) reaches fail-on: ${inputs['fail-on']}.`,
      );
    }
    return report;
  } catch (error) {
    // A non-Error throw must fail the run too, never pass silently.
    core.setFailed(`tuneguard: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * Fetches base and head when the clone lacks them or their merge-base (actions/checkout fetches one
 * commit by default), deepening step by step; throws with the workflow setting to change otherwise.
 */
async function ensureCommits(repo: GitRepository, base: string, head: string): Promise<void> {
  const ready = async (): Promise<boolean> =>
    (await repo.hasCommit(base)) &&
    (await repo.hasCommit(head)) &&
    (await repo.findMergeBase(base, head)) !== undefined;
  if (await ready()) return;
  for (const depth of FETCH_DEPTHS) {
    core.info(
      `Fetching ${base} and ${head} (depth ${depth}): the checkout does not hold them or their merge-base.`,
    );
    await repo.tryFetch('origin', [base, head], depth);
    if (await ready()) return;
  }
  if ((await repo.hasCommit(base)) && (await repo.hasCommit(head))) {
    core.warning(
      `No merge-base of ${base} and ${head} within ${FETCH_DEPTHS.at(-1)} commits: comparing with ${base} itself.`,
    );
    return;
  }
  throw new Error(
    `The commits to compare are not in the checkout and could not be fetched (${base}, ${head}). Set \`fetch-depth: 0\` on actions/checkout, or give the job \`contents: read\` so tuneguard can fetch them.`,
  );
}

/** One comment and one artifact per working directory and config, so monorepo runs do not collide. */
function computeScope(inputs: Inputs, workspace: string): string | undefined {
  const dir = posix.relative(toPosix(workspace), toPosix(resolve(workspace, inputs['working-directory'])));
  const parts = [dir, inputs.config === '.github/tuneguard.yml' ? '' : inputs.config].filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.join(':');
}

/**
 * The artifact's name: `tuneguard-report-pr<N>-<head sha>` (with the scope when set), which is how the
 * App finds the report of a given head.
 */
export function computeArtifactName(
  prNumber: number | undefined,
  headSha: string,
  scope: string | undefined,
): string {
  const suffix = scope === undefined ? '' : `-${scope.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
  return `tuneguard-report-${prNumber === undefined ? '' : `pr${prNumber}-`}${headSha}${suffix}`;
}

function annotate(findings: readonly Finding[], prefix: string): void {
  for (const finding of findings) {
    if (!finding.location || finding.location.side === 'base') continue;
    const properties = {
      title: `tuneguard ${finding.check}`,
      file: prefix === '' ? finding.location.path : posix.join(prefix, finding.location.path),
      ...(finding.location.line !== undefined ? { startLine: finding.location.line } : {}),
    };
    const message = [finding.title, ...finding.details].join('\n');
    if (finding.severity === 'failure') core.error(message, properties);
    else if (finding.severity === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  }
}

function touchesTrackedFiles(report: Report): boolean {
  return [...report.datasets, ...report.params, ...report.metrics, ...report.training].some(
    (entry) => entry.status !== 'unchanged',
  );
}

function reachesFailOn(report: Report, failOn: Inputs['fail-on']): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'warning') return report.verdict !== 'pass';
  return report.verdict === 'failure';
}

function computeRunUrl(): string | undefined {
  const { serverUrl, runId } = github.context;
  const { owner, repo } = github.context.repo;
  return runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined;
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}
