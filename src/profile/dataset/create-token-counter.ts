import { describeError, ParseError, TuneguardError } from '../../model/errors.js';
import { isSpaceCode } from './hash-record.js';

/** The OpenAI encodings bundled with tuneguard (through gpt-tokenizer). */
export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
/** The name of a bundled OpenAI encoding. */
export type TokenEncoding = (typeof TOKEN_ENCODINGS)[number];

/** Which tokenizer counts tokens: a bundled OpenAI encoding, or a Hugging Face `tokenizer.json` already parsed. */
export type TokenizerSpec =
  | { encoding: TokenEncoding }
  | {
      /** Where the file came from, for the report (`tokenizer.json`, `models/tokenizer.json`). */
      file: string;
      /** The parsed content of the `tokenizer.json`. */
      json: unknown;
    };

/** Counts the tokens of a text with one tokenizer. */
export interface TokenCounter {
  /** `o200k_base`, `cl100k_base`, or the `tokenizer.json` path. */
  readonly name: string;
  /** Tokens in `text`; special-token strings in the text count as plain text, never as control tokens. */
  count(text: string): number;
}

/** The default: the encoding of OpenAI's current models (GPT-4o and later). */
export const DEFAULT_TOKENIZER: TokenizerSpec = { encoding: 'o200k_base' };

const NO_SPECIAL_TOKENS = { disallowedSpecial: new Set<string>() };

/**
 * Creates a token counter. OpenAI encodings load lazily from gpt-tokenizer (pure JavaScript); a
 * `tokenizer.json` is read with Hugging Face's tokenizers.js (BPE, WordPiece and Unigram models, with
 * their normalisers and pre-tokenisers), without the special tokens a template would add. Rejects with a
 * `ParseError` when a `tokenizer.json` cannot be used.
 *
 * @example
 * (await createTokenCounter({ encoding: 'o200k_base' })).count('tiktoken is great!'); // => 6
 */
export async function createTokenCounter(spec: TokenizerSpec = DEFAULT_TOKENIZER): Promise<TokenCounter> {
  if ('encoding' in spec) {
    const module =
      spec.encoding === 'cl100k_base'
        ? await import('gpt-tokenizer/encoding/cl100k_base')
        : await import('gpt-tokenizer/encoding/o200k_base');
    const countTokens = module.countTokens;
    return {
      name: spec.encoding,
      count: (text) => countInPieces(text, (piece) => countTokens(piece, NO_SPECIAL_TOKENS)),
    };
  }
  const { Tokenizer } = await import('@huggingface/tokenizers');
  let tokenizer: InstanceType<typeof Tokenizer>;
  try {
    if (typeof spec.json !== 'object' || spec.json === null || !('model' in spec.json)) {
      throw new TypeError('it has no "model" section');
    }
    tokenizer = new Tokenizer(spec.json, {});
    tokenizer.encode('probe', { add_special_tokens: false });
  } catch (error) {
    throw new ParseError(
      `${spec.file} is not a tokenizer.json tuneguard can use (${error instanceof Error ? error.message : String(error)}); point tokenizer.file at a Hugging Face tokenizer.json, or use tokenizer.encoding`,
      undefined,
      { cause: error },
    );
  }
  return {
    name: spec.file,
    count: (text) =>
      countInPieces(text, (piece) => tokenizer.encode(piece, { add_special_tokens: false }).ids.length),
  };
}

const LONG_RUN = 256;
const LONG_RUN_PATTERN = /\S{256,}/g;

/**
 * Whether a text has a run of `LONG_RUN` characters without whitespace: one pass, where the regular
 * expression would try a match from every character.
 */
function hasLongRun(text: string): boolean {
  let run = 0;
  for (let index = 0; index < text.length; index += 1) {
    run = isSpaceCode(text.charCodeAt(index)) ? 0 : run + 1;
    if (run === LONG_RUN) return true;
  }
  return false;
}

/**
 * Counts tokens, cutting runs of more than 256 characters without whitespace (base64, minified code)
 * into 256-character pieces counted apart: byte-pair encoding takes time quadratic in the length of
 * such a run (a 64 kB run takes seconds), and the pieces change the count by at most one token each.
 */
function countInPieces(text: string, count: (piece: string) => number): number {
  if (text === '') return 0;
  if (text.length < LONG_RUN || !hasLongRun(text)) return count(text);
  let total = 0;
  let start = 0;
  for (const match of text.matchAll(LONG_RUN_PATTERN)) {
    if (match.index > start) total += count(text.slice(start, match.index));
    for (let piece = 0; piece < match[0].length; piece += LONG_RUN) {
      total += count(match[0].slice(piece, piece + LONG_RUN));
    }
    start = match.index + match[0].length;
  }
  if (start === 0) return count(text);
  if (start < text.length) total += count(text.slice(start));
  return total;
}

/**
 * The tokenizer a command line names: `o200k_base` or `cl100k_base`, or the path of a `tokenizer.json`
 * read with `readText`; `undefined` when none is named. Throws TuneguardError when the file is not JSON.
 */
export async function resolveTokenizerSpec(
  name: string | undefined,
  readText: (path: string) => Promise<string>,
): Promise<TokenizerSpec | undefined> {
  if (name === undefined) return undefined;
  if (name === 'o200k_base' || name === 'cl100k_base') return { encoding: name };
  const text = await readText(name);
  try {
    return { file: name, json: JSON.parse(text) as unknown };
  } catch (error) {
    throw new TuneguardError(`${name} is not a tokenizer.json (not JSON: ${describeError(error)})`, {
      cause: error,
    });
  }
}
