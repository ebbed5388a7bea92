import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type { Snapshot, SnapshotPair } from '../../src/model/snapshot.js';
import { cacheSmallFiles } from '../../src/sources/cache-small-files.js';
import { readPrefix, SNIFF_BYTES } from '../../src/sources/read-prefix.js';

/** A snapshot of in-memory files that counts how often each is read from its store. */
function createCountingSnapshot(files: Record<string, Buffer>): { snapshot: Snapshot; reads: string[] } {
  const reads: string[] = [];
  const snapshot: Snapshot = {
    ref: 'head',
    sha: '0'.repeat(40),
    listFiles: () => Promise.resolve(Object.keys(files)),
    listLinks: () => Promise.resolve(['data/link.jsonl']),
    listSubmodules: () => Promise.resolve(['data/vendor']),
    readFile: (path) => {
      reads.push(`read ${path}`);
      return Promise.resolve(files[path]);
    },
    streamFile: (path) => {
      reads.push(`stream ${path}`);
      const bytes = files[path];
      return Promise.resolve(bytes === undefined ? undefined : Readable.from([bytes], { objectMode: false }));
    },
    fileSize: (path) => Promise.resolve(files[path]?.length),
    blobId: (path) => Promise.resolve(files[path] === undefined ? undefined : path),
    openLfsObject: () => Promise.resolve(undefined),
  };
  return { snapshot, reads };
}

const pairOf = (snapshot: Snapshot): SnapshotPair => ({
  base: snapshot,
  head: snapshot,
  changedFiles: [],
  renames: [],
});

async function collect(stream: Readable | undefined): Promise<string | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

describe('cacheSmallFiles', () => {
  const small = Buffer.from('learning_rate: 0.0002\n');
  const large = Buffer.alloc(SNIFF_BYTES + 1, 'a');

  it('reads a small file from its store once, whether it is read whole or streamed', async () => {
    const { snapshot, reads } = createCountingSnapshot({ 'sft.yaml': small, 'big.jsonl': large });
    const { head } = cacheSmallFiles(pairOf(snapshot));
    expect(await collect(await head.streamFile('sft.yaml'))).toBe(small.toString('utf8'));
    expect(await head.readFile('sft.yaml')).toEqual(small);
    expect(await collect(await head.streamFile('sft.yaml'))).toBe(small.toString('utf8'));
    expect(reads).toEqual(['read sft.yaml']);
  });

  it('streams a large file from its store every time, and says so for an absent one', async () => {
    const { snapshot, reads } = createCountingSnapshot({ 'big.jsonl': large });
    const { head } = cacheSmallFiles(pairOf(snapshot));
    expect((await collect(await head.streamFile('big.jsonl')))?.length).toBe(SNIFF_BYTES + 1);
    expect((await head.readFile('big.jsonl'))?.length).toBe(SNIFF_BYTES + 1);
    expect(await head.readFile('gone.json')).toBeUndefined();
    expect(await head.streamFile('gone.json')).toBeUndefined();
    expect(reads).toEqual(['stream big.jsonl', 'read big.jsonl', 'read gone.json', 'stream gone.json']);
  });

  it('forwards the symbolic links of the snapshot', async () => {
    const { snapshot } = createCountingSnapshot({});
    expect(await cacheSmallFiles(pairOf(snapshot)).head.listLinks()).toEqual(['data/link.jsonl']);
    expect(await cacheSmallFiles(pairOf(snapshot)).head.listSubmodules()).toEqual(['data/vendor']);
  });

  it('does not keep a failed read: the next read tries again', async () => {
    const { snapshot } = createCountingSnapshot({ 'sft.yaml': small });
    let failures = 1;
    const flaky: Snapshot = {
      ...snapshot,
      readFile: (path) =>
        failures-- > 0 ? Promise.reject(new Error('bad object')) : snapshot.readFile(path),
    };
    const { head } = cacheSmallFiles(pairOf(flaky));
    await expect(head.readFile('sft.yaml')).rejects.toThrow('bad object');
    expect(await head.readFile('sft.yaml')).toEqual(small);
  });
});

describe('readPrefix', () => {
  it.each([
    ['a small file is whole', 10, 10, true],
    ['a file of exactly the limit is whole', SNIFF_BYTES, SNIFF_BYTES, true],
    ['a larger file is cut at the limit', SNIFF_BYTES + 1, SNIFF_BYTES, false],
  ])('%s', async (_what, size, length, complete) => {
    const { snapshot } = createCountingSnapshot({ 'a.json': Buffer.alloc(size, 'x') });
    const prefix = await readPrefix(snapshot, 'a.json');
    expect([prefix?.text.length, prefix?.complete]).toEqual([length, complete]);
  });
});
