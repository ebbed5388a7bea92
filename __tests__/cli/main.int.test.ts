import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, HELP, main } from '../../cli/main.js';
import { reportSchema } from '../../src/model/report-schema.js';
import { createDemoRepository, DEMO_BASE, DEMO_HEAD } from '../../scripts/demo-repo.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(
  argv: string[],
  cwd: string,
  terminal: { stdoutIsTerminal?: boolean; color?: boolean } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    ...terminal,
  });
  return { code, stdout, stderr };
}

describe('tuneguard CLI: usage', () => {
  it.each([
    [['--help'], EXIT.pass, /Usage:\n {2}tuneguard diff --base REF --head REF/],
    [['-v'], EXIT.pass, /^0\.1\.0\n$/],
  ])('%p exits %p', async (argv, code, pattern) => {
    const run = await runCli(argv, process.cwd());
    expect(run.code).toBe(code);
    expect(run.stdout).toMatch(pattern);
  });

  it.each([
    [[], /name a command/],
    [['compare'], /unknown command: compare/],
    [['diff'], /--base REF is required/],
    [['diff', '--base', 'main', '--format', 'html'], /--format must be text, markdown or json, not html/],
    [
      ['diff', '--base', 'main', '--fail-on', 'error'],
      /--fail-on must be failure, warning, notice, never, not error/,
    ],
    [['diff', '--base', 'main', '--colour'], /Unknown option '--colour'/],
  ])('%p is a usage error (exit 2)', async (argv, pattern) => {
    const run = await runCli(argv, process.cwd());
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).toContain('tuneguard --help');
  });

  it('documents every exit code in its help', () => {
    expect(HELP).toMatch(/0 {2}nothing reached --fail-on/);
    expect(HELP).toMatch(/1 {2}a finding reached --fail-on/);
    expect(HELP).toMatch(/2 {2}the command could not run/);
  });
});

