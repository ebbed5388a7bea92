import { closestMatch } from 'leven';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { MAX_ALIAS_EXPANSION, measureAliases, TOO_MANY_ALIASES } from '../loaders/measure-aliases.js';
import type { ConfigProblem } from '../model/errors.js';
import { configSchema, type Config } from './schema.js';

/** A config file read: its typed config with defaults when valid, else every problem in file order. */
export type ConfigReading =
  { config: Config; problems: [] } | { config?: undefined; problems: ConfigProblem[] };

type Issue = z.core.$ZodIssue;
type Segment = PropertyKey;

/**
 * Reads a config file's text and finds every problem in it: each YAML syntax error, then each value the
 * schema refuses, with its line and column, and for an unknown key, check or value the closest known one
 * ("did you mean"). Empty text is the defaults.
 * @example readConfigText('chekcs: {}\n').problems // [{ line: 1, column: 1, message: 'unknown key "chekcs"; did you mean "checks"?', suggestion: 'checks' }]
 */
export function readConfigText(text: string): ConfigReading {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { line, column: col, message: `${firstLine(error.message)}: fix the YAML syntax here` };
      }),
    };
  }
  const data = readAliasSafe(doc, lineCounter);
  if ('problem' in data) return { problems: [data.problem] };
  const result = configSchema.safeParse(data.value ?? {}, { reportInput: true });
  if (result.success) return { config: result.data, problems: [] };
  const problems = flattenIssues(result.error.issues, []).flatMap((issue) => describeIssue(issue));
  const located = problems.map(({ path, atKey, ...problem }) => ({
    ...locate(doc, lineCounter, path, atKey),
    ...problem,
  }));
  return {
    problems: located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)),
  };
}

/**
 * The document's value, or the problem of aliases that expand past {@link MAX_ALIAS_EXPANSION} values:
 * measured first, at the alias where they do, and the library's own alias limit set to the same bound.
 */
function readAliasSafe(
  doc: Document,
  lineCounter: LineCounter,
): { value: unknown } | { problem: ConfigProblem } {
  const { excess } = measureAliases(doc);
  try {
    if (!excess) return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION }) as unknown };
  } catch {
    // The library counts aliases its own way; past its limit it throws a ReferenceError without a place.
  }
  const { line, col } = lineCounter.linePos(excess?.range?.[0] ?? 0);
  return { problem: { line, column: col, message: TOO_MANY_ALIASES } };
}

/**
 * Zod reports a value that fits no branch of a union as one issue holding each branch's issues. The
 * branch the value's type fits with the fewest issues says what is wrong with it; when its type fits
 * none, one issue names the types expected.
 */
function flattenIssues(issues: readonly Issue[], prefix: readonly Segment[]): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union') return [{ ...issue, path }];
    const fitting = issue.errors.filter(
      (branch) => !branch.every((sub) => sub.code === 'invalid_type' && sub.path.length === 0),
    );
    // Of the branches the value's type fits, the one it misses by least is the one meant.
    const fewest = Math.min(...fitting.map((branch) => branch.length));
    const closest = fitting.filter((branch) => branch.length === fewest);
    if (closest.length > 0) return flattenIssues(closest.flat(), path);
    const expected = [
      ...new Set(issue.errors.flat().flatMap((sub) => (sub.code === 'invalid_type' ? [sub.expected] : []))),
    ];
    const received = /received (\w+)/.exec(issue.errors[0]?.[0]?.message ?? '')?.[1];
    const message = `expected ${expected.join(' or ')}${received ? `, not ${received}` : ''}`;
    return [{ ...issue, path, message }];
  });
}

interface PlacedProblem extends ConfigProblem {
  path: readonly Segment[];
  /** Point at the key itself (an unknown key is wrong where it is written, not at its value). */
  atKey: boolean;
}

