import type { CliIo } from './cli-io.js';

/** Exit codes: the verdict passed (or only warned), it failed, or the command could not run. */
export const EXIT = { pass: 0, failure: 1, usage: 2 } as const;

/** Prints a usage error with the way to the help, and returns the usage exit code. */
export function usageError(io: CliIo, message: string): number {
  io.stderr(`tuneguard: ${message}\nRun \`tuneguard --help\` for usage.\n`);
  return EXIT.usage;
}
