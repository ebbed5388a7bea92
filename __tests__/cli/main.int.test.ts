import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
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

async function runCli(argv: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
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
    [['diff', '--base', 'main', '--format', 'html'], /--format must be markdown or json/],
    [['diff', '--base', 'main', '--colour'], /Unknown option '--colour'/],
  ])('%p is a usage error (exit 2)', async (argv, pattern) => {
    const run = await runCli(argv, process.cwd());
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).toContain('tuneguard --help');
  });

  it('documents every exit code in its help', () => {
    expect(HELP).toMatch(/0 {2}the verdict is pass or warning/);
    expect(HELP).toMatch(/1 {2}the verdict is failure/);
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
    expect(run.stderr).toContain('Invalid config in .github/tuneguard.yml:3');
    expect(run.stderr).toContain('max-drop');
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
