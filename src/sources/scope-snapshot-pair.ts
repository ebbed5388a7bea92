import type { Snapshot, SnapshotPair } from '../model/snapshot.js';

/**
 * Narrows a snapshot pair to one folder of the repository (`prefix`, `/`-separated, no leading or
 * trailing slash): only files under it are seen, with paths relative to it, so a monorepo can review
 * each fine-tuning project on its own. Every member of each snapshot is forwarded, LFS objects
 * included. An empty prefix returns the pair unchanged.
 * @example scopeSnapshotPair(pair, 'models/sft') // head.listFiles(): ['data/train.jsonl', …]
 */
export function scopeSnapshotPair(pair: SnapshotPair, prefix: string): SnapshotPair {
  if (prefix === '') return pair;
  const root = `${prefix}/`;
  const inside = (path: string): boolean => path.startsWith(root);
  return {
    base: scopeSnapshot(pair.base, root),
    head: scopeSnapshot(pair.head, root),
    changedFiles: pair.changedFiles.filter(inside).map((path) => path.slice(root.length)),
    renames: pair.renames
      .filter((rename) => inside(rename.from) && inside(rename.to))
      .map((rename) => ({
        ...rename,
        from: rename.from.slice(root.length),
        to: rename.to.slice(root.length),
      })),
  };
}

/** `snapshot` seen from `root` (ending in `/`): each member forwarded with the path made whole again. */
function scopeSnapshot(snapshot: Snapshot, root: string): Snapshot {
  return {
    ref: snapshot.ref,
    sha: snapshot.sha,
    listFiles: async () => inRoot(await snapshot.listFiles(), root),
    listLinks: async () => inRoot(await snapshot.listLinks(), root),
    listSubmodules: async () => inRoot(await snapshot.listSubmodules(), root),
    readFile: (path) => snapshot.readFile(root + path),
    streamFile: (path) => snapshot.streamFile(root + path),
    fileSize: (path) => snapshot.fileSize(root + path),
    blobId: (path) => snapshot.blobId(root + path),
    openLfsObject: (pointer, path) => snapshot.openLfsObject(pointer, root + path),
  } satisfies Snapshot;
}

/** The paths under `root`, made relative to it. */
function inRoot(paths: readonly string[], root: string): string[] {
  return paths.filter((path) => path.startsWith(root)).map((path) => path.slice(root.length));
}
