import {
  parseTree,
  type Node as JsonNode,
  type ParseError as JsonParseError,
  printParseErrorCode,
} from 'jsonc-parser';
import { isAlias, isMap, isScalar, isSeq, Scalar, type Node as YamlNode } from 'yaml';
import { ParseError } from '../model/errors.js';
import { parseTomlText } from './parse-toml.js';
import { isPyYamlTextNumber } from './is-pyyaml-text-number.js';
import { MAX_ALIAS_EXPANSION } from './measure-aliases.js';
import { parseYamlDocument } from './parse-yaml.js';

/** How a hyperparameter file is written; `model-card` is the Trainer card's list (see `readCardHyperparameters`). */
export type ParamsFormat = 'yaml' | 'json' | 'toml' | 'model-card';

/** A scalar leaf of a hyperparameter file, or a list of scalars kept whole. */
export type ParamValue = string | number | boolean | null | ParamValue[];

/** A hyperparameter file flattened to dotted keys (`lora.r`, `datasets[0].path`) with the line of each key. */
export interface ParamsFile {
  format: ParamsFormat;
  values: Map<string, ParamValue>;
  lines: Map<string, number>;
  /**
   * YAML keys whose value spells a number PyYAML reads as a string (`1e-5`: YAML 1.1 floats need a dot),
   * with the text as written. Their `values` entry holds the number; whether the trainer gets the
   * string depends on its framework's loader.
   */
  textNumbers?: Map<string, string>;
}

/** By extension: .yaml/.yml → yaml, .json → json, .toml → toml; anything else undefined. */
export function findParamsFormat(path: string): Exclude<ParamsFormat, 'model-card'> | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.toml')) return 'toml';
  return undefined;
}

/**
 * Parses a YAML, JSON or TOML hyperparameter file into flattened keys with their lines.
 * Nested maps become dotted keys; lists of scalars stay whole values; lists of maps are indexed
 * (`datasets[0].path`). W&B `config.yaml` entries (`{ value, desc }`) are unwrapped to their value.
 * An empty file gives no keys. Throws `ParseError` with the line when the file cannot be parsed.
 * @example parseParamsFile('lr: 0.1\nlora: { r: 8 }', 'a.yaml').values // Map { 'lr' => 0.1, 'lora.r' => 8 }
 */
export function parseParamsFile(text: string, path: string): ParamsFile {
  const format = findParamsFormat(path);
  if (format === undefined) throw new ParseError(`${path} is not a YAML, JSON or TOML file`);
  try {
    if (format === 'json') return parseJsonParams(text);
    if (format === 'toml') return parseTomlParams(text);
    return parseYamlParams(text);
  } catch (error) {
    // The JSON parser and the flattening recurse once per level: a file nested thousands of levels
    // deep exhausts the stack, which says nothing to a reader. (YAML reports it as its own error.)
    if (error instanceof RangeError)
      throw new ParseError(`nested too deeply to read: no hyperparameter file nests so far`, undefined, {
        cause: error,
      });
    throw error;
  }
}

function parseYamlParams(text: string): ParamsFile {
  const { doc, lineOf, resolveAlias } = parseYamlDocument(text);
  const values = new Map<string, ParamValue>();
  const lines = new Map<string, number>();
  const textNumbers = new Map<string, string>();
  // parseYamlDocument bounded what aliases expand to; the library's own limit is set to the same bound.
  const toJs = (node: YamlNode): unknown => node.toJS(doc, { maxAliasCount: MAX_ALIAS_EXPANSION });
  const open = new Set<YamlNode>();
  const visit = (raw: YamlNode | null | undefined, key: string, keyLine: number | undefined): void => {
    // An alias stands for its anchor's value (`lr: *base_lr`); one inside the map it names is a cycle.
    const node = isAlias(raw) ? resolveAlias(raw) : raw;
    if (node && open.has(node)) return;
    if (isMap(node)) {
      const unwrapped = unwrapWandb(toJs(node));
      if (unwrapped !== undefined && key !== '') {
        const valueNode = node.items.find((item) => isScalar(item.key) && item.key.value === 'value')?.value;
        setLeaf(values, lines, key, toParamValue(unwrapped), lineOf(valueNode) ?? keyLine);
        return;
      }
      open.add(node);
      // A merge key (`<<: *defaults`) gives the map the keys of the maps it names; its own keys win,
      // wherever they are written, so the merged ones are read first.
      const isMerge = (item: (typeof node.items)[number]): boolean =>
        isScalar(item.key) && typeof item.key.value === 'symbol';
      for (const item of node.items.filter(isMerge)) {
        // Of several merged maps the first wins: read last, it overwrites the others.
        const sources = isSeq(item.value) ? [...item.value.items].reverse() : [item.value];
        for (const source of sources) visit(source as YamlNode | null, key, lineOf(item.key));
      }
      for (const item of node.items.filter((item) => !isMerge(item))) {
        const name = isScalar(item.key) ? String(item.key.value) : String(item.key);
        visit(item.value as YamlNode | null, joinKey(key, name), lineOf(item.key));
      }
      open.delete(node);
      return;
    }
    if (isSeq(node) && node.items.some((item) => isMap(item) || isSeq(item))) {
      open.add(node);
      node.items.forEach((item, index) =>
        visit(item as YamlNode, `${key}[${index}]`, lineOf(item) ?? keyLine),
      );
      open.delete(node);
      return;
    }
    const value = node ? toJs(node) : null;
    setLeaf(values, lines, key, toParamValue(value), keyLine);
    const text = findTextNumber(node, value);
    if (text === undefined) textNumbers.delete(key);
    else textNumbers.set(key, text);
  };
  if (doc.contents !== null) {
    if (!isMap(doc.contents))
      throw new ParseError('expected a mapping of hyperparameters at the top level', 1);
    visit(doc.contents, '', 1);
  }
  return { format: 'yaml', values, lines, ...(textNumbers.size > 0 ? { textNumbers } : {}) };
}

