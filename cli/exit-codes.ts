import { describeError, TuneguardError } from '../src/model/errors.js';
import type { Report } from '../src/model/report-schema.js';
import type { CliIo } from './cli-io.js';

/**
 * The CLI's exit codes, one meaning each across its commands:
 * - 0 `pass`: it ran, and nothing reached the bar: `diff` found nothing at or above `--fail-on`
 *   (`failure` by default), `config validate` found the file valid, `profile` and `merge` finished;
 * - 1 `failure`: `diff`'s findings reached `--fail-on`, or `config validate` found problems in the file;
 * - 2 `usage`: it could not run: bad arguments, an invalid config for `diff`, a ref git cannot find, a
 *   shallow clone without the merge-base, a file that cannot be read, or a bug (printed with its stack).
 */
export const EXIT = { pass: 0, failure: 1, usage: 2 } as const;

/** What makes `diff` exit 1: findings of at least this severity; `never` exits 0 whatever is found. */
export const FAIL_ON = ['failure', 'warning', 'notice', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * `diff`'s exit code for a report: 1 when it has a finding at or above `failOn` (counted as the report
 * counts them: an accepted failure is a notice), else 0.
 * @example exitCodeFor({ failure: 0, warning: 2, notice: 1 }, 'warning') // 1
 * @example exitCodeFor({ failure: 0, warning: 2, notice: 1 }, 'failure') // 0
 */
export function exitCodeFor(counts: Report['counts'], failOn: FailOn): number {
  const reached =
    failOn === 'failure'
      ? counts.failure > 0
      : failOn === 'warning'
        ? counts.failure + counts.warning > 0
        : failOn === 'notice'
          ? counts.failure + counts.warning + counts.notice > 0
          : false;
  return reached ? EXIT.failure : EXIT.pass;
}

/** Prints a usage error with the way to the help, and returns the usage exit code. */
export function usageError(io: CliIo, message: string): number {
  io.stderr(`tuneguard: ${message}\nRun \`tuneguard --help\` for usage.\n`);
  return EXIT.usage;
}

/**
 * Prints why a command could not run and returns the usage exit code: tuneguard's own errors (a bad
 * config, an unknown ref, a file that is not what it should be) and a missing file as one line, anything
 * else with its stack, since it is a bug.
 */
export function reportFailure(io: CliIo, error: unknown): number {
  if (error instanceof TuneguardError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
    io.stderr(`tuneguard: ${describeError(error)}\n`);
  } else {
    io.stderr(
      `tuneguard: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  return EXIT.usage;
}
