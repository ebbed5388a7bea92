/**
 * `npm run bench`: how fast tuneguard profiles a large chat dataset, against the floor (reading the file
 * and parsing every line, nothing else) and against a pandas script computing the same statistics.
 * Prints figures; it is not a test.
 *
 * 1. generate a deterministic chat-format JSONL of ~1 GB (`--size-mb`) in the temporary folder, varied
 *    from the real rows of ../shared/data/datasets;
 * 2. run each contender in its own process (so each peak memory is its own): the floor, tuneguard's
 *    profile in one thread and with worker threads, pandas;
 * 3. print a Markdown table with the machine it ran on, and delete the file.
 *
 * With `--baseline <dir>` (another checkout of tuneguard, built: `npm ci` there), the same file is also
 * profiled in one thread by that checkout's built bench, alternating which of the two runs first over
 * `--rounds` rounds (default 2); both throughputs and their ratio are printed. The worker-thread and
 * pandas contenders are then skipped: the comparison is the point of such a run.
 * `--size-mb N` (or `--mb N`) sets the file size for a quick check; the default is 1024.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileLocalDataset } from '../src/profile/dataset/index.js';
import { createRandom } from '../src/stats/compute-significance.js';

interface Result {
  name: string;
  seconds: number;
  peakMb: number;
  rows: number;
  note?: string;
}

const DATA = fileURLToPath(new URL('../../../shared/data/datasets/', import.meta.url));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const role = args[0];
  if (role === '--floor') return printJson(await runFloor(args[1] as string));
  if (role === '--profile') return printJson(await runProfile(args[1] as string, Number(args[2])));
  if (role === '--generate') return printJson(await generate(args[1] as string, Number(args[2]) * 2 ** 20));
  const sizeMb = Number(optionOf(args, '--size-mb') ?? optionOf(args, '--mb') ?? 1024);
  const baseline = optionOf(args, '--baseline');
  const rounds = Number(optionOf(args, '--rounds') ?? 2);
  const file = join(tmpdir(), `tuneguard-bench-${process.pid}.jsonl`);
  try {
    process.stderr.write(`generating ${sizeMb} MB of chat JSONL in ${file}…\n`);
    const { bytes, rows } = await generate(file, sizeMb * 2 ** 20);
    process.stderr.write(`${(bytes / 1e6).toFixed(0)} MB, ${rows.toLocaleString('en-US')} rows\n`);
    const results: Result[] = [];
    const run = (name: string, command: string[], note?: string): void => {
      process.stderr.write(`running ${name}…\n`);
      const output = execFileSync(process.execPath, command, { encoding: 'utf8', maxBuffer: 1 << 24 });
      results.push({
        name,
        ...(JSON.parse(output.trim().split('\n').pop() as string) as Omit<Result, 'name'>),
        ...(note ? { note } : {}),
      });
    };
    const self = fileURLToPath(import.meta.url);
    run('floor: read + JSON.parse every line', [self, '--floor', file]);
    if (baseline !== undefined) {
      const other = join(resolve(baseline), 'lib', 'scripts', 'bench.js');
      if (!existsSync(other)) throw new Error(`${other} does not exist: run npm ci in ${baseline} first`);
      for (let round = 0; round < rounds; round += 1) {
        const pair: [string, string][] = [
          [`baseline (${baseline}), 1 thread, round ${round + 1}`, other],
          [`tuneguard profile, 1 thread, round ${round + 1}`, self],
        ];
        // Alternate which runs first, so neither always gets the cooler machine or the warmer page cache.
        if (round % 2 === 1) pair.reverse();
        for (const [name, script] of pair) run(name, [script, '--profile', file, '1']);
      }
      printTable(bytes, rows, results);
      printComparison(bytes, results);
      return;
    }
    run('tuneguard profile, 1 thread', [self, '--profile', file, '1']);
    const jobs = Math.min(4, availableParallelism());
    if (jobs > 1) run(`tuneguard profile, ${jobs} worker threads`, [self, '--profile', file, String(jobs)]);
    const pandas = runPandas(file);
    if (pandas) results.push(pandas);
    printTable(bytes, rows, results);
  } finally {
    rmSync(file, { force: true });
  }
}

/** The value after `name` in the arguments, if given. */
function optionOf(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

/** Each round's baseline and new throughput in MB/s, their ratio, and the ratio of the totals. */
function printComparison(bytes: number, results: Result[]): void {
  const speed = (result: Result): number => bytes / 1e6 / result.seconds;
  const baselines = results.filter((result) => result.name.startsWith('baseline'));
  const news = results.filter((result) => result.name.startsWith('tuneguard profile'));
  const lines = [
    '',
    '| Round | Baseline MB/s | New MB/s | New / baseline | Baseline peak | New peak |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...baselines.map((base, index) => {
      const mine = news[index] as Result;
      return `| ${index + 1} | ${speed(base).toFixed(1)} | ${speed(mine).toFixed(1)} | ${(speed(mine) / speed(base)).toFixed(3)} | ${base.peakMb.toFixed(0)} MB | ${mine.peakMb.toFixed(0)} MB |`;
    }),
  ];
  const total = (list: Result[]): number => list.reduce((sum, result) => sum + result.seconds, 0);
  lines.push(
    '',
    `Over all rounds: new / baseline throughput = ${(total(baselines) / total(news)).toFixed(3)}.`,
  );
  const differ = news.some((result, index) => result.rows !== baselines[index]?.rows);
  if (differ) lines.push('Warning: the two profiled different numbers of rows.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function peakMb(): number {
  // maxRSS is in kilobytes, and covers every thread of the process.
  return process.resourceUsage().maxRSS / 1024;
}

