import { ConfigError, type ConfigProblem } from '../model/errors.js';
import { plural } from '../text/plural.js';
import { readConfigText } from './find-config-problems.js';
import type { Config } from './schema.js';

/** Where tuneguard looks for its configuration in a repository. */
export const DEFAULT_CONFIG_PATH = '.github/tuneguard.yml';

/**
 * Parses the text of a tuneguard configuration file into a typed config with defaults filled in.
 * Empty text gives the defaults. Throws a `ConfigError` that names the file and lists every problem with
 * its line and column (`problems`), and a "did you mean" for unknown keys, checks and values.
 * @example parseConfig('checks:\n  data-shrink: { max-drop: 10% }', '.github/tuneguard.yml')
 */
export function parseConfig(text: string, path: string): Config {
  const reading = readConfigText(text);
  if (reading.config !== undefined) return reading.config;
  const { problems } = reading;
  throw new ConfigError(
    `Invalid config in ${path} (${plural(problems.length, 'problem')}):\n${problems.map((problem) => formatConfigProblem(path, problem)).join('\n')}`,
    path,
    problems[0]?.line,
    { problems },
  );
}

/**
 * One problem as compilers print theirs, so terminals and editors can open the place.
 * @example formatConfigProblem('.github/tuneguard.yml', { line: 2, column: 3, message: 'unknown check "x"' }) // '.github/tuneguard.yml:2:3: unknown check "x"'
 */
export function formatConfigProblem(path: string, problem: ConfigProblem): string {
  const where =
    problem.line === undefined
      ? path
      : `${path}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${where}: ${problem.message}`;
}
