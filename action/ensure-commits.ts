import type { GitRepository } from '../src/io/git.js';
import { ActionError } from './action-error.js';

/** How deep to fetch, in turn, when a shallow checkout lacks the commits or their merge-base. */
export const FETCH_DEPTHS = [100, 1000] as const;

/**
 * How the commits got there: already in the clone, fetched by tuneguard, or present without a common
 * ancestor (unrelated histories in a complete clone, compared with base itself).
 */
export type EnsureCommitsOutcome = 'present' | 'fetched' | 'no-merge-base';

/** The two commits to have in the clone, and who to tell before each fetch. */
export interface CommitsToEnsure {
  base: string;
  head: string;
  /** Told each depth before fetching (`undefined`: a complete clone, fetched without depth). */
  onFetch?: (depth: number | undefined) => void;
}

/**
 * Makes sure `base`, `head` and their merge-base are in the clone. actions/checkout fetches a single
 * commit by default (the PR's merge commit, whose parents are missing), so when something is missing
 * this fetches both commits from `origin`, deepening a shallow clone by {@link FETCH_DEPTHS} in turn.
 * `onFetch` is told each depth before fetching (`undefined`: a complete clone, fetched without depth).
 * Throws `ActionError('missing-commits')` saying what to set in the workflow when that is not enough.
 */
export async function ensureCommits(
  repo: GitRepository,
  commits: CommitsToEnsure,
): Promise<EnsureCommitsOutcome> {
  const { base, head, onFetch = () => undefined } = commits;
  const present = async (): Promise<boolean> => (await repo.hasCommit(base)) && (await repo.hasCommit(head));
  const ready = async (): Promise<boolean> =>
    (await present()) && (await repo.findMergeBase(base, head)) !== undefined;
  if (await ready()) return 'present';

  for (const depth of FETCH_DEPTHS) {
    // --depth on a complete clone would make it shallow: only a shallow clone is deepened.
    const shallow = await repo.isShallow();
    onFetch(shallow ? depth : undefined);
    await repo.tryFetch('origin', [base, head], shallow ? depth : undefined);
    if (await ready()) return 'fetched';
    if (!shallow) break;
  }

  if (!(await present())) {
    throw new ActionError(
      `The commits to compare are not in the checkout and could not be fetched from origin (base ${base}, head ${head}). ` +
        'Set `fetch-depth: 0` on actions/checkout (and keep its default `persist-credentials: true`), ' +
        'or check that the job may read the repository (`permissions: contents: read`).',
      'missing-commits',
    );
  }
  if (await repo.isShallow()) {
    throw new ActionError(
      `The merge-base of ${base} and ${head} is more than ${FETCH_DEPTHS.at(-1)} commits back in this shallow checkout. ` +
        'Set `fetch-depth: 0` on actions/checkout so tuneguard compares the pull request as GitHub shows it.',
      'missing-commits',
    );
  }
  return 'no-merge-base';
}
