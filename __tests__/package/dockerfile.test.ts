import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The Dockerfile read as its instructions: no Docker daemon is needed to check that the runtime stage
 * installs without dev dependencies, compiles nothing, runs the built server as a user that is not
 * root, and checks its health on Probot's /ping route. The packed install of .ci/run starts that same
 * server from a tree installed the same way.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions (continuation lines joined, comments dropped), one list per stage. */
function parseStages(text: string): { name: string; from: string; instructions: Instruction[] }[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { name: string; from: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [from = '', , name = ''] = rest;
      stages.push({ name, from, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const argsOf = (instructions: Instruction[], keyword: string): string[] =>
  instructions
    .filter((instruction) => instruction.keyword === keyword)
    .map((instruction) => instruction.args);

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const stages = parseStages(dockerfile);
const [build, runtime] = stages;

describe('the Dockerfile', () => {
  it('has a build stage and a runtime stage, both on a Node version the package supports', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    const nodeVersion = /^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)?.[1];
    const minimum = /^>=(\d+)/.exec(packageJson.engines.node)?.[1];
    expect(Number(nodeVersion)).toBeGreaterThanOrEqual(Number(minimum));
    for (const stage of stages) expect(stage.from).toBe('node:${NODE_VERSION}-bookworm-slim');
  });

  it('builds lib/ in the build stage, with the dev dependencies', () => {
    const runs = argsOf(build?.instructions ?? [], 'RUN');
    expect(runs).toEqual([expect.stringMatching(/^npm ci /), 'npm run build']);
    expect(runs[0]).not.toContain('--omit=dev');
  });

  it('installs the runtime stage without dev dependencies or scripts, and compiles nothing there', () => {
    const runs = argsOf(runtime?.instructions ?? [], 'RUN');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^npm ci --omit=dev --ignore-scripts /);
    expect(runs.join(' ')).not.toMatch(/\b(tsc|npm run|npx)\b/);
  });

  it('copies the built App from the build stage, and starts the file that npm start starts', () => {
    const copies = argsOf(runtime?.instructions ?? [], 'COPY');
    const fromBuild = copies
      .filter((args) => args.startsWith('--from=build '))
      .map((args) => args.split(/\s+/)[1]);
    expect(fromBuild).toEqual(['/app/lib/bot', '/app/lib/src']);
    // Each compiled folder has its sources here.
    for (const folder of fromBuild)
      expect(existsSync(join(root, folder?.replace('/app/lib/', '') ?? ''))).toBe(true);
    const [cmd] = argsOf(runtime?.instructions ?? [], 'CMD');
    const command = JSON.parse(cmd ?? '[]') as string[];
    expect(command.join(' ')).toBe(packageJson.scripts['start']);
    expect(existsSync(join(root, (command[1] ?? '').replace(/^lib\//, '').replace(/\.js$/, '.ts')))).toBe(
      true,
    );
  });

  it('runs as a user that is not root, in production, listening beyond localhost', () => {
    const instructions = runtime?.instructions ?? [];
    const users = argsOf(instructions, 'USER');
    expect(users).toEqual(['node']);
    const keywords = instructions.map((instruction) => instruction.keyword);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
    const env = argsOf(instructions, 'ENV').join(' ');
    expect(env).toContain('NODE_ENV=production');
    expect(env).toContain('HOST=0.0.0.0');
  });

  it("checks its health on Probot's /ping route: healthy when it answers, unhealthy when nothing listens", async () => {
    const [healthcheck = ''] = argsOf(runtime?.instructions ?? [], 'HEALTHCHECK');
    expect(healthcheck).toMatch(/^--interval=\S+ .*CMD \[/);
    const [command = '', ...args] = JSON.parse(
      healthcheck.slice(healthcheck.indexOf('CMD ') + 4),
    ) as string[];
    expect(command).toBe('node');
    // A stand-in for Probot's ping handler: GET /ping → 200 PONG, anything else 404.
    const server = createServer((request, response) => {
      if (request.url === '/ping') response.writeHead(200).end('PONG');
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const probe = (env: Record<string, string>) =>
      new Promise<number | null>((resolve) => {
        execFile(process.execPath, args, { env: { ...env, PATH: process.env['PATH'] ?? '' } }, (error) =>
          resolve(error === null ? 0 : (error.code as number | null)),
        );
      });
    try {
      expect(await probe({ PORT: String(port) })).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(await probe({ PORT: String(port) })).toBe(1);
  });

  it('is sent no installed trees, build output or secrets (.dockerignore)', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'lib', 'dist', '.env', '*.pem', '.git']));
    // What the stages copy from the context is there, and not ignored.
    for (const source of ['package.json', 'package-lock.json', 'app.yml', 'tsconfig.build.json']) {
      expect(existsSync(join(root, source))).toBe(true);
      expect(ignored).not.toContain(source);
    }
  });

  it('is read for real: a runtime stage that builds, or runs as root, is seen', () => {
    const broken = parseStages(
      dockerfile
        .replace('USER node', 'USER root')
        .replace('--omit=dev --ignore-scripts', '&& npm run build &&'),
    );
    expect(argsOf(broken[1]?.instructions ?? [], 'USER')).toEqual(['root']);
    expect(argsOf(broken[1]?.instructions ?? [], 'RUN').join(' ')).toMatch(/npm run build/);
  });
});
