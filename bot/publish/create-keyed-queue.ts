/** Runs tasks one after another per key; tasks of different keys run side by side. */
export interface KeyedQueue {
  /** Runs `task` once every task queued before it under `key` has settled; resolves or rejects as `task` does. */
  run: <T>(key: string, task: () => Promise<T>) => Promise<T>;
}

/**
 * A queue that serialises the App's work on one thing (a check run of one commit) within this process,
 * so deliveries of the same event that arrive together (GitHub's redelivery, a retried hook) are handled
 * one after the other: the second then finds what the first recorded on GitHub and stops. Keys are
 * forgotten once their last task settles.
 */
export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run: <T>(key: string, task: () => Promise<T>): Promise<T> => {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
