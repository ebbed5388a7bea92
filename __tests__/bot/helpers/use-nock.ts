import { afterAll, beforeAll } from '@jest/globals';
import nock from 'nock';

/**
 * Puts GitHub behind nock for one test file: no real connection (but to `allow`, e.g. `127.0.0.1` for a
 * local server) while it runs, and, once it has run, nock taken off Node's `http` and `fetch` again.
 * The last step matters: Jest runs several files in one worker, and nock patches Node's own modules,
 * which outlive a file's module registry; left on, it would refuse the next file's requests to its
 * local GitHub. Each file still asserts its scopes done and cleans them in its own `afterEach`.
 */
export function useNock(allow?: string): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    if (allow !== undefined) nock.enableNetConnect(allow);
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
}
