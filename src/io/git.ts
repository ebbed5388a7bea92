import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { simpleGit, type SimpleGit } from 'simple-git';
import { SourceError } from '../model/errors.js';
import { findLfsObjectPath, type LfsPointer } from '../model/lfs-pointer.js';
import type { Rename, Snapshot, SnapshotPair } from '../model/snapshot.js';
import { createBlobReader } from './cat-file-batch.js';

/** The few git operations tuneguard needs, over one working copy. */
export interface GitRepository {
  /** Resolves a ref to a full commit SHA; throws `SourceError` ('unknown-ref' or 'shallow') with a fix. */
  resolveCommit(ref: string): Promise<string>;
  /** The best common ancestor of two commits, or `undefined` when they share none. */
  findMergeBase(a: string, b: string): Promise<string | undefined>;
  /** Paths that differ between two commits. */
  changedFiles(base: string, head: string): Promise<string[]>;
  /** Files moved between two commits, with at least {@link RENAME_SIMILARITY} of their content alike. */
  findRenames(base: string, head: string): Promise<Rename[]>;
  /** A snapshot of one commit. */
  snapshot(ref: string): Promise<Snapshot>;
  /** Whether the clone is shallow (some history is missing). */
  isShallow(): Promise<boolean>;
  /** Whether a commit is present locally (no fetch). */
  hasCommit(ref: string): Promise<boolean>;
  /**
   * Fetches commits from a remote, deepening a shallow clone by `depth` when given.
   * Resolves false (never throws) when git cannot fetch, so callers can explain what to change.
   */
  tryFetch(remote: string, refs: readonly string[], depth?: number): Promise<boolean>;
  /**
   * The commit and its first parents, nearest first, at most `max` (fewer where history ends or a shallow
   * clone cuts it); `[]` when the commit is not in the clone. Never throws.
   */
  listFirstParents(ref: string, max: number): Promise<string[]>;
  /** The repository's top folder (where its working tree is), absolute. */
  readonly root: string;
  /** The working tree's differences from its HEAD commit ({@link WorktreeChanges}). */
  listWorktreeChanges(): Promise<WorktreeChanges>;
}

/**
 * What the working tree holds that its HEAD commit does not: paths from the repository's root, sorted.
 * Submodules' own changes are left out (their files are another repository's).
 */
export interface WorktreeChanges {
  /** Files modified (staged or not) or added, and untracked files git does not ignore (`.gitignore`, `info/exclude`). */
  changed: string[];
  /** Files of HEAD that are no longer in the working tree. */
  deleted: string[];
}

/**
 * How alike two files must be for git to pair them as one file moved (git's default is the same 50%):
 * below it a moved file is a deletion and an addition.
 */
export const RENAME_SIMILARITY = 0.5;

/**
 * Reads `git diff --name-status -z` output restricted to renames: `R<score>\0<from>\0<to>\0` entries.
 * @example parseRenames('R087\0a.json\0b.json\0') // [{ from: 'a.json', to: 'b.json', similarity: 0.87 }]
 */
export function parseRenames(output: string): Rename[] {
  const fields = output.split('\0');
  const renames: Rename[] = [];
  let index = 0;
  while (index < fields.length) {
    const status = fields[index] ?? '';
    // Renames and copies name two paths, every other status one.
    const paired = status.startsWith('R') || status.startsWith('C');
    const [from = '', to = ''] = fields.slice(index + 1, index + 3);
    index += paired ? 3 : 2;
    if (!status.startsWith('R') || from === '' || to === '') continue;
    const score = Number(status.slice(1));
    renames.push({ from, to, similarity: Number.isFinite(score) ? score / 100 : RENAME_SIMILARITY });
  }
  return renames;
}

/** git's mode of a symbolic link in a tree. */
const SYMLINK_MODE = '120000';

interface TreeEntry {
  blob: string;
  size: number;
}

/**
 * Opens the git repository that contains `dir`. Throws `SourceError('not-a-repository')` when there is none.
 * @example const repo = await openGitRepository(process.cwd()); const head = await repo.snapshot('HEAD');
 */
export async function openGitRepository(dir: string): Promise<GitRepository> {
  const git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4, trimmed: false });
  let root: string;
  try {
    root = (await git.revparse(['--show-toplevel'])).trim();
  } catch (cause) {
    throw new SourceError(
      `${dir} is not inside a git repository. Run tuneguard from a clone of the repository to review.`,
      'not-a-repository',
      { cause },
    );
  }
  return createRepository(simpleGit({ baseDir: root, trimmed: false }), root);
}

