import type { Octokit, RepoRef } from './octokit.js';
import type { PullRequestRef } from '../publish/publish-report.js';

/** Pages of open pull requests searched for a head commit when nothing names the pull request. */
const MAX_OPEN_PULL_PAGES = 5;

/** The fields of a pull request (REST or webhook payload) the App reads. */
export interface PullRequestFields {
  number: number;
  state: string;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string; repo: { full_name: string } };
  /** Absent from pull request lists. */
  changed_files?: number;
}

/**
 * The App's view of a pull request. A head repository other than the base's, or a deleted one, makes
 * it a fork.
 */
export function toPullRequestRef(pull: PullRequestFields): PullRequestRef {
  const headRepo = pull.head.repo?.full_name;
  return {
    number: pull.number,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseRef: pull.base.ref,
    baseSha: pull.base.sha,
    headRepo,
    isFork: headRepo === undefined || headRepo !== pull.base.repo.full_name,
    changedFiles: pull.changed_files,
  };
}

/** Reads a pull request from the API: its current head, base and state. */
export async function getPullRequest(
  octokit: Octokit,
  repo: RepoRef,
  number: number,
): Promise<PullRequestRef & { open: boolean }> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return { ...toPullRequestRef(data), open: data.state === 'open' };
}

/** The commit a report is about, and what names its pull request. */
export interface PullRequestQuery {
  sha: string;
  /** The pull request number the artifact's name gives, if any. */
  number: number | undefined;
  /** The workflow run's pull requests (empty for forks). */
  candidates: readonly { number: number; head: { sha: string } }[];
}

/** Why no pull request could take a report. */
export type PullRequestMiss = 'outdated' | 'closed' | 'not-found';

/**
 * The open pull request whose current head is `sha`: the one numbered `number` when given (the
 * artifact's name), else one of `candidates` (the workflow run's pull requests, which GitHub leaves
 * empty for forks), else the first open pull request found with that head. The head is always read
 * from the API: a report for a commit that is no longer the head is `outdated`.
 */
export async function findPullRequest(
  octokit: Octokit,
  repo: RepoRef,
  query: PullRequestQuery,
): Promise<{ pr: PullRequestRef } | { miss: PullRequestMiss }> {
  const { sha, number, candidates } = query;
  const named = number ?? candidates.find((candidate) => candidate.head.sha === sha)?.number;
  if (named !== undefined) {
    const pr = await getPullRequest(octokit, repo, named);
    if (!pr.open) return { miss: 'closed' };
    if (pr.headSha !== sha) return { miss: 'outdated' };
    return { pr };
  }
  let page = 0;
  for await (const response of octokit.paginate.iterator(octokit.rest.pulls.list, {
    ...repo,
    state: 'open',
    per_page: 100,
  })) {
    const found = response.data.find((pull) => pull.head.sha === sha);
    if (found) return { pr: toPullRequestRef(found) };
    page += 1;
    if (page >= MAX_OPEN_PULL_PAGES) break;
  }
  return { miss: 'not-found' };
}
