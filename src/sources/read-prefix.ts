import type { Snapshot, SnapshotPair } from '../model/snapshot.js';

/** How much of a file is read to tell what it holds. */
export const SNIFF_BYTES = 64 * 1024;

/** The start of a file as text, and whether it is the whole file. */
export interface Prefix {
  text: string;
  /** Whether the file ended within {@link SNIFF_BYTES}: `text` is all of it. */
  complete: boolean;
}

/** The first {@link SNIFF_BYTES} of a file of a commit, as text (`undefined` when absent). */
export async function readPrefix(snapshot: Snapshot, path: string): Promise<Prefix | undefined> {
  const stream = await snapshot.streamFile(path);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buffer);
      size += buffer.length;
      // One byte past the limit tells a file of exactly SNIFF_BYTES from a longer one.
      if (size > SNIFF_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  const bytes = Buffer.concat(chunks);
  return { text: bytes.subarray(0, SNIFF_BYTES).toString('utf8'), complete: bytes.length <= SNIFF_BYTES };
}

/**
 * {@link readPrefix} on head, or on base for a file the head lacks; `undefined` when neither side has it
 * or it cannot be read here (a missing object, an LFS file not fetched): reading it in full later reports
 * the problem on the file.
 */
export async function readSidePrefix(
  pair: SnapshotPair,
  present: { head: ReadonlySet<string>; base: ReadonlySet<string> },
  path: string,
): Promise<Prefix | undefined> {
  const snapshot = present.head.has(path) ? pair.head : present.base.has(path) ? pair.base : undefined;
  if (!snapshot) return undefined;
  return readPrefix(snapshot, path).catch(() => undefined);
}
