import type { Config } from '../config/schema.js';
import { decodeText } from '../loaders/decode-text.js';
import type { FileStatus, Side } from '../model/report-schema.js';
import type { Snapshot, SnapshotPair } from '../model/snapshot.js';
import { filesOn, type Artifact } from '../sources/discover-artifacts.js';
import type { SidePaths } from '../sources/pair-artifacts.js';
export type { SidePaths } from '../sources/pair-artifacts.js';
import type { UnreadableLog } from './unreadable-log.js';

/** What every step of the analysis is given: the pair, its paths, the config, the artifacts, the log. */
export interface AnalyzeStepInput {
  pair: SnapshotPair;
  present: SidePaths;
  config: Config;
  changes: readonly ArtifactChange[];
  log: UnreadableLog;
}

/** One discovered artifact with its status between base and head. */
export interface ArtifactChange {
  artifact: Artifact;
  status: FileStatus;
}

/**
 * Loads one artifact from one commit, given its files there (the ones that exist), or gives `undefined`
 * when it cannot be read (already logged). `side` is the side a problem is reported on.
 */
export type LoadSide<T> = (
  snapshot: Snapshot,
  side: Side,
  paths: readonly string[],
) => Promise<T | undefined>;

/** Lists the files of both commits of a pair. */
export async function listSidePaths(pair: SnapshotPair): Promise<SidePaths> {
  const [base, head] = await Promise.all([pair.base.listFiles(), pair.head.listFiles()]);
  return { base: new Set(base), head: new Set(head) };
}

/**
 * The status of one artifact between base and head, from its files on each side (on base, where it was
 * before a move): `added` when base has none of them, `removed` when head has none, `unchanged` when
 * both sides hold the same blobs, `modified` otherwise.
 */
export async function computeFileStatus(
  pair: SnapshotPair,
  present: SidePaths,
  artifact: Artifact,
): Promise<FileStatus> {
  const basePaths = filesOn(artifact, 'base').filter((path) => present.base.has(path));
  const headPaths = filesOn(artifact, 'head').filter((path) => present.head.has(path));
  if (basePaths.length === 0) return headPaths.length === 0 ? 'unchanged' : 'added';
  if (headPaths.length === 0) return 'removed';
  const blobs = (snapshot: Snapshot, paths: string[]) =>
    Promise.all(paths.map((path) => snapshot.blobId(path))).then((ids) => ids.sort().join(' '));
  const [base, head] = await Promise.all([blobs(pair.base, basePaths), blobs(pair.head, headPaths)]);
  return base === head ? 'unchanged' : 'modified';
}

/**
 * Loads one artifact on the sides where it exists; an unchanged file is loaded once and shared. A problem
 * in an unchanged file is the base's: it was there before the change, so it is reported as such (once).
 */
export async function loadSides<T>(
  input: { pair: SnapshotPair; present: SidePaths; change: ArtifactChange },
  load: LoadSide<T>,
): Promise<{ base?: T; head?: T }> {
  const { pair, present, change } = input;
  const on = (side: Side) => filesOn(change.artifact, side).filter((path) => present[side].has(path));
  if (change.status === 'unchanged') {
    const paths = on('head');
    const both = paths.length === 0 ? undefined : await load(pair.head, 'base', paths);
    return both === undefined ? {} : { base: both, head: both };
  }
  const base = change.status === 'added' ? undefined : await load(pair.base, 'base', on('base'));
  const head = change.status === 'removed' ? undefined : await load(pair.head, 'head', on('head'));
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
export function parseWith<T>(parse: (text: string, path: string) => T, log: UnreadableLog): LoadSide<T> {
  return async (snapshot, side, paths) => {
    const path = paths[0];
    if (path === undefined) return undefined;
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