/** One problem per issue, one per unknown key, with "did you mean" where a known name is close. */
function describeIssue(issue: Issue): PlacedProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = findKnownKeys(configSchema, issue.path);
    const what = issue.path.length === 1 && issue.path[0] === 'checks' ? 'check' : 'key';
    const under = issue.path.length === 0 || what === 'check' ? '' : ` in ${formatPath(issue.path)}`;
    return issue.keys.map((key) => {
      const suggestion = suggest(key, known);
      const hint =
        suggestion !== undefined
          ? `; did you mean "${suggestion}"?`
          : known.length > 0 && known.length <= 8
            ? ` (known: ${known.join(', ')})`
            : '';
      return {
        path: [...issue.path, key],
        atKey: true,
        message: `unknown ${what} "${key}"${under}${hint}`,
        ...(suggestion !== undefined ? { suggestion } : {}),
      };
    });
  }
  const where = issue.path.length === 0 ? '' : `${formatPath(issue.path)}: `;
  if (issue.code === 'invalid_value') {
    const values = issue.values.filter((value): value is string => typeof value === 'string');
    const written = valueAt(issue);
    const suggestion = typeof written === 'string' ? suggest(written, values) : undefined;
    return [
      {
        path: issue.path,
        atKey: false,
        message: `${where}${lowerFirst(issue.message)}${suggestion !== undefined ? `; did you mean "${suggestion}"?` : ''}`,
        ...(suggestion !== undefined ? { suggestion } : {}),
      },
    ];
  }
  if (issue.code === 'invalid_type') {
    const written = valueAt(issue);
    const message =
      written === undefined
        ? `required (${issue.expected})`
        : `expected ${issue.expected}, not ${written === null ? 'null' : Array.isArray(written) ? 'a list' : typeof written}`;
    return [{ path: issue.path, atKey: false, message: `${where}${message}` }];
  }
  return [{ path: issue.path, atKey: false, message: `${where}${lowerFirst(issue.message)}` }];
}

/** The value an issue is about, when zod kept it (`input`). */
function valueAt(issue: Issue): unknown {
  return (issue as { input?: unknown }).input;
}

/**
 * The closest of `candidates` to what was written: within a Levenshtein distance of a third of its
 * length (at least 2), else the one candidate it begins.
 * @example suggest('chekcs', ['checks', 'params']) // 'checks'
 */
export function suggest(written: string, candidates: readonly string[]): string | undefined {
  const maxDistance = Math.max(2, Math.floor(written.length / 3));
  const close = closestMatch(written, candidates, { maxDistance });
  if (close !== undefined) return close;
  const extended = candidates.filter((candidate) => candidate.startsWith(written) && written.length >= 3);
  return extended.length === 1 ? extended[0] : undefined;
}

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  options?: readonly unknown[];
  element?: unknown;
  valueType?: unknown;
}

/** The keys an object of the schema takes at `path` (every branch's, for a union). */
export function findKnownKeys(schema: unknown, path: readonly Segment[]): string[] {
  const def = (schema as { _zod: { def: Def } })._zod.def;
  const [head, ...rest] = path;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return findKnownKeys(def.innerType, path);
    case 'pipe':
      return findKnownKeys(def.in, path);
    case 'union':
      return [...new Set((def.options ?? []).flatMap((option) => findKnownKeys(option, path)))];
    case 'object': {
      if (head === undefined) return Object.keys(def.shape ?? {});
      const child = typeof head === 'string' ? def.shape?.[head] : undefined;
      return child === undefined ? [] : findKnownKeys(child, rest);
    }
    case 'array':
      return head === undefined ? [] : findKnownKeys(def.element, rest);
    case 'record':
      return head === undefined ? [] : findKnownKeys(def.valueType, rest);
    default:
      return [];
  }
}

/**
 * A path as a reader writes it.
 * @example formatPath(['datasets', 0, 'path']) // 'datasets[0].path'
 */
function formatPath(path: readonly Segment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * Finds where values of a config file are written: `(path) => { line, column }` for a path of keys and
 * list indexes (`['params', 0]`), `{}` for a path the text does not hold.
 * @example createConfigLocator('params: [a.yml, b.yml]\n')(['params', 1]) // { line: 1, column: 17 }
 */
export function createConfigLocator(
  text: string,
): (path: readonly Segment[]) => { line?: number; column?: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return (path) => locate(doc, lineCounter, path);
}

/** Line and column of the deepest node of `path` the document has (the key itself when `atKey`). */
function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly Segment[],
  atKey = false,
): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => {
        const key = item.key as { value?: unknown } | null;
        return key !== null && typeof key === 'object' && key.value === segment;
      });
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      if (atKey && index === path.length - 1) break;
      node = pair.value;
      offset = rangeStart(node) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return {};
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\s+at line \d+, column \d+:?$/, '').trim();
}

function lowerFirst(text: string): string {
  return text.length > 0 ? `${(text[0] ?? '').toLowerCase()}${text.slice(1)}` : text;
}
