import {
  type Node as JsonNode,
  parseTree,
  type ParseError as JsonParseError,
  printParseErrorCode,
} from 'jsonc-parser';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import { ParseError } from '../model/errors.js';
import { parseTomlText } from './parse-toml.js';
import { parseYamlDocument } from './parse-yaml.js';
import { computeLineStarts, findTomlKeyLines, lineOfOffset } from './parse-params.js';

/*
 * The syntax under a metrics file: JSON (jsonc-parser, strict, with Python's bare NaN/Infinity), YAML
 * (yaml) and TOML (smol-toml), all reduced to a tree whose object keys keep their lines. The layouts are
 * read in parse-metrics.ts.
 */

/** JSON and YAML reduced to what the layouts need: objects keep their keys' lines. */
export type TreeNode =
  | { kind: 'object'; entries: TreeEntry[] }
  | { kind: 'array'; line: number | undefined; strings: string[] }
  | { kind: 'scalar'; value: string | number | boolean | null };

export interface TreeEntry {
  key: string;
  line: number | undefined;
  value: TreeNode;
}

/** Deeper nesting than this is no metrics file; the cap keeps recursion bounded. */
const MAX_DEPTH = 64;

function tooDeep(line: number | undefined): ParseError {
  return new ParseError(`nested deeper than ${MAX_DEPTH} levels: not a metrics file`, line);
}

// ---------------------------------------------------------------------------------------------------
// Syntax: JSON (jsonc-parser, strict) and YAML (yaml), both with key lines

/** Python's json module writes these bare literals; JSON does not allow them. */
const NON_FINITE_LITERALS: [string, number][] = [
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['NaN', Number.NaN],
];

/**
 * Replaces `NaN`/`Infinity`/`-Infinity` outside strings by same-length JSON numbers so offsets (and lines)
 * stay exact, and returns the real value for each replaced offset.
 */
function maskNonFiniteLiterals(text: string): { text: string; values: Map<number, number> } {
  const values = new Map<number, number>();
  if (!/NaN|Infinity/.test(text)) return { text, values };
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const literal = NON_FINITE_LITERALS.find(([word]) => text.startsWith(word, i));
    if (literal && !/[\w$]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i + literal[0].length] ?? '')) {
      const [word, value] = literal;
      parts.push(
        text.slice(copied, i),
        word.startsWith('-') ? `-0.${'0'.repeat(word.length - 3)}` : `0.${'0'.repeat(word.length - 2)}`,
      );
      values.set(i, value);
      i += word.length;
      copied = i;
      continue;
    }
    i++;
  }
  parts.push(text.slice(copied));
  return { text: parts.join(''), values };
}

export function parseJsonTree(raw: string): TreeNode | undefined {
  // A byte-order mark becomes a space so that offsets keep matching the original text.
  const { text, values } = maskNonFiniteLiterals(raw.replace(/^\uFEFF/, ' '));
  const lineStarts = computeLineStarts(text);
  const lineAt = (offset: number): number => lineOfOffset(lineStarts, offset);
  const errors: JsonParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch (error) {
    throw new ParseError('invalid JSON: nested too deeply', undefined, { cause: error });
  }
  const first = errors[0];
  if (first) {
    if (root === undefined && text.trim() === '') return undefined;
    throw new ParseError(`invalid JSON: ${printParseErrorCode(first.error)}`, lineAt(first.offset));
  }
  if (!root) return undefined;
  const convert = (node: JsonNode, depth: number): TreeNode => {
    if (node.type === 'object') {
      if (depth > MAX_DEPTH) throw tooDeep(lineAt(node.offset));
      const entries: TreeEntry[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        entries.push({
          key: String(keyNode.value),
          line: lineAt(keyNode.offset),
          value: convert(valueNode, depth + 1),
        });
      }
      return { kind: 'object', entries };
    }
    if (node.type === 'array') {
      const strings = (node.children ?? []).filter((c) => c.type === 'string').map((c) => String(c.value));
      return { kind: 'array', line: lineAt(node.offset), strings };
    }
    if (node.type === 'number')
      return { kind: 'scalar', value: values.get(node.offset) ?? (node.value as number) };
    return { kind: 'scalar', value: node.value as string | boolean | null };
  };
  return convert(root, 0);
}

