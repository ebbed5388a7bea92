import { describe, expect, it } from '@jest/globals';
import {
  findCardPaths,
  findCardSplit,
  parseDatasetCard,
  type DatasetCard,
} from '../../src/sources/read-dataset-cards.js';

/** A card's front matter from its YAML lines, with a body after it. */
const card = (...yaml: string[]): string => ['---', ...yaml, '---', '', '# A dataset', ''].join('\n');

/** The splits of a parsed card as `[split, config, glob]`. */
const splitsOf = (parsed: DatasetCard | undefined): [string, string | undefined, string][] | undefined =>
  parsed?.splits.map((s) => [s.split, s.config, s.glob]);

describe('parseDatasetCard', () => {
  it.each([
    [
      'a list of split and path, the Hub default',
      card(
        'configs:',
        '- config_name: default',
        '  data_files:',
        '  - split: train',
        '    path: data/train-*',
        '  - split: test',
        '    path: data/test-*',
      ),
      [
        ['train', 'default', 'data/train-*'],
        ['test', 'default', 'data/test-*'],
      ],
    ],
    [
      'a path list, several configs',
      card(
        'configs:',
        '- config_name: sft',
        '  data_files:',
        '  - split: train',
        '    path:',
        '    - "sft/a.jsonl"',
        '    - sft/b.jsonl',
        '- config_name: eval',
        '  data_files:',
        '  - split: validation',
        '    path: eval/*.jsonl',
      ),
      [
        ['train', 'sft', 'sft/a.jsonl'],
        ['train', 'sft', 'sft/b.jsonl'],
        ['validation', 'eval', 'eval/*.jsonl'],
      ],
    ],
    [
      'one path, a list of paths, a mapping, no config name',
      card(
        'configs:',
        '- config_name: one',
        '  data_files: all.csv',
        '- config_name: many',
        '  data_files: ["./x.csv", y.csv]',
        '- data_files: {train: t.csv, test: [u.csv]}',
      ),
      [
        ['train', 'one', 'all.csv'],
        ['train', 'many', 'x.csv'],
        ['train', 'many', 'y.csv'],
        ['train', undefined, 't.csv'],
        ['test', undefined, 'u.csv'],
      ],
    ],
  ])('%s', (_what, text, splits) => {
    expect(splitsOf(parseDatasetCard(text, 'README.md'))).toEqual(splits);
  });

  it('makes globs whole from the card folder', () => {
    const parsed = parseDatasetCard(card('configs:', '- data_files: data/*.parquet'), 'sets/wiki/README.md');
    expect(splitsOf(parsed)).toEqual([['train', undefined, 'sets/wiki/data/*.parquet']]);
    expect(parsed?.splits[0]?.match('sets/wiki/data/train.parquet')).toBe(true);
    expect(parsed?.splits[0]?.match('sets/wiki/data/sub/train.parquet')).toBe(false);
  });

  it.each([
    ['no front matter', '# A dataset\n\nconfigs: []\n'],
    ['front matter never closed', '---\nconfigs:\n- data_files: a.csv\n'],
    ['no configs', card('license: mit', 'dataset_info:', '  splits:', '  - name: train')],
    ['configs of nothing', card('configs:', '- config_name: x')],
    ['invalid YAML', card('configs: [', '- data_files: a.csv')],
  ])('%s: no card', (_what, text) => {
    expect(parseDatasetCard(text, 'README.md')).toBeUndefined();
  });
});

describe('findCardPaths', () => {
  it('keeps the READMEs of folders that hold data files, at any depth', () => {
    expect(
      findCardPaths([
        'README.md',
        'docs/README.md',
        'docs/guide.md',
        'sets/wiki/readme.md',
        'sets/wiki/data/train-00000-of-00001.parquet',
        'src/README.md',
        'src/train.py',
      ]),
    ).toEqual(['README.md', 'sets/wiki/readme.md']);
    expect(findCardPaths(['README.md', 'train.py'])).toEqual([]);
  });
});

describe('findCardSplit', () => {
  const root = parseDatasetCard(
    card(
      'configs:',
      '- config_name: prefs',
      '  data_files:',
      '  - split: test_prefs',
      '    path: data/test_prefs-*',
      '  - split: train_prefs',
      '    path: data/train_prefs-*',
    ),
    'README.md',
  ) as DatasetCard;
  const nested = parseDatasetCard(
    card('configs:', '- data_files:', '  - split: validation', '    path: data/*.jsonl'),
    'sub/README.md',
  ) as DatasetCard;

  it.each([
    [
      'data/test_prefs-00000-of-00001.parquet',
      { split: 'test', reason: 'README.md declares it split test_prefs (config prefs), read as test' },
    ],
    [
      'data/train_prefs-00000-of-00002.parquet',
      { split: 'train', reason: 'README.md declares it split train_prefs (config prefs), read as train' },
    ],
    // The nearest card speaks for its folder.
    ['sub/data/train.jsonl', { split: 'validation', reason: 'sub/README.md declares it split validation' }],
    ['data/other.parquet', undefined],
    // A card may name any file; only data files are datasets.
    ['data/test_prefs-notes.txt', undefined],
  ])('%s: %p', (path, expected) => {
    expect(findCardSplit([root, nested], path)).toEqual(expected);
  });
});

describe('a dataset card built to make glob matching backtrack', () => {
  it('keeps its simple globs and leaves out the one picomatch would take minutes on', () => {
    const card = parseDatasetCard(
      '---\nconfigs:\n- config_name: default\n  data_files:\n  - split: test\n    path: "**/*a*a*/**/*a*a*b"\n  - split: train\n    path: data/train-*\n---\n',
      'README.md',
    );
    expect(card?.splits.map((split) => [split.split, split.glob])).toEqual([['train', 'data/train-*']]);
  });
});
