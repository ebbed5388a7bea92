import { statusOf } from '../../src/io/github/status-of.js';
import type { Octokit, RepoRef } from './octokit.js';

/** Repository roles from least to most; custom roles count as the base role they extend. */
export const ROLES = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A user's role on the repository, from `getCollaboratorPermissionLevel`. The legacy `permission` field
 * folds `maintain` into `write` and `triage` into `read`, so the user's permission flags decide, then
 * the role name. Someone who is not a collaborator (HTTP 404) has the role `none`.
 */
export async function getPermission(octokit: Octokit, repo: RepoRef, username: string): Promise<Role> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    const flags = data.user?.permissions;
    if (flags?.admin || data.permission === 'admin') return 'admin';
    if (flags?.maintain || data.role_name === 'maintain') return 'maintain';
    if (flags?.push || data.permission === 'write') return 'write';
    if (flags?.triage || data.role_name === 'triage') return 'triage';
    if (flags?.pull || data.permission === 'read') return 'read';
    return 'none';
  } catch (error) {
    if (statusOf(error) === 404) return 'none';
    throw error;
  }
}

/** Whether `role` is `minimum` or above. */
export function hasRole(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
