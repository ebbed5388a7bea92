import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A file of a commit: its bytes, a symbolic link to a target, or a submodule entry (a commit id). */
export type Entry = string | Buffer | { symlink: string } | { gitlink: string };

/** The files of one side: path → entry; `null` deletes a base file on head. */
export type Files = Record<string, Entry | null>;

/** Branch names of the pair: base and the pull request's head. */
export const BASE = 'main';
export const HEAD = 'pr';

/**
 * A real git repository in a new temporary folder: `main` with `base`, then the branch `pr` with
 * `head` written over it (`null` deletes). Returns the folder; the caller removes it.
 */
export function createPair(base: Files, head: Files, headBranch = HEAD): string {
  const repo = mkdtempSync(join(tmpdir(), 'tuneguard-reliability-'));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
  git('init', '--quiet', `--initial-branch=${BASE}`);
  write(repo, base, git);
  git('commit', '--quiet', '--allow-empty', '-m', 'base');
  git('switch', '--quiet', '-c', headBranch);
  write(repo, head, git);
  git('commit', '--quiet', '--allow-empty', '-m', 'head');
  return repo;
}

/** Writes the files; submodule entries are staged after `git add --all`, which would drop them (no folder). */
function write(repo: string, files: Files, git: (...args: string[]) => string): void {
  const gitlinks: [string, string][] = [];
  for (const [path, entry] of Object.entries(files)) {
    const file = join(repo, path);
    if (entry === null) {
      git('rm', '--quiet', '-r', '--', path);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) writeFileSync(file, entry);
    else if ('symlink' in entry) symlinkSync(entry.symlink, file);
    else gitlinks.push([path, entry.gitlink]);
  }
  git('add', '--all');
  for (const [path, commit] of gitlinks)
    git('update-index', '--add', '--cacheinfo', `160000,${commit},${path}`);
}

export function removePair(repo: string): void {
  rmSync(repo, { recursive: true, force: true });
}
