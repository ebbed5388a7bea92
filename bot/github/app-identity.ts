import type { Probot } from 'probot';

/** Who the App is, read lazily and once per process. */
export interface AppIdentity {
  /** The App's numeric id, to tell its own check runs from others'. */
  appId: () => Promise<number>;
}

/**
 * Reads the App's id from its own credentials (the app JWT names it), without a request, on first
 * use; Probot keeps the id private. Cached, which is no state: the id never changes.
 */
export function createAppIdentity(app: Probot): AppIdentity {
  let appId: Promise<number> | undefined;
  return {
    appId: () => {
      appId ??= app
        .auth()
        .then((octokit) => octokit.auth({ type: 'app' }))
        .then((auth) => {
          const id = (auth as { appId?: unknown }).appId;
          if (typeof id !== 'number') throw new TypeError('The App credentials carry no numeric app id.');
          return id;
        })
        .catch((error: unknown) => {
          // A failure is not kept: the next event tries again.
          appId = undefined;
          throw error;
        });
      return appId;
    },
  };
}
