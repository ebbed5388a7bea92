import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openGitRepository, openSnapshotPair } from '../../src/io/git.js';
import { overlayWorkspace } from '../../src/io/overlay-workspace.js';
import type { SnapshotPair } from '../../src/model/snapshot.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

describe('overlayWorkspace: what the pull request changes once the files on disk count', () => {
  let repo: TestRepo;
  let pair: SnapshotPair;
  let overlaid: SnapshotPair;

  beforeAll(async () => {
    repo = createTestRepo();
    const base = repo.commit({
      'results/base-only.json': '{"a": 1}\n',
      'results/reverted.json': '{"a": 1}\n',
      'results/same.json': '{"a": 1}\n',
      'configs/sft.yml': 'lr: 1\n',
      'old/name.json': '{"kept": "through a rename", "padding": "a long enough body for git to pair it"}\n',
    });
    const head = repo.commit({
      // Changed by the head commit, put back as on base in the workspace.
      'results/reverted.json': '{"a": 2}\n',
      'configs/sft.yml': 'lr: 2\n',
      'added-by-head.json': '{"b": 1}\n',
      'old/name.json': null,
      'new/name.json': '{"kept": "through a rename", "padding": "a long enough body for git to pair it"}\n',
    });
    writeFileSync(join(repo.dir, 'results/reverted.json'), '{"a": 1}\n');
    writeFileSync(join(repo.dir, 'results/same.json'), '{"a": 1}\n');
    writeFileSync(join(repo.dir, 'results/fresh.json'), '{"c": 1}\n');
    writeFileSync(join(repo.dir, 'results/base-only.json'), '{"a": 0.5}\n');
    for (const path of ['added-by-head.json', 'new/name.json']) rmSync(join(repo.dir, path));
    pair = await openSnapshotPair(await openGitRepository(repo.dir), base, head);
    overlaid = await overlayWorkspace(pair, {
      root: repo.dir,
      files: ['results/base-only.json', 'results/fresh.json', 'results/reverted.json', 'results/same.json'],
      deleted: ['added-by-head.json', 'new/name.json'],
    });
  });
  afterAll(() => repo.remove());

  it('starts from the commits’ own changes', () => {
    expect([...pair.changedFiles].sort()).toEqual([
      'added-by-head.json',
      'configs/sft.yml',
      'new/name.json',
      'old/name.json',
      'results/reverted.json',
    ]);
    expect(pair.renames).toEqual([{ from: 'old/name.json', to: 'new/name.json', similarity: 1 }]);
  });

  it('adds files on disk that differ from base, drops those equal to it, and keeps the commits’ other changes', () => {
    // added-by-head.json: added by head, deleted on disk, so absent on both sides: no change.
    // new/name.json: deleted on disk, absent on base: no change; old/name.json stays removed.
    expect(overlaid.changedFiles).toEqual([
      'configs/sft.yml',
      'old/name.json',
      'results/base-only.json',
      'results/fresh.json',
    ]);
  });

  it('drops a rename whose new path is deleted on disk, and keeps the base side as it is', async () => {
    expect(overlaid.renames).toEqual([]);
    expect(overlaid.base).toBe(pair.base);
    expect((await overlaid.head.readFile('results/fresh.json'))?.toString()).toBe('{"c": 1}\n');
    expect(await overlaid.head.readFile('added-by-head.json')).toBeUndefined();
  });
});
