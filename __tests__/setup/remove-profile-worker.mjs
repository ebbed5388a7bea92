// Jest's global tear-down: removes the worker bundle of bundle-profile-worker.mjs.
import { rmSync } from 'node:fs';

export default function removeProfileWorker() {
  const folder = process.env.TUNEGUARD_TEST_WORKER_FOLDER;
  if (folder) rmSync(folder, { recursive: true, force: true });
}
