import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DefaultArtifactClient, GHESNotSupportedError, type ArtifactClient } from '@actions/artifact';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEnterpriseServerHost, uploadReport } from '../../action/upload-report.js';
import { EXAMPLE_REPOSITORY } from './helpers/pull-request-event.js';
import { artifactServiceEnv, startFakeGitHub, type FakeGitHub } from './helpers/fake-github-server.js';

const NAME = 'tuneguard-report-pr7-ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';

// The real artifact client, against the local artifact service; its variables are read at upload.
let github: FakeGitHub;
let env: Record<string, string>;
const temp = mkdtempSync(join(tmpdir(), 'tuneguard-upload-'));
const file = join(temp, 'out', 'report.json');

beforeAll(async () => {
  github = await startFakeGitHub(EXAMPLE_REPOSITORY);
  env = artifactServiceEnv(github);
  Object.assign(process.env, env);
  mkdirSync(join(temp, 'out'), { recursive: true });
  writeFileSync(file, '{}\n');
});
afterEach(() => github.reset());
afterAll(async () => {
  for (const key of Object.keys(env)) delete process.env[key];
  await github.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('uploadReport', () => {
  it('uploads the report, zipped from its own folder, under the name the App looks for', async () => {
    const outcome = await uploadReport({ client: new DefaultArtifactClient(), name: NAME, file, env });

    // The fake numbers artifacts from 1 in the order they are finalized.
    expect(outcome).toEqual({ uploaded: true, name: NAME, id: 1 });
    expect(github.artifacts.map((artifact) => artifact.create['name'])).toEqual([NAME]);
    // A zip (local file header `PK\x03\x04`) holding the file under its own name, not its folders.
    const blob = github.artifacts[0]?.blob ?? Buffer.alloc(0);
    expect(blob.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(blob.toString('latin1')).toContain('report.json');
    expect(blob.toString('latin1')).not.toContain('out/report.json');
    expect(github.problems).toEqual([]);
  });

  it('does not try outside a runner', async () => {
    expect(await uploadReport({ client: new DefaultArtifactClient(), name: NAME, file, env: {} })).toEqual({
      uploaded: false,
      name: NAME,
      reason: 'not-on-runner',
      message: 'not running on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN)',
    });
    expect(github.artifacts).toEqual([]);
  });

  it('turns a failed upload into an outcome, not a crash (also for a non-Error throw)', async () => {
    github.failNext('POST', `${TWIRP}CreateArtifact`, 409, {
      code: 'already_exists',
      msg: 'artifact exists',
    });
    expect(await uploadReport({ client: new DefaultArtifactClient(), name: NAME, file, env })).toEqual({
      uploaded: false,
      name: NAME,
      reason: 'failed',
      message: expect.stringContaining('(409) Conflict'),
    });
    // A client that throws something else than an Error: the message is still the thrown value.
    const throwing = {
      uploadArtifact: () => Promise.reject('socket hang up'),
    } as unknown as ArtifactClient;
    expect(await uploadReport({ client: throwing, name: NAME, file, env })).toMatchObject({
      reason: 'failed',
      message: 'socket hang up',
    });
  });
});

describe('uploadReport on GitHub Enterprise Server', () => {
  const ghesMessage =
    'GitHub Enterprise Server (github.example.com) does not support the artifact service of @actions/artifact v2 and later';

  it('does not ask the artifact service, and says why', async () => {
    const ghesEnv = { ...env, GITHUB_SERVER_URL: 'https://github.example.com' };
    expect(
      await uploadReport({ client: new DefaultArtifactClient(), name: NAME, file, env: ghesEnv }),
    ).toEqual({
      uploaded: false,
      name: NAME,
      reason: 'ghes',
      message: ghesMessage,
    });
    expect(github.requests).toEqual([]);
    expect(github.artifacts).toEqual([]);
  });

  it("turns the client's own GHES refusal into the same outcome", async () => {
    const refusing = {
      uploadArtifact: () => Promise.reject(new GHESNotSupportedError()),
    } as unknown as ArtifactClient;
    const outcome = await uploadReport({
      client: refusing,
      name: NAME,
      file,
      env: { ...env, GITHUB_SERVER_URL: 'https://github.com' },
    });
    expect(outcome).toMatchObject({ uploaded: false, reason: 'ghes' });
  });
});

describe('findEnterpriseServerHost', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['not a url', undefined],
    ['https://github.com', undefined],
    ['https://GitHub.com/', undefined],
    ['https://octo-corp.ghe.com', undefined],
    ['http://github.localhost:8080', undefined],
    ['https://github.example.com', 'github.example.com'],
    ['https://git.internal:8443/', 'git.internal'],
    ['https://github.com.evil.example', 'github.com.evil.example'],
  ])('GITHUB_SERVER_URL %p → %p', (serverUrl, host) => {
    expect(findEnterpriseServerHost(serverUrl === undefined ? {} : { GITHUB_SERVER_URL: serverUrl })).toBe(
      host,
    );
  });
});
