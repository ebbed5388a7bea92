import { createRequire } from 'node:module';

/**
 * A stand-in for the `undici` package, for `jest.unstable_mockModule('undici', …)`: everything is the
 * real module except `fetch`, which goes through Node's global fetch. @actions/github sends its requests
 * with undici's own fetch, which opens sockets itself and so escapes nock; the global fetch is what nock
 * intercepts. The requests, their headers and bodies are unchanged. (Without a proxy, the `dispatcher`
 * @actions/github passes is undefined, so dropping it changes nothing.)
 */
export function createUndiciThroughFetch(): Record<string, unknown> {
  const actual = createRequire(import.meta.url)('undici') as Record<string, unknown>;
  return {
    ...actual,
    fetch: (input: string | URL | Request, init?: RequestInit & { dispatcher?: unknown }) => {
      const { dispatcher: _dispatcher, ...rest } = init ?? {};
      return globalThis.fetch(input, rest);
    },
  };
}
