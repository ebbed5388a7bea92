import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.js';

/**
 * The demo: builds a real git repository from examples/demo-project (a base commit, then a head
 * commit with planted problems), runs `tuneguard diff` on it, prints the report and says where the
 * markdown and JSON reports were written. Exits with the CLI's code for the markdown run.
 */
async function demo(): Promise<number> {
  const project = fileURLToPath(new URL('../../examples/demo-project/', import.meta.url));
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

  git('init', '--quiet', '--initial-branch=main');
  cpSync(join(project, 'base'), repo, { recursive: true });
  git('add', '--all');
  git('commit', '--quiet', '-m', 'Base: the fine-tuning setup on main');
  git('switch', '--quiet', '-c', 'more-data-faster');
  for (const entry of readdirSync(repo)) if (entry !== '.git') rmSync(join(repo, entry), { recursive: true });
  cpSync(join(project, 'head'), repo, { recursive: true });
  git('add', '--all');
  git('commit', '--quiet', '-m', 'Head: new data mix, higher learning rate, new results');

  const print = (text: string): void => void process.stdout.write(text);
  const io = { stdout: print, stderr: (text: string) => void process.stderr.write(text), cwd: repo };
  const markdown = join(repo, 'report.md');
  const json = join(repo, 'report.json');
  print(`tuneguard demo: a repository with a base commit and a head commit in ${repo}\n\n`);
  const code = await main(['diff', '--base', 'main', '--head', 'more-data-faster', '--output', markdown], io);
  await main(
    ['diff', '--base', 'main', '--head', 'more-data-faster', '--format', 'json', '--output', json],
    io,
  );
  print(`\n${readFileSync(markdown, 'utf8')}\n`);
  print(`The markdown report is in ${markdown}\nThe JSON report is in ${json}\n`);
  print(
    `The CLI exit code was ${code} (1 means a blocking check failed, as the planted problems should make it).\n`,
  );
  return code;
}

// The demo is meant to show a failing verdict; it succeeds when the CLI ran and judged, i.e. exit 0 or 1.
const code = await demo();
process.exitCode = code === 2 ? 2 : 0;
