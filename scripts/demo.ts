import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isatty } from 'node:tty';
import { main } from '../cli/main.js';
import { shouldColor } from '../cli/text-style.js';
import { createDemoRepository, DEMO_BASE, DEMO_HEAD } from './demo-repo.js';

/**
 * The demo: builds a real git repository from examples/demo-project (a base commit, then a head
 * commit with planted problems), runs `tuneguard diff` on it, prints the report (text on a terminal,
 * markdown when piped) and says where the markdown and JSON reports were written.
 */
async function demo(): Promise<number> {
  const project = fileURLToPath(new URL('../../examples/demo-project/', import.meta.url));
  const repo = createDemoRepository(project);
  const print = (text: string): void => void process.stdout.write(text);
  const terminal = isatty(1);
  const io = {
    stdout: print,
    stderr: (text: string) => void process.stderr.write(text),
    cwd: repo,
    stdoutIsTerminal: terminal,
    color: shouldColor(process.env, terminal),
  };
  const markdown = join(repo, 'report.md');
  const json = join(repo, 'report.json');
  print(
    `tuneguard demo: a repository with a base commit (${DEMO_BASE}) and a head commit (${DEMO_HEAD}) in ${repo}\n`,
  );
  print(`$ tuneguard diff --base ${DEMO_BASE} --head ${DEMO_HEAD}\n\n`);
  // As a user would see it: text on a terminal, markdown when piped.
  const code = await main(['diff', '--base', DEMO_BASE, '--head', DEMO_HEAD], io);
  if (code === 2) return code;
  const quiet = { ...io, stderr: () => undefined };
  await main(['diff', '--base', DEMO_BASE, '--head', DEMO_HEAD, '--output', markdown], quiet);
  await main(['diff', '--base', DEMO_BASE, '--head', DEMO_HEAD, '--format', 'json', '--output', json], quiet);
  print(
    `\nThe markdown report (the pull-request comment) is in ${markdown}\nThe JSON report is in ${json}\n`,
  );
  print(
    `tuneguard exited with ${code}: ${code === 1 ? 'a blocking check failed, as the planted problems should make it' : 'no blocking check failed'}.\n`,
  );
  return code;
}

// The demo succeeds when tuneguard ran and judged (exit 0 or 1); 2 means it could not run.
process.exitCode = (await demo()) === 2 ? 2 : 0;
