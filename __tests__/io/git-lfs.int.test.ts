import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceError } from '../../src/model/errors.js';
import { openGitRepository, openSnapshotPair } from '../../src/io/git.js';
import type { LfsPointer } from '../../src/model/lfs-pointer.js';

interface LfsObject {
  content: Buffer;
  pointer: LfsPointer;
  /** The pointer file git-lfs would commit in place of the content. */
  text: string;
}

function createLfsObject(content: Buffer): LfsObject {
  const oid = createHash('sha256').update(content).digest('hex');
  return {
    content,
    pointer: { oid, size: content.length },
    text: `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${content.length}\n`,
  };
}

/** Bytes that differ from one object to the next (`seed`), so that each has its own oid. */
function createBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7919 + seed * 104729 + (i >> 8)) % 251;
  return bytes;
}

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

interface Process {
  pid: number;
  command: string;
}

/**
 * The live processes working in `dir`, as the git and git-lfs a snapshot spawns do (read from Linux
 * `/proc`; none elsewhere). Each test repository has its own folder, so other runs never show up here.
 */
function findProcessesIn(dir: string): Process[] {
  if (!existsSync('/proc')) return [];
  const target = realpathSync(dir);
  const found: Process[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) !== target) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat[stat.lastIndexOf(')') + 2] === 'Z') continue;
      found.push({
        pid: Number(pid),
        command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '),
      });
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

/** The git-lfs processes (not their `git` parents) working in `dir`. */
function findLfsProcessesIn(dir: string): Process[] {
  return findProcessesIn(dir).filter((p) => /(?:^|\/)git-lfs smudge /.test(p.command));
}

async function waitForNoProcessIn(dir: string): Promise<Process[]> {
  for (let attempt = 0; attempt < 50 && findProcessesIn(dir).length > 0; attempt++) await sleep(100);
  return findProcessesIn(dir);
}

