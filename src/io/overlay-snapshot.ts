import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Snapshot } from '../model/snapshot.js';

/** Files of a folder on disk that stand in for a snapshot's own. */
export interface WorkspaceOverlay {
  /** The folder the snapshot's paths are relative to, absolute. */
  root: string;
  /** Files read from disk instead of the snapshot (added when the snapshot lacks them): `/`-separated, relative to `root`. */
  files: readonly string[];
  /** Paths of the snapshot that are gone from disk (the working tree's deletions): absent from the overlay. */
  deleted: readonly string[];
}

/**
 * `snapshot` with the overlay's files read from disk: listed as files (and no longer as links or
 * submodules), their bytes, sizes and blob ids from the file on disk; `deleted` paths are absent. Every
 * other path, and every LFS object, is the snapshot's. The blob id is git's (`blob <size>\0<bytes>`,
 * SHA-1, or SHA-256 when the commit id has 64 digits), so a file on disk equal to a committed one has
 * its id; files git cleans on commit (LFS, line-ending conversion) have another.
 * A file on disk is opened without following a symbolic link in its last component, so a link put in
 * its place after it was listed is not read.
 * @example overlaySnapshot(head, { root: '/ws', files: ['results/a.json'], deleted: [] }).readFile('results/a.json') // the bytes on disk
 */
export function overlaySnapshot(snapshot: Snapshot, overlay: WorkspaceOverlay): Snapshot {
  const onDisk = new Set(overlay.files);
  const gone = new Set(overlay.deleted);
  const hidden = (path: string): boolean => onDisk.has(path) || gone.has(path);
  const where = (path: string): string => join(overlay.root, ...path.split('/'));
  const blobIds = new Map<string, Promise<string>>();
  const algorithm = snapshot.sha.length === 64 ? 'sha256' : 'sha1';
  return {
    ref: snapshot.ref,
    sha: snapshot.sha,
    listFiles: async () => {
      const committed = (await snapshot.listFiles()).filter((path) => !gone.has(path));
      const known = new Set(committed);
      return [...committed, ...overlay.files.filter((path) => !known.has(path))];
    },
    listLinks: async () => (await snapshot.listLinks()).filter((path) => !hidden(path)),
    listSubmodules: async () => (await snapshot.listSubmodules()).filter((path) => !hidden(path)),
    readFile: async (path) => {
      if (gone.has(path)) return undefined;
      if (!onDisk.has(path)) return snapshot.readFile(path);
      const handle = await openNoFollow(where(path));
      try {
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
    streamFile: async (path) => {
      if (gone.has(path)) return undefined;
      if (!onDisk.has(path)) return snapshot.streamFile(path);
      return (await openNoFollow(where(path))).createReadStream();
    },
    fileSize: async (path) => {
      if (gone.has(path)) return undefined;
      return onDisk.has(path) ? (await lstat(where(path))).size : snapshot.fileSize(path);
    },
    blobId: async (path) => {
      if (gone.has(path)) return undefined;
      if (!onDisk.has(path)) return snapshot.blobId(path);
      let id = blobIds.get(path);
      if (id === undefined) {
        id = hashBlob(where(path), algorithm);
        blobIds.set(path, id);
      }
      return id;
    },
    openLfsObject: (pointer, path) => snapshot.openLfsObject(pointer, path),
  } satisfies Snapshot;
}

/** Opens a file for reading; a symbolic link as its last component fails (`ELOOP`) instead of being followed. */
function openNoFollow(path: string): Promise<FileHandle> {
  // O_NOFOLLOW does not exist on Windows, where the listing already left links out.
  return open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
}

/** git's object id of the file as a blob: the hash of `blob <size>\0` and the bytes, streamed. */
async function hashBlob(path: string, algorithm: 'sha1' | 'sha256'): Promise<string> {
  const handle = await openNoFollow(path);
  const { size } = await handle.stat();
  const hash = createHash(algorithm).update(`blob ${size}\0`);
  const stream: Readable = handle.createReadStream();
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
