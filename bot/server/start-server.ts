import { run, type Server } from 'probot';
import { AppOctokit } from '../github/octokit.js';
import tuneguardApp from '../index.js';

/**
 * Starts the App's web server the way `probot run` does, from environment variables (`APP_ID`,
 * `PRIVATE_KEY` or `PRIVATE_KEY_PATH`, `WEBHOOK_SECRET`, `PORT`, `HOST`, `WEBHOOK_PATH`, `LOG_LEVEL`; a
 * `.env` file in the working directory is read first). Without `APP_ID` and a key (and not in
 * production), it serves Probot's set-up page instead, which registers the App from `app.yml`.
 * Deliveries whose `X-Hub-Signature-256` does not match `WEBHOOK_SECRET` are refused before any handler
 * runs. The App's client is {@link AppOctokit} (GitHub's secondary rate limit retried, bounded) unless
 * `options.Octokit` says otherwise.
 */
export function startServer(
  env: NodeJS.ProcessEnv = process.env,
  options: Omit<NonNullable<Parameters<typeof run>[1]>, 'env'> = {},
): Promise<Server> {
  return run(tuneguardApp, { Octokit: AppOctokit, ...options, env });
}
