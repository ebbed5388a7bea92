import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { describeError } from '../src/model/errors.js';
import type { Report } from '../src/model/report-schema.js';
import { TOOL_VERSION } from '../src/model/version.js';
import { computeArtifactName } from '../src/report/artifact-name.js';
import { serializeReport } from '../src/report/serialize-report.js';
import { plural } from '../src/text/plural.js';
import { annotateFindings } from './annotate-findings.js';
import { analyzeWithBaseConfig } from './analyze-with-base-config.js';
import { computeScope } from './compute-scope.js';
import { createBaselineLookup } from './create-baseline-lookup.js';
import { createActionDeps, type ActionDeps } from './deps.js';
import { readInputs, type Inputs } from './inputs.js';
import { openReviewPair } from './open-review-pair.js';
import { computeOutputs } from './outputs.js';
import { describeComment, isCommentProblem, postComment } from './post-comment.js';
import { reachesFailOn } from './reaches-fail-on.js';
import { readRunContext, type RunContext } from './read-run-context.js';
import { renderSummary } from './render-summary.js';
import { toPosix } from './to-posix.js';
import { uploadReport, type UploadOutcome } from './upload-report.js';

/**
 * The Action: one run reviews one pull request (or any two commits given as inputs) and returns the
 * report, or `undefined` when it could not run (the step is then failed with the reason). `overrides`
 * replaces the clients of {@link createActionDeps}.
 * 1. read the inputs and the run's event;
 * 2. make sure base, head and their merge-base are in the clone, fetching them from a shallow checkout;
 * 3. load the config as committed on the base (a PR cannot loosen its own checks) and analyse, with the
 *    report of an earlier default-branch run as the baseline when the base has no results file;
 * 4. write the JSON report, upload it as an artifact, and annotate findings with their file and line;
 * 5. create or update the sticky PR comment when the `comment` mode and the token allow;
 * 6. write the job summary and set the outputs;
 * 7. fail the step when the verdict reaches `fail-on`; the comment never fails it (a comment that could
 *    not be written is a warning: GitHub's hiccups are not the pull request's fault).
 */
export async function run(overrides: Partial<ActionDeps> = {}): Promise<Report | undefined> {
  try {
    const deps: ActionDeps = { ...createActionDeps(), ...overrides };
    // 1.
    const inputs = readInputs((name) => core.getInput(name));
    const context = await readRunContext(process.env, process.cwd());
    // 2.
    const review = await openReviewPair(inputs, context, deps);
    const { pair, workingDirectory, prefix } = review;
    const where = prefix === '' ? '' : ` in ${prefix}/`;
    core.info(`tuneguard ${TOOL_VERSION}: reviewing ${pair.head.sha} against ${pair.base.sha}${where}.`);
    // 3.
    const scope = computeScope(inputs, context.workspace);
    const baseline = createBaselineLookup(
      { inputs, context, base: pair.base.sha, workingDirectory, scope },
      deps,
    );
    const report = await analyzeWithBaseConfig(review, inputs.config, baseline);
    // 4.
    const reportPath = resolve(workingDirectory, inputs['report-path']);
    const upload = await saveReport({ report, reportPath, scope, context, deps });
    annotateFindings(report.findings, toPosix(relative(context.workspace, workingDirectory)));
    // 5.
    const heading = scope === undefined ? 'tuneguard' : `tuneguard (${scope})`;
    const comment = await postComment({ report, inputs, context, scope, heading }, deps);
    const commentText = describeComment(comment);
    if (isCommentProblem(comment)) core.warning(`PR comment ${commentText}`);
    else core.info(`PR comment ${commentText}`);
    // 6.
    if (process.env['GITHUB_STEP_SUMMARY']) {
      await core.summary.addRaw(renderSummary({ report, heading, comment: commentText, upload })).write();
    } else {
      core.info('No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub Actions runner).');
    }
    const commentUrl = 'url' in comment ? comment.url : undefined;
    const outputs = computeOutputs(report, { reportPath, commentUrl });
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    // 7.
    failStepIfNeeded(report, inputs['fail-on']);
    return report;
  } catch (error) {
    // A non-Error throw must fail the run too, never pass silently.
    core.setFailed(`tuneguard: ${describeError(error)}`);
    return undefined;
  }
}

/** Writes the JSON report to `reportPath` and uploads it as the run's report artifact, logging the outcome. */
async function saveReport(save: {
  report: Report;
  reportPath: string;
  scope: string | undefined;
  context: RunContext;
  deps: ActionDeps;
}): Promise<UploadOutcome> {
  const { report, reportPath, scope, context, deps } = save;
  await mkdir(dirname(reportPath), { recursive: true });
  await writeFile(reportPath, serializeReport(report));
  const name = computeArtifactName({
    ...(context.pullRequest ? { pr: context.pullRequest.number } : {}),
    sha: report.head.sha,
    ...(scope !== undefined ? { scope } : {}),
  });
  const upload = await uploadReport({
    client: deps.artifactClient,
    name,
    file: reportPath,
    env: process.env,
  });
  if (upload.uploaded) core.info(`Uploaded the report as the artifact ${upload.name}.`);
  else if (upload.reason === 'failed')
    core.warning(`Could not upload the report artifact: ${upload.message}`);
  else if (upload.reason === 'ghes')
    core.notice(
      `Report artifact not uploaded: ${upload.message}, so the App and workflow_run jobs get no report; the summary, annotations, comment and status are unaffected.`,
    );
  else core.info(`Report artifact not uploaded: ${upload.message}.`);
  return upload;
}

/** Fails the step when the verdict reaches `fail-on`: the verdict only, never the comment's fate. */
function failStepIfNeeded(report: Report, failOn: Inputs['fail-on']): void {
  if (reachesFailOn(report.verdict, failOn)) {
    core.setFailed(
      `tuneguard: ${plural(report.counts.failure, 'failure')} and ${plural(report.counts.warning, 'warning')}; the verdict ${report.verdict} reaches fail-on: ${failOn}.`,
    );
  }
}