describe('tuneguard CLI on the demo repository', () => {
  let repo: string;
  beforeAll(() => {
    repo = createDemoRepository(fileURLToPath(new URL('../../examples/demo-project/', import.meta.url)));
  });

  it('fails the verdict and names every planted problem', async () => {
    const run = await runCli(
      ['diff', '--base', DEMO_BASE, '--head', DEMO_HEAD, '--output', 'report.md'],
      repo,
    );
    expect(run.code).toBe(EXIT.failure);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^tuneguard: failure \(\d+ failures?, \d+ warnings?, \d+ notices?\); report written to report\.md\n$/,
    );
    const markdown = readFileSync(join(repo, 'report.md'), 'utf8');
    // The planted problems, with numbers from examples/demo-project/README.md.
    expect(markdown).toContain('The train split data/train.jsonl shrank by 20.5%: 400 → 318 rows');
    expect(markdown).toContain('12 duplicate rows added to data/train.jsonl');
    expect(markdown).toContain(
      '6 of 100 eval rows of data/eval.jsonl also stand in the train set data/train.jsonl',
    );
    expect(markdown).toMatch(/Learning rate went ×10: 0\.0002 → 0\.002 in configs\/sft\.yml/);
    expect(markdown).toMatch(/results\/mmlu&#95;5-shot\.json not re-run though hyperparameters changed/);
    expect(markdown).toMatch(/lambada&#95;openai \/ acc regressed: 0\.6881 → 0\.4106/);
    // The re-run is a new timestamped file: it is compared with the run it replaces.
    expect(markdown).toContain(
      'results&#95;2025-02-26T09-12-05.481220.json</code> · modified, a newer run than <code>results/fla-hub&#95;&#95;rwkv7-1.5B-world/results&#95;2025-02-24T21-42-51.190683.json</code>',
    );
    expect(markdown).toMatch(
      /Eval loss is 2\.694 above train loss at the end of outputs\/trainer&#95;state\.json/,
    );
  });

  it('writes a JSON report that validates against the report schema', async () => {
    const run = await runCli(['diff', '--base', DEMO_BASE, '--head', DEMO_HEAD, '--format', 'json'], repo);
    expect(run.code).toBe(EXIT.failure);
    const report = reportSchema.parse(JSON.parse(run.stdout));
    expect(report.base.ref).toBe(DEMO_BASE);
    expect(report.head.ref).toBe(DEMO_HEAD);
    expect(report.verdict).toBe('failure');
    const checks = new Set(report.findings.map((f) => f.check));
    for (const check of [
      'data-shrink',
      'data-duplicates',
      'data-leakage',
      'params-risky-change',
      'params-stale-eval',
      'eval-regression',
      'train-overfitting-gap',
      'train-eval-loss-rising',
    ]) {
      expect(checks).toContain(check);
    }
    const risky = report.findings.find((f) => f.check === 'params-risky-change');
    expect(risky?.location).toEqual({ path: 'configs/sft.yml', line: 44 });
  });
});

describe('tuneguard CLI: verdicts and errors on small repositories', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createTestRepo();
    repo.commit({
      'data/train.jsonl': '{"text":"a"}\n{"text":"b"}\n{"text":"c"}\n',
      'configs/sft.yaml': 'learning_rate: 0.0002\nnum_epochs: 1\n',
    });
    repo.git('switch', '--quiet', '-c', 'small-change');
    repo.commit({ 'configs/sft.yaml': 'learning_rate: 0.0003\nnum_epochs: 1\n' });
    repo.git('switch', '--quiet', '-c', 'lr-jump');
    repo.commit({ 'configs/sft.yaml': 'learning_rate: 0.003\nnum_epochs: 1\n' });
    repo.git('switch', '--quiet', '-c', 'broken-config', 'main');
    repo.commit({ '.github/tuneguard.yml': 'checks:\n  data-shrink:\n    max-drop: lots\n' });
    repo.git('switch', '--quiet', '-c', 'after-broken-config');
    repo.commit({ 'README.md': 'x\n' });
    repo.git('switch', '--quiet', '--orphan', 'unrelated');
    repo.commit({ 'configs/sft.yaml': 'learning_rate: 0.0002\nnum_epochs: 2\n' });
  });
  afterAll(() => repo.remove());

  it('passes (exit 0) with a notice for a small change', async () => {
    const run = await runCli(
      ['diff', '--base', 'main', '--head', 'small-change', '--format', 'json'],
      repo.dir,
    );
    expect(run.code).toBe(EXIT.pass);
    const report = reportSchema.parse(JSON.parse(run.stdout));
    expect(report.verdict).toBe('pass');
    expect(report.findings.map((f) => f.check)).toEqual(['params-changed']);
  });

  it('warns but exits 0 for a risky change', async () => {
    const run = await runCli(['diff', '--base', 'main', '--head', 'lr-jump', '--format', 'json'], repo.dir);
    expect(run.code).toBe(EXIT.pass);
    expect(run.stderr).toMatch(/^tuneguard: warning \(0 failures, 1 warning, 1 notice\)/);
  });

  it('applies a config given on disk, and fails on its stricter severity', async () => {
    const config = join(repo.dir, 'local-tuneguard.yml');
    writeFileSync(config, 'checks:\n  params-risky-change: { severity: failure }\n');
    const run = await runCli(
      ['diff', '--base', 'main', '--head', 'lr-jump', '--config', config, '--format', 'json'],
      repo.dir,
    );
    expect(run.code).toBe(EXIT.failure);
    expect(reportSchema.parse(JSON.parse(run.stdout)).configPath).toBe(config);
  });

  it('reads the config from the base commit and names its line when invalid', async () => {
    const run = await runCli(['diff', '--base', 'broken-config', '--head', 'after-broken-config'], repo.dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain(
      '.github/tuneguard.yml:3:15: checks.data-shrink.max-drop: write a percentage such as "5%", or a fraction such as 0.05',
    );
  });

  it('says when base and head share no history, and compares head with base itself', async () => {
    const run = await runCli(['diff', '--base', 'main', '--head', 'unrelated', '--format', 'json'], repo.dir);
    expect(run.stderr).toContain(
      'tuneguard: main and unrelated share no history: unrelated is compared with main itself.',
    );
    const report = reportSchema.parse(JSON.parse(run.stdout));
    expect(report.base.sha).toBe(repo.git('rev-parse', 'main'));
    expect(report.changedFiles.sort()).toEqual(['configs/sft.yaml', 'data/train.jsonl']);
  });

  it.each([
    ['failure', 'lr-jump', EXIT.pass],
    ['warning', 'lr-jump', EXIT.failure],
    ['warning', 'small-change', EXIT.pass],
    ['notice', 'small-change', EXIT.failure],
    ['never', 'lr-jump', EXIT.pass],
  ])('--fail-on %s: %s exits %p', async (failOn, head, code) => {
    // lr-jump has a warning and a notice; small-change a notice only.
    const run = await runCli(
      ['diff', '--base', 'main', '--head', head, '--format', 'json', '--fail-on', failOn],
      repo.dir,
    );
    expect(run.code).toBe(code);
  });

  it('--fail-on never still exits 2 when the review cannot run', async () => {
    const run = await runCli(
      ['diff', '--base', 'main', '--head', 'no-such-branch', '--fail-on', 'never'],
      repo.dir,
    );
    expect(run.code).toBe(EXIT.usage);
  });

  it('prints plain text on a terminal by default, with the verdict first and no summary line on stderr', async () => {
    const run = await runCli(['diff', '--base', 'main', '--head', 'lr-jump'], repo.dir, {
      stdoutIsTerminal: true,
    });
    expect(run.code).toBe(EXIT.pass);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('tuneguard: warning (0 failures, 1 warning, 1 notice)');
    expect(lines).toContain('Warnings (1)');
    expect(run.stdout).toMatch(
      /^ {2}configs\/sft\.yaml:1 {2}params-risky-change {2}Learning rate went ×15: 0\.0002 → 0\.003/m,
    );
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('colours the text when told the terminal takes colour', async () => {
    const run = await runCli(['diff', '--base', 'main', '--head', 'lr-jump'], repo.dir, {
      stdoutIsTerminal: true,
      color: true,
    });
    expect(run.stdout.split('\n')[0]).toBe(
      'tuneguard: \u001b[1m\u001b[33mwarning\u001b[39m\u001b[22m (0 failures, 1 warning, 1 notice)',
    );
  });

  it.each([
    ['piped', [], {}],
    ['written to a file', ['--output', 'report.out'], { stdoutIsTerminal: true }],
  ])('prints markdown by default when %s', async (_, extra, terminal) => {
    const run = await runCli(['diff', '--base', 'main', '--head', 'lr-jump', ...extra], repo.dir, terminal);
    const markdown = extra.length > 0 ? readFileSync(join(repo.dir, 'report.out'), 'utf8') : run.stdout;
    expect(markdown).toMatch(/^### ⚠️ tuneguard: 1 warning, 1 notice$/m);
    expect(markdown).toContain('<code>params-risky-change</code>');
    expect(run.stderr).toMatch(/^tuneguard: warning \(0 failures, 1 warning, 1 notice\)/);
  });

  it('says which ref is unknown (exit 2)', async () => {
    const run = await runCli(['diff', '--base', 'main', '--head', 'no-such-branch'], repo.dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('The ref no-such-branch does not exist');
  });

  it('says when the folder is not a git repository (exit 2)', async () => {
    const run = await runCli(['diff', '--base', 'main', '--repo', '/'], repo.dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('is not inside a git repository');
  });

  it('says when a config file on disk is missing (exit 2)', async () => {
    const run = await runCli(
      ['diff', '--base', 'main', '--head', 'lr-jump', '--config', 'nope.yml'],
      repo.dir,
    );
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('nope.yml');
  });
});

describe('package metadata', () => {
  it('reports the version of package.json', async () => {
    const { TOOL_VERSION } = await import('../../src/model/version.js');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});

describe('tuneguard CLI in a shallow clone', () => {
  let origin: TestRepo;
  let mergeBase: string;
  const clones: string[] = [];
  beforeAll(() => {
    origin = createTestRepo();
    // 10 rows at the fork point; the base branch later adds 4, the pull request only edits a config.
    // Against the base branch's tip, the pull request would seem to drop 4 of 14 rows.
    const rows = Array.from({ length: 14 }, (_, i) => `{"text":"row ${i}"}\n`);
    mergeBase = origin.commit({
      'data/train.jsonl': rows.slice(0, 10).join(''),
      'configs/sft.yaml': 'learning_rate: 0.0002\nnum_epochs: 1\n',
    });
    origin.git('switch', '--quiet', '-c', 'pr');
    origin.commit({ 'configs/sft.yaml': 'learning_rate: 0.0003\nnum_epochs: 1\n' });
    origin.git('switch', '--quiet', 'main');
    origin.commit({ 'data/train.jsonl': rows.join('') });
  });
  afterAll(() => {
    origin.remove();
    clones.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  /** `git clone --depth 1` of both branches: each tip without its parents, so the merge-base is missing. */
  function shallowClone(): string {
    const dir = mkdtempSync(join(tmpdir(), 'tuneguard-cli-shallow-'));
    clones.push(dir);
    execFileSync('git', ['clone', '--quiet', '--depth=1', '--no-single-branch', `file://${origin.dir}`, dir]);
    return dir;
  }

  it('stops with exit 2 and the fix, instead of blaming the pull request for the base branch', async () => {
    const run = await runCli(['diff', '--base', 'origin/main', '--head', 'origin/pr'], shallowClone());
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^tuneguard: The merge-base of origin\/main and origin\/pr is not in this shallow clone/,
    );
    expect(run.stderr).toContain('`git fetch --unshallow`');
    expect(run.stderr).toContain('`git fetch --deepen=100`');
  });

  it.each([[['--unshallow']], [['--deepen=1']]])(
    'after git fetch %p, compares with the merge-base: no shrink blamed on the pull request',
    async (fetchArgs) => {
      const dir = shallowClone();
      execFileSync('git', ['fetch', '--quiet', ...fetchArgs, 'origin'], { cwd: dir });
      const run = await runCli(
        ['diff', '--base', 'origin/main', '--head', 'origin/pr', '--format', 'json'],
        dir,
      );
      expect(run.code).toBe(EXIT.pass);
      const report = reportSchema.parse(JSON.parse(run.stdout));
      expect(report.base.sha).toBe(mergeBase);
      expect(report.findings.map((f) => f.check)).toEqual(['params-changed']);
    },
  );
});

describe('tuneguard CLI: config paths that match nothing', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createTestRepo();
    repo.commit({
      // Line 2 misspells the train file; line 4 names results the head deletes (still a match, on base).
      '.github/tuneguard.yml': [
        'datasets:',
        '  - { path: data/trian.jsonl, split: train }',
        '  - data/eval.jsonl',
        "metrics: ['results/*.json']",
        "ignore: ['legacy/**']",
        '',
      ].join('\n'),
      'data/train.jsonl': '{"text":"a"}\n{"text":"b"}\n',
      'data/eval.jsonl': '{"text":"c"}\n',
      'results/old.json': '{"results": {"task": {"acc": 0.5}}}\n',
    });
    repo.git('switch', '--quiet', '-c', 'pr');
    repo.commit({ 'results/old.json': null, 'data/eval.jsonl': '{"text":"c"}\n{"text":"d"}\n' });
  });
  afterAll(() => repo.remove());

  it('gives one notice per path or glob, at its line in the config', async () => {
    const run = await runCli(['diff', '--base', 'main', '--head', 'pr', '--format', 'json'], repo.dir);
    const report = reportSchema.parse(JSON.parse(run.stdout));
    const unmatched = report.findings.filter((f) => f.check === 'config-unmatched');
    expect(unmatched.map((f) => [f.severity, f.title, f.location])).toEqual([
      [
        'notice',
        "The config's datasets entry data/trian.jsonl matches no file on base or head",
        { path: '.github/tuneguard.yml', line: 2, side: 'base' },
      ],
      [
        'notice',
        "The config's ignore entry legacy/** matches no file on base or head",
        { path: '.github/tuneguard.yml', line: 5, side: 'base' },
      ],
    ]);
    expect(unmatched[0]?.details[0]).toContain('With `datasets` set, no other dataset is discovered.');
  });

  it('follows the config given with --config, naming that file', async () => {
    const config = join(repo.dir, 'local.yml');
    writeFileSync(config, '# local\nparams:\n  - configs/sft.yaml\n');
    const run = await runCli(
      ['diff', '--base', 'main', '--head', 'pr', '--config', 'local.yml', '--format', 'json'],
      repo.dir,
    );
    const report = reportSchema.parse(JSON.parse(run.stdout));
    expect(report.findings.filter((f) => f.check === 'config-unmatched').map((f) => f.location)).toEqual([
      { path: 'local.yml', line: 3, side: 'base' },
    ]);
  });
});
