import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot, type Server } from 'probot';
import { createMiddleware } from '../../../bot/server/create-middleware.js';
import { startServer } from '../../../bot/server/start-server.js';
import {
  HEAD_SHA,
  INSTALLATION_ID,
  MERGE_BASE_SHA,
  mockMergeBase,
  pullRequestEvent,
  REPO_PATH,
} from '../helpers/events.js';
import {
  APP_ID,
  expectGitHubDone,
  mockGitHub,
  mockToken,
  PRIVATE_KEY,
  TestOctokit,
  type GitHubMock,
} from '../helpers/github-app.js';
import { useNock } from '../helpers/use-nock.js';
import { freePort } from '../../helpers/free-port.js';
import { signDelivery } from '../helpers/sign-delivery.js';

/*
 * The App behind a real HTTP server on 127.0.0.1, as GitHub reaches it: deliveries signed with the
 * webhook secret (HMAC-SHA256 of the body, `X-Hub-Signature-256`, computed here with node:crypto) are
 * handled; forged or unsigned ones are refused with a 4xx before any handler runs, so no API call is made.
 */

const SECRET = 'webhook-secret-for-tests';
let github: GitHubMock;

useNock('127.0.0.1');
afterEach(() => {
  expectGitHubDone(github);
  nock.cleanAll();
});

const sign = (body: string | Buffer, secret = SECRET): string => signDelivery(body, secret);

function post(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-1',
      ...headers,
    },
  });
}

/** Mocks what a handled pull_request.opened delivery sends to GitHub. */
function mockHandledDelivery() {
  github = mockGitHub();
  mockToken(github, INSTALLATION_ID);
  mockMergeBase(github);
  github.api
    .get(`${REPO_PATH}/contents/.github%2Ftuneguard.yml`)
    .query({ ref: MERGE_BASE_SHA })
    .reply(404, { message: 'Not Found' });
  github.api.post(`${REPO_PATH}/check-runs`).reply(201, { id: 71, html_url: null });
}

describe('the server started by `npm run bot` (bot/server/start.ts → startServer)', () => {
  let server: Server;
  let url: string;
  const body = JSON.stringify(pullRequestEvent('opened'));

  beforeAll(async () => {
    const port = await freePort();
    server = await startServer(
      {
        APP_ID: String(APP_ID),
        PRIVATE_KEY,
        WEBHOOK_SECRET: SECRET,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'fatal',
      },
      { Octokit: TestOctokit },
    );
    url = `http://127.0.0.1:${server.port}/api/github/webhooks`;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('handles a correctly signed delivery: the check run is created', async () => {
    mockHandledDelivery();
    const response = await post(url, body, { 'x-hub-signature-256': sign(body) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');
    expect(github.body('POST', `${REPO_PATH}/check-runs`)).toMatchObject({
      head_sha: HEAD_SHA,
      status: 'in_progress',
    });
  });

  it.each([
    ['signed with another secret', { 'x-hub-signature-256': sign(body, 'not-the-secret') }],
    [
      'with the signature of another body',
      { 'x-hub-signature-256': sign(body.replace('"opened"', '"closed"')) },
    ],
    ['unsigned', {}],
  ])('refuses a delivery %s with a 4xx, before any API call', async (_, headers: Record<string, string>) => {
    github = mockGitHub();
    const response = await post(url, body, headers);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(github.requests).toEqual([]);
  });
});

describe('the serverless handler (bot/create-middleware.ts) in a plain Node server', () => {
  let http: HttpServer;
  let url: string;
  const body = JSON.stringify(pullRequestEvent('opened'));

  beforeAll(async () => {
    const probot = new Probot({
      appId: APP_ID,
      privateKey: PRIVATE_KEY,
      secret: SECRET,
      logLevel: 'fatal',
      Octokit: TestOctokit,
    });
    const handler = await createMiddleware({ probot, webhooksPath: '/api/github/webhooks' });
    http = createServer((request, response) => {
      void handler(request, response, () => response.writeHead(404).end());
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/github/webhooks`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('handles a signed delivery and refuses a forged one', async () => {
    mockHandledDelivery();
    const handled = await post(url, body, { 'x-hub-signature-256': sign(body) });
    expect(handled.status).toBe(200);
    expect(github.sent('POST', `${REPO_PATH}/check-runs`)).toHaveLength(1);

    const before = github.requests.length;
    const forged = await post(url, body, { 'x-hub-signature-256': sign(body, 'forged') });
    expect(forged.status).toBe(400);
    expect(github.requests).toHaveLength(before);
  });
});
