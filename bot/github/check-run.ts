import type { Annotation } from '../../src/render/render-check-output.js';
import type { Octokit, RepoRef } from './octokit.js';

/** The check run's name; a report with a scope gets `tuneguard (<scope>)`. */
export const CHECK_NAME = 'tuneguard';

/** GitHub takes at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** Annotations sent for one report; a report with more is summarised, not annotated line by line. */
export const MAX_ANNOTATIONS = 500;

/**
 * The name of the check run for a scope.
 * @example checkRunName() // 'tuneguard'
 * @example checkRunName('models_sft') // 'tuneguard (models_sft)'
 */
export function checkRunName(scope?: string): string {
  return scope === undefined ? CHECK_NAME : `${CHECK_NAME} (${scope})`;
}

/** One of the App's check runs, as much of it as the App reads back. */
export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  /** The workflow run that produced the report, as the App stored it (its id in decimal). */
  externalId: string | null;
  detailsUrl: string | null;
  htmlUrl: string | null;
  /** The output's text, where the App records acceptances. */
  text: string | null;
}

/** Which check runs {@link findCheckRuns} reads: the commit, the App, and a name or all of the App's names. */
export interface CheckRunQuery {
  sha: string;
  appId: number;
  name: string | undefined;
}

/**
 * The App's own check runs on commit `sha` named `name` (every tuneguard name when `name` is
 * `undefined`), all of them (not only the latest), newest first. Filtered by the App's id, so a check
 * run another App or a workflow created under the same name (with a forged acceptance in its text,
 * say) is never read.
 */
export async function findCheckRuns(
  octokit: Octokit,
  repo: RepoRef,
  query: CheckRunQuery,
): Promise<CheckRunRecord[]> {
  const { sha, appId, name } = query;
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...repo,
    ref: sha,
    ...(name !== undefined ? { check_name: name } : {}),
    app_id: appId,
    filter: 'all',
    per_page: 100,
  });
  return runs
    .filter(
      (run) =>
        run.app?.id === appId &&
        run.head_sha === sha &&
        (name === undefined ? isCheckRunName(run.name) : run.name === name),
    )
    .map(toCheckRunRecord)
    .sort((a, b) => b.id - a.id);
}

/** Whether a check run name is one of the App's (`tuneguard`, or `tuneguard (<scope>)`). */
export function isCheckRunName(name: string): boolean {
  return name === CHECK_NAME || (name.startsWith(`${CHECK_NAME} (`) && name.endsWith(')'));
}

/**
 * The scope in a check run name, the inverse of {@link checkRunName}.
 * @example scopeOfCheckRunName('tuneguard (models_sft)') // 'models_sft'
 */
export function scopeOfCheckRunName(name: string): string | undefined {
  return name === CHECK_NAME ? undefined : name.slice(CHECK_NAME.length + 2, -1);
}

/** The newest check run of each name, from a list sorted newest first. */
export function latestPerName(runs: readonly CheckRunRecord[]): CheckRunRecord[] {
  const seen = new Set<string>();
  return runs.filter((run) => !seen.has(run.name) && seen.add(run.name));
}

/**
 * The App's check runs of a check suite whose names start with {@link CHECK_NAME}, newest first.
 */
export async function findSuiteCheckRuns(
  octokit: Octokit,
  repo: RepoRef,
  suiteId: number,
  appId: number,
): Promise<CheckRunRecord[]> {
  const runs = await octokit.paginate(octokit.rest.checks.listForSuite, {
    ...repo,
    check_suite_id: suiteId,
    filter: 'all',
    per_page: 100,
  });
  return runs
    .filter((run) => run.app?.id === appId && isCheckRunName(run.name))
    .map(toCheckRunRecord)
    .sort((a, b) => b.id - a.id);
}

const EXTERNAL_ID = /^([1-9]\d{0,15})(?::[1-9]\d{0,15})?$/;

/**
 * What the App stores in a check run's `external_id`: the workflow run that produced the report and,
 * when known, the report artifact's id. The pair tells a delivery of a report already published (the
 * same artifact) from a re-run of the same workflow run (a new artifact, same run id).
 * @example renderExternalId(30433642) // '30433642'
 * @example renderExternalId(30433642, 5001) // '30433642:5001'
 */
export function renderExternalId(runId: number, artifactId?: number): string {
  return artifactId === undefined ? String(runId) : `${runId}:${artifactId}`;
}

/** The workflow run id the App stored in a check run's `external_id` ({@link renderExternalId}), if it stored one. */
export function findWorkflowRunId(externalId: string | null | undefined): number | undefined {
  const match = externalId ? EXTERNAL_ID.exec(externalId) : null;
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** What a check run should show. `conclusion` is required when `status` is `completed`. */
export interface CheckRunSpec {
  name: string;
  headSha: string;
  status: 'in_progress' | 'completed';
  conclusion?: 'success' | 'neutral' | 'failure' | 'action_required';
  detailsUrl?: string;
  externalId?: string;
  output: { title: string; summary: string; text?: string };
  annotations?: readonly Annotation[];
}

/**
 * Creates a check run, or updates `existingId`, to show `spec`. The first request carries the first
 * {@link ANNOTATIONS_PER_REQUEST} annotations; the rest (up to {@link MAX_ANNOTATIONS}) follow in further
 * updates, which GitHub appends. Returns the check run's id and page.
 */
export async function upsertCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  existingId: number | undefined,
  spec: CheckRunSpec,
): Promise<{ id: number; htmlUrl: string | null }> {
  const annotations = (spec.annotations ?? []).slice(0, MAX_ANNOTATIONS);
  const output = {
    title: spec.output.title,
    summary: spec.output.summary,
    ...(spec.output.text !== undefined ? { text: spec.output.text } : {}),
  };
  const first = annotations.slice(0, ANNOTATIONS_PER_REQUEST);
  const fields = {
    name: spec.name,
    status: spec.status,
    ...(spec.conclusion !== undefined ? { conclusion: spec.conclusion } : {}),
    ...(spec.detailsUrl !== undefined ? { details_url: spec.detailsUrl } : {}),
    ...(spec.externalId !== undefined ? { external_id: spec.externalId } : {}),
    output: first.length > 0 ? { ...output, annotations: [...first] } : output,
  };
  const { data } =
    existingId === undefined
      ? await octokit.rest.checks.create({ ...repo, head_sha: spec.headSha, ...fields })
      : await octokit.rest.checks.update({ ...repo, check_run_id: existingId, ...fields });
  for (let start = ANNOTATIONS_PER_REQUEST; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: data.id,
      output: {
        title: spec.output.title,
        summary: spec.output.summary,
        annotations: annotations.slice(start, start + ANNOTATIONS_PER_REQUEST),
      },
    });
  }
  return { id: data.id, htmlUrl: data.html_url };
}

/** The fields of a check run (REST or webhook payload) the App reads back. */
export function toCheckRunRecord(run: {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  html_url: string | null;
  output: { text: string | null };
}): CheckRunRecord {
  return {
    id: run.id,
    name: run.name,
    headSha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    externalId: run.external_id,
    detailsUrl: run.details_url,
    htmlUrl: run.html_url,
    text: run.output.text,
  };
}
