import type { FileKind } from '../model/report-schema.js';
import { filesOn, type Artifact } from './discover-artifacts.js';

/**
 * The report's account of what each file of the pull request was taken for: every artifact with a file
 * the pull request changed (on either side), and every changed file set aside by its content, sorted by
 * path. Files no rule claimed (code, docs) are not listed.
 */
export function listFileKinds(
  artifacts: readonly Artifact[],
  declined: readonly FileKind[],
  changedFiles: readonly string[],
): FileKind[] {
  const changed = new Set(changedFiles);
  const touched = (artifact: Artifact): boolean =>
    [...filesOn(artifact, 'base'), ...filesOn(artifact, 'head')].some((path) => changed.has(path));
  const kinds: FileKind[] = artifacts.filter(touched).map((artifact) => ({
    path: artifact.path,
    kind: artifact.kind,
    ...(artifact.split !== undefined ? { split: artifact.split } : {}),
    by: artifact.by,
    reason: artifact.reason,
  }));
  kinds.push(...declined.filter((entry) => changed.has(entry.path)));
  return kinds.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
