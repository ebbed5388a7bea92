/**
 * `npm run bench:hostile`: how long a whole analysis takes, and how much memory and how many git
 * processes it uses, on pull requests built to hurt it. Prints figures; it is not a test.
 *
 * 1. build temporary repositories with `git fast-import` (no work tree, so paths of 4,000 characters
 *    are fine): a 1 KB metrics file of nested aliases (a billion laughs of maps); many small datasets
 *    in one pull request (`--files`, default 10,000); 300 files whose paths are 4,000 characters of
 *    folders named like the default globs' (`results/`, `eval/`, `a/`);
 * 2. run `analyze` on each (base `main`, head `pr`) in its own process, with a heap of 2 GB at most
 *    and `--timeout` seconds (default 300), git's trace on to count the git processes started;
 * 3. with `--baseline <dir>` (another checkout of tuneguard, built), run the same pull requests with
 *    that checkout's build; its many-files case uses `--baseline-files` (default 2,000) files, since
 *    it takes minutes per thousand, and this build is run on that count too;
 * 4. print one Markdown table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Run {
  seconds?: number;
  peakMb?: number;
  findings?: number;
  notAnalysed?: string[];
  gitProcesses?: number;
  /** Why the run has no figures: it ran out of time or memory. */
  failed?: string;
}

interface Case {
  name: string;
  dir: string;
  /** The config of this build's run (an older build may refuse its keys: the baseline runs without). */
  config: string;
  /** Whether the baseline runs it too. */
  baseline: boolean;
}

