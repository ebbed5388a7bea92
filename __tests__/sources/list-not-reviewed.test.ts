import { describe, expect, it } from '@jest/globals';
import type { Artifact } from '../../src/sources/discover-artifacts.js';
import {
  LINK_REASON,
  listNotReviewed,
  SUBMODULE_REASON,
  UNCLAIMED_REASON,
} from '../../src/sources/list-not-reviewed.js';

const dataset = (path: string, files?: string[]): Artifact => ({
  path,
  kind: 'dataset',
  split: 'train',
  ...(files ? { files } : {}),
  by: 'name',
  reason: 'r',
});

describe('listNotReviewed', () => {
  const list = (changedFiles: string[], artifacts: Artifact[] = []) =>
    listNotReviewed({
      artifacts,
      declined: [{ path: 'models/config.json', kind: 'none', by: 'content', reason: 'a saved model' }],
      changedFiles,
      links: new Set(['data/linked.jsonl', 'data/reviewed.jsonl', 'scripts/run.py']),
      submodules: new Set(['data/shared', 'vendor/lib']),
      isReviewable: (path) => !path.startsWith('vendor/'),
    });

  it.each([
    // Data, settings and results formats nothing claimed, in any case.
    ['raw/dump.csv', UNCLAIMED_REASON],
    ['raw/DUMP.CSV', UNCLAIMED_REASON],
    ['notes/labels.json', UNCLAIMED_REASON],
    ['deploy/sweep.yaml', UNCLAIMED_REASON],
    ['cache/train.arrow', UNCLAIMED_REASON],
    ['hp/run.toml', UNCLAIMED_REASON],
    // Compressed files are never read, whatever they hold.
    ['data/train.jsonl.gz', 'compressed (gzip): not read'],
    ['data/train.jsonl.ZST', 'compressed (Zstandard): not read'],
    ['data/archive.zip', 'compressed (zip): not read'],
    ['data/train.csv.bz2', 'compressed (bzip2): not read'],
    ['data/train.csv.xz', 'compressed (xz): not read'],
    // A submodule, whatever its name: its files are another repository's.
    ['data/shared', SUBMODULE_REASON],
  ])('lists %s: %s', (path, reason) => {
    expect(list([path])).toEqual([{ path, reason }]);
  });

  it.each([
    ['train.py', 'code'],
    ['README.md', 'docs'],
    ['notes.txt', 'text'],
    ['model/model.safetensors', 'weights'],
    ['pyproject.toml', 'packaging'],
    ['environment.yml', 'an environment'],
    ['docs/mkdocs.yml', 'a docs site'],
    ['docker-compose.dev.yaml', 'containers'],
    ['.pre-commit-config.yaml', 'a dot-file'],
    ['vendor/data.csv', 'out of review'],
    ['vendor/lib', 'a submodule out of review'],
    ['models/config.json', 'set aside by its content (in kinds)'],
  ])('leaves out %s (%s)', (path) => {
    expect(list([path])).toEqual([]);
  });

  it('leaves out every file of an artifact, on either side, and sorts the rest by path', () => {
    const shards = dataset('data/train-*-of-*.parquet', [
      'data/train-00000-of-00002.parquet',
      'data/train-00001-of-00002.parquet',
    ]);
    const moved: Artifact = {
      ...dataset('data/new.jsonl'),
      comparedWith: { path: 'data/old.jsonl', reason: 'renamed' },
    };
    const changed = [
      'z/extra.jsonl',
      'data/train-00001-of-00002.parquet',
      'data/old.jsonl',
      'data/new.jsonl',
      'a/extra.csv',
      'a/extra.csv',
    ];
    expect(list(changed, [shards, moved]).map((entry) => entry.path)).toEqual([
      'a/extra.csv',
      'z/extra.jsonl',
    ]);
  });

  it('lists a symbolic link named like data as a link, even where the other side had the file', () => {
    expect(
      list(['data/linked.jsonl', 'data/reviewed.jsonl', 'scripts/run.py'], [dataset('data/reviewed.jsonl')]),
    ).toEqual([
      { path: 'data/linked.jsonl', reason: LINK_REASON },
      { path: 'data/reviewed.jsonl', reason: LINK_REASON },
    ]);
  });

  it('lists nothing for a pull request that changes nothing', () => {
    expect(list([])).toEqual([]);
  });
});
