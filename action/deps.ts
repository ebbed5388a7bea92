import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact';
import type { GitHubClient } from '../src/io/github/sticky-comment.js';
import { openGitRepository, type GitRepository } from '../src/io/git.js';
import { createGitHubClient } from './create-github-client.js';

/** What the Action talks to outside itself: GitHub's REST API, the artifact service, and git. */
export interface ActionDeps {
  /** A REST client for `token` at `baseUrl` (`GITHUB_API_URL`). */
  createOctokit: (token: string, baseUrl: string) => GitHubClient;
  /** Uploads the report artifact. */
  artifactClient: ArtifactClient;
  /** Opens the repository holding `dir`. */
  openRepository: (dir: string) => Promise<GitRepository>;
}

/**
 * The real clients, as on a runner: `@actions/github`'s Octokit with retries and throttling
 * ({@link createGitHubClient}), `@actions/artifact`'s client (which
 * reads `ACTIONS_RUNTIME_TOKEN` and `ACTIONS_RESULTS_URL` when it uploads) and the git adapter.
 */
export function createActionDeps(): ActionDeps {
  return {
    createOctokit: (token, baseUrl) => createGitHubClient(token, baseUrl),
    artifactClient: new DefaultArtifactClient(),
    openRepository: openGitRepository,
  };
}
