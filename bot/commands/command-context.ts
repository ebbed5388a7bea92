import type { Context } from 'probot';
import type { Role } from '../github/get-permission.js';
import type { Octokit, RepoRef } from '../github/octokit.js';

/** What every slash command runs with: the client, the pull request, and who asked with which role. */
export interface CommandContext {
  octokit: Octokit;
  repo: RepoRef;
  prNumber: number;
  login: string;
  role: Role;
  appId: number;
  log: Context['log'];
}

/** A command's result: whether it did what was asked, and the markdown that says so in the reply. */
export interface CommandOutcome {
  ok: boolean;
  text: string;
}
