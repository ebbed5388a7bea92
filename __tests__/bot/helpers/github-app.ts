import { validate as validateGraphql } from '@octokit/graphql-schema';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import nock from 'nock';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probot, ProbotOctokit } from 'probot';
import tuneguardApp from '../../../bot/index.js';
import { expectDocumentedRequest, type RecordedRequest } from '../../helpers/github-openapi.js';

/** The test App's id: the JWT names it, and the App reads its own check runs by it. */
export const APP_ID = 4242;
export const API = 'https://api.github.com';

// One key per test file: generating an RSA key is the slow part of setting up a Probot.
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
/** The test App's private key (PEM). */
export const PRIVATE_KEY = privateKey;

/**
 * Probot's client as the tests run it: no retries and no throttling, so every request is seen once, at
 * once. The function form matters: Probot builds each client with its own `throttle` options, which
 * replace an object given to `defaults` wholesale (throttling stayed on, and spaced write requests a
 * second apart); a function sees Probot's options last and turns both off for good.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options['throttle'] as object | undefined), enabled: false },
}));

/** A Probot instance with the App loaded. A new one per test, so no installation token is cached across tests. */
export async function createTestProbot(): Promise<Probot> {
  const probot = new Probot({
    appId: APP_ID,
    privateKey: PRIVATE_KEY,
    logLevel: 'fatal',
    Octokit: TestOctokit,
  });
  await probot.load(tuneguardApp);
  return probot;
}

/** Delivers a webhook event to the App, as Probot's web server does after checking the signature. */
export async function deliver(probot: Probot, name: string, payload: unknown): Promise<void> {
  await probot.receive({ id: `delivery-${name}`, name, payload } as Parameters<Probot['receive']>[0]);
}

/** The GitHub REST and GraphQL API as the App sees it, with every request recorded and checked. */
export interface GitHubMock {
  /** Interceptors for `https://api.github.com`. */
  api: nock.Scope;
  /** Every request received, in order; bodies parsed from JSON. */
  requests: RecordedRequest[];
  /** Requests that are not in GitHub's published REST description or GraphQL schema. */
  problems: string[];
  /** The recorded requests with this method whose path (without the query) is `path`. */
  sent: (method: string, path: string) => RecordedRequest[];
  /** The body of the one request with this method and path; throws unless there is exactly one. */
  body: <T = Record<string, unknown>>(method: string, path: string) => T;
}

/**
 * Mocks GitHub's API. Every request is recorded, and checked: REST requests against GitHub's published
 * REST description (`expectDocumentedRequest`), GraphQL queries against GitHub's published GraphQL
 * schema (`@octokit/graphql-schema`). Call {@link expectGitHubDone} at the end of each test.
 */
export function mockGitHub(): GitHubMock {
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const api = nock(API);
  api.on('request', (req: { method: string; path: string }, _interceptor: unknown, rawBody: string) => {
    const body = rawBody === '' || rawBody === undefined ? undefined : (JSON.parse(rawBody) as unknown);
    const request: RecordedRequest = {
      method: req.method,
      path: req.path,
      ...(body !== undefined ? { body } : {}),
    };
    requests.push(request);
    try {
      if (req.path === '/graphql') {
        const { query } = body as { query: string };
        const errors = validateGraphql(query);
        if (errors.length > 0) throw new Error(`GraphQL: ${errors.map(String).join('; ')}`);
      } else {
        // The contents API's `{path}` holds slashes (sent as %2F); the description's template matches one
        // segment, so the encoded slashes are kept encoded for the match.
        expectDocumentedRequest({ ...request, path: request.path.replace(/%2F/gi, '%252F') });
      }
    } catch (error) {
      problems.push(`${req.method} ${req.path}: ${String(error)}`);
    }
  });
  const sent = (method: string, path: string) =>
    requests.filter((r) => r.method === method && r.path.split('?')[0] === path);
  return {
    api,
    requests,
    problems,
    sent,
    body: <T>(method: string, path: string): T => {
      const matching = sent(method, path);
      if (matching.length !== 1) throw new Error(`${matching.length} requests ${method} ${path}`);
      return matching[0]?.body as T;
    },
  };
}

/** Asserts the end of a test: every interceptor used, every request documented. */
export function expectGitHubDone(github: GitHubMock): void {
  if (github.problems.length > 0) throw new Error(github.problems.join('\n'));
  github.api.done();
}

/** Answers the installation token request that every event starts with. */
export function mockToken(github: GitHubMock, installationId: number): void {
  github.api.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token: 'ghs_installation_token',
    expires_at: '2099-01-01T00:00:00Z',
    permissions: { checks: 'write', pull_requests: 'write' },
    repository_selection: 'all',
  });
}

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

/**
 * A copy of an example payload from `@octokit/webhooks-examples`: the first of event `name` that
 * `pick` accepts.
 */
export function examplePayload<T>(name: string, pick: (payload: Record<string, unknown>) => boolean): T {
  const found = definitions
    .find((definition) => definition.name === name)
    ?.examples.find((example) => pick(example as Record<string, unknown>));
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found) as T;
}

/**
 * The `patch` GitHub's pull-request files API returns for a file changed from `before` to `after`:
 * git's own unified diff (3 lines of context, as GitHub shows), without the header lines.
 */
export function gitPatch(before: string | Buffer, after: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneguard-patch-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    let diff = '';
    try {
      execFileSync('git', ['diff', '--no-index', '--no-color', '-U3', 'a', 'b'], {
        cwd: dir,
        encoding: 'utf8',
      });
    } catch (error) {
      // `git diff --no-index` exits with 1 when the files differ.
      diff = (error as { stdout: string }).stdout;
    }
    return diff.slice(diff.indexOf('@@')).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bytes of a fixture, by its path under `__tests__/fixtures/`. */
export function fixture(path: string): Buffer {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));
}
