import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeMiddleware, createProbot, type Probot } from 'probot';
import { AppOctokit } from '../github/octokit.js';
import tuneguardApp from '../index.js';
import { createDeliveryGuard } from './guard-deliveries.js';

/** A Node.js request handler that answers GitHub's webhook deliveries, as a serverless function exports it. */
export type WebhookHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: Error) => void,
  // The shape of Node's and Express's middleware, which may return nothing.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
) => boolean | void | Promise<void | boolean>;

/**
 * The App as a `(request, response)` handler for serverless platforms and existing Node servers, built
 * with Probot's `createNodeMiddleware`. By default Probot is configured from the environment
 * (`APP_ID`, `PRIVATE_KEY`, `WEBHOOK_SECRET`) and deliveries are taken at `/api/github/webhooks`. They
 * go through `createDeliveryGuard` first: a body over GitHub's 25 MB cap is refused with 413 before it
 * is read whole, and one whose signature does not match the secret with 400 and one short log line,
 * before any handler runs (a host that has read the body already keeps its own limits).
 * Requests to other paths go to `next` (or end as not handled). The default Probot's client is
 * `AppOctokit` (GitHub's secondary rate limit retried, bounded).
 * @example export default await createMiddleware(); // e.g. api/github/webhooks.js on a serverless host
 */
export async function createMiddleware(
  options: { probot?: Probot; webhooksPath?: string } = {},
): Promise<WebhookHandler> {
  const probot = options.probot ?? createProbot({ defaults: { Octokit: AppOctokit } });
  const handler = await createNodeMiddleware(tuneguardApp, {
    probot,
    ...(options.webhooksPath !== undefined ? { webhooksPath: options.webhooksPath } : {}),
  });
  const guard = createDeliveryGuard(probot, options.webhooksPath || probot.webhookPath);
  return async (request, response, next) =>
    (await guard(request, response)) || handler(request, response, next);
}
