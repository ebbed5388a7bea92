import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, main } from '../../cli/main.js';
import { reportSchema, type Report } from '../../src/model/report-schema.js';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');

/*
 * Real lm-eval results (see __tests__/fixtures/metrics/SOURCES.md): Qwen2.5-1.5B's v0.4 results, whose
 * arc_easy acc is 0.7542087542087542 (1,792 of its 2,376 items); LLaMA-7B's legacy results.
 * Edited in place, arc_easy acc becomes 1,663 / 2,376 = 0.6999158249158249: −129 items, −0.0542929292929293
 * (python3: 1663/2376 − 0.7542087542087542), far past the 0.005 tolerance, and z ≈ 4.3 with the file's
 * stderr of 0.0088 on both sides.
 */
const QWEN = fixture('v047_qwen2.5-1.5b_results.json');
const BASE_ACC = 0.7542087542087542;
const HEAD_ACC = 0.6999158249158249;
const QWEN_EDITED = QWEN.replace(`"acc,none": ${BASE_ACC},`, `"acc,none": ${HEAD_ACC},`);

async function runCli(
  argv: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('tuneguard diff --worktree: review before committing', () => {
  let repo: TestRepo;
  let headSha: string;

  beforeAll(() => {
    repo = createTestRepo();
    headSha = repo.commit({
      '.gitignore': 'scratch/\n',
      'results/qwen2.5-1.5b.json': QWEN,
      'results/llama-7b-csr.json': fixture('harness-legacy_llama-7B_common_sense_reasoning_0-shot.json'),
      'configs/sft.yml': 'learning_rate: 0.0002\nnum_epochs: 2\n',
    });
    // Uncommitted: a results file edited in place (and staged), one deleted, one untracked, one ignored,
    // one link.
    writeFileSync(join(repo.dir, 'results/qwen2.5-1.5b.json'), QWEN_EDITED);
    repo.git('add', 'results/qwen2.5-1.5b.json');
    rmSync(join(repo.dir, 'results/llama-7b-csr.json'));
    writeFileSync(
      join(repo.dir, 'results/llama-7b-gsm8k.json'),
      fixture('harness-legacy_llama-7B_gsm8k_8-shot.json'),
    );
    mkdirSync(join(repo.dir, 'scratch'));
    writeFileSync(join(repo.dir, 'scratch/results.json'), QWEN_EDITED);
    symlinkSync('qwen2.5-1.5b.json', join(repo.dir, 'results/latest.json'));
  });
  afterAll(() => repo.remove());

  it('edits the file as planned', () => {
    expect(QWEN_EDITED).not.toBe(QWEN);
    expect(
      (JSON.parse(QWEN_EDITED) as { results: Record<string, Record<string, number>> }).results['arc_easy']?.[
        'acc,none'
      ],
    ).toBe(HEAD_ACC);
  });

  it('finds the uncommitted regression, names the working tree, and reads untracked and deleted files', async () => {
    const run = await runCli(['diff', '--worktree', '--format', 'json'], repo.dir);
    const report: Report = reportSchema.parse(JSON.parse(run.stdout));

    expect(run.code).toBe(EXIT.failure);
    expect(report.base).toEqual({ ref: 'HEAD', sha: headSha });
    expect(report.head).toEqual({
      ref: 'HEAD',
      sha: headSha,
      workspace: {
        files: ['results/llama-7b-gsm8k.json', 'results/qwen2.5-1.5b.json'],
        deleted: ['results/llama-7b-csr.json'],
        worktree: true,
      },
    });
    expect(report.changedFiles).toEqual([
      'results/llama-7b-csr.json',
      'results/llama-7b-gsm8k.json',
      'results/qwen2.5-1.5b.json',
    ]);
    const regression = report.findings.filter((f) => f.check === 'eval-regression');
    expect(regression.map((f) => [f.location?.path, f.title.split(':')[0]])).toEqual([
      ['results/qwen2.5-1.5b.json', 'arc_easy / acc regressed'],
    ]);
    expect(regression[0]?.evidence?.base).toBe(BASE_ACC);
    expect(regression[0]?.evidence?.head).toBe(HEAD_ACC);
    expect(regression[0]?.evidence?.delta).toBeCloseTo(-0.0542929292929293, 12);
    // The deleted results file is gone from the head: its metrics disappeared.
    expect(
      report.findings.filter((f) => f.check === 'eval-metric-removed').map((f) => f.location?.path),
    ).toEqual(['results/llama-7b-csr.json']);
    // The untracked results file is compared as added.
    expect(report.metrics.map((m) => [m.path, m.status]).sort()).toEqual([
      ['results/llama-7b-csr.json', 'removed'],
      ['results/llama-7b-gsm8k.json', 'added'],
      ['results/qwen2.5-1.5b.json', 'modified'],
    ]);
    expect(run.stderr).toContain(
      'tuneguard: results/latest.json is a symbolic link or not a file: not followed, not read.',
    );
  });

  it('says in the text report that the head is the working tree', async () => {
    const run = await runCli(['diff', '--worktree', '--format', 'text'], repo.dir);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe(
      `the working tree at HEAD (${headSha.slice(0, 7)}) against HEAD (${headSha.slice(0, 7)}), 3 files changed`,
    );
    expect(lines[2]).toBe(
      '2 files came from the working tree, not from the commit; 1 file deleted: results/llama-7b-gsm8k.json, results/qwen2.5-1.5b.json, results/llama-7b-csr.json (deleted)',
    );
  });

  it.each([
    [['diff', '--worktree', '--head', 'HEAD'], /--worktree reviews the working tree: it takes no --head/],
  ])('%p is a usage error (exit 2)', async (argv, pattern) => {
    const run = await runCli(argv, repo.dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(pattern);
  });
});

describe('tuneguard diff --worktree --base BRANCH: a branch’s commits and its uncommitted changes together', () => {
  const repo = createTestRepo();
  afterAll(() => repo.remove());

  it('compares the working tree with the merge-base, as the pull request will', async () => {
    const base = repo.commit({
      'results/qwen2.5-1.5b.json': QWEN,
      'configs/sft.yml': 'learning_rate: 0.0002\nnum_epochs: 2\n',
    });
    repo.git('switch', '--quiet', '-c', 'tune');
    const tuned = repo.commit({ 'configs/sft.yml': 'learning_rate: 0.0003\nnum_epochs: 2\n' });
    writeFileSync(join(repo.dir, 'results/qwen2.5-1.5b.json'), QWEN_EDITED);

    const run = await runCli(['diff', '--worktree', '--base', 'main', '--format', 'json'], repo.dir);
    const report: Report = reportSchema.parse(JSON.parse(run.stdout));

    expect([report.base.sha, report.head.sha]).toEqual([base, tuned]);
    expect(report.changedFiles).toEqual(['configs/sft.yml', 'results/qwen2.5-1.5b.json']);
    expect(report.findings.map((f) => [f.check, f.location?.path])).toEqual(
      expect.arrayContaining([
        ['eval-regression', 'results/qwen2.5-1.5b.json'],
        ['params-changed', 'configs/sft.yml'],
      ]),
    );
    expect(run.code).toBe(EXIT.failure);
  });
});
