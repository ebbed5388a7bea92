import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** action.yml as the tests read it. */
export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

/** The path of action.yml at the repository root. */
export const ACTION_YML = fileURLToPath(new URL('../../../action.yml', import.meta.url));

/** Reads and parses action.yml. */
export function readActionMetadata(): ActionMetadata {
  return parse(readFileSync(ACTION_YML, 'utf8')) as ActionMetadata;
}

/** The token the tests give the Action in place of `${{ github.token }}`. */
export const TEST_TOKEN = 'ghs_tuneguardTestToken';

/**
 * Every input with the value the runner passes when the workflow sets none: action.yml's default, with
 * `${{ github.token }}` evaluated to {@link TEST_TOKEN}.
 */
export function defaultInputs(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(readActionMetadata().inputs).map(([name, input]) => [
      name,
      (input.default ?? '') === '${{ github.token }}' ? TEST_TOKEN : (input.default ?? ''),
    ]),
  );
}
