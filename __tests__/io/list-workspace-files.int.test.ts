import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listWorkspaceFiles } from '../../src/io/list-workspace-files.js';

describe('listWorkspaceFiles: the files the results globs name on disk', () => {
  const temp = mkdtempSync(join(tmpdir(), 'tuneguard-workspace-'));
  const root = join(temp, 'project');
  const write = (path: string, text = '{}\n'): void => {
    mkdirSync(dirname(join(temp, path)), { recursive: true });
    writeFileSync(join(temp, path), text);
  };

  beforeAll(() => {
    write('project/results/arc.json');
    write('project/results/run-2/hellaswag.json');
    write('project/results/notes.md');
    write('project/.eval/cache.json');
    write('project/.git/config.json');
    write('project/README.md');
    write('outside/secret.json');
    // Links to a file inside, a file outside and a folder outside: none is followed.
    symlinkSync('arc.json', join(root, 'results/latest.json'));
    symlinkSync('../../outside/secret.json', join(root, 'results/secret.json'));
    symlinkSync('../outside', join(root, 'linked'));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it.each([
    ['a glob per folder depth', ['results/*.json'], ['results/arc.json']],
    ['a globstar', ['results/**/*.json'], ['results/arc.json', 'results/run-2/hellaswag.json']],
    ['a plain path', ['results/run-2/hellaswag.json'], ['results/run-2/hellaswag.json']],
    [
      'dot-folders, but never .git',
      ['**/*.json'],
      ['.eval/cache.json', 'results/arc.json', 'results/run-2/hellaswag.json'],
    ],
    ['a glob leaving out another', ['results/**/*.json', '!results/run-*/**'], ['results/arc.json']],
  ])('matches %s', async (_, globs, files) => {
    const listing = await listWorkspaceFiles(root, globs);
    expect(listing.files).toEqual(files);
    expect(listing.problems.filter((problem) => problem.reason !== 'symlink')).toEqual([]);
  });

  it('names the symbolic links a glob matched, and reads none of them', async () => {
    expect(await listWorkspaceFiles(root, ['results/*.json', 'linked/*.json'])).toEqual({
      files: ['results/arc.json'],
      problems: [
        { reason: 'unmatched', glob: 'linked/*.json' },
        { reason: 'symlink', path: 'linked' },
        { reason: 'symlink', path: 'results/latest.json' },
        { reason: 'symlink', path: 'results/secret.json' },
      ],
    });
  });

  it.each([
    ['a parent folder', '../outside/*.json'],
    ['a parent folder after a globstar', 'results/**/../../../outside/*.json'],
    ['an absolute path', join(temp, 'outside/*.json')],
  ])('walks no glob that could leave the folder: %s', async (_, glob) => {
    expect(await listWorkspaceFiles(root, [glob, 'results/arc.json', 'README.md'])).toEqual({
      files: ['README.md', 'results/arc.json'],
      problems: [{ reason: 'outside', glob }],
    });
  });

  it('says which glob matched nothing, and still lists what the others matched', async () => {
    expect(await listWorkspaceFiles(root, ['eval/*.json', 'results/*.md'])).toEqual({
      files: ['results/notes.md'],
      problems: [{ reason: 'unmatched', glob: 'eval/*.json' }],
    });
  });

  it('skips a path too long to match against globs safely, and says so', async () => {
    // Six folders of 200 characters: the path passes MAX_PATH_LENGTH (1,024) in the sixth.
    const folders = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => letter.repeat(200));
    write(`project/deep/${folders.join('/')}/results.json`);
    const tooLong = `deep/${folders.join('/')}`;
    expect(tooLong.length).toBeGreaterThan(1024);
    expect(await listWorkspaceFiles(root, ['deep/**/*.json'])).toEqual({
      files: [],
      problems: [
        { reason: 'unmatched', glob: 'deep/**/*.json' },
        { reason: 'too-long', path: tooLong.slice(0, 80) },
      ],
    });
  });

  it('lists nothing for no globs', async () => {
    expect(await listWorkspaceFiles(root, [])).toEqual({ files: [], problems: [] });
  });
});