/** The text of a plain scalar read as a number here that PyYAML reads as a string, else undefined. */
function findTextNumber(node: YamlNode | null | undefined, value: unknown): string | undefined {
  if (!(node instanceof Scalar) || node.type !== Scalar.PLAIN || typeof value !== 'number') return undefined;
  const source = (node as { source?: unknown }).source;
  return typeof source === 'string' && isPyYamlTextNumber(source) ? source : undefined;
}

function parseJsonParams(text: string): ParamsFile {
  if (text.trim() === '') return { format: 'json', values: new Map(), lines: new Map() };
  const errors: JsonParseError[] = [];
  const root = parseTree(text.replace(/^\uFEFF/, ''), errors, {
    allowTrailingComma: false,
    disallowComments: true,
  });
  const lineStarts = computeLineStarts(text);
  const lineAt = (offset: number): number => lineOfOffset(lineStarts, offset);
  const first = errors[0];
  if (first) {
    throw new ParseError(`invalid JSON: ${printParseErrorCode(first.error)}`, lineAt(first.offset));
  }
  const values = new Map<string, ParamValue>();
  const lines = new Map<string, number>();
  if (!root) return { format: 'json', values, lines };
  if (root.type !== 'object')
    throw new ParseError('expected an object of hyperparameters at the top level', 1);
  const visit = (node: JsonNode, key: string, keyLine: number): void => {
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        visit(valueNode, joinKey(key, String(keyNode.value)), lineAt(keyNode.offset));
      }
      return;
    }
    if (
      node.type === 'array' &&
      (node.children ?? []).some((c) => c.type === 'object' || c.type === 'array')
    ) {
      (node.children ?? []).forEach((child, index) => visit(child, `${key}[${index}]`, lineAt(child.offset)));
      return;
    }
    setLeaf(values, lines, key, toParamValue(jsonValue(node)), keyLine);
  };
  visit(root, '', 1);
  return { format: 'json', values, lines };
}

function parseTomlParams(text: string): ParamsFile {
  const data = parseTomlText(text);
  const values = new Map<string, ParamValue>();
  const lines = new Map<string, number>();
  const tomlLines = findTomlKeyLines(text);
  const visit = (value: unknown, key: string): void => {
    if (isPlainObject(value)) {
      for (const [name, child] of Object.entries(value)) visit(child, joinKey(key, name));
      return;
    }
    if (Array.isArray(value) && value.some((v) => isPlainObject(v) || Array.isArray(v))) {
      value.forEach((child, index) => visit(child, `${key}[${index}]`));
      return;
    }
    setLeaf(values, lines, key, toParamValue(value), tomlLines.get(key.replace(/\[\d+\]/g, '')));
  };
  visit(data, '');
  return { format: 'toml', values, lines };
}

/**
 * Lines of `key = value` assignments under their `[table]` headers, by dotted key (`train.lr`). smol-toml
 * keeps no positions, so the text is scanned; dotted and quoted keys are handled, multi-line values only
 * by their first line.
 */
export function findTomlKeyLines(text: string): Map<string, number> {
  const result = new Map<string, number>();
  let table = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header?.[1]) {
      table = unquoteDotted(header[1]);
      return;
    }
    const assignment = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\- ]+?))\s*=/.exec(line);
    if (assignment?.[1]) {
      const key = joinKey(table, unquoteDotted(assignment[1]));
      if (!result.has(key)) result.set(key, index + 1);
    }
  });
  return result;
}

function unquoteDotted(key: string): string {
  return key
    .split(/\.(?=(?:[^"']*["'][^"']*["'])*[^"']*$)/)
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}

function jsonValue(node: JsonNode): unknown {
  if (node.type === 'array') return (node.children ?? []).map(jsonValue);
  return node.value as unknown;
}

/** W&B `config.yaml` wraps each entry as `{ desc, value }`; returns the value, or undefined for other maps. */
function unwrapWandb(value: unknown): unknown {
  if (!isPlainObject(value) || !('value' in value)) return undefined;
  const keys = Object.keys(value);
  if (!keys.every((k) => k === 'value' || k === 'desc')) return undefined;
  const inner = value['value'];
  return isPlainObject(inner) ? undefined : inner;
}

function toParamValue(value: unknown): ParamValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toParamValue);
  return JSON.stringify(value);
}

function setLeaf(
  values: Map<string, ParamValue>,
  lines: Map<string, number>,
  key: string,
  value: ParamValue,
  line: number | undefined,
): void {
  values.set(key, value);
  if (line !== undefined) lines.set(key, line);
}

function joinKey(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Offsets where each line starts, for offset → line lookups. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The 1-based line holding `offset`, by binary search over `computeLineStarts`. */
export function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
