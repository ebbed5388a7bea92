import type { SnapshotPair } from '../model/snapshot.js';
import { overlaySnapshot, type WorkspaceOverlay } from './overlay-snapshot.js';

/**
 * The pair with its head read partly from disk ({@link overlaySnapshot}), and the changed files
 * recomputed for the overlaid paths: a file on disk is changed when its bytes differ from the base's
 * (or base has no such file), and no longer changed when it equals the base's, whatever the head commit
 * held; a deleted path is changed when base has it. Renames to a deleted path are dropped. The other
 * changed files, and their order, are the pair's; the paths it adds follow, sorted.
 * @example await overlayWorkspace(pair, { root, files: ['results/a.json'], deleted: [] }) // changedFiles: [..., 'results/a.json']
 */
export async function overlayWorkspace(pair: SnapshotPair, overlay: WorkspaceOverlay): Promise<SnapshotPair> {
  const head = overlaySnapshot(pair.head, overlay);
  const differs = new Map<string, boolean>();
  await Promise.all(
    overlay.files.map(async (path) => {
      const [base, now] = await Promise.all([pair.base.blobId(path), head.blobId(path)]);
      differs.set(path, base !== now);
    }),
  );
  const onBase = new Set([
    ...(await pair.base.listFiles()),
    ...(await pair.base.listLinks()),
    ...(await pair.base.listSubmodules()),
  ]);
  for (const path of overlay.deleted) differs.set(path, onBase.has(path));
  const kept = pair.changedFiles.filter((path) => differs.get(path) !== false);
  const known = new Set(kept);
  const added = [...differs].filter(([path, changed]) => changed && !known.has(path)).map(([path]) => path);
  const gone = new Set(overlay.deleted);
  return {
    base: pair.base,
    head,
    changedFiles: [...kept, ...added.sort()],
    renames: pair.renames.filter((rename) => !gone.has(rename.to)),
  };
}
