import { beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { computeConfigJsonSchema, readFieldDocs } from '../../scripts/config-json-schema.js';
import { CHECK_CATALOGUE } from '../../src/checks/check-catalogue.js';
import { readConfigText } from '../../src/config/find-config-problems.js';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const SCHEMA_URL = 'https://raw.githubusercontent.com/tuneguard/tuneguard/v1/schema/config.schema.json';

/** The YAML code block that follows the README's "## Configuration" heading. */
function readmeConfig(): string {
  const section = read('README.md').split('\n## Configuration\n')[1] ?? '';
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('no YAML block in the README configuration section');
  return match[1];
}

type Schema = { properties?: Record<string, Schema>; description?: string } & Record<string, unknown>;

/** Every property path of a JSON Schema, through unions, lists and maps. */
function propertyPaths(schema: unknown, path: string[] = []): [string, Schema][] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Schema;
  return [
    ...Object.entries(node.properties ?? {}).flatMap(([key, child]): [string, Schema][] => [
      [[...path, key].join('.'), child],
      ...propertyPaths(child, [...path, key]),
    ]),
    ...[...((node['anyOf'] as unknown[]) ?? []), node['items'], node['additionalProperties']].flatMap(
      (child) => propertyPaths(child, path),
    ),
  ];
}

describe('schema/config.schema.json', () => {
  const committed = JSON.parse(read('schema/config.schema.json')) as Schema;
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = new Ajv({ strict: false, allErrors: true }).compile(committed);
  });

  it('is what the zod schema and its JSDoc give (npm run schema)', () => {
    expect(committed).toEqual(computeConfigJsonSchema(read('src/config/schema.ts')));
  });

  it('is draft-07, which YAML editors read, and names every check', () => {
    expect(committed['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(committed.properties?.['checks']?.properties ?? {}).sort()).toEqual(
      Object.keys(CHECK_CATALOGUE).sort(),
    );
  });

  it('documents every key, and every documented field of schema.ts lands on one', () => {
    const paths = propertyPaths(committed);
    expect(paths.filter(([, node]) => typeof node.description !== 'string').map(([path]) => path)).toEqual(
      [],
    );
    const docs = readFieldDocs(read('src/config/schema.ts'));
    expect(docs.get('checks.data-shrink.max-drop')).toBe(
      "The largest share of a split's rows that may go (`5%` or `0.05`). Default 5%.",
    );
    expect(new Set(paths.map(([path]) => path))).toEqual(new Set(docs.keys()));
  });

  it('gives editors the defaults hidden behind a transform', () => {
    expect(
      committed.properties?.['checks']?.properties?.['data-shrink']?.properties?.['max-drop']?.['default'],
    ).toBe(0.05);
  });

  it.each([
    ['the README example', readmeConfig()],
    ['examples/tuneguard.yml', read('examples/tuneguard.yml')],
  ])('accepts %s, which tuneguard accepts too, and names the schema on its first line', (_, text) => {
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    expect(readConfigText(text).problems).toEqual([]);
    expect(validate(parse(text))).toBe(true);
  });

  it.each([
    ['a misspelt key', 'chekcs: {}\n', '/chekcs'],
    ['a misspelt check', 'checks:\n  data-shrnk: {}\n', '/checks/data-shrnk'],
    [
      'an amount that is no percentage',
      'checks:\n  data-shrink: { max-drop: lots }\n',
      '/checks/data-shrink/max-drop',
    ],
    [
      'a severity that does not exist',
      'checks:\n  data-shrink: { severity: fatal }\n',
      '/checks/data-shrink/severity',
    ],
  ])('refuses %s, as tuneguard does', (_, text, where) => {
    expect(readConfigText(text).problems).toHaveLength(1);
    expect(validate(parse(text))).toBe(false);
    const places = (validate.errors ?? []).map((error) =>
      error.keyword === 'additionalProperties'
        ? `${error.instancePath}/${String((error.params as { additionalProperty: string }).additionalProperty)}`
        : error.instancePath,
    );
    expect(places).toContain(where);
  });
});
