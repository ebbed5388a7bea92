import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../../src/model/errors.js';
import { openGitRepository, openSnapshotPair } from '../../src/io/git.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('git adapter on a real repository', () => {
  let repo: TestRepo;
  let first: string;
  let second: string;
  const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
  const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1: not UTF-8

  beforeAll(() => {
    repo = createTestRepo();
    first = repo.commit({ 'data/train.jsonl': '{"a":1}\n', 'configs/sft.yaml': 'lr: 1\n', 'old.txt': 'x' });
    repo.git('switch', '--quiet', '-c', 'feature');
    second = repo.commit({
      'configs/sft.yaml': 'lr: 2\n',
      'old.txt': null,
      'data/big.jsonl': big,
      'data/latin1.csv': latin1,
    });
    repo.git('switch', '--quiet', 'main');
    repo.commit({ 'README.md': 'main moved on\n' });
  });
  afterAll(() => repo.remove());

  it('compares head with the merge-base, as a pull request does', async () => {
    const git = await openGitRepository(repo.dir);
    const pair = await openSnapshotPair(git, 'main', 'feature');
    expect(pair.base.sha).toBe(first);
    expect(pair.head.sha).toBe(second);
    expect(pair.base.ref).toBe('main');
    expect(pair.sharesHistory).toBe(true);
    expect([...pair.changedFiles].sort()).toEqual([
      'configs/sft.yaml',
      'data/big.jsonl',
      'data/latin1.csv',
      'old.txt',
    ]);
    expect((await pair.head.listFiles()).sort()).toEqual([
      'configs/sft.yaml',
      'data/big.jsonl',
      'data/latin1.csv',
      'data/train.jsonl',
    ]);
  });

  it('reads files byte for byte, streams large ones, and knows sizes and blob ids', async () => {
    const git = await openGitRepository(join(repo.dir, 'data'));
    const head = await git.snapshot('feature');
    const base = await git.snapshot(first);
    expect((await head.readFile('configs/sft.yaml'))?.toString()).toBe('lr: 2\n');
    expect(await head.readFile('data/latin1.csv')).toEqual(latin1);
    expect(await head.readFile('old.txt')).toBeUndefined();
    expect(await head.fileSize('data/big.jsonl')).toBe(big.length);
    const stream = await head.streamFile('data/big.jsonl');
    expect(stream).toBeDefined();
    expect((await readStream(stream as NodeJS.ReadableStream)).equals(big)).toBe(true);
    expect(await head.streamFile('nope')).toBeUndefined();
    expect(await head.blobId('data/train.jsonl')).toBe(await base.blobId('data/train.jsonl'));
    expect(await head.blobId('configs/sft.yaml')).not.toBe(await base.blobId('configs/sft.yaml'));
  });

  it('fails a stream whose blob git cannot read, instead of ending it short', async () => {
    const broken = createTestRepo();
    try {
      broken.commit({ 'data/train.jsonl': '{"a":1}\n{"a":2}\n' });
      const snapshot = await (await openGitRepository(broken.dir)).snapshot('main');
      const blob = (await snapshot.blobId('data/train.jsonl')) as string;
      // The tree still names the blob, but its object is gone (a corrupt or partial clone).
      rmSync(join(broken.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      const stream = await snapshot.streamFile('data/train.jsonl');
      await expect(readStream(stream as NodeJS.ReadableStream)).rejects.toThrow(SourceError);
    } finally {
      broken.remove();
    }
  });

  it('says which ref is unknown and how to fetch it', async () => {
    const git = await openGitRepository(repo.dir);
    const error = await git.resolveCommit('no-such-branch').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('unknown-ref');
    expect((error as SourceError).message).toContain('no-such-branch');
    expect((error as SourceError).message).toContain('git fetch');
  });

  it('says a ref is missing from a shallow clone and how to deepen it', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'tuneguard-shallow-'));
    try {
      execFileSync('git', ['clone', '--quiet', '--depth=1', '--branch=feature', `file://${repo.dir}`, clone]);
      const git = await openGitRepository(clone);
      expect(await git.isShallow()).toBe(true);
      const error = await git.resolveCommit(first).catch((e: unknown) => e);
      expect((error as SourceError).kind).toBe('shallow');
      expect((error as SourceError).message).toContain('fetch-depth: 0');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('refuses a folder that is not a repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuneguard-norepo-'));
    try {
      const error = await openGitRepository(dir).catch((e: unknown) => e);
      expect((error as SourceError).kind).toBe('not-a-repository');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openSnapshotPair: the merge-base, or a clear stop', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('stops a shallow clone that lacks the merge-base, and names the fix, instead of comparing with base', async () => {
    const origin = createTestRepo();
    made.push(origin.dir);
    origin.commit({ 'data/train.jsonl': '{"a":1}\n{"a":2}\n' });
    origin.git('switch', '--quiet', '-c', 'pr');
    origin.commit({ 'configs/sft.yaml': 'lr: 2\n' });
    origin.git('switch', '--quiet', 'main');
    origin.commit({ 'data/train.jsonl': '{"a":1}\n' });
    const clone = mkdtempSync(join(tmpdir(), 'tuneguard-shallow-'));
    made.push(clone);
    // Each branch's tip, one commit deep: their common parent is cut off.
    execFileSync('git', [
      'clone',
      '--quiet',
      '--depth=1',
      '--no-single-branch',
      `file://${origin.dir}`,
      clone,
    ]);

    const error = await openSnapshotPair(await openGitRepository(clone), 'origin/main', 'origin/pr').catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('no-merge-base');
    expect((error as SourceError).message).toContain('`git fetch --unshallow`');
    expect((error as SourceError).message).toContain('`git fetch --deepen=100`');
    expect((error as SourceError).message).toContain('`git merge-base origin/main origin/pr`');
  });

  it('compares head with base itself when a complete clone holds two unrelated histories, and says so', async () => {
    const repo = createTestRepo();
    made.push(repo.dir);
    const base = repo.commit({ 'a.txt': 'a\n' });
    repo.git('switch', '--quiet', '--orphan', 'imported');
    const head = repo.commit({ 'b.txt': 'b\n' });

    const pair = await openSnapshotPair(await openGitRepository(repo.dir), 'main', 'imported');

    expect(pair.sharesHistory).toBe(false);
    expect(pair.base.sha).toBe(base);
    expect(pair.head.sha).toBe(head);
    // git's own diff of the two trees: a.txt gone, b.txt new.
    expect([...pair.changedFiles].sort()).toEqual(['a.txt', 'b.txt']);
  });
});

describe('listFirstParents', () => {
  it('walks the first parents only, nearest first, at most max, and gives [] for an unknown commit', async () => {
    const repo = createTestRepo();
    try {
      const first = repo.commit({ 'a.txt': '1\n' }, 'first');
      const second = repo.commit({ 'a.txt': '2\n' }, 'second');
      repo.git('switch', '--quiet', '-c', 'side');
      const side = repo.commit({ 'b.txt': 'side\n' }, 'side');
      repo.git('switch', '--quiet', 'main');
      const third = repo.commit({ 'a.txt': '3\n' }, 'third');
      repo.git('merge', '--quiet', '--no-ff', '--no-edit', '-m', 'merge side', 'side');
      const merge = repo.git('rev-parse', 'HEAD');
      const git = await openGitRepository(repo.dir);
      expect(await git.listFirstParents(merge, 10)).toEqual([merge, third, second, first]);
      expect(await git.listFirstParents(merge, 2)).toEqual([merge, third]);
      expect(await git.listFirstParents(merge, 10)).not.toContain(side);
      expect(await git.listFirstParents('f'.repeat(40), 10)).toEqual([]);
    } finally {
      repo.remove();
    }
  });
});