/** The floor: read the file and JSON.parse every line, nothing else, as fast as Node does it. */
async function runFloor(file: string): Promise<Omit<Result, 'name'>> {
  const start = performance.now();
  let rows = 0;
  let pending: Buffer[] = [];
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, from)) {
      let line = chunk.subarray(from, end);
      if (pending.length > 0) {
        line = Buffer.concat([...pending, line]);
        pending = [];
      }
      JSON.parse(line.toString('utf8'));
      rows += 1;
      from = end + 1;
    }
    if (from < chunk.length) pending.push(chunk.subarray(from));
  }
  return { seconds: (performance.now() - start) / 1000, peakMb: peakMb(), rows };
}

async function runProfile(file: string, jobs: number): Promise<Omit<Result, 'name'>> {
  const start = performance.now();
  const { profiler } = await profileLocalDataset(file, process.cwd(), { jobs });
  const profile = profiler.finish();
  const seconds = (performance.now() - start) / 1000;
  const note = [
    `${profile.duplicateRows.toLocaleString('en-US')} exact duplicates`,
    `near-duplicates ${profile.nearDuplicates?.estimated ? '~' : ''}${(profile.nearDuplicates?.rows ?? 0).toLocaleString('en-US')}`,
    `tokens ${profile.tokenizer?.estimated ? `from ${profile.tokenizer.sampledRows.toLocaleString('en-US')} sampled rows` : 'exact'}`,
  ].join(', ');
  return { seconds, peakMb: peakMb(), rows: profile.rows, note };
}

const PANDAS_SCRIPT = String.raw`
import json, re, resource, sys, time
import pandas as pd
start = time.time()
frame = pd.read_json(sys.argv[1], lines=True)
rows = len(frame)
def texts(value):
    if isinstance(value, str): return [value]
    if isinstance(value, list): return [t for item in value for t in texts(item)]
    if isinstance(value, dict): return [t for item in value.values() for t in texts(item)]
    return []
def normalised(record):
    def norm(value):
        if isinstance(value, str): return re.sub(r'\s+', ' ', value.strip().lower())
        if isinstance(value, list): return [norm(v) for v in value]
        if isinstance(value, dict): return {k: norm(v) for k, v in value.items()}
        return value
    return json.dumps(norm(record), sort_keys=True)
records = frame.to_dict(orient='records')
keys = pd.Series([normalised(r) for r in records])
duplicates = int(keys.duplicated().sum())
chars = pd.Series([sum(len(t) for t in texts(r)) for r in records])
quantiles = chars.quantile([0, 0.5, 0.9, 0.99, 1]).tolist()
empty = {c: int(frame[c].isna().sum()) for c in frame.columns}
def bad_roles(messages):
    if not isinstance(messages, list) or not messages: return True
    return messages[-1].get('role') != 'assistant' or any(not str(m.get('content') or '').strip() for m in messages)
format_errors = int(frame['messages'].map(bad_roles).sum()) if 'messages' in frame else 0
tokens = (chars / 4).sum()
seconds = time.time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({'seconds': seconds, 'peakMb': peak, 'rows': rows, 'note': f'{duplicates} duplicates, {format_errors} format errors'}))
`;

/** pandas computing rows, normalised duplicates, missing values, length quantiles and chat-format errors. */
function findPandasPython(): string | undefined {
  // Debian's python3-pandas is for the system interpreter, which a version manager may shadow on PATH.
  return ['python3', '/usr/bin/python3'].find(
    (python) => spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0,
  );
}

