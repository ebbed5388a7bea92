import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JSDOM } from 'jsdom';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'probot';
import { parse } from 'yaml';
import { startServer } from '../../../bot/server/start-server.js';
import { freePort } from '../../helpers/free-port.js';

/*
 * Probot's set-up page (what `npm start` serves without credentials) registers the App from app.yml:
 * it puts the manifest, as JSON, in the single-quoted `value` of the form's button, unescaped. The page
 * is read here as a browser reads it (jsdom), so the manifest checked is the one the form submits.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const appYml = readFileSync(join(root, 'app.yml'), 'utf8');

/** The manifest the set-up page's form would submit, served from `cwd` (Probot reads app.yml there). */
async function submittedManifest(cwd: string): Promise<string> {
  const previous = { cwd: process.cwd(), noSmee: process.env['NO_SMEE_SETUP'] };
  // Probot reads app.yml and package.json from the working directory, and would otherwise try to
  // create a smee.io channel over the network.
  process.chdir(cwd);
  process.env['NO_SMEE_SETUP'] = 'true';
  let server: Server | undefined;
  try {
    server = await startServer({ HOST: '127.0.0.1', PORT: String(await freePort()), LOG_LEVEL: 'fatal' });
    const response = await fetch(`http://127.0.0.1:${server.port}/probot`);
    expect(response.status).toBe(200);
    const page = new JSDOM(await response.text()).window.document;
    const button = page.querySelector<HTMLButtonElement>('form button#manifest');
    return button?.value ?? '';
  } finally {
    await server?.stop();
    process.chdir(previous.cwd);
    if (previous.noSmee === undefined) delete process.env['NO_SMEE_SETUP'];
    else process.env['NO_SMEE_SETUP'] = previous.noSmee;
  }
}

describe("Probot's set-up page (npm start without credentials)", () => {
  let temp: string;
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'tuneguard-setup-'));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('submits the whole of app.yml as the manifest', async () => {
    const submitted = await submittedManifest(root);
    const manifest = JSON.parse(submitted) as Record<string, unknown>;
    const expected = parse(appYml) as Record<string, unknown>;
    // Every field of app.yml reaches GitHub as written; Probot adds the webhook and redirect URLs.
    expect(manifest).toMatchObject(expected);
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['name', 'description', 'default_events', 'default_permissions']),
    );
    expect(manifest['redirect_url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/probot\/setup$/);
  });

  it('is checked for real: an apostrophe in app.yml cuts the submitted manifest short', async () => {
    writeFileSync(
      join(temp, 'app.yml'),
      appYml.replace('Reviews pull requests', "Reviews the team's pull requests"),
    );
    copyFileSync(join(root, 'package.json'), join(temp, 'package.json'));
    const submitted = await submittedManifest(temp);
    expect(submitted.endsWith('Reviews the team')).toBe(true);
    expect(() => JSON.parse(submitted) as unknown).toThrow(SyntaxError);
  });
});
