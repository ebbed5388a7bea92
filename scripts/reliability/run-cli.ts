import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/model/report-schema.js';
import { BASE, HEAD } from './git-pair.js';

const cli = fileURLToPath(new URL('../../cli/index.js', import.meta.url));

/** What one run of the built CLI gave. */
export interface CliRun {
  code: number | null;
  timedOut: boolean;
  ms: number;
  stderr: string;
  report: Report | undefined;
}

/**
 * `tuneguard diff --base main --head pr --format json` in `repo`, as a user runs it, in its own
 * process with a time limit (a hang is a result, not a stuck measurement).
 */
export function runDiff(repo: string, timeoutMs: number, head = HEAD): CliRun {
  const output = join(repo, '.tuneguard-report.json');
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [cli, 'diff', '--base', BASE, '--head', head, '--format', 'json', '--output', output],
    {
      cwd: repo,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 1 << 28,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const ms = performance.now() - started;
  const report = existsSync(output) ? (JSON.parse(readFileSync(output, 'utf8')) as Report) : undefined;
  const timedOut = run.error !== undefined && 'code' in run.error && run.error.code === 'ETIMEDOUT';
  return { code: run.status, timedOut, ms, stderr: run.stderr ?? '', report };
}
