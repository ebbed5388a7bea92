// Jest's global set-up: bundles the profiling worker from the sources (with esbuild, as scripts/bundle.mjs
// bundles the Action) into a temporary folder, so tests that start worker threads run the code under
// test, never whatever lib/ last held. Tests read where it is from TUNEGUARD_TEST_WORKER_URL (see
// __tests__/helpers/worker-url.ts) and pass it to the engine as its `workerUrl` option.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export default async function bundleProfileWorker() {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const folder = mkdtempSync(join(tmpdir(), 'tuneguard-test-worker-'));
  const outfile = join(folder, 'profile-worker.mjs');
  await build({
    entryPoints: [join(root, 'src/profile/dataset/workers/profile-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle a require.
    banner: {
      js: "import { createRequire as __tuneguardCreateRequire } from 'node:module'; const require = __tuneguardCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  // Worker processes of jest inherit this process's environment.
  process.env.TUNEGUARD_TEST_WORKER_URL = pathToFileURL(outfile).href;
  process.env.TUNEGUARD_TEST_WORKER_FOLDER = folder;
}
