import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { connect } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Probot, type Logger } from 'probot';
import { createMiddleware } from '../../../bot/server/create-middleware.js';
import { MAX_DELIVERY_BYTES } from '../../../bot/server/guard-deliveries.js';
import { startServer } from '../../../bot/server/start-server.js';
import { pullRequestEvent } from '../helpers/events.js';
import {
  APP_ID,
  expectGitHubDone,
  mockGitHub,
  PRIVATE_KEY,
  TestOctokit,
  type GitHubMock,
} from '../helpers/github-app.js';
import { useNock } from '../helpers/use-nock.js';
import { signDelivery } from '../helpers/sign-delivery.js';

/*
 * Deliveries meant to hurt the App, sent over raw sockets to its real server on 127.0.0.1: bodies over
 * GitHub's 25 MB cap, announced or streamed without a length, and forged signatures on large bodies.
 * Both ways the App is served are tried; the log is captured (Probot's pino logger writing into an array).
 */

const SECRET = 'webhook-secret-for-tests';
const MB = 1024 * 1024;
const WEBHOOKS = '/api/github/webhooks';

/** A running server with the App, and how to stop it. */
interface Running {
  port: number;
  stop: () => Promise<void>;
}

/** The two ways the App is served, each given the logger to write to. */
const SERVERS: [string, (logger: Logger) => Promise<Running>][] = [
  [
    'the server of `npm start` (startServer)',
    async (logger) => {
      const started = await startServer(
        // PORT=0 would not do: Probot's Server takes 0 as unset and listens on 3000.
        {
          APP_ID: String(APP_ID),
          PRIVATE_KEY,
          WEBHOOK_SECRET: SECRET,
          HOST: '127.0.0.1',
          PORT: String(await freePort()),
        },
        { Octokit: TestOctokit, log: logger },
      );
      return { port: started.port, stop: () => started.stop() };
    },
  ],
  [
    'the serverless handler (createMiddleware) in a plain Node server',
    async (logger) => {
      const probot = new Probot({
        appId: APP_ID,
        privateKey: PRIVATE_KEY,
        secret: SECRET,
        log: logger,
        Octokit: TestOctokit,
      });
      const handler = await createMiddleware({ probot });
      const http = createServer((request, response) => {
        void handler(request, response, () => response.writeHead(404).end());
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      return {
        port: (http.address() as AddressInfo).port,
        stop: () => new Promise<void>((resolve) => http.close(() => resolve())),
      };
    },
  ],
];

let github: GitHubMock;
let port: number;
const log: string[] = [];

useNock('127.0.0.1');
beforeEach(() => {
  github = mockGitHub();
  log.length = 0;
});
afterEach(() => {
  expectGitHubDone(github);
  nock.cleanAll();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

const sign = (body: string | Buffer, secret = SECRET): string => signDelivery(body, secret);

/** A `pull_request` delivery of `body` to the server under test, signed with a secret that is not the App's. */
function postForged(body: string, delivery: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${WEBHOOKS}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': sign(body, 'not-the-secret'),
    },
  });
}

/** What came of an upload: the status the server answered, and how much body had been written by then. */
interface Upload {
  status: number;
  /** Body bytes the client had written when the server's answer arrived. */
  writtenAtAnswer: number;
  /** Body bytes written in all, until the server closed the connection or the body was sent. */
  written: number;
  /** The most `process.memoryUsage().arrayBuffers` grew over its value before the upload. */
  bufferGrowth: number;
}

/**
 * Sends a delivery's head, then up to `bodyBytes` of body in 64 KiB pieces (in chunked encoding when no
 * `content-length` is given), as fast as the server takes them, until all is sent or the server closes.
 */
function upload(headers: Record<string, string>, bodyBytes: number): Promise<Upload> {
  const chunked = headers['content-length'] === undefined;
  const piece = Buffer.alloc(64 * 1024, 'a');
  const head = [
    `POST ${WEBHOOKS} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    'content-type: application/json',
    'x-github-event: pull_request',
    'x-github-delivery: d-flood',
    ...(chunked ? ['transfer-encoding: chunked'] : []),
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const before = process.memoryUsage().arrayBuffers;
    let bufferGrowth = 0;
    let answer = '';
    let writtenAtAnswer = -1;
    let written = 0;
    let closed = false;
    socket.on('data', (data: Buffer) => {
      if (writtenAtAnswer < 0) writtenAtAnswer = written;
      answer += data.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0),
        writtenAtAnswer,
        written,
        bufferGrowth,
      });
    });
    const pump = () => {
      while (!closed && written < bodyBytes) {
        const size = Math.min(piece.length, bodyBytes - written);
        written += size;
        if (written % MB === 0)
          bufferGrowth = Math.max(bufferGrowth, process.memoryUsage().arrayBuffers - before);
        const data = piece.subarray(0, size);
        // Every write is made (a short-circuit would leave a chunk without its frame); any full buffer waits.
        const writes = chunked
          ? [socket.write(`${size.toString(16)}\r\n`), socket.write(data), socket.write('\r\n')]
          : [socket.write(data)];
        const more = writes.every(Boolean);
        if (!more) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!closed) socket.end(chunked ? '0\r\n\r\n' : '');
    };
    socket.write(`${head}\r\n\r\n`, pump);
  });
}

/** The log's lines that are not Probot's own request lines (`pino-http`), parsed. */
function appLines(): { level: number; msg: string }[] {
  return log
    .map((line) => JSON.parse(line) as { level: number; msg: string; name?: string })
    .filter((line) => line.name !== 'http');
}

describe.each(SERVERS)('%s', (_name, start) => {
  let running: Running;
  beforeAll(async () => {
    running = await start(pino({ level: 'info' }, { write: (line: string) => log.push(line) }));
    port = running.port;
  });
  afterAll(async () => {
    await running.stop();
  });

  describe('a delivery over GitHub’s 25 MB cap', () => {
    it('is refused with 413 from its content-length, before any of the body is sent', async () => {
      // The head announces 30 MB and no byte of body follows: the answer cannot have waited for it.
      const result = await upload({ 'content-length': String(30 * MB), 'x-hub-signature-256': sign('x') }, 0);
      expect(result.status).toBe(413);
      expect(result.written).toBe(0);
      expect(github.requests).toEqual([]);
      expect(appLines().map((line) => line.msg)).toEqual([
        "Refused webhook delivery d-flood (pull_request): its body is over GitHub's 25 MB cap",
      ]);
    });

    it('is refused with 413 when streamed without a content-length, once it passes the cap', async () => {
      // 200 MB offered; the server stops reading at the cap and closes the connection.
      const result = await upload({ 'x-hub-signature-256': sign('x') }, 200 * MB);
      expect(result.status).toBe(413);
      expect(result.writtenAtAnswer).toBeGreaterThan(MAX_DELIVERY_BYTES);
      // What the client wrote past the cap sits in socket buffers (a few MB on loopback), not in the App.
      expect(result.written).toBeLessThan(MAX_DELIVERY_BYTES + 32 * MB);
      // Loose: before, the whole 200 MB was buffered and then copied into one array (400 MB at the peak).
      expect(result.bufferGrowth).toBeLessThan(100 * MB);
      expect(github.requests).toEqual([]);
      expect(appLines().map((line) => line.msg)).toEqual([
        "Refused webhook delivery d-flood (pull_request): its body is over GitHub's 25 MB cap",
      ]);
    });

    it('takes no more body than a content-length that understates it: the rest is no part of it', async () => {
      // Says 1 KB, sends 30 MB: Node's parser ends the body at 1 KB; the signature (of the 1 KB the
      // server read) fails, and the bytes after it are no request, so the connection is closed.
      const result = await upload({ 'content-length': '1024', 'x-hub-signature-256': sign('x') }, 30 * MB);
      expect(result.status).toBe(400);
      expect(result.written).toBeLessThan(30 * MB);
      expect(github.requests).toEqual([]);
      expect(appLines().map((line) => line.msg)).toEqual([
        'Refused webhook delivery d-flood (pull_request): its X-Hub-Signature-256 does not match the webhook secret',
      ]);
    });
  });

  describe('a forged signature', () => {
    it('on a 20 MB body gets 400, no API call and one short log line without the payload', async () => {
      const marker = 'PAYLOAD-MARKER-';
      const event = pullRequestEvent('opened');
      const body = JSON.stringify({ ...event, pad: marker.repeat(Math.ceil((20 * MB) / marker.length)) });
      const response = await postForged(body, 'd-forged');
      expect(response.status).toBe(400);
      expect(github.requests).toEqual([]);
      expect(appLines().map((line) => line.msg)).toEqual([
        'Refused webhook delivery d-forged (pull_request): its X-Hub-Signature-256 does not match the webhook secret',
      ]);
      const logged = log.join('');
      expect(logged).not.toContain(marker);
      // Probot's request line and the refusal, each under 1 KB.
      expect(log.every((line) => line.length < 1024)).toBe(true);
    });
  });
});

describe('the serverless handler behind a host that keeps the raw body (as Google Cloud Functions does)', () => {
  let http: Server;
  beforeAll(async () => {
    const probot = new Probot({
      appId: APP_ID,
      privateKey: PRIVATE_KEY,
      secret: SECRET,
      log: pino({ level: 'info' }, { write: (line: string) => log.push(line) }),
      Octokit: TestOctokit,
    });
    const handler = await createMiddleware({ probot });
    // The host reads the body, parses it and keeps the bytes in `rawBody` before calling the function.
    http = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        Object.assign(request, { rawBody, body: { parsed: true } });
        void handler(request, response, () => response.writeHead(404).end());
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('refuses a forged signature on the kept body with 400 and one short log line', async () => {
    const body = JSON.stringify(pullRequestEvent('opened'));
    const response = await postForged(body, 'd-kept');
    expect(response.status).toBe(400);
    expect(github.requests).toEqual([]);
    expect(appLines().map((line) => line.msg)).toEqual([
      'Refused webhook delivery d-kept (pull_request): its X-Hub-Signature-256 does not match the webhook secret',
    ]);
  });

  it('refuses a kept body over the cap with 413', async () => {
    const result = await upload({ 'x-hub-signature-256': sign('x') }, 26 * MB);
    expect(result.status).toBe(413);
    expect(github.requests).toEqual([]);
  });
});
