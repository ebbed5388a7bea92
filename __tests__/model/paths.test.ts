import { describe, expect, it } from '@jest/globals';
import { folderOf, isMatchablePath, isSafeGlob, isUnderFolder } from '../../src/model/paths.js';

describe('repository paths', () => {
  it.each([
    ['results/rwkv/results_2025.json', 'results/rwkv'],
    ['train.jsonl', ''],
  ])('folderOf(%p) is %p', (path, folder) => {
    expect(folderOf(path)).toBe(folder);
  });

  it.each([
    ['results/run/a.json', 'results', true],
    ['results/run/a.json', 'results/', true],
    ['results.json', 'results', false],
    ['results-old/a.json', 'results', false],
    ['anything/at/all.json', '', true],
    ['anything.json', '.', true],
  ])('isUnderFolder(%p, %p) is %p', (path, folder, under) => {
    expect(isUnderFolder(path, folder)).toBe(under);
  });
});

describe('isMatchablePath', () => {
  it.each([
    ['data/train.jsonl', true],
    ['', true],
    [`${'a/'.repeat(511)}b`, true], // 1,023 characters
    [`${'a/'.repeat(512)}b`, false], // 1,025 characters
    [`data/${'n'.repeat(255)}`, true],
    [`data/${'n'.repeat(256)}`, false],
    [`${'n'.repeat(256)}/train.jsonl`, false],
    [`x/${'n'.repeat(256)}/train.jsonl`, false],
  ])('%#: %p is matchable: %p', (path, expected) => {
    expect(isMatchablePath(path)).toBe(expected);
  });
});

describe('isSafeGlob', () => {
  it.each([
    ['data/train-*-of-*.parquet', true],
    ['**/results/**/*.json', true],
    ['**/eval*/**/*.json', true],
    ['data/*a*b*c.jsonl', true],
    ['**/*a*a*a*b', false], // five runs
    ['data/*a*a*a*b', false], // four in one name
    ['**/a/**/a/**/b', false], // three **
    ['**/*a*a*/**/*a*a*b', false],
    ['data/+(a|aa)/x.jsonl', false],
    ['data/*(a|b).jsonl', false],
  ])('%p is safe: %p', (glob, expected) => {
    expect(isSafeGlob(glob)).toBe(expected);
  });
});
