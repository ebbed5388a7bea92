import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real git repository in a temporary folder, for integration tests. */
export interface TestRepo {
  dir: string;
  git: (...args: string[]) => string;
  /** Writes files (path → content; `null` deletes) and commits them; returns the new SHA. */
  commit: (files: Record<string, string | Buffer | null>, message?: string) => string;
  remove: () => void;
}

/** Creates an empty repository on branch `main` with a fixed identity. */
export function createTestRepo(): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'tuneguard-test-'));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  git('init', '--quiet', '--initial-branch=main');
  const commit = (files: Record<string, string | Buffer | null>, message = 'change'): string => {
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, path);
      if (content === null) {
        rmSync(full, { force: true });
        continue;
      }
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    git('add', '--all');
    git('commit', '--quiet', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { dir, git, commit, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
