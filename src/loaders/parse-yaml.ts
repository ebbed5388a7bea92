import {
  LineCounter,
  parseDocument,
  type Alias,
  type Document,
  type Node,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { ParseError } from '../model/errors.js';
import { measureAliases, TOO_MANY_ALIASES } from './measure-aliases.js';

/** A YAML document with the line of any of its nodes. */
export interface YamlDocument {
  doc: Document;
  /** The 1-based line where a node (or a map key) starts, or `undefined` for a node without a range. */
  lineOf: (node: unknown) => number | undefined;
  /** The node an alias stands for, or `undefined` for an alias without an anchor before it. */
  resolveAlias: (alias: Alias) => Node | undefined;
}

/**
 * PyYAML's booleans: YAML 1.1's without `y`/`n`, which PyYAML leaves as strings (a key `y:` stays "y").
 * The yaml library's 1.1 schema takes them as booleans, so its two boolean tags are narrowed.
 */
const PYYAML_BOOL = {
  true: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  false: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
};

function withPyYamlBooleans(tags: Tags): Tags {
  return tags.map((tag) => {
    const scalar = tag as ScalarTag;
    if (scalar.tag !== 'tag:yaml.org,2002:bool' || !scalar.test) return tag;
    return { ...scalar, test: scalar.test.test('true') ? PYYAML_BOOL.true : PYYAML_BOOL.false };
  });
}

/** How many unclosed quoted scalars one file may have mended before it is reported as invalid. */
const MAX_MENDS = 50;

/**
 * Parses YAML as PyYAML reads it, since the fine-tuning frameworks (Axolotl, LLaMA-Factory, TRL, HF
 * scripts) load their configs with PyYAML: YAML 1.1 scalars (`500_000` is 500000, `yes`/`on` are true,
 * `017` is octal), and quoted scalars whose continuation lines are indented no deeper than their key,
 * which PyYAML folds like any other and a strict YAML parser rejects. Such lines are indented before
 * parsing; the scalar's value is the same (a flow scalar's line breaks and leading spaces fold into one
 * space) and so is every line number. Throws ParseError with the line of the first other error, and
 * with the line of the alias where aliases expand past `MAX_ALIAS_EXPANSION` values ("too many aliases").
 * @example parseYamlDocument('lr: 5e-5\nsteps: 10_000').doc.toJS() // { lr: 0.00005, steps: 10000 }
 */
export function parseYamlDocument(text: string): YamlDocument {
  let source = text;
  for (let mends = 0; ; mends += 1) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, {
      lineCounter,
      uniqueKeys: false,
      version: '1.1',
      customTags: withPyYamlBooleans,
    });
    const error = doc.errors[0];
    if (!error) {
      const lineOf = (node: unknown): number | undefined => {
        const range = (node as { range?: [number, number, number] } | null)?.range;
        return range ? lineCounter.linePos(range[0]).line : undefined;
      };
      const { targets, excess } = measureAliases(doc);
      if (excess) throw tooManyAliases(lineOf(excess));
      return { doc, lineOf, resolveAlias: (alias) => targets.get(alias) };
    }
    const line = lineCounter.linePos(error.pos[0]).line;
    const mended =
      mends < MAX_MENDS && error.code === 'MISSING_CHAR' ? mendQuotedScalar(source, line) : undefined;
    if (mended === undefined) {
      // The yaml library ends its first line with the position, which the finding states on its own.
      const reason = (error.message.split('\n')[0] ?? '').replace(/\s+at line \d+, column \d+:?$/, '');
      // The parser gives up with this code when collections nest too deep for its stack.
      if (error.code === 'RESOURCE_EXHAUSTION')
        throw new ParseError('invalid YAML: nested too deeply to read', line, { cause: error });
      throw new ParseError(`invalid YAML: ${reason}`, line, { cause: error });
    }
    source = mended;
  }
}

/**
 * The error for a document whose aliases expand past `MAX_ALIAS_EXPANSION` values, at the alias
 * where they do: such a document (a "billion laughs") is an attack or a mistake, never a config.
 */
export function tooManyAliases(line: number | undefined): ParseError {
  return new ParseError(TOO_MANY_ALIASES, line);
}

/**
 * Indents the continuation lines of the quoted scalar left open on `line` (1-based) or the line before
 * it, so that each is deeper than the line that opened it; `undefined` when no open quote is found there
 * or nothing needs to move.
 */
function mendQuotedScalar(source: string, line: number): string | undefined {
  const lines = source.split('\n');
  for (const opening of [line - 1, line - 2]) {
    const text = lines[opening];
    if (text === undefined) continue;
    const quote = findOpenQuote(text);
    if (quote === undefined) continue;
    const indent = ' '.repeat((/^ */.exec(text)?.[0].length ?? 0) + 2);
    let changed = false;
    for (let index = opening + 1; index < lines.length; index += 1) {
      const next = lines[index] ?? '';
      if (next.trim() !== '' && !next.startsWith(indent)) {
        lines[index] = indent + next.trimStart();
        changed = true;
      }
      if (closesQuote(next, quote)) break;
    }
    return changed ? lines.join('\n') : undefined;
  }
  return undefined;
}

/** The quote character (`"` or `'`) left open at the end of a line, or `undefined`. */
function findOpenQuote(text: string): '"' | "'" | undefined {
  let open: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (open === undefined) {
      if (char === '#' && (index === 0 || /\s/.test(text[index - 1] ?? ''))) return undefined;
      if ((char === '"' || char === "'") && (index === 0 || /[\s:[{,-]/.test(text[index - 1] ?? '')))
        open = char;
    } else if (open === '"' && char === '\\') {
      index += 1;
    } else if (char === open) {
      if (open === "'" && text[index + 1] === "'") index += 1;
      else open = undefined;
    }
  }
  return open;
}

/** Whether a continuation line holds the closing quote (escaped quotes and `''` do not close). */
function closesQuote(text: string, quote: '"' | "'"): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote === '"' && char === '\\') index += 1;
    else if (char === quote) {
      if (quote === "'" && text[index + 1] === "'") index += 1;
      else return true;
    }
  }
  return false;
}
