import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfigText } from '../src/config/find-config-problems.js';
import { DEFAULT_CONFIG_PATH, formatConfigProblem } from '../src/config/parse-config.js';
import { decodeText } from '../src/loaders/decode-text.js';
import { describeError, ParseError } from '../src/model/errors.js';
import { plural } from '../src/text/plural.js';
import type { CliIo } from './cli-io.js';
import { EXIT, reportFailure, usageError } from './exit-codes.js';

/**
 * `tuneguard config validate [FILE]`: prints every problem of a config file (default
 * `.github/tuneguard.yml` under the current directory) as `FILE:LINE:COLUMN: problem`, with "did you
 * mean" for near-miss keys, checks and values. Returns 0 when it is valid, 1 when it is not, 2 when the
 * command could not run (bad arguments, no such file); never throws.
 */
export async function runConfig(argv: readonly string[], io: CliIo): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: {} }));
  } catch (error) {
    return usageError(io, describeError(error));
  }
  const [command, file, ...extra] = positionals;
  if (command !== 'validate') {
    return usageError(
      io,
      command === undefined
        ? 'name a config command: tuneguard config validate [FILE]'
        : `unknown config command: ${command} (there is: validate)`,
    );
  }
  if (extra.length > 0)
    return usageError(io, `config validate takes one file, not ${positionals.slice(1).join(' ')}`);
  const path = file ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = decodeText(await readFile(resolve(io.cwd, path)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return usageError(
        io,
        `there is no ${path} in ${io.cwd}${file === undefined ? ' (without it the defaults apply)' : ''}`,
      );
    }
    if (error instanceof ParseError) {
      io.stderr(
        `tuneguard: ${path}: ${error.message}${error.line === undefined ? '' : ` (line ${error.line})`}\n`,
      );
      return EXIT.usage;
    }
    return reportFailure(io, error);
  }
  const { problems } = readConfigText(text);
  if (problems.length === 0) {
    io.stdout(`${path}: valid\n`);
    return EXIT.pass;
  }
  io.stdout(problems.map((problem) => `${formatConfigProblem(path, problem)}\n`).join(''));
  io.stderr(`tuneguard: ${path} is invalid: ${plural(problems.length, 'problem')}\n`);
  return EXIT.failure;
}
