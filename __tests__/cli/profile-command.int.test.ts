import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, main } from '../../cli/main.js';
import type { ProfileIo } from '../../cli/profile-command.js';
import { createProgressReporter } from '../../cli/render-progress.js';
import { datasetProfileSchema } from '../../src/model/report-schema.js';
import { testWorkerUrl } from '../helpers/worker-url.js';

const fixture = (name: string): string => new URL(`../fixtures/datasets/${name}`, import.meta.url).pathname;

async function runCli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  // Worker threads run the worker bundled from the sources by jest's global set-up.
  const io: ProfileIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    workerUrl: testWorkerUrl(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('tuneguard profile and merge', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tuneguard-profile-'));
    copyFileSync(fixture('llamafactory_v1_sft_demo.jsonl'), join(dir, 'train.jsonl'));
    mkdirSync(join(dir, 'shards'));
    copyFileSync(fixture('mlx_wikisql_valid.jsonl'), join(dir, 'shards', 'part-0.jsonl'));
    copyFileSync(fixture('mlx_wikisql_test.jsonl'), join(dir, 'shards', 'part-1.jsonl'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the profile of a file as JSON, with a few plain progress lines', async () => {
    const run = await runCli(['profile', 'train.jsonl', '--jobs', '1'], dir);
    expect(run.code).toBe(EXIT.pass);
    const profile = datasetProfileSchema.parse(JSON.parse(run.stdout));
    // python3: 500 lines, 1 exact duplicate (line 2 repeats line 1 after normalisation).
    expect(profile).toMatchObject({ format: 'jsonl', rows: 500, duplicateRows: 1 });
    expect(profile.recordFormat?.format).toBe('openai-chat');
    expect(run.stderr).toMatch(
      /^train\.jsonl: 500 rows, 0\.4 MB of 0\.4 MB, [\d.]+ MB\/s, done in [\d.]+s\n$/m,
    );
    expect(run.stderr).not.toContain('\r');
  });

  it('merges shard profiles into the profile of one pass, field by field', async () => {
    expect(
      (await runCli(['profile', 'train.jsonl', '--jobs', '1', '--output', 'whole.json'], dir)).code,
    ).toBe(EXIT.pass);
    for (const shard of ['1/3', '2/3', '3/3']) {
      const run = await runCli(
        ['profile', 'train.jsonl', '--jobs', '1', '--shard', shard, '--output', `shard-${shard[0]}.json`],
        dir,
      );
      expect(run.code).toBe(EXIT.pass);
      expect(run.stderr).toContain(
        `profile of train.jsonl (shard ${shard}) written to shard-${shard[0]}.json`,
      );
    }
    const merge = await runCli(
      ['merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--output', 'merged.json'],
      dir,
    );
    expect(merge.code).toBe(EXIT.pass);
    expect(merge.stderr).toBe('tuneguard: 3 profiles of train.jsonl merged into merged.json\n');
    const whole = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8')) as Record<string, unknown>;
    const merged = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as Record<string, unknown>;
    expect(merged).toEqual(whole);
    expect((whole['profile'] as { rows: number }).rows).toBe(500);
  });

  it('refuses an incomplete set of shards', async () => {
    const run = await runCli(['merge', 'shard-1.json', 'shard-3.json'], dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toBe('tuneguard: the shards of train.jsonl do not make a whole: missing 2/3\n');
  });

  it('profiles a folder of shards as one dataset', async () => {
    const run = await runCli(['profile', 'shards', '--jobs', '1', '--tokenizer', 'cl100k_base'], dir);
    expect(run.code).toBe(EXIT.pass);
    const profile = datasetProfileSchema.parse(JSON.parse(run.stdout));
    expect(profile.rows).toBe(200);
    expect(profile.files?.map((file) => [file.path, file.rows])).toEqual([
      ['shards/part-0.jsonl', 100],
      ['shards/part-1.jsonl', 100],
    ]);
    expect(profile.tokenizer?.name).toBe('cl100k_base');
  });

  it('gives the same profile with worker threads as in one thread', async () => {
    // 10 copies of a real file (4.4 MB): enough for the work to be shared between threads.
    const text = readFileSync(fixture('llamafactory_v1_sft_demo.jsonl'));
    writeFileSync(join(dir, 'big.jsonl'), Buffer.concat(Array.from({ length: 10 }, () => text)));
    const one = await runCli(['profile', 'big.jsonl', '--jobs', '1', '--output', 'big-1.json'], dir);
    const two = await runCli(['profile', 'big.jsonl', '--jobs', '2', '--output', 'big-2.json'], dir);
    expect([one.code, two.code]).toEqual([EXIT.pass, EXIT.pass]);
    expect(readFileSync(join(dir, 'big-2.json'), 'utf8')).toBe(readFileSync(join(dir, 'big-1.json'), 'utf8'));
    // python3: 10 copies of 500 rows with 1 duplicate: 5,000 rows, 5,000 - 499 distinct = 4,501 duplicates.
    const profile = (
      JSON.parse(readFileSync(join(dir, 'big-1.json'), 'utf8')) as {
        profile: { rows: number; duplicateRows: number };
      }
    ).profile;
    expect(profile).toMatchObject({ rows: 5_000, duplicateRows: 4_501 });
  });

  it('reads an LFS pointer from the repository when its object was fetched, and says so when not', async () => {
    const repo = join(dir, 'repo');
    const content = readFileSync(fixture('mlx_wikisql_test.jsonl'));
    const oid = '0'.repeat(63) + '1';
    mkdirSync(join(repo, 'data'), { recursive: true });
    writeFileSync(
      join(repo, 'data', 'test.jsonl'),
      `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${content.length}\n`,
    );
    const missing = await runCli(['profile', 'data/test.jsonl', '--jobs', '1'], repo);
    expect(missing.code).toBe(EXIT.pass);
    expect(missing.stderr).toContain(
      `data/test.jsonl is a Git LFS pointer (sha256:${oid.slice(0, 12)}…, ${content.length} bytes)`,
    );
    expect(JSON.parse(missing.stdout)).toMatchObject({ rows: 0, lfs: { oid, size: content.length } });
    mkdirSync(join(repo, '.git', 'lfs', 'objects', '00', '00'), { recursive: true });
    writeFileSync(join(repo, '.git', 'lfs', 'objects', '00', '00', oid), content);
    const fetched = await runCli(['profile', 'data/test.jsonl', '--jobs', '1'], repo);
    expect(fetched.code).toBe(EXIT.pass);
    expect(JSON.parse(fetched.stdout)).toMatchObject({ rows: 100, bytes: content.length });
  });

  it.each([
    [['profile'], /name the dataset: tuneguard profile PATH/],
    [
      ['profile', 'train.jsonl', '--shard', '4/3'],
      /--shard takes I\/N with 1 ≤ I ≤ N, such as 2\/4, not 4\/3/,
    ],
    [['profile', 'train.jsonl', '--jobs', '0'], /--jobs takes a whole number of 1 or more/],
    [['profile', 'train.jsonl', '--threshold', '2'], /--threshold takes a similarity between 0\.5 and 1/],
    [['profile', 'no-such-file.jsonl'], /no-such-file\.jsonl/],
    [['merge'], /name the profiles to merge/],
    [['merge', 'train.jsonl'], /train\.jsonl is not JSON/],
  ])('%p is an error (exit 2)', async (argv, pattern) => {
    const run = await runCli(argv, dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(pattern);
  });
});

describe('createProgressReporter', () => {
  it('redraws one line on a terminal, at most ten times a second, after the first second', () => {
    let now = 0;
    let written = '';
    const reporter = createProgressReporter({
      label: 'train.jsonl',
      totalBytes: 400e6,
      write: (text) => (written += text),
      interactive: true,
      now: () => now,
    });
    reporter.update({ bytes: 50e6, rows: 1000 });
    now = 2000;
    reporter.update({ bytes: 100e6, rows: 2000 });
    now = 2050;
    reporter.update({ bytes: 101e6, rows: 2010 });
    now = 4000;
    reporter.finish({ bytes: 400e6, rows: 8000 });
    expect(written).toBe(
      '\r\u001b[2Ktrain.jsonl: 2,000 rows, 100.0 MB of 400.0 MB, 50.0 MB/s, 6.0s left' +
        '\r\u001b[2Ktrain.jsonl: 8,000 rows, 400.0 MB of 400.0 MB, 100 MB/s, done in 4.0s\n',
    );
  });

  it('writes a plain line at each quarter in a log', () => {
    let now = 0;
    const lines: string[] = [];
    const reporter = createProgressReporter({
      label: 'd',
      totalBytes: 100e6,
      write: (t) => lines.push(t),
      interactive: false,
      now: () => now,
    });
    for (let step = 1; step <= 10; step += 1) {
      now = step * 1000;
      reporter.update({ bytes: step * 10e6, rows: step });
    }
    reporter.finish({ bytes: 100e6, rows: 10 });
    expect(lines).toEqual([
      'd: 3 rows, 30.0 MB of 100.0 MB, 10.0 MB/s, 7.0s left\n',
      'd: 5 rows, 50.0 MB of 100.0 MB, 10.0 MB/s, 5.0s left\n',
      'd: 8 rows, 80.0 MB of 100.0 MB, 10.0 MB/s, 2.0s left\n',
      'd: 10 rows, 100.0 MB of 100.0 MB, 10.0 MB/s, done in 10s\n',
    ]);
  });
});
