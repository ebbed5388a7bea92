import { z } from 'zod';
import { ActionError } from './action-error.js';

/** The Action's inputs as action.yml declares them; a missing key here is a compile error in `readInputs`. */
export const inputsSchema = z.object({
  config: z.string().min(1).default('.github/tuneguard.yml'),
  base: z.string().default(''),
  head: z.string().default(''),
  'github-token': z.string().default(''),
  comment: z.enum(['always', 'on-change', 'on-failure', 'never']).default('on-change'),
  'fail-on': z.enum(['failure', 'warning', 'never']).default('failure'),
  'working-directory': z.string().min(1).default('.'),
  results: z.string().default('').transform(parseGlobLines),
  'report-path': z.string().min(1).default('tuneguard-report.json'),
});

/** The validated inputs, defaults filled in. */
export type Inputs = z.infer<typeof inputsSchema>;
/** The name of one input, as action.yml spells it. */
export type InputName = keyof Inputs;

/** Every input name, in action.yml's order. */
export const INPUT_NAMES = Object.keys(inputsSchema.shape) as InputName[];

/**
 * Reads and validates the inputs through `getInput` (core.getInput in the Action). Empty strings mean
 * "not set" and take the default. Throws `ActionError('invalid-inputs')` naming the input and the
 * allowed values.
 * @example readInputs(core.getInput) // { config: '.github/tuneguard.yml', comment: 'on-change', … }
 */
export function readInputs(getInput: (name: string) => string): Inputs {
  const raw: Record<InputName, string | undefined> = {
    config: getInput('config'),
    base: getInput('base'),
    head: getInput('head'),
    'github-token': getInput('github-token'),
    comment: getInput('comment'),
    'fail-on': getInput('fail-on'),
    'working-directory': getInput('working-directory'),
    results: getInput('results'),
    'report-path': getInput('report-path'),
  };
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = inputsSchema.safeParse(present);
  if (!result.success)
    throw new ActionError(`Invalid action inputs:\n${z.prettifyError(result.error)}`, 'invalid-inputs', {
      cause: result.error,
    });
  return result.data;
}

/**
 * The globs of a multiline input: one a line, trimmed; blank lines and lines starting with `#` left out.
 * @example parseGlobLines('# evaluation\nresults/*.json\n\n') // ['results/*.json']
 */
export function parseGlobLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
