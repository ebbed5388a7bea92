import { decodeText } from '../loaders/decode-text.js';
import type { FileStatus, Side } from '../model/report-schema.js';
import type { Snapshot, SnapshotPair } from '../model/snapshot.js';
import type { UnreadableLog } from './unreadable-log.js';

/** Loads one file of one side, or gives `undefined` when it is absent or unreadable (already logged). */
export type LoadSide<T> = (snapshot: Snapshot, side: Side) => Promise<T | undefined>;

/** The paths present on each side of a pair, listed once per analysis. */
export interface SidePaths {
  base: ReadonlySet<string>;
  head: ReadonlySet<string>;
}

/** Lists the files of both commits of a pair. */
export async function listSidePaths(pair: SnapshotPair): Promise<SidePaths> {
  const [base, head] = await Promise.all([pair.base.listFiles(), pair.head.listFiles()]);
  return { base: new Set(base), head: new Set(head) };
}

/**
 * The status of one artifact between base and head: `added`, `removed`, `unchanged` (same blob) or
 * `modified`. A sharded dataset (several files) is added or removed when all its files are, unchanged
 * when none changed, and modified otherwise.
 */
export async function computeFileStatus(
  pair: SnapshotPair,
  present: SidePaths,
  paths: readonly string[],
): Promise<FileStatus> {
  const statusOf = async (path: string): Promise<FileStatus> => {
    if (!present.base.has(path)) return 'added';
    if (!present.head.has(path)) return 'removed';
    const [a, b] = await Promise.all([pair.base.blobId(path), pair.head.blobId(path)]);
    return a === b ? 'unchanged' : 'modified';
  };
  const statuses = new Set(await Promise.all(paths.map(statusOf)));
  return statuses.size === 1 ? ([...statuses][0] as FileStatus) : 'modified';
}

/**
 * Loads one artifact on the sides where it exists; an unchanged file is loaded once and shared. A problem
 * in an unchanged file is the base's: it was there before the change, so it is reported as such (once).
 */
export async function loadSides<T>(
  pair: SnapshotPair,
  status: FileStatus,
  load: LoadSide<T>,
): Promise<{ base?: T; head?: T }> {
  if (status === 'unchanged') {
    const both = await load(pair.head, 'base');
    return both === undefined ? {} : { base: both, head: both };
  }
  const base = status === 'added' ? undefined : await load(pair.base, 'base');
  const head = status === 'removed' ? undefined : await load(pair.head, 'head');
  return { ...(base !== undefined ? { base } : {}), ...(head !== undefined ? { head } : {}) };
}

/**
 * Whether an artifact can be compared: its head was read (its base, for a deleted file). A file whose head
 * could not be read is not diffed, since its keys and metrics would all look removed; the unreadable
 * finding says what happened. A base that could not be read is compared as absent, so the head still shows.
 */
export function isComparable<T>(status: FileStatus, base: T | undefined, head: T | undefined): boolean {
  if (status === 'removed') return base !== undefined;
  return head !== undefined;
}

/** The sides whose problems to report: one for an unchanged file (both sides are the same bytes). */
export function sidesToReport<T>(status: FileStatus, base: T | undefined, head: T | undefined): [Side, T][] {
  const sides: [Side, T | undefined][] =
    status === 'unchanged'
      ? [['base', base]]
      : [
          ['base', base],
          ['head', head],
        ];
  return sides.filter((entry): entry is [Side, T] => entry[1] !== undefined);
}

/**
 * A loader that reads a file as text and parses it; an undecodable text or a parse error is logged on
 * the file's side and gives `undefined`.
 */
export function parseWith<T>(
  parse: (text: string, path: string) => T,
  path: string,
  log: UnreadableLog,
): LoadSide<T> {
  return async (snapshot, side) => {
    const bytes = await snapshot.readFile(path);
    if (!bytes) return undefined;
    try {
      return parse(decodeText(bytes), path);
    } catch (error) {
      log.note(path, side)(error);
      return undefined;
    }
  };
}
