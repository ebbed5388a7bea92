import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { openGitRepository } from '../../src/io/git.js';
import { overlaySnapshot } from '../../src/io/overlay-snapshot.js';
import { findLfsObjectPath } from '../../src/model/lfs-pointer.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

async function readStream(stream: Readable | undefined): Promise<string | undefined> {
  if (stream === undefined) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const COMMITTED = '{"results": {"arc_easy": {"acc,none": 0.71}}}\n';
const ON_DISK = '{"results": {"arc_easy": {"acc,none": 0.64}}}\n';
const UNTRACKED = '{"results": {"hellaswag": {"acc,none": 0.5}}}\n';

describe('overlaySnapshot over a real commit and its working tree', () => {
  let repo: TestRepo;
  let head: Snapshot;
  let overlay: Snapshot;

  beforeAll(async () => {
    repo = createTestRepo();
    repo.commit({
      '.gitignore': 'eval-out/\n',
      'results/arc.json': COMMITTED,
      'configs/sft.yml': 'lr: 1\n',
      'notes.txt': 'kept\n',
    });
    symlinkSync('results/arc.json', join(repo.dir, 'latest.json'));
    repo.git('add', 'latest.json');
    // A gitlink, as `git submodule add` records it.
    repo.git('update-index', '--add', '--cacheinfo', `160000,${'a'.repeat(40)},vendor/lib`);
    repo.git('commit', '--quiet', '-m', 'link and submodule');
    // The working tree: a committed file rewritten, an ignored one written, one deleted.
    writeFileSync(join(repo.dir, 'results/arc.json'), ON_DISK);
    mkdirSync(join(repo.dir, 'eval-out'));
    writeFileSync(join(repo.dir, 'eval-out/hellaswag.json'), UNTRACKED);
    rmSync(join(repo.dir, 'notes.txt'));
    head = await (await openGitRepository(repo.dir)).snapshot('HEAD');
    overlay = overlaySnapshot(head, {
      root: repo.dir,
      files: ['results/arc.json', 'eval-out/hellaswag.json'],
      deleted: ['notes.txt'],
    });
  });
  afterAll(() => repo.remove());

  it('keeps the commit it wraps', () => {
    expect([overlay.ref, overlay.sha]).toEqual(['HEAD', repo.git('rev-parse', 'HEAD')]);
  });

  it('lists the files on disk, not the deleted one, and the commit’s links and submodules', async () => {
    expect(await overlay.listFiles()).toEqual([
      '.gitignore',
      'configs/sft.yml',
      'results/arc.json',
      'eval-out/hellaswag.json',
    ]);
    expect(await overlay.listLinks()).toEqual(['latest.json']);
    expect(await overlay.listSubmodules()).toEqual(['vendor/lib']);
  });

  it.each([
    ['a committed file rewritten on disk', 'results/arc.json', ON_DISK],
    ['an ignored file on disk only', 'eval-out/hellaswag.json', UNTRACKED],
    ['a file not overlaid', 'configs/sft.yml', 'lr: 1\n'],
    ['a deleted file', 'notes.txt', undefined],
  ])('reads, streams and sizes %s', async (_, path, expected) => {
    expect((await overlay.readFile(path))?.toString('utf8')).toBe(expected);
    expect(await readStream(await overlay.streamFile(path))).toBe(expected);
    expect(await overlay.fileSize(path)).toBe(
      expected === undefined ? undefined : Buffer.byteLength(expected),
    );
  });

  it('gives a file on disk the blob id git gives it, and the commit’s id to the others', async () => {
    expect(await overlay.blobId('results/arc.json')).toBe(repo.git('hash-object', 'results/arc.json'));
    expect(await overlay.blobId('eval-out/hellaswag.json')).toBe(
      repo.git('hash-object', 'eval-out/hellaswag.json'),
    );
    expect(await overlay.blobId('configs/sft.yml')).toBe(repo.git('rev-parse', 'HEAD:configs/sft.yml'));
    expect(await overlay.blobId('notes.txt')).toBeUndefined();
  });

  it('takes an LFS object from the repository’s store, as the commit does', async () => {
    const content = Buffer.from('{"prompt": "2+2", "completion": "4"}\n');
    const oid = createHash('sha256').update(content).digest('hex');
    const stored = join(repo.dir, '.git', findLfsObjectPath(oid));
    mkdirSync(dirname(stored), { recursive: true });
    writeFileSync(stored, content);
    const pointer = { oid, size: content.length };
    expect(await readStream(await overlay.openLfsObject(pointer, 'eval-out/hellaswag.json'))).toBe(
      content.toString('utf8'),
    );
  });

  it('refuses a symbolic link put in place of a listed file', async () => {
    const swapped = overlaySnapshot(head, { root: repo.dir, files: ['swapped.json'], deleted: [] });
    symlinkSync('/etc/hostname', join(repo.dir, 'swapped.json'));
    await expect(swapped.readFile('swapped.json')).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(swapped.blobId('swapped.json')).rejects.toMatchObject({ code: 'ELOOP' });
  });
});
