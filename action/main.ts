import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { analyze } from '../src/analyze.js';
import { loadConfig } from '../src/config/load-config.js';
import { DEFAULT_CONFIG_PATH } from '../src/config/parse-config.js';
import { describeError } from '../src/model/errors.js';
import { openGitRepository, openSnapshotPair } from '../src/io/git.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import type { Finding, Report } from '../src/model/report-schema.js';
import type { SnapshotPair } from '../src/model/snapshot.js';
import { TOOL_VERSION } from '../src/model/version.js';
import { ActionError } from './action-error.js';
import { plural } from '../src/text/plural.js';
import {
  MAX_COMMENT_BODY_LENGTH,
  renderCommentMarker,
  upsertStickyComment,
  type CommentOutcome,
  type CommentTarget,
} from '../src/io/github/sticky-comment.js';
import { computeArtifactName } from '../src/report/artifact-name.js';
import { computeReportKey } from '../src/report/compute-report-key.js';
import { ensureCommits } from './ensure-commits.js';
import { readInputs, type Inputs } from './inputs.js';
import { computeOutputs } from './outputs.js';
import { readRunContext, type RunContext } from './read-run-context.js';
import { scopeSnapshotPair } from '../src/sources/scope-snapshot-pair.js';
import { uploadReport, type UploadOutcome } from './upload-report.js';

/** Bytes of the report in the job summary: GitHub takes 1 MiB per step, and the run's lines follow it. */
const MAX_SUMMARY_BYTES = 1024 * 1024 - 8 * 1024;

/** What became of the PR comment: the upsert's outcome, or why it was not attempted or failed. */
type CommentStatus =
  | CommentOutcome
  | { action: 'skipped'; reason: 'no-token' | 'not-a-pull-request' | 'mode-never' }
  | { action: 'failed'; message: string };

/**
 * The Action: one run reviews one pull request (or any two commits given as inputs) and returns the
 * report, or `undefined` when it could not run (the step is then failed with the reason).
 * 1. read the inputs and the run's event;
 * 2. make sure base, head and their merge-base are in the clone, fetching them from a shallow checkout;
 * 3. load the config as committed on the base (a PR cannot loosen its own checks) and analyse;
 * 4. write the JSON report, upload it as an artifact, and annotate findings with their file and line;
 * 5. create or update the sticky PR comment when the `comment` mode and the token allow;
 * 6. write the job summary and set the outputs;
 * 7. fail the step when the verdict reaches `fail-on` (or the comment failed for another reason than a
 *    missing permission).
 */
export async function run(): Promise<Report | undefined> {
  try {
    // 1.
    const inputs = readInputs((name) => core.getInput(name));
    const context = await readRunContext(process.env, process.cwd());
    const base = inputs.base || context.pullRequest?.baseSha;
    const head = inputs.head || context.pullRequest?.headSha;
    if (!base || !head) {
      throw new ActionError(
        `No commits to compare in a \`${context.eventName || 'unknown'}\` event: run tuneguard on \`pull_request\` events, or set the \`base\` and \`head\` inputs.`,
        'no-commits',
      );
    }
    const workingDirectory = resolve(context.workspace, inputs['working-directory']);
    if (!(await isDirectory(workingDirectory))) {
      throw new ActionError(
        `working-directory \`${inputs['working-directory']}\` is not a folder of the workspace (${context.workspace}): check out the repository there first.`,
        'invalid-inputs',
      );
    }

    // 2.
    const repo = await openGitRepository(workingDirectory);
    const ensured = await ensureCommits(repo, base, head, (depth) =>
      core.info(
        `Fetching ${base} and ${head} from origin${depth === undefined ? '' : ` (depth ${depth})`}: the checkout does not hold them or their merge-base.`,
      ),
    );
    if (ensured === 'no-merge-base') {
      core.warning(`${base} and ${head} share no history: comparing ${head} with ${base} itself.`);
    }
    const prefix = findRepositoryPrefix(workingDirectory);
    const pair = labelPair(
      scopeSnapshotPair(await openSnapshotPair(repo, base, head), prefix),
      inputs.base ? undefined : context.pullRequest?.baseRef,
      inputs.head ? undefined : context.pullRequest?.headRef,
    );
    core.info(
      `tuneguard ${TOOL_VERSION}: reviewing ${pair.head.sha} against ${pair.base.sha}${prefix === '' ? '' : ` in ${prefix}/`}.`,
    );

    // 3.
    const configPath = posix.normalize(toPosix(inputs.config));
    const loaded = await loadConfig(pair.base, configPath);
    if (loaded.path === undefined)
      core.info(`No ${configPath} on the base commit: using the default checks.`);
    if (pair.changedFiles.includes(configPath)) {
      core.notice(
        `This pull request changes ${configPath}: it is reviewed with the config of its base commit${loaded.path === undefined ? ' (none: the defaults)' : ''}, and the new one applies once merged.`,
      );
    }
    const report = await analyze({
      pair,
      config: loaded.config,
      ...(loaded.path !== undefined ? { configPath: loaded.path } : {}),
      toolVersion: TOOL_VERSION,
    });

    // 4.
    const scope = computeScope(inputs, context.workspace);
    const reportPath = resolve(workingDirectory, inputs['report-path']);
    await mkdir(dirname(reportPath), { recursive: true });
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    const upload = await uploadReport(
      computeArtifactName({
        ...(context.pullRequest ? { pr: context.pullRequest.number } : {}),
        sha: pair.head.sha,
        ...(scope !== undefined ? { scope } : {}),
      }),
      reportPath,
      process.env,
    );
    if (upload.uploaded) core.info(`Uploaded the report as the artifact ${upload.name}.`);
    else if (upload.reason === 'failed')
      core.warning(`Could not upload the report artifact: ${upload.message}`);
    else core.info(`Report artifact not uploaded: ${upload.message}.`);
    annotate(report.findings, toPosix(relative(context.workspace, workingDirectory)));

    // 5.
    const heading = scope === undefined ? 'tuneguard' : `tuneguard (${scope})`;
    const comment = await postComment(report, inputs, context, scope, heading);
    const commentText = describeComment(comment);
    if (comment.action === 'failed' || (comment.action === 'skipped' && comment.reason === 'forbidden')) {
      core.warning(`PR comment ${commentText}`);
    } else {
      core.info(`PR comment ${commentText}`);
    }

    // 6.
    if (process.env['GITHUB_STEP_SUMMARY']) {
      await core.summary.addRaw(renderSummary(report, heading, commentText, upload)).write();
    } else {
      core.info('No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub Actions runner).');
    }
    const outputs = computeOutputs(report, reportPath, 'url' in comment ? comment.url : undefined);
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);

    // 7.
    if (reachesFailOn(report, inputs['fail-on'])) {
      core.setFailed(
        `tuneguard: ${plural(report.counts.failure, 'failure')} and ${plural(report.counts.warning, 'warning')}; the verdict ${report.verdict} reaches fail-on: ${inputs['fail-on']}.`,
      );
    } else if (comment.action === 'failed') {
      core.setFailed(`tuneguard: the review passed, but the PR comment failed: ${comment.message}`);
    }
    return report;
  } catch (error) {
    // A non-Error throw must fail the run too, never pass silently.
    core.setFailed(`tuneguard: ${describeError(error)}`);
    return undefined;
  }
}

