import { describeError, TuneguardError } from '../src/model/errors.js';
import type { CliIo } from './cli-io.js';

/** Exit codes: the verdict passed (or only warned), it failed, or the command could not run. */
export const EXIT = { pass: 0, failure: 1, usage: 2 } as const;

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