function runPandas(file: string): Result | undefined {
  let python = findPandasPython();
  if (python === undefined) {
    process.stderr.write('installing python3-pandas (Debian) for the comparison…\n');
    spawnSync(
      'sh',
      ['-c', 'apt-get install -y python3-pandas || (apt-get update && apt-get install -y python3-pandas)'],
      {
        stdio: 'ignore',
      },
    );
    python = findPandasPython();
    if (python === undefined) {
      process.stderr.write('pandas is not available (apt-get install python3-pandas failed): skipping it\n');
      return undefined;
    }
  }
  const script = join(tmpdir(), `tuneguard-bench-${process.pid}.py`);
  writeFileSync(script, PANDAS_SCRIPT);
  try {
    process.stderr.write('running pandas…\n');
    const output = execFileSync(python, [script, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const version = execFileSync(python, ['-c', 'import pandas; print(pandas.__version__)'], {
      encoding: 'utf8',
    }).trim();
    return {
      name: `pandas ${version}: read_json(lines=True) + the same statistics`,
      ...(JSON.parse(output.trim()) as Omit<Result, 'name'>),
    };
  } finally {
    rmSync(script, { force: true });
  }
}

function printTable(bytes: number, rows: number, results: Result[]): void {
  const floor = results[0] as Result;
  const pandas = results.find((result) => result.name.startsWith('pandas'));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const memory = existsSync('/proc/meminfo')
    ? readFileSync('/proc/meminfo', 'utf8').split('\n')[0]
    : `${totalmem()} bytes`;
  const lines = [
    `Machine: ${availableParallelism()} cores (${cpu}), ${memory?.replace(/\s+/g, ' ')}, Node ${process.version}.`,
    `File: ${(bytes / 1e6).toFixed(0)} MB of chat JSONL, ${rows.toLocaleString('en-US')} rows (generated, in the page cache).`,
    '',
    '| Run | Time | MB/s | vs floor | vs pandas | Peak memory | Notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((result) => {
      const speed = bytes / 1e6 / result.seconds;
      return `| ${result.name} | ${result.seconds.toFixed(1)} s | ${speed.toFixed(0)} | ${(floor.seconds / result.seconds).toFixed(2)}× | ${pandas ? `${(pandas.seconds / result.seconds).toFixed(1)}×` : 'n/a'} | ${result.peakMb.toFixed(0)} MB | ${result.note ?? ''} |`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

type Message = { role: string; content: string };

/** Chat rows from the real datasets: OpenAI messages as they are, ShareGPT and Alpaca converted. */
function loadSeedRows(): Message[][] {
  const read = (name: string): unknown[] => JSON.parse(readFileSync(join(DATA, name), 'utf8')) as unknown[];
  const roles: Record<string, string> = {
    human: 'user',
    gpt: 'assistant',
    function_call: 'assistant',
    observation: 'user',
    system: 'system',
  };
  const rows: Message[][] = [];
  for (const row of read('llamafactory_kto_en_demo.json') as { messages: Message[] }[])
    rows.push(row.messages);
  for (const name of [
    'fastchat_dummy_conversation.after-pr2498.json',
    'llamafactory_glaive_toolcall_en_demo.json',
  ]) {
    for (const row of read(name) as { conversations: { from: string; value: string }[] }[]) {
      rows.push(row.conversations.map((turn) => ({ role: roles[turn.from] ?? 'user', content: turn.value })));
    }
  }
  for (const row of read('llamafactory_alpaca_en_demo.v2024-05.json') as {
    instruction: string;
    input: string;
    output: string;
  }[]) {
    rows.push([
      { role: 'user', content: row.input ? `${row.instruction}\n${row.input}` : row.instruction },
      { role: 'assistant', content: row.output },
    ]);
  }
  return rows;
}

/**
 * Writes rows until `target` bytes: each a real conversation with a few words swapped for others of the
 * corpus; one in a hundred repeats an earlier row exactly, one in a hundred nearly.
 */
async function generate(file: string, target: number): Promise<{ bytes: number; rows: number }> {
  const random = createRandom(20240601);
  const seeds = loadSeedRows();
  const vocabulary = seeds
    .flatMap((row) => row.flatMap((message) => message.content.split(' ')))
    .filter((word) => word.length > 2);
  const recent: string[] = [];
  const out = createWriteStream(file);
  let bytes = 0;
  let rows = 0;
  let buffer = '';
  while (bytes < target) {
    const dice = random();
    let line: string;
    if (dice < 0.01 && recent.length > 0) line = recent[Math.floor(random() * recent.length)] as string;
    else {
      const seed = seeds[Math.floor(random() * seeds.length)] as Message[];
      const swaps = dice < 0.02 ? 1 : 4;
      const messages = seed.map((message) => {
        const words = message.content.split(' ');
        for (let swap = 0; swap < swaps && words.length > 0; swap += 1) {
          words[Math.floor(random() * words.length)] = vocabulary[
            Math.floor(random() * vocabulary.length)
          ] as string;
        }
        return { role: message.role, content: words.join(' ') };
      });
      line = JSON.stringify({ messages });
      if (recent.length < 1000) recent.push(line);
      else recent[Math.floor(random() * recent.length)] = line;
    }
    buffer += `${line}\n`;
    bytes += Buffer.byteLength(line) + 1;
    rows += 1;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { bytes, rows };
}

await main();
