// Installs tuneguard as a user or a container does, without dev dependencies, and starts both faces
// that run from the package: the App (Probot's server, with a throwaway key, answering /ping and a
// signed webhook delivery) and the CLI (--version, --help, and a real `diff` on a two-commit
// repository). It packs the lib/ already built (`npm run build`; `npm ci` builds it through `prepare`).
// Nothing but the npm registry npm ci used is reached: the install prefers npm's cache, and every
// server listens on 127.0.0.1. Exits non-zero, with the reason, on the first thing that fails.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const temp = mkdtempSync(join(tmpdir(), 'tuneguard-pack-'));
const started = Date.now();

function step(text) {
  console.log(`- ${text} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function fail(text) {
  throw new Error(text);
}

/** Runs a command to completion; its output is returned, and shown when it fails. */
function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (error) {
    fail(`${command} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Installs the packed tarball into an empty project, without dev dependencies. */
function installPackage() {
  if (!existsSync(join(root, 'lib/bot/server/start.js')) || !existsSync(join(root, 'lib/cli/index.js')))
    fail('lib/ is not built: run `npm run build` first.');
  // --ignore-scripts: `prepare` builds lib/ with dev dependencies; the lib/ built here is what ships.
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', temp], { cwd: root }),
  );
  const tarball = join(temp, packed[0].filename);
  const shipped = packed[0].files.map((file) => file.path);
  for (const path of shipped)
    if (/^(lib\/(action|scripts)\/|__tests__\/|src\/|dist\/)|\.map$/.test(path))
      fail(`the package ships ${path}, which is not for users`);
  step(`packed ${packed[0].filename}: ${shipped.length} files, ${(packed[0].size / 1e6).toFixed(2)} MB`);

  const project = join(temp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "adopter", "private": true }\n');
  run(
    'npm',
    ['install', '--omit=dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
    { cwd: project },
  );
  for (const devOnly of Object.keys(pkg.devDependencies))
    if (
      existsSync(join(project, 'node_modules', devOnly, 'package.json')) &&
      !isNeededAtRunTime(devOnly, project)
    )
      fail(`the dev dependency ${devOnly} was installed without dev dependencies`);
  step('installed the tarball with --omit=dev');
  return project;
}

/** Whether a package of the installed tree depends on `name` (a dev dependency here, a runtime one there). */
function isNeededAtRunTime(name, project) {
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
  return Object.values(lock.packages).some(
    (entry) => entry.dependencies?.[name] !== undefined || entry.optionalDependencies?.[name] !== undefined,
  );
}

function checkCli(project) {
  const cli = join(project, 'node_modules/.bin/tuneguard');
  const version = run(cli, ['--version'], { cwd: project }).trim();
  if (version !== pkg.version) fail(`tuneguard --version printed "${version}", not ${pkg.version}`);
  if (!run(cli, ['--help'], { cwd: project }).includes('tuneguard diff'))
    fail('tuneguard --help does not describe `tuneguard diff`');

  // A real review: a dataset that lost a third of its rows between two commits.
  const repo = join(temp, 'repo');
  mkdirSync(join(repo, 'data'), { recursive: true });
  const git = (...args) => run('git', args, { cwd: repo });
  git('init', '-q', '-b', 'main');
  const rows = (n) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ instruction: `Add ${i} and ${i + 1}.`, output: String(2 * i + 1) }),
    ).join('\n');
  writeFileSync(join(repo, 'data/train.jsonl'), `${rows(300)}\n`);
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  writeFileSync(join(repo, 'data/train.jsonl'), `${rows(200)}\n`);
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'head');
  let output;
  try {
    output = execFileSync(cli, ['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Exit 1 is a failing verdict, a result; anything else is the command failing.
    if (error.status !== 1) fail(`tuneguard diff failed (exit ${error.status}):\n${error.stderr}`);
    output = error.stdout;
  }
  const report = JSON.parse(output);
  const shrink = report.findings.find((finding) => finding.check === 'data-shrink');
  if (!shrink) fail(`tuneguard diff did not find the shrunk dataset: ${JSON.stringify(report.findings)}`);
  step(`the CLI: --version ${version}, --help, and diff (verdict ${report.verdict}, data-shrink found)`);
}

async function checkApp(project) {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const secret = randomBytes(16).toString('hex');
  const port = await freePort();
  const log = [];
  const app = spawn(join(project, 'node_modules/.bin/tuneguard-app'), [], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
  });
  app.stdout.on('data', (chunk) => log.push(String(chunk)));
  app.stderr.on('data', (chunk) => log.push(String(chunk)));
  let exited;
  app.on('exit', (code, signal) => (exited = signal ?? code));
  const base = `http://127.0.0.1:${port}`;
  try {
    let pong;
    for (let attempt = 0; attempt < 150 && pong === undefined; attempt++) {
      if (exited !== undefined) fail(`the App exited (${exited}):\n${log.join('')}`);
      pong = await fetch(`${base}/ping`).then(
        (response) => (response.ok ? response.text() : undefined),
        () => undefined,
      );
      if (pong === undefined) await sleep(100);
    }
    if (pong !== 'PONG') fail(`the App did not answer GET /ping within 15 s:\n${log.join('')}`);

    // GitHub's `ping` delivery, as sent when a webhook is set up: signed, accepted; unsigned, refused.
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const deliver = (signature) =>
      fetch(`${base}/api/github/webhooks`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-github-delivery': 'pack-check',
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
      });
    const signed = await deliver(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    if (signed.status !== 200) fail(`a signed delivery got HTTP ${signed.status}:\n${log.join('')}`);
    const unsigned = await deliver(undefined);
    if (unsigned.status !== 400) fail(`an unsigned delivery got HTTP ${unsigned.status}, not 400`);
    step('the App: GET /ping answered PONG, a signed delivery 200, an unsigned one 400');
  } finally {
    app.kill('SIGTERM');
  }
}

try {
  const project = installPackage();
  checkCli(project);
  await checkApp(project);
  console.log(`The packed install starts the App and the CLI without dev dependencies.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  rmSync(temp, { recursive: true, force: true });
}