// The one named exception to the function-length rule: the git adapter is one closure over one
// simple-git instance and its caches (the common dir, the trees), each operation a few lines.
// eslint-disable-next-line max-lines-per-function
function createRepository(git: SimpleGit, root: string): GitRepository {
  // Every blob of every snapshot is read through these few long-lived processes, not one git per file.
  const blobs = createBlobReader(root);
  const isShallow = async (): Promise<boolean> =>
    (await git.revparse(['--is-shallow-repository'])).trim() === 'true';

  const resolveCommit = async (ref: string): Promise<string> => {
    try {
      // simple-git resolves with empty output when git fails silently (as --verify --quiet does).
      const sha = (await git.revparse(['--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
      if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`git rev-parse found no commit for ${ref}`);
      return sha;
    } catch (cause) {
      if (await isShallow()) {
        throw new SourceError(
          `The commit ${ref} is not in this shallow clone. Fetch more history: set \`fetch-depth: 0\` on actions/checkout, or run \`git fetch --deepen=100 origin\` (or \`git fetch --unshallow\`).`,
          'shallow',
          { cause },
        );
      }
      throw new SourceError(
        `The ref ${ref} does not exist in ${root}. Check the name, or fetch it first: \`git fetch origin ${ref}\`.`,
        'unknown-ref',
        { cause },
      );
    }
  };

  const findMergeBase = async (a: string, b: string): Promise<string | undefined> => {
    try {
      const out = (await git.raw(['merge-base', a, b])).trim();
      return out === '' ? undefined : out;
    } catch {
      // git exits 1 when the commits share no history (or history is cut by a shallow clone).
      return undefined;
    }
  };

  const changedFiles = async (base: string, head: string): Promise<string[]> => {
    const out = await git.raw(['diff', '--name-only', '--no-renames', '-z', base, head, '--']);
    return out.split('\0').filter((p) => p !== '');
  };

  const findRenames = async (base: string, head: string): Promise<Rename[]> => {
    const out = await git.raw([
      'diff',
      '--name-status',
      `--find-renames=${RENAME_SIMILARITY * 100}%`,
      '--diff-filter=R',
      '-z',
      base,
      head,
      '--',
    ]);
    return parseRenames(out);
  };

  let commonDir: Promise<string> | undefined;
  const findCommonDir = (): Promise<string> =>
    (commonDir ??= git.revparse(['--git-common-dir']).then((out) => resolve(root, out.trim())));

  const openLfsObject = async (pointer: LfsPointer, path: string): Promise<Readable | undefined> => {
    // The oid becomes a file path and the size a line of git-lfs's input: accept only what a pointer can hold.
    if (!/^[0-9a-f]{64}$/.test(pointer.oid) || !Number.isSafeInteger(pointer.size) || pointer.size < 0) {
      return undefined;
    }
    if (pointer.size === 0) return Readable.from([], { objectMode: false });
    const stored = resolve(await findCommonDir(), findLfsObjectPath(pointer.oid));
    const stats = await stat(stored).catch(() => undefined);
    if (stats?.isFile() && stats.size === pointer.size) return createReadStream(stored);
    if (!(await tryGitLfsInstalled())) return undefined;
    return smudgeLfsObject(root, pointer, path);
  };

  const snapshot = async (ref: string): Promise<Snapshot> => {
    const sha = await resolveCommit(ref);
    let tree: Map<string, TreeEntry> | undefined;
    let links: string[] = [];
    let submodules: string[] = [];
    const loadTree = async (): Promise<Map<string, TreeEntry>> => {
      if (tree) return tree;
      const out = await git.raw(['ls-tree', '-r', '-l', '-z', '--full-tree', sha]);
      const files = new Map<string, TreeEntry>();
      const found: string[] = [];
      const gitlinks: string[] = [];
      for (const record of out.split('\0')) {
        // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
        const tab = record.indexOf('\t');
        if (tab < 0) continue;
        const [mode, type, blob, size] = record.slice(0, tab).split(/\s+/);
        // A submodule is a commit of another repository: its files are not in this tree.
        if (type === 'commit') gitlinks.push(record.slice(tab + 1));
        if (type !== 'blob' || blob === undefined) continue;
        // A symbolic link is a blob holding the path it points to: listed apart, never read as the file.
        if (mode === SYMLINK_MODE) found.push(record.slice(tab + 1));
        else files.set(record.slice(tab + 1), { blob, size: Number(size) });
      }
      links = found;
      submodules = gitlinks;
      tree = files;
      return files;
    };
    const entry = async (path: string): Promise<TreeEntry | undefined> => (await loadTree()).get(path);
    return {
      ref,
      sha,
      listFiles: async () => [...(await loadTree()).keys()],
      listLinks: async () => {
        await loadTree();
        return [...links];
      },
      listSubmodules: async () => {
        await loadTree();
        return [...submodules];
      },
      fileSize: async (path) => (await entry(path))?.size,
      blobId: async (path) => (await entry(path))?.blob,
      readFile: async (path) => {
        const found = await entry(path);
        if (!found) return undefined;
        return blobs.read(found.blob);
      },
      streamFile: async (path) => {
        const found = await entry(path);
        if (!found) return undefined;
        return blobs.stream(found.blob);
      },
      openLfsObject,
    };
  };

  const hasCommit = async (ref: string): Promise<boolean> => {
    try {
      await resolveCommit(ref);
      return true;
    } catch {
      return false;
    }
  };

  const tryFetch = async (remote: string, refs: readonly string[], depth?: number): Promise<boolean> => {
    try {
      const args = [
        'fetch',
        '--no-tags',
        '--quiet',
        ...(depth === undefined ? [] : [`--depth=${depth}`]),
        remote,
        ...refs,
      ];
      await git.raw(args);
      return true;
    } catch {
      return false;
    }
  };

  const listFirstParents = async (ref: string, max: number): Promise<string[]> => {
    try {
      const out = await git.raw([
        'rev-list',
        '--first-parent',
        `--max-count=${max}`,
        '--end-of-options',
        ref,
      ]);
      return out.split('\n').filter((sha) => /^[0-9a-f]{40,64}$/.test(sha));
    } catch {
      return [];
    }
  };

  const listWorktreeChanges = async (): Promise<WorktreeChanges> => {
    // The working tree against HEAD, the index included: what `git commit -a` plus `git add` would record.
    const diff = await git.raw([
      'diff',
      '--name-status',
      '--no-renames',
      '--ignore-submodules',
      '-z',
      'HEAD',
      '--',
    ]);
    const untracked = await git.raw(['ls-files', '--others', '--exclude-standard', '-z']);
    const fields = diff.split('\0');
    const changed: string[] = [];
    const deleted: string[] = [];
    for (let index = 0; index + 1 < fields.length; index += 2) {
      const [status = '', path = ''] = [fields[index], fields[index + 1]];
      if (path !== '') (status === 'D' ? deleted : changed).push(path);
    }
    changed.push(...untracked.split('\0').filter((path) => path !== ''));
    return { changed: changed.sort(), deleted: deleted.sort() };
  };

  return {
    resolveCommit,
    findMergeBase,
    changedFiles,
    findRenames,
    snapshot,
    isShallow,
    hasCommit,
    tryFetch,
    listFirstParents,
    root,
    listWorktreeChanges,
  };
}

let gitLfsInstalled: Promise<boolean> | undefined;

/** Whether `git lfs` runs on this machine; probed once per process, never throws. */
function tryGitLfsInstalled(): Promise<boolean> {
  gitLfsInstalled ??= new Promise((done) => {
    const child = spawn('git', ['lfs', 'version'], { stdio: 'ignore' });
    child.on('error', () => done(false));
    child.on('close', (code) => done(code === 0));
  });
  return gitLfsInstalled;
}

/**
 * Streams an LFS object through `git lfs smudge`, which reads it from the LFS store or downloads it.
 * Resolves `undefined` when git-lfs cannot provide the object (not on any server it can reach, no
 * network, or told not to fetch it); a failure once the object has started to flow destroys the stream
 * with a `SourceError`. Destroying the stream stops git-lfs.
 */
function smudgeLfsObject(root: string, pointer: LfsPointer, path: string): Promise<Readable | undefined> {
  const pointerText = Buffer.from(
    `version https://git-lfs.github.com/spec/v1\noid sha256:${pointer.oid}\nsize ${pointer.size}\n`,
  );
  return new Promise((done) => {
    const child = spawn('git', ['lfs', 'smudge', '--', path], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    // The stream ends only once git-lfs has exited cleanly with every byte, so a reader never mistakes a
    // cut-off object for a whole one (the exit status can arrive after the last byte has been read).
    const out = new PassThrough();
    let head = Buffer.alloc(0);
    let started = false;
    let exited = false;
    let received = 0;
    let stderr = '';

    const start = (bytes: Buffer): void => {
      started = true;
      if (!out.write(bytes)) child.stdout.pause();
      done(out);
    };
    const giveUp = (): void => {
      out.destroy();
      done(undefined);
    };
    const fail = (reason: string, cause?: unknown): void => {
      const message = `git lfs smudge of ${path} (LFS object ${pointer.oid}) failed: ${reason}`;
      out.destroy(new SourceError(message, 'git-failed', { cause }));
    };

    child.stdout.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (started) {
        if (!out.write(chunk)) child.stdout.pause();
        return;
      }
      // git-lfs writes the pointer itself when it cannot provide the object (a failed download,
      // GIT_LFS_SKIP_SMUDGE, lfs.fetchexclude), so output is held back until it cannot be that pointer.
      head = Buffer.concat([head, chunk]);
      if (head.length > pointerText.length || !head.equals(pointerText.subarray(0, head.length))) start(head);
    });
    out.on('drain', () => child.stdout.resume());
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', (cause) => {
      exited = true;
      if (started) fail(cause.message, cause);
      else giveUp();
    });
    child.on('close', (code, signal) => {
      exited = true;
      if (!started) {
        // A short object can read like the start of its pointer: it is the object when git-lfs succeeded.
        if (code !== 0 || head.length !== pointer.size || head.equals(pointerText)) {
          giveUp();
          return;
        }
        start(head);
        out.end();
      } else if (code !== 0) {
        fail(stderr.trim() || `git-lfs stopped by ${signal ?? `exit code ${code}`}`);
      } else if (received !== pointer.size) {
        fail(`it wrote ${received} bytes of an object of ${pointer.size} bytes`);
      } else {
        out.end();
      }
    });
    out.on('close', () => {
      if (!exited) child.kill();
      child.stdout.destroy();
    });
    // git-lfs may exit before reading its input; its exit status then says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(pointerText);
  });
}

