import { parse as parseToml, TomlError } from 'smol-toml';
import { ParseError } from '../model/errors.js';

/**
 * TOML text as data, or `ParseError` with the line of the first error (params and metrics files alike).
 * @example parseTomlText('lr = 1e-5') // { lr: 0.00001 }
 */
export function parseTomlText(text: string): Record<string, unknown> {
  try {
    return parseToml(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    throw new ParseError(`invalid TOML: ${(error as Error).message.split('\n')[0] ?? ''}`, line, {
      cause: error,
    });
  }
}
