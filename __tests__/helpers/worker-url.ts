/**
 * The profiling worker bundled from the sources by jest's global set-up
 * (`__tests__/setup/bundle-profile-worker.mjs`), for the engine's `workerUrl` option.
 */
export function testWorkerUrl(): URL {
  const href = process.env['TUNEGUARD_TEST_WORKER_URL'];
  if (!href) throw new Error('TUNEGUARD_TEST_WORKER_URL is not set: run the tests through jest.config.js');
  return new URL(href);
}