describe('Git LFS objects of a snapshot', () => {
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  let lfsInstalled: boolean;

  // Every git command of the set-up runs with an empty HOME and no global or system configuration, so
  // a filter, identity or LFS setting of the machine cannot change what the repositories hold.
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  const createRepo = (name: string, files: Record<string, string>): string => {
    const dir = join(scratch, name);
    mkdirSync(dir);
    git(dir, 'init', '--quiet', '--initial-branch=main');
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(dir, 'add', '--all');
    git(dir, 'commit', '--quiet', '-m', 'add pointers');
    return dir;
  };

  /** Where git-lfs keeps an object, written out here rather than taken from the code under test. */
  const storePath = (repo: string, oid: string): string =>
    join(repo, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid);

  const store = (repo: string, object: LfsObject, content = object.content): void => {
    const path = storePath(repo, object.pointer.oid);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };

  /** A clone of `origin` with the pointers checked out and no LFS object fetched, as `lfs: false` leaves it. */
  const cloneWithoutObjects = (origin: string, name: string): string => {
    const dir = join(scratch, name);
    execFileSync('git', ['clone', '--quiet', `file://${origin}`, dir], {
      env: { ...env, GIT_LFS_SKIP_SMUDGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Set here so that an lfs.url in the machine's own configuration cannot redirect git-lfs.
    git(dir, 'config', 'lfs.url', `file://${origin}`);
    return dir;
  };

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'tuneguard-lfs-'));
    const home = join(scratch, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gitconfig'), '');
    env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    };
    try {
      execFileSync('git', ['lfs', 'version'], { env, stdio: 'ignore' });
      lfsInstalled = true;
    } catch {
      lfsInstalled = false;
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('streams an object from the LFS store byte for byte, also through openSnapshotPair', async () => {
    const object = createLfsObject(createBytes(300_000, 1));
    const repo = createRepo('store', { 'data/train.parquet': object.text });
    store(repo, object);

    const snapshot = await (await openGitRepository(join(repo, 'data'))).snapshot('main');
    expect((await snapshot.readFile('data/train.parquet'))?.toString()).toBe(object.text);
    const stream = await snapshot.openLfsObject?.(object.pointer, 'data/train.parquet');
    expect(stream).toBeDefined();
    expect((await readStream(stream as Readable)).equals(object.content)).toBe(true);

    const pair = await openSnapshotPair(await openGitRepository(repo), 'main', 'main');
    const fromPair = await pair.head.openLfsObject?.(object.pointer, 'data/train.parquet');
    expect(fromPair).toBeDefined();
    expect((await readStream(fromPair as Readable)).equals(object.content)).toBe(true);
  });

  it('gives undefined for an object missing from the store or stored with the wrong size', async () => {
    const missing = createLfsObject(createBytes(1000, 2));
    const truncated = createLfsObject(createBytes(1000, 3));
    const repo = createRepo('incomplete', {
      'data/missing.parquet': missing.text,
      'data/truncated.parquet': truncated.text,
    });
    store(repo, truncated, truncated.content.subarray(0, 999));

    // The repository has no remote: git-lfs, when installed, has nowhere to download from either.
    const snapshot = await (await openGitRepository(repo)).snapshot('main');
    expect(await snapshot.openLfsObject?.(missing.pointer, 'data/missing.parquet')).toBeUndefined();
    expect(await snapshot.openLfsObject?.(truncated.pointer, 'data/truncated.parquet')).toBeUndefined();
    expect(findProcessesIn(repo)).toEqual([]);
  });

  it('gives an empty stream for an empty object and undefined for a malformed pointer', async () => {
    const repo = createRepo('edges', { 'README.md': 'edges\n' });
    const snapshot = await (await openGitRepository(repo)).snapshot('main');
    const empty = createLfsObject(Buffer.alloc(0));
    const stream = await snapshot.openLfsObject?.(empty.pointer, 'data/empty.bin');
    expect(stream).toBeDefined();
    expect((await readStream(stream as Readable)).length).toBe(0);
    const escape = { oid: '../../../../etc/passwd', size: 10 };
    expect(await snapshot.openLfsObject?.(escape, 'data/escape.bin')).toBeUndefined();
  });

  describe('through git-lfs, from an LFS remote', () => {
    const small = createLfsObject(createBytes(200_000, 4));
    const big = createLfsObject(createBytes(8 * 1024 * 1024, 5));
    const excluded = createLfsObject(createBytes(5000, 6));
    const nowhere = createLfsObject(createBytes(5000, 7));
    let origin: string;

    beforeAll(() => {
      origin = createRepo('origin', {
        'data/train.parquet': small.text,
        'data/big.parquet': big.text,
        'excluded/eval.parquet': excluded.text,
        'data/nowhere.parquet': nowhere.text,
      });
      for (const object of [small, big, excluded]) store(origin, object);
    });

    it('downloads an object the clone does not hold, when git-lfs is installed', async () => {
      const clone = cloneWithoutObjects(origin, 'clone-download');
      expect(readFileSync(join(clone, 'data/train.parquet'), 'utf8')).toBe(small.text);
      expect(existsSync(storePath(clone, small.pointer.oid))).toBe(false);

      const snapshot = await (await openGitRepository(clone)).snapshot('HEAD');
      const stream = await snapshot.openLfsObject?.(small.pointer, 'data/train.parquet');
      if (lfsInstalled) {
        expect(stream).toBeDefined();
        expect((await readStream(stream as Readable)).equals(small.content)).toBe(true);
        expect(readFileSync(storePath(clone, small.pointer.oid)).equals(small.content)).toBe(true);
      } else {
        expect(stream).toBeUndefined();
      }
    });

    it('gives undefined for an object that exists nowhere, and leaves no git-lfs running', async () => {
      const clone = cloneWithoutObjects(origin, 'clone-nowhere');
      const snapshot = await (await openGitRepository(clone)).snapshot('HEAD');
      expect(await snapshot.openLfsObject?.(nowhere.pointer, 'data/nowhere.parquet')).toBeUndefined();
      expect(findProcessesIn(clone)).toEqual([]);
    });

    it('stops git-lfs when the reader destroys the stream', async () => {
      const clone = cloneWithoutObjects(origin, 'clone-destroy');
      const snapshot = await (await openGitRepository(clone)).snapshot('HEAD');
      const stream = await snapshot.openLfsObject?.(big.pointer, 'data/big.parquet');
      try {
        if (lfsInstalled) {
          expect(stream).toBeDefined();
          const first = (await (stream as Readable)[Symbol.asyncIterator]().next()).value as Buffer;
          expect(first.equals(big.content.subarray(0, first.length))).toBe(true);
          // The reader has not asked for the rest, so git-lfs is still there, blocked on a full pipe.
          expect(findLfsProcessesIn(clone)).toHaveLength(1);
          (stream as Readable).destroy();
          expect(await waitForNoProcessIn(clone)).toEqual([]);
        } else {
          expect(stream).toBeUndefined();
        }
      } finally {
        stream?.destroy();
      }
    });

    it('gives undefined when git-lfs is told not to fetch the object', async () => {
      const clone = cloneWithoutObjects(origin, 'clone-excluded');
      git(clone, 'config', 'lfs.fetchexclude', 'excluded/*');
      const snapshot = await (await openGitRepository(clone)).snapshot('HEAD');
      expect(await snapshot.openLfsObject?.(excluded.pointer, 'excluded/eval.parquet')).toBeUndefined();
      expect(existsSync(storePath(clone, excluded.pointer.oid))).toBe(false);
    });

    it('fails the stream with a SourceError naming the path when git-lfs dies midway', async () => {
      const clone = cloneWithoutObjects(origin, 'clone-killed');
      const snapshot = await (await openGitRepository(clone)).snapshot('HEAD');
      const stream = await snapshot.openLfsObject?.(big.pointer, 'data/big.parquet');
      try {
        if (lfsInstalled) {
          expect(stream).toBeDefined();
          const lfs = findLfsProcessesIn(clone);
          expect(lfs).toHaveLength(1);
          process.kill((lfs[0] as { pid: number }).pid, 'SIGKILL');
          const error = await readStream(stream as Readable).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(SourceError);
          expect((error as SourceError).message).toContain('data/big.parquet');
        } else {
          expect(stream).toBeUndefined();
        }
      } finally {
        stream?.destroy();
      }
    });
  });
});