/** Two commits opened for review: the pair, and whether base and head share history. */
export interface OpenedPair extends SnapshotPair {
  /**
   * False when base and head have no common ancestor in a complete clone (unrelated histories): head is
   * then compared with base itself, and the shell should say so.
   */
  readonly sharesHistory: boolean;
}

/**
 * Resolves base and head, compares head against their merge-base (what a pull request shows), and
 * returns both snapshots with the changed paths. The base side is labelled with `baseRef` but holds the
 * merge-base's files. Throws `SourceError('no-merge-base')` with the fix when the clone is shallow and the
 * merge-base is cut off: comparing with base's tip instead would blame the change for every commit made
 * on base since they forked. Unrelated histories in a complete clone compare head with base itself.
 */
export async function openSnapshotPair(
  repo: GitRepository,
  baseRef: string,
  headRef: string,
): Promise<OpenedPair> {
  const headSha = await repo.resolveCommit(headRef);
  const baseSha = await repo.resolveCommit(baseRef);
  const mergeBase = await repo.findMergeBase(baseSha, headSha);
  if (mergeBase === undefined && (await repo.isShallow())) {
    throw new SourceError(
      `The merge-base of ${baseRef} and ${headRef} is not in this shallow clone, so the change cannot be compared as a pull request shows it ` +
        `(against ${baseRef} itself, the commits made on ${baseRef} since would be blamed on it). ` +
        `Fetch the missing history: \`git fetch --unshallow\`, or \`git fetch --deepen=100\` until \`git merge-base ${baseRef} ${headRef}\` finds it. ` +
        'In CI, check out with full history (`fetch-depth: 0` on actions/checkout).',
      'no-merge-base',
    );
  }
  const from = mergeBase ?? baseSha;
  const [base, head, changedFiles, renames] = await Promise.all([
    repo.snapshot(from),
    repo.snapshot(headSha),
    repo.changedFiles(from, headSha),
    repo.findRenames(from, headSha),
  ]);
  return {
    base: { ...base, ref: baseRef },
    head: { ...head, ref: headRef },
    changedFiles,
    renames,
    sharesHistory: mergeBase !== undefined,
  };
}
