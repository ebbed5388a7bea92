import type { IncomingMessage, ServerResponse } from 'node:http';
import { run, type ApplicationFunction, type Server } from 'probot';
import { AppOctokit } from '../github/octokit.js';
import tuneguardApp from '../index.js';
import { createDeliveryGuard } from './guard-deliveries.js';

/**
 * Starts the App's web server the way `probot run` does, from environment variables (`APP_ID`,
 * `PRIVATE_KEY` or `PRIVATE_KEY_PATH`, `WEBHOOK_SECRET`, `PORT`, `HOST`, `WEBHOOK_PATH`, `LOG_LEVEL`; a
 * `.env` file in the working directory is read first). Without `APP_ID` and a key (and not in
 * production), it serves Probot's set-up page instead, which registers the App from `app.yml`.
 * Deliveries go through `createDeliveryGuard` first: a body over GitHub's 25 MB cap is refused with 413
 * before it is read whole, and one whose `X-Hub-Signature-256` does not match `WEBHOOK_SECRET` with 400
 * and one short log line, before any handler runs. The App's client is {@link AppOctokit} (GitHub's
 * secondary rate limit retried, bounded) unless `options.Octokit` says otherwise.
 */
export function startServer(
  env: NodeJS.ProcessEnv = process.env,
  options: Omit<NonNullable<Parameters<typeof run>[1]>, 'env'> = {},
): Promise<Server> {
  return run(guardedApp, { Octokit: AppOctokit, ...options, env });
}

/** The App, with the delivery guard put in front of Probot's webhook middleware. */
const guardedApp: ApplicationFunction = (probot) => {
  // Probot's Server asks this instance for its webhook middleware when it starts and runs it first for
  // every request, with no hook before it: wrapping that one method is what puts the guard in front,
  // while the Server keeps the rest (`/ping`, the smee.io proxy, `.env`, request logs).
  const middleware = probot.getNodeMiddleware.bind(probot);
  probot.getNodeMiddleware = async (middlewareOptions = {}) => {
    const handler = await middleware(middlewareOptions);
    const guard = createDeliveryGuard(probot, middlewareOptions.path || probot.webhookPath);
    return async (request: IncomingMessage, response: ServerResponse, next?: Parameters<typeof handler>[2]) =>
      (await guard(request, response)) || (handler(request, response, next) as Promise<boolean>);
  };
  tuneguardApp(probot);
};
