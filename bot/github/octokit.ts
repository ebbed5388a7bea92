import type { Context } from 'probot';

/** The installation-authenticated client Probot hands each event handler. */
export type Octokit = Context['octokit'];

/** A repository, as the REST API's `owner` and `repo` parameters. */
export interface RepoRef {
  owner: string;
  repo: string;
}