export function parseYamlTree(text: string): TreeNode | undefined {
  const { doc, lineOf, resolveAlias } = parseYamlDocument(text);
  if (doc.contents === null) return undefined;
  const open = new Set<unknown>();
  const convert = (node: unknown, depth: number): TreeNode => {
    const resolved = isAlias(node) ? resolveAlias(node) : node;
    if (isMap(resolved)) {
      // An alias to an enclosing map (`a: &x { self: *x }`) would never end; it is left out.
      if (open.has(resolved)) return { kind: 'scalar', value: null };
      if (depth > MAX_DEPTH) throw tooDeep(lineOf(resolved));
      open.add(resolved);
      // A merge key (`<<: *defaults`) is no metric: it gives the map the entries of the maps it names
      // (the first named wins), and the map's own entries win over them, as PyYAML merges.
      const entries = new Map<string, TreeEntry>();
      const isMerge = (key: unknown): boolean => isScalar(key) && typeof key.value === 'symbol';
      for (const item of resolved.items.filter((item) => isMerge(item.key))) {
        const sources = isSeq(item.value) ? [...item.value.items].reverse() : [item.value];
        for (const source of sources) {
          const merged = convert(source, depth + 1);
          if (merged.kind === 'object') for (const entry of merged.entries) entries.set(entry.key, entry);
        }
      }
      for (const item of resolved.items.filter((item) => !isMerge(item.key))) {
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        entries.delete(key);
        entries.set(key, { key, line: lineOf(item.key), value: convert(item.value, depth + 1) });
      }
      open.delete(resolved);
      return { kind: 'object', entries: [...entries.values()] };
    }
    if (isSeq(resolved)) {
      const strings = resolved.items.flatMap((item) =>
        isScalar(item) && typeof item.value === 'string' ? [item.value] : [],
      );
      return { kind: 'array', line: lineOf(resolved), strings };
    }
    if (isScalar(resolved)) return { kind: 'scalar', value: toScalar(resolved.value) };
    return { kind: 'scalar', value: null };
  };
  return convert(doc.contents, 0);
}

/**
 * A TOML metrics file (DVC reads `.toml` metrics as it reads YAML) as a tree; keys keep the lines of their
 * `key = value` assignments. Throws `ParseError` with the line for invalid TOML; `undefined` when empty.
 * @example parseTomlTree('[eval]\nacc = 0.9\n') // { kind: 'object', entries: [{ key: 'eval', line: undefined, value: { kind: 'object', entries: [{ key: 'acc', line: 2, value: { kind: 'scalar', value: 0.9 } }] } }] }
 */
export function parseTomlTree(text: string): TreeNode | undefined {
  const data = parseTomlText(text);
  if (Object.keys(data).length === 0) return undefined;
  const lines = findTomlKeyLines(text);
  const convert = (value: unknown, key: string, depth: number): TreeNode => {
    if (Array.isArray(value)) {
      const strings = value.filter((item): item is string => typeof item === 'string');
      return { kind: 'array', line: lines.get(key), strings };
    }
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      if (depth > MAX_DEPTH) throw tooDeep(lines.get(key));
      const entries = Object.entries(value).map(([name, child]): TreeEntry => {
        const path = key === '' ? name : `${key}.${name}`;
        return { key: name, line: lines.get(path), value: convert(child, path, depth + 1) };
      });
      return { kind: 'object', entries };
    }
    return { kind: 'scalar', value: toScalar(value) };
  };
  return convert(data, '', 0);
}

function toScalar(value: unknown): string | number | boolean | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return null;
}
