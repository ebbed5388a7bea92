// Jest's global set-up, run once before any test file: what the tests run must be built first.
import bundleProfileWorker from './bundle-profile-worker.mjs';
import ensureBuiltAction from './ensure-built-action.mjs';

export default async function globalSetup() {
  await bundleProfileWorker();
  ensureBuiltAction();
}
