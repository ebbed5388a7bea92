import type { BaselineOutcome } from '../../model/baseline-source.js';
import { describeError } from '../../model/errors.js';
import { computeArtifactName, parseArtifactName } from '../../report/artifact-name.js';
import { downloadReport, toReportArtifact, type RepoRef, type ReportArtifact } from './download-report.js';
import { ReportArtifactError } from './report-artifact-error.js';
import { statusOf } from './status-of.js';
import type { GitHubClient } from './sticky-comment.js';

/** Pages of the repository's artifacts (100 each, newest first) looked through for a baseline report. */
export const MAX_ARTIFACT_PAGES = 10;

/**
 * The events of a run on the default branch whose report may serve as a baseline. A pull request's run
 * may not: its workflow is the pull request's own, which could upload any report under any name.
 */
export const BASELINE_EVENTS = ['push', 'workflow_dispatch', 'schedule'] as const;

/** Where to look for a baseline report, and for which commits. */
export interface BaselineQuery {
  repo: RepoRef;
  /** The base commit and its first parents, nearest first (the base itself first). */
  commits: readonly string[];
  defaultBranch: string;
  /** The Action's scope, when it has one: the baseline must be a report of the same scope. */
  scope?: string;
  /** The time now, for the baseline's age. */
  now: Date;
}

type ListedArtifact = Awaited<
  ReturnType<GitHubClient['rest']['actions']['listArtifactsForRepo']>
>['data']['artifacts'][number];

interface Candidate {
  artifact: ListedArtifact;
  parsed: ReportArtifact;
  commitsBack: number;
}

/**
 * Finds the report of the nearest of `commits` that a run on the default branch uploaded, through the
 * REST API with the job's token (`actions: read` is enough, so a fork's read-only token does): the
 * artifact named `tuneguard-report-<sha>[-<scope>]` of the base commit first (one request), else the
 * repository's artifacts, newest first, page by page up to {@link MAX_ARTIFACT_PAGES} pages, each page's
 * candidates nearest commit first. A candidate is skipped when it has expired, when its run is not a
 * `push`, `workflow_dispatch` or `schedule` run of this repository on the default branch at that commit,
 * or when the report cannot be used (see `downloadReport`: bounded zip, digest, schema, commit). Gives
 * the first usable one with its results, or why there is none; never throws for an API refusal.
 */
export async function findBaselineReport(
  client: GitHubClient,
  query: BaselineQuery,
): Promise<BaselineOutcome> {
  const names = new Map(
    query.commits.map((sha, index) => [
      computeArtifactName({ sha, ...(query.scope !== undefined ? { scope: query.scope } : {}) }),
      index,
    ]),
  );
  const skipped: string[] = [];
  const tried = new Set<number>();
  try {
    for await (const candidates of listCandidates(client, query, names)) {
      for (const candidate of candidates) {
        if (tried.has(candidate.artifact.id)) continue;
        tried.add(candidate.artifact.id);
        const outcome = await tryCandidate(client, query, candidate, skipped);
        if (outcome) return outcome;
      }
    }
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) {
      return {
        missing: `the job's token may not list this repository's artifacts (HTTP ${status}): give the job \`permissions: actions: read\``,
      };
    }
    return { missing: `listing the repository's artifacts failed: ${describeError(error)}` };
  }
  const where = `a push, workflow_dispatch or schedule run on ${query.defaultBranch}`;
  const span =
    query.commits.length <= 1
      ? 'the base commit'
      : `the base commit or the ${query.commits.length - 1} commits before it`;
  const also = skipped.length > 0 ? `; skipped: ${skipped.slice(0, 3).join('; ')}` : '';
  return { missing: `no usable report artifact of ${where} for ${span}${also}` };
}

/**
 * The candidates, batch by batch: the base commit's artifacts by name, then each page of the repository's
 * artifacts, at most {@link MAX_ARTIFACT_PAGES}. Nearest commit first, newest artifact first. The caller
 * stops at the first usable one; a page of forged or expired candidates does not end the search.
 */
async function* listCandidates(
  client: GitHubClient,
  query: BaselineQuery,
  names: ReadonlyMap<string, number>,
): AsyncGenerator<Candidate[]> {
  const [baseName] = names.keys();
  if (baseName === undefined) return;
  const byName = await client.rest.actions.listArtifactsForRepo({
    ...query.repo,
    name: baseName,
    per_page: 10,
  });
  yield toCandidates(byName.data.artifacts, names, query);
  let pages = 0;
  for await (const page of client.paginate.iterator(client.rest.actions.listArtifactsForRepo, {
    ...query.repo,
    per_page: 100,
  })) {
    yield toCandidates(page.data, names, query);
    pages += 1;
    if (pages >= MAX_ARTIFACT_PAGES) return;
  }
}

function toCandidates(
  artifacts: readonly ListedArtifact[],
  names: ReadonlyMap<string, number>,
  query: BaselineQuery,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const artifact of artifacts) {
    const commitsBack = names.get(artifact.name);
    const parsed = parseArtifactName(artifact.name);
    if (commitsBack === undefined || !parsed || artifact.expired) continue;
    // The listing already says where the run ran: a run elsewhere is not worth a request.
    const run = artifact.workflow_run;
    if (run?.head_branch !== query.defaultBranch || run.head_sha !== parsed.sha) continue;
    candidates.push({
      artifact,
      commitsBack,
      parsed: toReportArtifact(artifact, parsed),
    });
  }
  return candidates.sort((a, b) => a.commitsBack - b.commitsBack || b.artifact.id - a.artifact.id);
}

/** The candidate's report as a baseline, or `undefined` (with why in `skipped`) when it may not serve. */
async function tryCandidate(
  client: GitHubClient,
  query: BaselineQuery,
  candidate: Candidate,
  skipped: string[],
): Promise<BaselineOutcome | undefined> {
  const runId = candidate.artifact.workflow_run?.id;
  if (runId === undefined) return undefined;
  const { data: run } = await client.rest.actions.getWorkflowRun({ ...query.repo, run_id: runId });
  const repository = `${query.repo.owner}/${query.repo.repo}`;
  const fromHere = run.head_repository.full_name === repository && run.repository.full_name === repository;
  const event = BASELINE_EVENTS.find((allowed) => allowed === run.event);
  if (
    !event ||
    !fromHere ||
    run.head_branch !== query.defaultBranch ||
    run.head_sha !== candidate.parsed.sha
  ) {
    skipped.push(
      `run ${runId} is a ${run.event} run on ${run.head_branch ?? 'no branch'}, not a run on ${query.defaultBranch}`,
    );
    return undefined;
  }
  let report;
  try {
    report = await downloadReport(client, query.repo, candidate.parsed);
  } catch (error) {
    if (!(error instanceof ReportArtifactError)) throw error;
    skipped.push(`${candidate.parsed.name}: ${error.message.split('\n')[0] ?? error.kind}`);
    return undefined;
  }
  const created = candidate.artifact.created_at ?? run.created_at;
  const ageDays = Math.max(0, Math.floor((query.now.getTime() - Date.parse(created)) / 86_400_000));
  return {
    found: {
      runId,
      url: run.html_url,
      sha: candidate.parsed.sha,
      branch: query.defaultBranch,
      event,
      commitsBack: candidate.commitsBack,
      createdAt: created,
      ageDays: Number.isFinite(ageDays) ? ageDays : 0,
    },
    results: report.evalResults ?? [],
  };
}
