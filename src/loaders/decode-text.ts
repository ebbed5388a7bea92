import { ParseError } from '../model/errors.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * Decodes UTF-8 bytes (a leading BOM dropped). Throws `ParseError` with the line of the first
 * invalid byte, so a binary or mis-encoded file is reported where it goes wrong.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes).replace(/^\uFEFF/, '');
  } catch (cause) {
    const text = lenient.decode(bytes);
    const bad = text.indexOf('\uFFFD');
    const line = bad < 0 ? undefined : text.slice(0, bad).split('\n').length;
    throw new ParseError('the file is not valid UTF-8 text', line, { cause });
  }
}
