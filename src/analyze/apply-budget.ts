import { isTouched, type OverBudget } from '../checks/check-context.js';
import type { Config } from '../config/schema.js';
import type { SnapshotPair } from '../model/snapshot.js';
import { filesOn } from '../sources/discover-artifacts.js';
import type { ArtifactChange, SidePaths } from './read-sides.js';

/**
 * Keeps the artifacts one review can afford under `config.budget`: the ones the pull request touched
 * first, then the rest, each in discovery order; an artifact that does not fit is left out and the next
 * ones are still tried. Each artifact costs its files and bytes on the sides that will be read (an
 * unchanged one, head's once). `overBudget` is `undefined` when everything fits.
 * @example await applyBudget({ pair, present, changes, config }) // { changes: [...], overBudget: undefined }
 */
export async function applyBudget(input: {
  pair: SnapshotPair;
  present: SidePaths;
  changes: readonly ArtifactChange[];
  config: Config;
}): Promise<{ changes: ArtifactChange[]; overBudget?: OverBudget }> {
  const maxFiles = input.config.budget['max-files'];
  const maxBytes = input.config.budget['max-gb'] * 2 ** 30;
  const ordered = [
    ...input.changes.filter((change) => isTouched(change.status)),
    ...input.changes.filter((change) => !isTouched(change.status)),
  ];
  const kept = new Set<ArtifactChange>();
  const left = { files: 0, bytes: 0, paths: [] as string[] };
  let files = 0;
  let bytes = 0;
  for (const change of ordered) {
    const cost = await costOf(input, change);
    if (files + cost.files <= maxFiles && bytes + cost.bytes <= maxBytes) {
      files += cost.files;
      bytes += cost.bytes;
      kept.add(change);
    } else {
      left.files += cost.files;
      left.bytes += cost.bytes;
      left.paths.push(...cost.paths);
    }
  }
  const changes = input.changes.filter((change) => kept.has(change));
  if (left.files === 0) return { changes };
  return { changes, overBudget: { ...left, paths: [...new Set(left.paths)].sort() } };
}

/** The files and bytes that analysing one artifact reads. */
async function costOf(
  input: { pair: SnapshotPair; present: SidePaths },
  change: ArtifactChange,
): Promise<{ files: number; bytes: number; paths: string[] }> {
  const sides = change.status === 'unchanged' ? (['head'] as const) : (['base', 'head'] as const);
  let files = 0;
  let bytes = 0;
  const paths: string[] = [];
  for (const side of sides) {
    for (const path of filesOn(change.artifact, side).filter((file) => input.present[side].has(file))) {
      files += 1;
      const size = (await input.pair[side].fileSize(path)) ?? 0;
      // git lists no size for an object missing from the clone: the file is read, and reported unreadable.
      bytes += Number.isFinite(size) ? size : 0;
      paths.push(path);
    }
  }
  return { files, bytes, paths };
}
