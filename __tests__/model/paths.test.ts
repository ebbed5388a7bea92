import { describe, expect, it } from '@jest/globals';
import { folderOf, isUnderFolder, isMatchablePath } from '../../src/model/paths.js';

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
