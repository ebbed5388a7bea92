import { describe, expect, it } from '@jest/globals';
import { createGlobMatcher } from '../../src/sources/create-glob-matcher.js';

describe('createGlobMatcher', () => {
  it.each([
    // A config's glob: the extension's case is ignored, the folders' and names' are not.
    ['data/*.csv', false, 'data/TRAIN.CSV', true],
    ['data/*.csv', false, 'data/train.Csv', true],
    ['data/*.csv', false, 'Data/train.csv', false],
    ['data/train.csv', false, 'data/Train.csv', false],
    ['data/*.CSV', false, 'data/train.CSV', true],
    // A built-in name rule: any case.
    ['**/results*.json', true, 'out/Results.JSON', true],
    ['**/data/**/*.json', true, 'DATA/x/a.json', true],
    // Dot-files and folders are matched as any other name.
    ['**/*.jsonl', false, '.cache/train.JSONL', true],
    // Control characters in a folder are just characters.
    ['**/*.jsonl', false, 'd\tx/train.jsonl', true],
    ['**/*.jsonl', false, 'data/train.jsonl.gz', false],
  ])('%s (any case: %s) on %j gives %s', (glob, anyCase, path, expected) => {
    expect(createGlobMatcher(glob, { anyCase })(path)).toBe(expected);
  });

  it('takes several globs at once, and matches nothing for none', () => {
    const match = createGlobMatcher(['a/*.json', 'b/*.yaml']);
    expect(['a/x.JSON', 'b/y.YAML', 'c/z.json'].map(match)).toEqual([true, true, false]);
    expect(createGlobMatcher([])('a/x.json')).toBe(false);
  });
});
