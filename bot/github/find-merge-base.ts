import { statusOf } from '../../src/io/github/status-of.js';
import type { Octokit, RepoRef } from './octokit.js';

/**
 * The merge-base of a pull request's base and head commits, as GitHub computes it for the pull request's
 * diff: `merge_base_commit` of the compare API (`GET /repos/{owner}/{repo}/compare/{base}...{head}`,
 * which also resolves a fork's head in the repository's network). `undefined` when GitHub finds no
 * common ancestor (it answers 404), as the Action compares unrelated histories with base itself; other
 * API errors are thrown. One commit per page: only the merge-base is read, not the commit list.
 * @example await findMergeBase(octokit, { owner: 'o', repo: 'r' }, { baseSha: 'f95f852…', headSha: 'ec26c3e…' })
 */
export async function findMergeBase(
  octokit: Octokit,
  repo: RepoRef,
  commits: { baseSha: string; headSha: string },
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${commits.baseSha}...${commits.headSha}`,
      per_page: 1,
    });
    return data.merge_base_commit.sha;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