const HEAP_MB = 2048;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--run') return runAnalysis(args[1] as string, args[2] as string, args[3] as string);
  const baseline = optionOf(args, '--baseline');
  const files = Number(optionOf(args, '--files') ?? 10_000);
  const baselineFiles = Number(optionOf(args, '--baseline-files') ?? 2000);
  const timeout = Number(optionOf(args, '--timeout') ?? 300);
  const work = mkdtempSync(join(tmpdir(), 'tuneguard-bench-hostile-'));
  try {
    const bomb = createRepo(
      join(work, 'bomb'),
      { 'eval/metrics.yaml': 'arc: { acc: 0.5 }\n' },
      {
        'eval/metrics.yaml': aliasBomb(),
      },
    );
    const many = (count: number): string => createRepo(join(work, `many-${count}`), {}, smallDatasets(count));
    const manyDir = many(files);
    const cases: Case[] = [
      { name: `alias bomb (${aliasBomb().length} bytes)`, dir: bomb, config: '', baseline: true },
      {
        name: `${formatCount(files)} small datasets, default budget`,
        dir: manyDir,
        config: '',
        baseline: false,
      },
      {
        name: `${formatCount(files)} small datasets, budget raised to all`,
        dir: manyDir,
        config: `budget:\n  max-files: ${files * 2}\n`,
        baseline: baselineFiles === files,
      },
    ];
    if (baseline !== undefined && baselineFiles !== files) {
      const dir = many(baselineFiles);
      cases.push({ name: `${formatCount(baselineFiles)} small datasets`, dir, config: '', baseline: true });
    }
    const long = createRepo(join(work, 'long'), {}, longPaths());
    cases.push({ name: '300 paths of 4,000 characters', dir: long, config: '', baseline: true });
    const self = fileURLToPath(new URL('..', import.meta.url));
    const rows: string[] = [];
    for (const entry of cases) {
      rows.push(row(entry.name, 'this build', measure(self, entry.dir, entry.config, timeout, work)));
      if (baseline === undefined || !entry.baseline) continue;
      const other = join(resolve(baseline), 'lib');
      rows.push(row(entry.name, `baseline (${baseline})`, measure(other, entry.dir, '', timeout, work)));
    }
    process.stdout.write(
      [
        `Hostile pull requests on ${cpus()[0]?.model ?? 'an unknown CPU'} (${cpus().length} cores), node ${process.version}; heap at most ${HEAP_MB} MB, ${timeout} s at most per run.`,
        '',
        '| Case | Build | Seconds | Peak RSS | git processes | Findings | Not analysed |',
        '| --- | --- | ---: | ---: | ---: | ---: | --- |',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One analysis in its own process, with git's trace counting the git processes it starts. */
function measure(root: string, dir: string, config: string, timeout: number, work: string): Run {
  const trace = join(work, `trace-${process.hrtime.bigint()}.log`);
  writeFileSync(trace, '');
  process.stderr.write(`running ${root} on ${dir}…\n`);
  try {
    const output = execFileSync(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_MB}`,
        fileURLToPath(import.meta.url),
        '--run',
        root,
        dir,
        Buffer.from(config).toString('base64'),
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        timeout: timeout * 1000,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GIT_TRACE: trace },
      },
    );
    const run = JSON.parse(output.trim().split('\n').pop() as string) as Run;
    return { ...run, gitProcesses: countGitProcesses(trace) };
  } catch (error) {
    const { signal, stderr } = error as { signal?: string; stderr?: string };
    const failed =
      signal === 'SIGTERM'
        ? `did not finish in ${timeout} s`
        : /heap out of memory/i.test(stderr ?? '')
          ? `ran out of memory (${HEAP_MB} MB heap)`
          : `failed: ${(stderr ?? String(error)).trim().split('\n').slice(-1)[0] ?? ''}`;
    return { failed, gitProcesses: countGitProcesses(trace) };
  }
}

/** git writes one `built-in: git …` line to its trace for every process started. */
function countGitProcesses(trace: string): number {
  return readFileSync(trace, 'utf8')
    .split('\n')
    .filter((line) => line.includes('trace: built-in: git')).length;
}

/** Runs `analyze` of the build at `root` (a `lib/` folder) on base `main` and head `pr` of `dir`. */
async function runAnalysis(root: string, dir: string, configBase64: string): Promise<void> {
  const load = (path: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(join(root, 'src', path)).href) as Promise<Record<string, unknown>>;
  type Fn = (...args: unknown[]) => Promise<unknown>;
  const git = await load('io/git.js');
  const { analyze } = (await load('analyze.js')) as { analyze: Fn };
  const { parseConfig } = (await load('config/parse-config.js')) as {
    parseConfig: (...a: unknown[]) => unknown;
  };
  const start = performance.now();
  const repo = await (git.openGitRepository as Fn)(dir);
  const pair = await (git.openSnapshotPair as Fn)(repo, 'main', 'pr');
  const config = parseConfig(Buffer.from(configBase64, 'base64').toString(), '.github/tuneguard.yml');
  const report = (await analyze({ pair, config, toolVersion: 'bench' })) as {
    findings: { check: string; title: string }[];
  };
  const seconds = (performance.now() - start) / 1000;
  const notAnalysed = report.findings.filter((f) => f.check === 'input-not-analysed').map((f) => f.title);
  process.stdout.write(
    `${JSON.stringify({ seconds, peakMb: process.resourceUsage().maxRSS / 1024, findings: report.findings.length, notAnalysed })}\n`,
  );
  // An older build may leave git processes behind; the figures are taken.
  process.exit(0);
}

function row(name: string, build: string, run: Run): string {
  const figure = (value: number | undefined, digits: number, unit = ''): string =>
    value === undefined ? '—' : `${value.toFixed(digits)}${unit}`;
  const note = run.failed ?? (run.notAnalysed ?? []).join('; ');
  return `| ${name} | ${build} | ${figure(run.seconds, 1)} | ${figure(run.peakMb, 0, ' MB')} | ${run.gitProcesses ?? '—'} | ${run.findings ?? '—'} | ${note} |`;
}

/** A metrics file of nine maps, each holding nine aliases of the one before: 9^9 values once expanded. */
function aliasBomb(): string {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  return `${names
    .map((name, index) => {
      const items = Array.from({ length: 9 }, (_, k) =>
        index === 0 ? `x${k}: 1` : `${name}${k}: *${names[index - 1]}`,
      );
      return `${name}: &${name} { ${items.join(', ')} }`;
    })
    .join('\n')}\n`;
}

function smallDatasets(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) {
    const rows = Array.from(
      { length: 5 },
      (_, r) => `{"prompt": "question ${i}.${r}", "completion": "answer ${i}.${r}"}\n`,
    );
    files[`data/set${i}_train.jsonl`] = rows.join('');
  }
  return files;
}

/** Paths of about 4,000 characters made of the folders the default globs name, each file a metrics-like JSON. */
function longPaths(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 100; i += 1) {
    files[`${'results/'.repeat(499)}r${i}/x.json`] = '{"acc": 0.5}\n';
    files[`${'eval/'.repeat(799)}e${i}/x.json`] = '{"acc": 0.5}\n';
    files[`${'a/'.repeat(1998)}a${i}/x.jsonl`] = '{"prompt": "q", "completion": "a"}\n';
  }
  return files;
}

/** A repository whose `main` holds `base` and whose `pr` adds `head` on top of it, without a work tree. */
function createRepo(dir: string, base: Record<string, string>, head: Record<string, string>): string {
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', dir]);
  const commit = (ref: string, message: string, files: Record<string, string>, from?: string): string => {
    const lines = [`commit refs/heads/${ref}`, 'committer Bench <bench@example.invalid> 1700000000 +0000'];
    lines.push(`data ${Buffer.byteLength(message)}`, message);
    if (from !== undefined) lines.push(`from ${from}`);
    for (const [path, content] of Object.entries(files)) {
      lines.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(content)}`, content);
    }
    return `${lines.join('\n')}\n`;
  };
  const stream =
    commit('main', 'base', { 'README.md': 'bench\n', ...base }) +
    commit('pr', 'head', head, 'refs/heads/main');
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream, maxBuffer: 1 << 26 });
  return dir;
}

function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

function optionOf(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

await main();
