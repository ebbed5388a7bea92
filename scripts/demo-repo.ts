import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Branch names of the demo repository: the base and the pull request's head. */
export const DEMO_BASE = 'main';
export const DEMO_HEAD = 'more-data-faster';

/**
 * Builds the demo repository in a new temporary folder from a demo project folder holding `base/`
 * and `head/`: `main` gets base, the `more-data-faster` branch gets head. Returns the folder.
 */
export function createDemoRepository(project: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'tuneguard-demo-'));
  const git = (...args: string[]): string =>
    execFileSync(
      'git',
      ['-c', 'user.name=tuneguard demo', '-c', 'user.email=demo@tuneguard.invalid', ...args],
      {
        cwd: repo,
        encoding: 'utf8',
      },
    );
  git('init', '--quiet', `--initial-branch=${DEMO_BASE}`);
  cpSync(join(project, 'base'), repo, { recursive: true });
  git('add', '--all');
  git('commit', '--quiet', '-m', 'Base: the fine-tuning setup on main');
  git('switch', '--quiet', '-c', DEMO_HEAD);
  for (const entry of readdirSync(repo)) if (entry !== '.git') rmSync(join(repo, entry), { recursive: true });
  cpSync(join(project, 'head'), repo, { recursive: true });
  git('add', '--all');
  git('commit', '--quiet', '-m', 'Head: new data mix, higher learning rate, new results');
  return repo;
}
