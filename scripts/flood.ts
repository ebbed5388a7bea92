/**
 * `npm run flood`: what hostile webhook deliveries cost the App's server, against Probot's own server
 * with the same App (`run` from `probot`, what `npm start` ran before the delivery guard). Prints
 * figures; it is not a test.
 *
 * 1. for each delivery (200 MB streamed without a length, unsigned and with a forged signature; 20 MB
 *    with its length and a forged signature) and each server, start the server in its own process
 *    (so its peak memory is its own) with JSON logs on its standard output;
 * 2. send the delivery over a raw socket as fast as the server takes it, until it is all sent or the
 *    server closes the connection;
 * 3. stop the server and print a Markdown table: the answer, how much body the client got to write,
 *    the server's peak resident memory and the bytes it logged.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { run } from 'probot';
import tuneguardApp from '../bot/index.js';
import { startServer } from '../bot/server/start-server.js';

const MB = 2 ** 20;
const SERVERS = ['probot run (baseline)', 'tuneguard startServer'] as const;
type ServerKind = (typeof SERVERS)[number];

interface Delivery {
  name: string;
  megabytes: number;
  signature: 'none' | 'forged';
  withLength: boolean;
}

const DELIVERIES: Delivery[] = [
  { name: '200 MB chunked, unsigned', megabytes: 200, signature: 'none', withLength: false },
  { name: '200 MB chunked, forged signature', megabytes: 200, signature: 'forged', withLength: false },
  { name: '20 MB with its length, forged signature', megabytes: 20, signature: 'forged', withLength: true },
];

interface Row {
  delivery: string;
  server: ServerKind;
  answer: string;
  writtenMb: number;
  peakMb: number;
  logBytes: number;
}

async function main(): Promise<void> {
  const [role, kind, port] = process.argv.slice(2);
  if (role === '--serve') return serve(kind as ServerKind, Number(port));
  const rows: Row[] = [];
  for (const delivery of DELIVERIES) {
    for (const server of SERVERS) rows.push(await measure(delivery, server));
  }
  printTable(rows);
}

/** The server process: serves until SIGTERM, then writes its peak resident memory (KiB) to stderr. */
async function serve(kind: ServerKind, port: number): Promise<void> {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const env = {
    APP_ID: '1',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: 'flood-secret',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info' as const,
    LOG_FORMAT: 'json' as const,
  };
  const server = kind === 'tuneguard startServer' ? await startServer(env) : await run(tuneguardApp, { env });
  process.on('SIGTERM', () => {
    void server.stop().then(() => {
      process.stderr.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
      process.exit(0);
    });
  });
}

/** Starts a server process, sends it the delivery, stops it and reads its figures. */
async function measure(delivery: Delivery, server: ServerKind): Promise<Row> {
  const port = await freePort();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', server, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logBytes = 0;
  let lastLogAt = Date.now();
  let log = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    logBytes += data.length;
    lastLogAt = Date.now();
    if (log.length < 10_000) log += data.toString('utf8');
  });
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
  while (!log.includes('Listening on')) await sleep(100);
  const { answer, written } = await send(port, delivery);
  // The log lines of the refusal are written after the answer, hundreds of MB of them before the guard.
  do await sleep(500);
  while (Date.now() - lastLogAt < 2000);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
  const { maxRssKb } = JSON.parse(stderr) as { maxRssKb: number };
  return {
    delivery: delivery.name,
    server,
    answer,
    writtenMb: written / MB,
    peakMb: maxRssKb / 1024,
    logBytes,
  };
}

/** Sends the delivery in 64 KiB pieces as fast as the server reads them; the status line and bytes sent. */
function send(port: number, delivery: Delivery): Promise<{ answer: string; written: number }> {
  const bytes = delivery.megabytes * MB;
  const piece = Buffer.alloc(64 * 1024, 'a');
  const head = [
    'POST /api/github/webhooks HTTP/1.1',
    `host: 127.0.0.1:${port}`,
    'content-type: application/json',
    'x-github-event: pull_request',
    'x-github-delivery: flood-1',
    ...(delivery.signature === 'forged' ? [`x-hub-signature-256: sha256=${'0'.repeat(64)}`] : []),
    delivery.withLength ? `content-length: ${bytes}` : 'transfer-encoding: chunked',
  ].join('\r\n');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let written = 0;
    let closed = false;
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({ answer: answer.split('\r\n')[0] ?? '', written });
    });
    const pump = (): void => {
      while (!closed && written < bytes) {
        const data = piece.subarray(0, Math.min(piece.length, bytes - written));
        written += data.length;
        const writes = delivery.withLength
          ? [socket.write(data)]
          : [socket.write(`${data.length.toString(16)}\r\n`), socket.write(data), socket.write('\r\n')];
        if (!writes.every(Boolean)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!closed) socket.end(delivery.withLength ? '' : '0\r\n\r\n');
    };
    socket.write(`${head}\r\n\r\n`, pump);
  });
}

function printTable(rows: readonly Row[]): void {
  const lines = [
    '| Delivery | Server | Answer | Body sent before the close | Peak RSS | Logged |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.delivery} | ${row.server} | ${row.answer.replace(/^HTTP\/1\.1 /, '')} | ` +
        `${row.writtenMb.toFixed(1)} MB | ${row.peakMb.toFixed(0)} MB | ${row.logBytes.toLocaleString('en-US')} bytes |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

await main();
