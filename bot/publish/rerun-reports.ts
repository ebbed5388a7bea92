import { describeError } from '../../src/model/errors.js';
import { CHECK_NAME, findWorkflowRunId, upsertCheckRun, type CheckRunRecord } from '../github/check-run.js';
import type { Octokit, RepoRef } from '../github/octokit.js';
import type { PullRequestRef } from './publish-report.js';
import { describeConfigCommit, startCheck } from './start-check.js';

/** What became of one check when its report was asked for again. */
export type RerunOutcome =
  | { name: string; action: 'rerun'; runId: number; runUrl: string | null; checkRunId: number }
  | { name: string; action: 'restarted'; configError?: string; configAt?: string }
  | { name: string; action: 'failed'; runId: number; message: string };

/** The checks whose reports to ask for again, and who asks. */
export interface RerunRequest {
  /** The App's latest check run of each name. */
  latest: readonly CheckRunRecord[];
  /** The pull request, read only when a check has to start again. */
  findPr: () => Promise<Pick<PullRequestRef, 'headSha' | 'baseRef' | 'baseSha'> | undefined>;
  /** The login of whoever asked, named in the new check runs. */
  requester: string;
}

/**
 * Asks again for the reports behind the App's latest check runs (one per name), on behalf of
 * `requester`:
 * - a check run that names the workflow run that produced its report (its `external_id`) has that run
 *   re-run (`reRunWorkflow`, each run once) and a new check run shows it in progress until the report
 *   arrives; a run GitHub will not re-run (too old, still running) gives `failed` with GitHub's reason;
 * - otherwise no report ever arrived: the pull request (`findPr`, asked only then) has its check start
 *   again as on a new head, reading its config again (`restarted`, with where the config was read).
 * With no check run at all, the pull request's check starts again too.
 */
export async function rerunReports(
  octokit: Octokit,
  repo: RepoRef,
  request: RerunRequest,
): Promise<RerunOutcome[]> {
  const { latest, findPr, requester } = request;
  const outcomes: RerunOutcome[] = [];
  const rerun = new Map<number, string | undefined>();
  let restarted = false;
  const restart = async (name: string): Promise<void> => {
    if (restarted) return;
    restarted = true;
    const pr = await findPr();
    if (!pr) return;
    const { config, at } = await startCheck(octokit, repo, pr, {
      title: 'Waiting for the report',
      summary: `@${requester} asked for a new check. It completes when the workflow that runs the tuneguard Action uploads the report for ${pr.headSha.slice(0, 7)}.`,
    });
    outcomes.push({
      name,
      action: 'restarted',
      ...(config.valid
        ? {}
        : { configError: config.error.message, configAt: describeConfigCommit(at, pr.baseRef) }),
    });
  };
  for (const record of latest) {
    const runId = findWorkflowRunId(record.externalId);
    if (runId === undefined) {
      await restart(record.name);
      continue;
    }
    if (!rerun.has(runId)) {
      try {
        await octokit.rest.actions.reRunWorkflow({ ...repo, run_id: runId });
        rerun.set(runId, undefined);
      } catch (error) {
        rerun.set(runId, describeError(error));
      }
    }
    const failure = rerun.get(runId);
    if (failure !== undefined) {
      outcomes.push({ name: record.name, action: 'failed', runId, message: failure });
      continue;
    }
    const runLink = record.detailsUrl
      ? `[workflow run ${runId}](${record.detailsUrl})`
      : `workflow run ${runId}`;
    const check = await upsertCheckRun(octokit, repo, undefined, {
      name: record.name,
      headSha: record.headSha,
      status: 'in_progress',
      ...(record.detailsUrl ? { detailsUrl: record.detailsUrl } : {}),
      externalId: String(runId),
      output: {
        title: 'Re-running the workflow',
        summary: `@${requester} asked for a new check: re-running ${runLink}. This check completes when its report arrives.`,
      },
    });
    outcomes.push({
      name: record.name,
      action: 'rerun',
      runId,
      runUrl: record.detailsUrl,
      checkRunId: check.id,
    });
  }
  if (latest.length === 0) await restart(CHECK_NAME);
  return outcomes;
}
