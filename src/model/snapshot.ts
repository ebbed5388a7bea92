import type { Readable } from 'node:stream';
import type { LfsPointer } from './lfs-pointer.js';

/** A commit as the core sees it: its files and their bytes. The git adapter (src/io/git.ts) provides it. */
export interface Snapshot {
  /** The ref the user named (branch, tag, SHA). */
  readonly ref: string;
  /** The full commit SHA it resolved to. */
  readonly sha: string;
  /** Every file path in the commit, `/`-separated, relative to the repository root; symbolic links are not files. */
  listFiles(): Promise<string[]>;
  /**
   * The paths of the symbolic links in the commit. A link's content is the path it points to, not a
   * file's bytes, so links are not followed and not listed as files: a link named like a dataset is
   * reported as one, never read as text that fails to parse.
   */
  listLinks(): Promise<string[]>;
  /**
   * The paths of the submodules in the commit (git's gitlinks): another repository pinned at a commit,
   * whose files are not this commit's, so they are not listed as files and never read.
   */
  listSubmodules(): Promise<string[]>;
  /** The file's bytes, or `undefined` when the commit has no such file. */
  readFile(path: string): Promise<Buffer | undefined>;
  /** The file's bytes as a stream (for large datasets), or `undefined` when absent. */
  streamFile(path: string): Promise<Readable | undefined>;
  /** The file's size in bytes, or `undefined` when absent. */
  fileSize(path: string): Promise<number | undefined>;
  /** The blob id of the file (equal ids mean equal bytes), or `undefined` when absent. */
  blobId(path: string): Promise<string | undefined>;
  /**
   * The content of a Git LFS object, as a stream: from the repository's LFS store (`.git/lfs/objects`,
   * where `actions/checkout` with `lfs: true` or `git lfs pull` puts it), else smudged by git-lfs when it
   * is installed (which may download it); `undefined` when neither can provide it. `path` is the pointer
   * file's path in the commit. Required, as every member of a port: a wrapper that forgot it would turn
   * every LFS dataset into an unfetched pointer without a word.
   */
  openLfsObject(pointer: LfsPointer, path: string): Promise<Readable | undefined>;
}

/** A file that moved between base and head: git's rename detection paired its old and new paths. */
export interface Rename {
  /** The path on base. */
  readonly from: string;
  /** The path on head. */
  readonly to: string;
  /** How alike the two contents are, from 0 to 1 (1: the same bytes). */
  readonly similarity: number;
}

/** The two sides of a comparison and the paths that differ between them. */
export interface SnapshotPair {
  readonly base: Snapshot;
  readonly head: Snapshot;
  /** Paths added, removed or modified between base and head (renames appear as both paths). */
  readonly changedFiles: readonly string[];
  /** Files moved between base and head, at least half alike ({@link Rename}). */
  readonly renames: readonly Rename[];
}
