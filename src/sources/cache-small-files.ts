import { Readable } from 'node:stream';
import type { Snapshot, SnapshotPair } from '../model/snapshot.js';
import { SNIFF_BYTES } from './read-prefix.js';

/** The most bytes one snapshot keeps; files read beyond it are read again when asked again. */
const CACHE_BYTES = 128 * 1024 * 1024;

/**
 * The pair with each snapshot keeping the bytes of the small files (up to 64 KiB) it has read, so a
 * file whose content is looked at to tell its kind is not read from git a second time when it is
 * loaded: hyperparameter and results files are both. Larger files are streamed as before.
 */
export function cacheSmallFiles(pair: SnapshotPair): SnapshotPair {
  return {
    base: cacheSnapshot(pair.base),
    head: cacheSnapshot(pair.head),
    changedFiles: pair.changedFiles,
    renames: pair.renames,
  };
}

function cacheSnapshot(snapshot: Snapshot): Snapshot {
  const cache = new Map<string, Promise<Buffer | undefined>>();
  let held = 0;
  const isSmall = async (path: string): Promise<boolean> => {
    const size = await snapshot.fileSize(path);
    return size !== undefined && size <= SNIFF_BYTES;
  };
  const readSmall = (path: string): Promise<Buffer | undefined> => {
    const hit = cache.get(path);
    if (hit) return hit;
    const read = snapshot.readFile(path);
    if (held >= CACHE_BYTES) return read;
    cache.set(path, read);
    read.then(
      (bytes) => {
        held += bytes?.length ?? 0;
      },
      // A failed read is not kept: the next one tries again and reports its own error.
      () => cache.delete(path),
    );
    return read;
  };
  return {
    ref: snapshot.ref,
    sha: snapshot.sha,
    listFiles: () => snapshot.listFiles(),
    listLinks: () => snapshot.listLinks(),
    listSubmodules: () => snapshot.listSubmodules(),
    readFile: async (path) => ((await isSmall(path)) ? readSmall(path) : snapshot.readFile(path)),
    streamFile: async (path) => {
      if (!(await isSmall(path))) return snapshot.streamFile(path);
      const bytes = await readSmall(path);
      return bytes === undefined ? undefined : Readable.from([bytes], { objectMode: false });
    },
    fileSize: (path) => snapshot.fileSize(path),
    blobId: (path) => snapshot.blobId(path),
    openLfsObject: (pointer, path) => snapshot.openLfsObject(pointer, path),
  } satisfies Snapshot;
}
