import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunContext } from '../../action/read-run-context.js';
import { EXAMPLE_REPOSITORY, writePullRequestEvent } from './helpers/pull-request-event.js';

const dir = mkdtempSync(join(tmpdir(), 'tuneguard-context-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

describe('readRunContext', () => {
  it('reads a pull_request event and the runner variables', async () => {
    const eventPath = writePullRequestEvent(dir, { number: 12, baseSha: BASE, headSha: HEAD });
    const context = await readRunContext(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        GITHUB_WORKSPACE: '/home/runner/work/Hello-World/Hello-World',
        GITHUB_SERVER_URL: 'https://github.com/',
        GITHUB_API_URL: 'https://api.github.com/',
        GITHUB_RUN_ID: '1658821493',
      },
      '/elsewhere',
    );
    expect(context).toEqual({
      eventName: 'pull_request',
      pullRequest: { number: 12, baseSha: BASE, headSha: HEAD, baseRef: 'main', headRef: 'contributor' },
      repository: EXAMPLE_REPOSITORY,
      workspace: '/home/runner/work/Hello-World/Hello-World',
      apiUrl: 'https://api.github.com',
      runUrl: 'https://github.com/Codertocat/Hello-World/actions/runs/1658821493',
      // The example payload's repository.default_branch.
      defaultBranch: 'master',
    });
  });

  it.each([
    ['no event file', {}],
    ['a missing event file', { GITHUB_EVENT_PATH: join(dir, 'missing.json') }],
    ['an event file that is not JSON', { GITHUB_EVENT_PATH: 'broken' }],
    ['an event without a pull request', { GITHUB_EVENT_PATH: 'push' }],
    ['a pull request whose SHA is not a SHA', { GITHUB_EVENT_PATH: 'bad-sha' }],
  ])(
    'gives no pull request for %s, and the defaults outside a runner',
    async (_what, env: Record<string, string>) => {
      writeFileSync(join(dir, 'broken'), '{"pull_request":');
      writeFileSync(join(dir, 'push'), JSON.stringify({ ref: 'refs/heads/main', before: BASE, after: HEAD }));
      writeFileSync(
        join(dir, 'bad-sha'),
        JSON.stringify({ pull_request: { number: 1, base: { sha: 'main' }, head: { sha: HEAD } } }),
      );
      const path = env['GITHUB_EVENT_PATH'];
      const resolved = path && !path.startsWith('/') ? { GITHUB_EVENT_PATH: join(dir, path) } : env;
      expect(
        await readRunContext({ ...resolved, GITHUB_REPOSITORY: 'not-a-repository' }, '/work/repo'),
      ).toEqual({
        eventName: '',
        pullRequest: undefined,
        repository: undefined,
        workspace: '/work/repo',
        apiUrl: 'https://api.github.com',
        runUrl: undefined,
      });
    },
  );
});
