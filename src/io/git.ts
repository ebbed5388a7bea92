import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { simpleGit, type SimpleGit } from 'simple-git';
import { SourceError } from '../errors.js';
import type { Snapshot, SnapshotPair } from '../sources/snapshot.js';

/** The few git operations tuneguard needs, over one working copy. */
export interface GitRepository {
  /** Resolves a ref to a full commit SHA; throws `SourceError` ('unknown-ref' or 'shallow') with a fix. */
  resolveCommit(ref: string): Promise<string>;
  /** The best common ancestor of two commits, or `undefined` when they share none. */
  findMergeBase(a: string, b: string): Promise<string | undefined>;
  /** Paths that differ between two commits. */
  changedFiles(base: string, head: string): Promise<string[]>;
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
}

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

function createRepository(git: SimpleGit, root: string): GitRepository {
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

  const snapshot = async (ref: string): Promise<Snapshot> => {
    const sha = await resolveCommit(ref);
    let tree: Map<string, TreeEntry> | undefined;
    const loadTree = async (): Promise<Map<string, TreeEntry>> => {
      if (tree) return tree;
      const out = await git.raw(['ls-tree', '-r', '-l', '-z', '--full-tree', sha]);
      tree = new Map();
      for (const record of out.split('\0')) {
        // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
        const tab = record.indexOf('\t');
        if (tab < 0) continue;
        const [, type, blob, size] = record.slice(0, tab).split(/\s+/);
        if (type !== 'blob' || blob === undefined) continue;
        tree.set(record.slice(tab + 1), { blob, size: Number(size) });
      }
      return tree;
    };
    const entry = async (path: string): Promise<TreeEntry | undefined> => (await loadTree()).get(path);
    return {
      ref,
      sha,
      listFiles: async () => [...(await loadTree()).keys()],
      fileSize: async (path) => (await entry(path))?.size,
      blobId: async (path) => (await entry(path))?.blob,
      readFile: async (path) => {
        const found = await entry(path);
        if (!found) return undefined;
        return git.showBuffer([found.blob]);
      },
      streamFile: async (path) => {
        const found = await entry(path);
        if (!found) return undefined;
        return catBlob(root, found.blob);
      },
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

  return { resolveCommit, findMergeBase, changedFiles, snapshot, isShallow, hasCommit, tryFetch };
}

/**
 * Streams a blob straight from `git cat-file`, so a large dataset is never held whole in memory.
 * simple-git buffers a command's whole output, hence the direct spawn here.
 */
function catBlob(root: string, blob: string): Readable {
  const child = spawn('git', ['cat-file', 'blob', blob], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('close', (code) => {
    if (code !== 0) {
      child.stdout.destroy(new SourceError(`git cat-file ${blob} failed: ${stderr.trim()}`, 'git-failed'));
    }
  });
  return child.stdout;
}

/**
 * Resolves base and head, compares head against their merge-base (what a pull request shows), and
 * returns both snapshots with the changed paths.
 */
export async function openSnapshotPair(
  repo: GitRepository,
  baseRef: string,
  headRef: string,
): Promise<SnapshotPair> {
  const headSha = await repo.resolveCommit(headRef);
  const baseSha = await repo.resolveCommit(baseRef);
  const mergeBase = (await repo.findMergeBase(baseSha, headSha)) ?? baseSha;
  const [base, head, changedFiles] = await Promise.all([
    repo.snapshot(mergeBase),
    repo.snapshot(headSha),
    repo.changedFiles(mergeBase, headSha),
  ]);
  return {
    base: { ...base, ref: baseRef } as Snapshot,
    head: { ...head, ref: headRef } as Snapshot,
    changedFiles,
  };
}