/** Posts or updates the sticky comment as the `comment` input asks; API failures become a status. */
async function postComment(
  report: Report,
  inputs: Inputs,
  context: RunContext,
  scope: string | undefined,
  heading: string,
): Promise<CommentStatus> {
  if (inputs.comment === 'never') return { action: 'skipped', reason: 'mode-never' };
  if (!context.pullRequest || !context.repository) return { action: 'skipped', reason: 'not-a-pull-request' };
  if (inputs['github-token'] === '') return { action: 'skipped', reason: 'no-token' };
  const marker = renderCommentMarker(scope);
  const options = { marker, heading, maxLength: MAX_COMMENT_BODY_LENGTH };
  const target: CommentTarget = { ...context.repository, issueNumber: context.pullRequest.number };
  try {
    return await upsertStickyComment(
      getOctokit(inputs['github-token'], { baseUrl: context.apiUrl }),
      target,
      {
        marker,
        body: renderMarkdown(report, {
          ...options,
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

function describeComment(status: CommentStatus): string {
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

function renderSummary(report: Report, heading: string, commentText: string, upload: UploadOutcome): string {
  // renderMarkdown counts characters and GitHub bytes: shrink the cap until the bytes fit.
  let body = renderMarkdown(report, { heading, maxLength: MAX_SUMMARY_BYTES });
  while (Buffer.byteLength(body) > MAX_SUMMARY_BYTES) {
    const ratio = MAX_SUMMARY_BYTES / Buffer.byteLength(body);
    body = renderMarkdown(report, { heading, maxLength: Math.floor(body.length * ratio) - 1 });
  }
  const artifact = upload.uploaded
    ? `uploaded as \`${upload.name}\``
    : `\`${upload.name}\` not uploaded: ${upload.message}`;
  return `${body}\n- **PR comment** ${commentText}\n- **Report artifact** ${artifact}\n`;
}

/** Shows the event's branch names as the refs of the report (the SHAs stay those compared). */
function labelPair(
  pair: SnapshotPair,
  baseRef: string | undefined,
  headRef: string | undefined,
): SnapshotPair {
  return {
    base: baseRef === undefined ? pair.base : { ...pair.base, ref: baseRef },
    head: headRef === undefined ? pair.head : { ...pair.head, ref: headRef },
    changedFiles: pair.changedFiles,
  };
}

/** One comment and one artifact per working directory and config, so monorepo runs do not collide. */
function computeScope(inputs: Inputs, workspace: string): string | undefined {
  const dir = toPosix(relative(workspace, resolve(workspace, inputs['working-directory'])));
  const config = posix.normalize(toPosix(inputs.config));
  const parts = [dir, config === DEFAULT_CONFIG_PATH ? '' : config].filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.join(':');
}

/** Annotates the head's findings; `prefix` turns paths relative to the working directory into workspace paths. */
function annotate(findings: readonly Finding[], prefix: string): void {
  for (const finding of findings) {
    // A base-side location names a file the head may not have: it stays in the report only.
    if (!finding.location || finding.location.side === 'base') continue;
    const properties = {
      title: `tuneguard: ${finding.check}`,
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

/**
 * The working directory's path inside its repository (`''` at the root). Found on disk: the git
 * adapter opens the repository's root, and the Action reviews only the folder it was given.
 */
function findRepositoryPrefix(dir: string): string {
  const start = realpathSync(dir);
  for (let current = start; ; current = dirname(current)) {
    // `.git` is a folder in a clone and a file in a worktree or submodule.
    if (existsSync(join(current, '.git'))) return toPosix(relative(current, start));
    if (dirname(current) === current) return '';
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}
