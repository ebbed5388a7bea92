import type { Context } from 'probot';

/** The installation-authenticated client Probot hands each event handler. */
export type Octokit = Context['octokit'];

/** A repository, as the REST API's `owner` and `repo` parameters. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit request error (a `status` number), else `undefined`. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
