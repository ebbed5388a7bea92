import ts from 'typescript';
import { z } from 'zod';
import { configSchema } from '../src/config/schema.js';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft-07, which every YAML editor reads) of `.github/tuneguard.yml`, generated from
 * the zod schema, with each field's JSDoc in `src/config/schema.ts` as its `description`, so editors show
 * the reference on hover. `source` is that file's text. Throws when a documented field is not in the
 * generated schema, so the two cannot drift apart.
 */
export function computeConfigJsonSchema(source: string): JsonSchema {
  const generated = z.toJSONSchema(configSchema, {
    io: 'input',
    target: 'draft-07',
    unrepresentable: 'any',
    // A default behind a transform (`max-drop: 5%`) is left out of the input schema: its value, a
    // number, is valid input too, and editors offer it.
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def as { type: string; defaultValue?: unknown };
      if (def.type === 'default' && jsonSchema.default === undefined) jsonSchema.default = def.defaultValue;
    },
  }) as JsonSchema;
  const docs = readFieldDocs(source);
  const applied = new Set<string>();
  describeFields(generated, [], docs, applied);
  const missing = [...docs.keys()].filter((key) => !applied.has(key));
  if (missing.length > 0)
    throw new Error(`documented in schema.ts but not in the JSON Schema: ${missing.join(', ')}`);
  return {
    $schema: generated['$schema'],
    title: 'tuneguard config',
    description:
      'The configuration of tuneguard, `.github/tuneguard.yml`: every key is optional. It is read at the merge-base of a pull request, never from its head.',
    ...generated,
  };
}

/**
 * The JSDoc of every field of the config schema, keyed by its dotted path (`checks.data-shrink.max-drop`):
 * fields of an object literal, through the constants (`checksSchema`) and functions (`check`) they use.
 */
export function readFieldDocs(source: string): Map<string, string> {
  const file = ts.createSourceFile('schema.ts', source, ts.ScriptTarget.Latest, true);
  const declarations = new Map<string, ts.Node>();
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) {
          declarations.set(declaration.name.text, declaration.initializer);
        }
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      declarations.set(statement.name.text, statement.body);
    }
  }
  const docs = new Map<string, string>();
  const walk = (node: ts.Node, prefix: readonly string[], seen: ReadonlySet<string>): void => {
    if (ts.isPropertyAssignment(node)) {
      const name = propertyName(node.name);
      if (name !== undefined) {
        const path = [...prefix, name];
        const doc = jsDocText(node);
        if (doc !== undefined) docs.set(path.join('.'), doc);
        walk(node.initializer, path, seen);
        return;
      }
    }
    if (ts.isIdentifier(node) && declarations.has(node.text) && !seen.has(node.text)) {
      walk(declarations.get(node.text) as ts.Node, prefix, new Set([...seen, node.text]));
      return;
    }
    ts.forEachChild(node, (child) => walk(child, prefix, seen));
  };
  walk(declarations.get('configSchema') as ts.Node, [], new Set(['configSchema']));
  return docs;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** A field's JSDoc as one paragraph, with its `@example` after it. */
function jsDocText(node: ts.Node): string | undefined {
  const jsDoc = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).at(-1);
  if (!jsDoc) return undefined;
  const text = ts.getTextOfJSDocComment(jsDoc.comment) ?? '';
  const examples = (jsDoc.tags ?? [])
    .filter((tag) => tag.tagName.text === 'example')
    .map((tag) => `Example: ${ts.getTextOfJSDocComment(tag.comment) ?? ''}`);
  const joined = [text, ...examples].join(' ').replace(/\s+/g, ' ').trim();
  return joined === '' ? undefined : joined;
}

/** Sets `description` on every property whose path has a JSDoc, through unions, lists and maps. */
function describeFields(
  schema: unknown,
  path: readonly string[],
  docs: ReadonlyMap<string, string>,
  applied: Set<string>,
): void {
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as JsonSchema;
  const properties = node['properties'] as Record<string, JsonSchema> | undefined;
  for (const [key, property] of Object.entries(properties ?? {})) {
    const fieldPath = [...path, key];
    const doc = docs.get(fieldPath.join('.'));
    if (doc !== undefined) {
      property['description'] = doc;
      applied.add(fieldPath.join('.'));
    }
    describeFields(property, fieldPath, docs, applied);
  }
  for (const branch of [...((node['anyOf'] as unknown[]) ?? []), ...((node['oneOf'] as unknown[]) ?? [])]) {
    describeFields(branch, path, docs, applied);
  }
  describeFields(node['items'], path, docs, applied);
  describeFields(node['additionalProperties'], path, docs, applied);
}
