import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { analyze } from '../../src/analyze.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../../src/io/git.js';
import type { SnapshotPair } from '../../src/model/snapshot.js';
import { scopeSnapshotPair } from '../../src/sources/scope-snapshot-pair.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

const DATASET = readFileSync(new URL('../fixtures/datasets/mlx_wikisql_valid.jsonl', import.meta.url));
/** The fixture's rows, counted from its own lines. */
const DATASET_ROWS = DATASET.toString('utf8')
  .split('\n')
  .filter((line) => line.trim() !== '').length;
const OID = createHash('sha256').update(DATASET).digest('hex');
const POINTER = `version https://git-lfs.github.com/spec/v1\noid sha256:${OID}\nsize ${DATASET.length}\n`;

async function readAll(stream: Readable | undefined): Promise<Buffer | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/*
 * A monorepo whose fine-tuning project lives in models/sft, its training data in Git LFS, checked out
 * as actions/checkout with `lfs: true` leaves it: the pointer committed, the object in the repository's
 * LFS store (.git/lfs/objects/<oid[0:2]>/<oid[2:4]>/<oid>).
 */
describe('scopeSnapshotPair on a real repository', () => {
  let repo: TestRepo;
  let pair: SnapshotPair;
  let base: string;
  let head: string;

  beforeAll(async () => {
    repo = createTestRepo();
    base = repo.commit({
      'README.md': '# monorepo\n',
      'models/sft/configs/lora.yml': 'learning_rate: 0.0002\n',
      'models/reward/configs/rm.yml': 'learning_rate: 0.00001\n',
    });
    head = repo.commit({
      'models/sft/data/train.jsonl': POINTER,
      'models/sft/configs/lora.yml': 'learning_rate: 0.0001\n',
      'models/reward/configs/rm.yml': 'learning_rate: 0.00002\n',
    });
    const store = join(repo.dir, '.git/lfs/objects', OID.slice(0, 2), OID.slice(2, 4));
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, OID), DATASET);
    pair = scopeSnapshotPair(
      await openSnapshotPair(await openGitRepository(repo.dir), base, head),
      'models/sft',
    );
  });
  afterAll(() => repo.remove());

  it('shows only the folder, with paths relative to it', async () => {
    expect((await pair.head.listFiles()).sort()).toEqual(['configs/lora.yml', 'data/train.jsonl']);
    expect(await pair.base.listFiles()).toEqual(['configs/lora.yml']);
    expect([...pair.changedFiles].sort()).toEqual(['configs/lora.yml', 'data/train.jsonl']);
  });

  it('forwards every member of the snapshot, LFS objects included', async () => {
    expect(pair.head.sha).toBe(head);
    expect(pair.base.sha).toBe(base);
    expect((await pair.head.readFile('configs/lora.yml'))?.toString('utf8')).toBe('learning_rate: 0.0001\n');
    expect((await readAll(await pair.head.streamFile('data/train.jsonl')))?.toString('utf8')).toBe(POINTER);
    expect(await pair.head.fileSize('data/train.jsonl')).toBe(Buffer.byteLength(POINTER));
    expect(await pair.head.blobId('data/train.jsonl')).toBe(
      repo.git('rev-parse', `${head}:models/sft/data/train.jsonl`),
    );
    expect(await pair.head.readFile('models/sft/configs/lora.yml')).toBeUndefined();
    const object = await pair.head.openLfsObject({ oid: OID, size: DATASET.length }, 'data/train.jsonl');
    expect((await readAll(object))?.equals(DATASET)).toBe(true);
  });

  it('analysed through the working-directory scope, the LFS dataset is profiled, not reported as a pointer', async () => {
    const report = await analyze({
      pair,
      config: parseConfig('', '.github/tuneguard.yml'),
      toolVersion: '0.0.0',
    });

    const dataset = report.datasets.find((entry) => entry.path === 'data/train.jsonl');
    expect(dataset?.head?.rows).toBe(DATASET_ROWS);
    expect(dataset?.head?.lfs).toBeUndefined();
    expect(report.findings.map((finding) => finding.check)).not.toContain('data-lfs-pointer');
    expect(report.unreadable).toEqual([]);
  });
});
