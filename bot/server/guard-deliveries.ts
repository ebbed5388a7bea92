import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Probot } from 'probot';
import { clip } from '../../src/text/clip.js';
import { readBodyWithin } from './read-body-within.js';

/** GitHub caps a webhook delivery's payload at 25 MB: anything larger is not GitHub's. */
export const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;

/** Answers a request (and returns true) or leaves it to the next handler (and returns false). */
export type DeliveryGuard = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/**
 * A guard in front of Probot's webhook middleware for POSTs to `path`, which reads the whole body and
 * logs it with a failed signature. The guard refuses a body over {@link MAX_DELIVERY_BYTES} with 413,
 * from its `content-length` before reading any of it, or as soon as a body streamed without one passes
 * the cap, and closes the connection. It refuses a delivery whose `X-Hub-Signature-256` does not match
 * the webhook secret with 400 and one short log line (event name and delivery id, never the payload).
 * Any other delivery goes on to Probot with the body already read (Probot's middleware takes a string
 * `request.body` instead of reading the stream again), and so does a delivery without a signature,
 * which Probot refuses itself. A raw body a host kept (`request.rawBody`, or a string `request.body`)
 * is checked the same way without reading; a body a host parsed without keeping it is left to Probot.
 */
export function createDeliveryGuard(probot: Probot, path: string): DeliveryGuard {
  const webhooksPath = withoutTrailingSlashes(path);
  return async (request, response) => {
    if (request.method !== 'POST' || pathOf(request) !== webhooksPath) return false;
    const delivery = describeDelivery(request);
    const body = await takeBody(request);
    if (body === 'parsed') return false;
    if (body === 'over-cap') return refuseOversized(probot, response, delivery);
    if (body === 'over-cap-read') {
      refuseOversized(probot, response, delivery, { lingering: true });
      lingerThenClose(request);
      return true;
    }
    if (body === 'cut-off') {
      probot.log.warn(`Webhook delivery ${delivery} was cut off before its end`);
      response.destroy();
      return true;
    }
    const signature = request.headers['x-hub-signature-256'];
    if (typeof signature === 'string' && !(await verifies(probot, body.payload, signature))) {
      probot.log.warn(
        `Refused webhook delivery ${delivery}: its X-Hub-Signature-256 does not match the webhook secret`,
      );
      answer(response, 400, 'signature does not match event payload and secret');
      return true;
    }
    const kept = request as { body?: unknown };
    if (kept.body === undefined) kept.body = body.payload;
    return false;
  };
}

/** What became of a delivery's body: its text, or why there is none to check. */
type Taken = { payload: string } | 'over-cap' | 'over-cap-read' | 'cut-off' | 'parsed';

/**
 * The delivery's payload as text, read within the cap unless the host kept it: `over-cap` past the cap
 * (`over-cap-read` when that showed while reading the body, the rest of which is still coming),
 * `cut-off` when the request ended early, `parsed` when a host parsed the body and kept no raw bytes.
 */
async function takeBody(request: IncomingMessage): Promise<Taken> {
  const kept = request as { body?: unknown; rawBody?: unknown };
  if (typeof kept.body === 'string') return withinCap(kept.body);
  if (kept.body !== undefined) {
    return kept.rawBody instanceof Uint8Array ? withinCap(decode(kept.rawBody)) : 'parsed';
  }
  if (Number(request.headers['content-length']) > MAX_DELIVERY_BYTES) return 'over-cap';
  try {
    const bytes = await readBodyWithin(request, MAX_DELIVERY_BYTES);
    return bytes === undefined ? 'over-cap-read' : { payload: decode(bytes) };
  } catch {
    return 'cut-off';
  }
}

function withinCap(payload: string): Taken {
  return Buffer.byteLength(payload) > MAX_DELIVERY_BYTES ? 'over-cap' : { payload };
}

/** As `@octokit/webhooks` decodes a body: UTF-8, a malformed sequence as U+FFFD. */
function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function refuseOversized(
  probot: Probot,
  response: ServerResponse,
  delivery: string,
  { lingering = false }: { lingering?: boolean } = {},
): true {
  probot.log.warn(`Refused webhook delivery ${delivery}: its body is over GitHub's 25 MB cap`);
  // `connection: close` makes Node close the socket once the answer is out, instead of reading the
  // rest of the body to keep the connection alive. A body being read is closed by `lingerThenClose`.
  const headers: Record<string, string> = lingering ? {} : { connection: 'close' };
  answer(response, 413, `payload over ${MAX_DELIVERY_BYTES} bytes`, headers);
  return true;
}

/** Bytes of an over-cap body still read, and dropped, after the 413 is sent; and for how long at most. */
const LINGER_BYTES = 8 * 1024 * 1024;
const LINGER_MS = 5_000;

/**
 * Closes the connection of a refused body that is still arriving, the way web servers do ("lingering
 * close"): a socket closed while the client's bytes are unread is reset, and a reset can wipe the 413
 * from the client's buffers before it reads it. So the rest is read and dropped, at most
 * {@link LINGER_BYTES} or {@link LINGER_MS}, before the socket is destroyed: memory stays at one chunk.
 */
function lingerThenClose(request: IncomingMessage): void {
  let dropped = 0;
  const close = (): void => {
    clearTimeout(timer);
    request.socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) close();
  });
  request.once('end', () => clearTimeout(timer));
  request.resume();
}

function answer(
  response: ServerResponse,
  status: number,
  error: string,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify({ error }));
}

async function verifies(probot: Probot, payload: string, signature: string): Promise<boolean> {
  return probot.webhooks.verify(payload, signature).catch(() => false);
}

/** The delivery id and event name for a log line, from headers the sender chose: clipped. */
function describeDelivery(request: IncomingMessage): string {
  const header = (name: string) => clip(String(request.headers[name] ?? '-'), 80);
  return `${header('x-github-delivery')} (${header('x-github-event')})`;
}

/** The request's path as `@octokit/webhooks` reads it, so that the guard sees every delivery Probot would take. */
function pathOf(request: IncomingMessage): string | undefined {
  try {
    return new URL(withoutTrailingSlashes(request.url ?? ''), 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** As `@octokit/webhooks` compares paths: `/api/github/webhooks/` is `/api/github/webhooks`, `` and `//` are `/`. */
function withoutTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}
