import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../model/errors.js';
import { configSchema, type Config } from './schema.js';

/** Where tuneguard looks for its configuration in a repository. */
export const DEFAULT_CONFIG_PATH = '.github/tuneguard.yml';

/**
 * Parses the text of a tuneguard configuration file into a typed config with defaults filled in.
 * Empty text gives the defaults. Throws a `ConfigError` naming the file, the line and the problem.
 * @example parseConfig('checks:\n  data-shrink: { max-drop: 10% }', '.github/tuneguard.yml')
 */
export function parseConfig(text: string, path: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lineCounter.linePos(yamlError.pos[0]).line;
    throw new ConfigError(
      `Invalid config in ${path}:${line}: ${firstLine(yamlError.message)}. Fix the YAML syntax on that line.`,
      path,
      line,
      { cause: yamlError },
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;

  const issue = result.error.issues[0];
  // An unknown key is reported on its parent; point at the key itself, where the typo is.
  const issuePath =
    issue?.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue?.path;
  const line = issuePath
    ? lineOf(doc, lineCounter, issuePath, issue?.code === 'unrecognized_keys')
    : undefined;
  const where = line === undefined ? path : `${path}:${line}`;
  throw new ConfigError(`Invalid config in ${where}:\n${z.prettifyError(result.error)}`, path, line, {
    cause: result.error,
  });
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\s+at line \d+, column \d+:?$/, '').trim();
}

/** Line of the deepest node of `path` that exists in the document (the key for an unknown key). */
function lineOf(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): number | undefined {
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
      // An unknown key is wrong where it is written, not where its (block) value starts.
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
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
