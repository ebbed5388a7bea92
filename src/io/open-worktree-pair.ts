import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workspace } from '../model/report-schema.js';
import { openSnapshotPair, type GitRepository, type OpenedPair } from './git.js';
import { overlayWorkspace } from './overlay-workspace.js';

/** The working tree opened for review against a base, and what came from disk. */
export interface WorktreePair {
  /** Base (the merge-base of `baseRef` and HEAD) and the working tree, with the changes between them. */
  pair: OpenedPair;
  /** The files read from disk and the files deleted, for the report (`worktree: true`). */
  workspace: Workspace;
  /** Changed paths that are symbolic links (or no longer regular files): never followed, not read. */
  skipped: string[];
}

/**
 * Opens the working tree of `repo` for review against `baseRef`, uncommitted changes included: HEAD's
 * commit with the files modified or added since, untracked files git does not ignore, and deleted files
 * overlaid ({@link overlayWorkspace}), compared with the merge-base of `baseRef` and HEAD as a pull
 * request would be. A changed path that is a symbolic link on disk is never followed: it is returned in
 * `skipped` and the head keeps the commit's version. Throws as {@link openSnapshotPair} does.
 * @example await openWorktreePair(repo, 'HEAD') // the uncommitted changes alone
 */
export async function openWorktreePair(repo: GitRepository, baseRef: string): Promise<WorktreePair> {
  const opened = await openSnapshotPair(repo, baseRef, 'HEAD');
  const { changed, deleted } = await repo.listWorktreeChanges();
  const files: string[] = [];
  const skipped: string[] = [];
  for (const path of changed) {
    const stats = await lstat(join(repo.root, ...path.split('/'))).catch(() => undefined);
    if (stats?.isFile()) files.push(path);
    else skipped.push(path);
  }
  const overlaid = await overlayWorkspace(opened, { root: repo.root, files, deleted });
  return {
    pair: { ...overlaid, sharesHistory: opened.sharesHistory },
    workspace: { files, ...(deleted.length > 0 ? { deleted } : {}), worktree: true },
    skipped,
  };
}
