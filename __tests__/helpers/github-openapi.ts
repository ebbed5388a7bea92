import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export may sit one level down.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface Parameter {
  name?: string;
  in?: string;
  required?: boolean;
  $ref?: string;
}
type Schema = Record<string, unknown>;
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    examples: Record<string, { value: unknown }>;
  };
}

let spec: OpenApi | undefined;
let templates: { regex: RegExp; path: string }[] | undefined;

/** GitHub's published REST description (api.github.com), from @octokit/openapi. Loaded once per test file. */
function loadSpec(): OpenApi {
  if (!spec) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    spec = JSON.parse(readFileSync(file, 'utf8')) as OpenApi;
    templates = Object.keys(spec.paths)
      .map((path) => ({
        path,
        // `{path}` (repository contents) spans folders; every other parameter is one segment.
        regex: new RegExp(
          `^${path
            .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
            .replace(/\{path\}/g, '.+')
            .replace(/\{[^}]+\}/g, '[^/]+')}$`,
        ),
      }))
      // Literal segments win over parameters: /repos/{o}/{r}/check-runs before /repos/{o}/{r}/{x}.
      .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  }
  return spec;
}

/**
 * A copy of an example response from GitHub's published REST description, such as
 * `commit-comparison` (the compare API's answer): what GitHub documents it sends.
 */
export function documentedExample<T>(name: string): T {
  const example = loadSpec().components.examples[name];
  if (!example) throw new Error(`GitHub's REST description has no example ${name}`);
  return structuredClone(example.value) as T;
}

/** A request as a test saw it at the HTTP boundary. */
export interface RecordedRequest {
  method: string;
  /** Path with query, as sent (e.g. `/repos/o/r/issues/1/comments?per_page=100`); any API prefix is stripped by the caller. */
  path: string;
  body?: unknown;
}

/**
 * Finds the documented operation for a request, or explains why none matches. Checks that the method
 * and path exist, that every query parameter is documented, and that the JSON body validates against
 * the documented request schema (unknown fields rejected). Returns the operation id.
 * @example expectDocumentedRequest({ method: 'POST', path: '/repos/o/r/issues/1/comments', body: { body: 'hi' } }) // 'issues/create-comment'
 */
export function expectDocumentedRequest(request: RecordedRequest): string {
  const api = loadSpec();
  const [, query = ''] = request.path.split('?');
  const operation = findOperation(request);

  const parameters = (operation.parameters ?? []).map((p) => resolveParameter(api, p));
  const documentedQuery = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of new URLSearchParams(query).keys()) {
    if (!documentedQuery.has(name)) {
      throw new Error(`${operation.operationId}: query parameter "${name}" is not documented`);
    }
  }

  const schema = operation.requestBody?.content?.['application/json']?.schema;
  if (request.body !== undefined && request.body !== '' && schema) {
    const resolved = closeObjects(resolveRefs(api, schema, new Set()));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(resolved as Record<string, unknown>);
    if (!validate(request.body)) {
      throw new Error(
        `${operation.operationId}: body does not match GitHub's schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(request.body).slice(0, 500)}`,
      );
    }
  } else if (request.body !== undefined && request.body !== '' && !schema) {
    throw new Error(`${operation.operationId} takes no JSON body, but one was sent`);
  }
  return operation.operationId;
}

function findOperation(request: Pick<RecordedRequest, 'method' | 'path'>): Operation {
  const api = loadSpec();
  const [pathname = ''] = request.path.split('?');
  const decoded = decodeURIComponent(pathname);
  const match = templates?.find(
    (t) => t.regex.test(decoded) && api.paths[t.path]?.[request.method.toLowerCase()],
  );
  if (!match) throw new Error(`${request.method} ${pathname} is not an operation of GitHub's REST API`);
  return api.paths[match.path]?.[request.method.toLowerCase()] as Operation;
}

/**
 * The JSON schema GitHub documents for an operation's answer with `status` (`$ref`s resolved;
 * `undefined` for an answer without a body, such as a 204). Throws when the operation does not
 * document that status, so a local stand-in cannot answer what GitHub never would.
 * @example documentedResponse({ method: 'DELETE', path: '/repos/o/r/issues/comments/1' }, 204) // undefined
 */
export function documentedResponse(
  request: Pick<RecordedRequest, 'method' | 'path'>,
  status: number,
): Schema | undefined {
  const api = loadSpec();
  const operation = findOperation(request);
  const response = operation.responses?.[String(status)];
  if (!response) {
    throw new Error(
      `${operation.operationId} documents no ${status} answer (only ${Object.keys(operation.responses ?? {}).join(', ')})`,
    );
  }
  const schema = response.content?.['application/json']?.schema;
  return schema === undefined ? undefined : (resolveRefs(api, schema, new Set()) as Schema);
}

function resolveParameter(api: OpenApi, parameter: Parameter): Parameter {
  if (!parameter.$ref) return parameter;
  const name = parameter.$ref.split('/').pop() ?? '';
  return api.components.parameters[name] ?? parameter;
}

function resolveRefs(api: OpenApi, schema: unknown, seen: Set<string>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => resolveRefs(api, item, seen));
  if (typeof schema !== 'object' || schema === null) return schema;
  const ref = (schema as { $ref?: string }).$ref;
  if (ref) {
    if (seen.has(ref)) return {};
    const target = api.components.schemas[ref.split('/').pop() ?? ''];
    return resolveRefs(api, target, new Set([...seen, ref]));
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, resolveRefs(api, value, seen)]),
  );
}

/** Request objects that list their properties reject others, so an invented body field fails the test. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closeObjects(value)]));
  if (copy['type'] === 'object' && copy['properties'] && copy['additionalProperties'] === undefined) {
    copy['additionalProperties'] = false;
  }
  return copy;
}
