import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createBlobReader } from '../../src/io/cat-file-batch.js';
import { SourceError } from '../../src/model/errors.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Contents whose framing is easy to get wrong: empty, newlines only, binary, one past a pipe's size. */
const CONTENTS: Record<string, Buffer> = {
  'empty.txt': Buffer.alloc(0),
  'newlines.txt': Buffer.from('\n\n\n'),
  'header-like.txt': Buffer.from('0123456789abcdef0123456789abcdef01234567 blob 12\nnot a header\n'),
  'binary.bin': Buffer.from(Array.from({ length: 1000 }, (_, index) => (index * 7) % 256)),
  'big.jsonl': Buffer.alloc(3 * 1024 * 1024 + 1, 'y'),
};

describe('createBlobReader', () => {
  let repo: TestRepo;
  const oids = new Map<string, string>();

  beforeAll(() => {
    repo = createTestRepo();
    repo.commit(CONTENTS);
    for (const path of Object.keys(CONTENTS)) oids.set(path, repo.git('rev-parse', `HEAD:${path}`));
  });
  afterAll(() => repo.remove());

  const oid = (path: string): string => oids.get(path) as string;

  it('reads many blobs one after another, each byte exact (empty, binary, header-like, larger than a pipe)', async () => {
    const blobs = createBlobReader(repo.dir);
    for (let round = 0; round < 20; round += 1) {
      for (const [path, content] of Object.entries(CONTENTS)) {
        expect((await blobs.read(oid(path))).equals(content)).toBe(true);
      }
    }
    const streamed = await readStream(blobs.stream(oid('big.jsonl')));
    expect(streamed.equals(CONTENTS['big.jsonl'] as Buffer)).toBe(true);
    blobs.close();
  });

  it('rejects a missing object and keeps reading the next ones', async () => {
    const blobs = createBlobReader(repo.dir);
    const absent = 'f'.repeat(40);
    await expect(blobs.read(absent)).rejects.toThrow(SourceError);
    await expect(readStream(blobs.stream(absent))).rejects.toThrow(absent);
    expect((await blobs.read(oid('newlines.txt'))).toString()).toBe('\n\n\n');
    blobs.close();
  });

  it('serves a read while another stream is held open, and after a stream is dropped early', async () => {
    const blobs = createBlobReader(repo.dir);
    const held = blobs.stream(oid('big.jsonl'));
    expect((await blobs.read(oid('binary.bin'))).equals(CONTENTS['binary.bin'] as Buffer)).toBe(true);
    const first = (await held[Symbol.asyncIterator]().next()).value as Buffer;
    expect(first.length).toBeGreaterThan(0);
    held.destroy();
    const small = blobs.stream(oid('header-like.txt'));
    small.destroy();
    expect((await blobs.read(oid('header-like.txt'))).equals(CONTENTS['header-like.txt'] as Buffer)).toBe(
      true,
    );
    expect((await readStream(blobs.stream(oid('big.jsonl')))).length).toBe(CONTENTS['big.jsonl']?.length);
    blobs.close();
  });

  it('fails every read with SourceError outside a repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'tuneguard-not-a-repo-'));
    try {
      const blobs = createBlobReader(outside);
      await expect(blobs.read(oid('newlines.txt'))).rejects.toThrow(SourceError);
      blobs.close();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
