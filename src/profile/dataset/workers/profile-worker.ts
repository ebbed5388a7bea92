import { parentPort, workerData } from 'node:worker_threads';
import { profilePieces, type WorkerMessage, type WorkerTask } from './profile-in-workers.js';

// The entry of a profiling worker thread: profiles its pieces and posts the profile state back, its
// large arrays transferred rather than copied.
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void =>
  parentPort?.postMessage(message, transfer);
let last = 0;
const task = workerData as WorkerTask;
profilePieces(task, (bytes, rows, profiler) => {
  if (bytes - last < 8 * 2 ** 20) return;
  last = bytes;
  post({ kind: 'progress', bytes, rows });
  if (task.deferTokens) post({ kind: 'tokens', ...profiler.takePendingTokens() });
}).then(
  (profiler) => {
    if (task.deferTokens) post({ kind: 'tokens', ...profiler.takePendingTokens() });
    const state = profiler.toState();
    post({ kind: 'progress', bytes: profiler.bytes, rows: profiler.rows });
    post({ kind: 'done', state }, profiler.transferables(state));
  },
  (error: unknown) =>
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
);
