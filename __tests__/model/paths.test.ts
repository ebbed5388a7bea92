import { describe, expect, it } from '@jest/globals';
import { folderOf, isUnderFolder } from '../../src/model/paths.js';

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
