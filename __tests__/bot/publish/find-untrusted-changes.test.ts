import { describe, expect, it } from '@jest/globals';
import { findUntrustedChanges } from '../../../bot/publish/find-untrusted-changes.js';

const WORKFLOW = '.github/workflows/tuneguard.yml';
const executed = { files: [WORKFLOW, 'action.yml', 'dist/index.js'], folders: ['tools/act'] };

describe('findUntrustedChanges', () => {
  it.each([
    ['only data and results', [{ filename: 'data/train.jsonl' }, { filename: 'results/a.json' }], []],
    ['the workflow itself', [{ filename: 'data/a.jsonl' }, { filename: WORKFLOW }], [WORKFLOW]],
    [
      'a composite action under .github/',
      [{ filename: '.github/actions/x/action.yml' }],
      ['.github/actions/x/action.yml'],
    ],
    [
      'a reusable workflow',
      [{ filename: '.github/workflows/reusable.yml' }],
      ['.github/workflows/reusable.yml'],
    ],
    ['any file under .github/', [{ filename: '.github/CODEOWNERS' }], ['.github/CODEOWNERS']],
    ['a file of a local action folder', [{ filename: 'tools/act/run.sh' }], ['tools/act/run.sh']],
    [
      'a sibling folder with the same prefix',
      [{ filename: 'tools/actor/run.sh' }, { filename: 'tools/act.md' }],
      [],
    ],
    [
      'the root action and its entry',
      [{ filename: 'action.yml' }, { filename: 'dist/index.js' }],
      ['action.yml', 'dist/index.js'],
    ],
    ['a file of the root that the root action does not name', [{ filename: 'README.md' }], []],
    [
      'a rename away from a local action counts by its old path',
      [{ filename: 'data/moved.sh', previousFilename: 'tools/act/run.sh' }],
      ['tools/act/run.sh'],
    ],
    ['a folder named like .github', [{ filename: 'docs/.github/x' }, { filename: '.githubx/y' }], []],
  ])('%s', (_, files, expected) => {
    expect(findUntrustedChanges(files, executed)).toEqual(expected);
  });

  it('an action folder of the whole repository (the root action) does not make every file executed', () => {
    expect(findUntrustedChanges([{ filename: 'data/a.jsonl' }], { files: [], folders: [''] })).toEqual([]);
  });
});
