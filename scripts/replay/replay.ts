/**
 * `npm run replay`: runs `tuneguard diff` on real history, one commit pair at a time, and measures it.
 *
 * 1. reads the manifest scripts/replay/corpus.json (repositories and commits, each replayed against its
 *    first parent) and checks that `<corpus-dir>/<owner>+<name>` holds a clone with every commit; with
 *    `--setup` it first clones missing repositories from `--mirror-dir` (`<mirror-dir>/<owner>+<name>/repo`)
 *    and fetches the refs (pull request heads) that pairs outside the branches name;
 * 2. runs the built CLI (`node lib/cli/index.js diff --format json`) on every pair as a child process, one
 *    at a time, with a timeout, measuring wall time, peak RSS (`/usr/bin/time -v` if present, else the
 *    child's own `process.resourceUsage()` written at exit) and report size;
 * 3. prints a table per pair (findings by check and severity, verdict, time, peak MB, report bytes) and
 *    writes the same as JSON (`--out`);
 * 4. when scripts/replay/judgements.json exists, scores the findings against it: precision per distinct
 *    finding (right / all judged), undeserved verdicts, misses.
 *
 * Options: --corpus-dir DIR (default /tmp/tuneguard-corpus), --mirror-dir DIR (default /work/.mirror),
 * --setup, --out FILE (default /tmp/tuneguard-replay/summary.json), --reports-dir DIR (default
 * /tmp/tuneguard-replay/reports), --timeout SECONDS (default 120), --only TEXT (pairs whose repository or
 * SHA contains TEXT), --rescore (no runs: score the reports and timings of the last --out again).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ManifestPair {
  sha: string;
  reason: string;
  /** A ref outside the branches a clone gets that holds the commit (a pull request head); `--setup` fetches it. */
  ref?: string;
}
interface Manifest {
  repos: { repo: string; url: string; pairs: ManifestPair[] }[];
}

type Severity = 'failure' | 'warning' | 'notice';
type Verdict = 'pass' | 'warning' | 'failure';
type Judgement = 'right' | 'noise' | 'wrong';

interface RawFinding {
  check: string;
  severity: Severity;
  title: string;
  path?: string;
}

interface PairResult {
  repo: string;
  sha: string;
  base: string;
  reason: string;
  status: 'ok' | 'timeout' | 'error' | 'missing';
  exitCode: number | null;
  seconds: number;
  peakMb: number | null;
  reportBytes: number | null;
  absentBlobs: number;
  changedFiles: number | null;
  verdict: Verdict | null;
  counts: Record<Severity, number>;
  byCheck: Record<string, Partial<Record<Severity, number>>>;
  error?: string;
}

interface FindingJudgement {
  repo: string;
  sha: string;
  check: string;
  /** A regular expression on the finding's title and path; absent: every finding of that check. */
  match?: string;
  cause: string;
  judgement: Judgement;
  reason: string;
  /** The finding comes from the corpus, not the tool (a blob the snapshot lacks): left out of every score. */
  corpusArtifact?: boolean;
}
interface Miss {
  repo: string;
  sha: string;
  class: string;
  what: string;
  /** The verdict the missed problem deserves, when it deserves more than a notice. */
  wantedVerdict?: Verdict;
  /** The commit of tuneguard that stopped missing it: a fixed miss is counted apart from those still missed. */
  fixedBy?: string;
  /** What the report now says about it, when fixed. */
  fixedHow?: string;
  /** Where it stands when it is still (partly) missed. */
  note?: string;
}
interface Judgements {
  findings: FindingJudgement[];
  missed: Miss[];
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HERE = join(ROOT, 'scripts', 'replay');
const CLI = join(ROOT, 'lib', 'cli', 'index.js');
const TIME = '/usr/bin/time';
const SEVERITIES: Severity[] = ['failure', 'warning', 'notice'];
const VERDICT_RANK: Record<Verdict, number> = { pass: 0, warning: 1, failure: 2 };

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  return index === -1 ? fallback : (args[index + 1] ?? fallback);
}

function clonePath(corpusDir: string, repo: string): string {
  return join(corpusDir, repo.replace('/', '+'));
}

function git(dir: string, args: string[], input?: string): { ok: boolean; out: string } {
  const run = spawnSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    ...(input === undefined ? {} : { input }),
  });
  return { ok: run.status === 0, out: run.stdout ?? '' };
}

/** Checks the corpus folder; with `setup`, clones what is missing from the mirrors first. */
function checkCorpus(manifest: Manifest, corpusDir: string, mirrorDir: string, setup: boolean): Set<string> {
  const missing = new Set<string>();
  for (const { repo, url, pairs } of manifest.repos) {
    const dir = clonePath(corpusDir, repo);
    const mirror = join(mirrorDir, repo.replace('/', '+'), 'repo');
    if (!existsSync(join(dir, '.git')) && setup && existsSync(mirror)) {
      mkdirSync(corpusDir, { recursive: true });
      process.stderr.write(`cloning ${mirror} -> ${dir}\n`);
      spawnSync('git', ['clone', '-q', '--no-checkout', mirror, dir], { stdio: 'inherit' });
    }
    if (!existsSync(join(dir, '.git'))) {
      missing.add(repo);
      process.stderr.write(
        `missing: ${dir}\n  make it with: git clone --no-checkout ${existsSync(mirror) ? mirror : url} ${dir}\n` +
          `  (or fetch github:${repo} into ${mirrorDir} and run again with --setup)\n`,
      );
      continue;
    }
    if (setup) {
      // Commits only a pull request holds: fetch its head from origin (the mirror or GitHub) under refs/corpus/.
      for (const ref of new Set(pairs.flatMap((pair) => (pair.ref ? [pair.ref] : [])))) {
        const local = `refs/corpus/${ref.replace(/^refs\//, '')}`;
        if (git(dir, ['rev-parse', '-q', '--verify', local]).ok) continue;
        process.stderr.write(`fetching ${ref} into ${dir}\n`);
        git(dir, ['fetch', '-q', 'origin', `+${ref}:${local}`]);
      }
    }
    const absent = pairs.filter((pair) => !git(dir, ['cat-file', '-e', `${pair.sha}^{commit}`]).ok);
    if (absent.length > 0) {
      process.stderr.write(
        `${dir} lacks ${absent.length} commit(s) of the manifest (${absent.map((p) => p.sha.slice(0, 9)).join(', ')}): ` +
          `fetch a newer snapshot of ${repo}\n`,
      );
      for (const pair of absent) missing.add(`${repo}@${pair.sha}`);
    }
  }
  return missing;
}

/** Blobs the pair changes that the clone does not hold (snapshots leave out files of 4 MiB and more). */
function countAbsentBlobs(dir: string, base: string, head: string): number {
  const diff = git(dir, ['diff-tree', '-r', '--no-renames', base, head]).out;
  const blobs = diff
    .split('\n')
    .flatMap((line) => line.split(/\s+/).slice(2, 4))
    .filter((sha) => /^[0-9a-f]{40}$/.test(sha) && !/^0+$/.test(sha));
  if (blobs.length === 0) return 0;
  const check = git(dir, ['cat-file', '--batch-check'], blobs.join('\n') + '\n').out;
  return check.split('\n').filter((line) => line.endsWith(' missing')).length;
}

interface RunOutcome {
  exitCode: number | null;
  timedOut: boolean;
  seconds: number;
  peakKb: number | null;
  stderr: string;
}

/** Runs one command in its own process group, killing the group on timeout. */
function runMeasured(argv: string[], timeoutMs: number, rssFile: string): Promise<RunOutcome> {
  const useTime = existsSync(TIME);
  const command = useTime ? TIME : process.execPath;
  const args = useTime ? ['-v', process.execPath, ...argv] : argv;
  const hook =
    'data:text/javascript,' +
    encodeURIComponent(
      "import{writeFileSync}from'node:fs';process.on('exit',()=>{try{writeFileSync(process.env.TUNEGUARD_REPLAY_RSS_FILE,String(process.resourceUsage().maxRSS))}catch{}});",
    );
  const env = useTime
    ? process.env
    : {
        ...process.env,
        TUNEGUARD_REPLAY_RSS_FILE: rssFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${hook}`.trim(),
      };
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { detached: true, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-20000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let peakKb: number | null = null;
      if (useTime) {
        const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (match) peakKb = Number(match[1]);
        const exit = /Exit status: (\d+)/.exec(stderr);
        if (exit && code !== null) code = Number(exit[1]);
      } else if (existsSync(rssFile)) {
        peakKb = Number(readFileSync(rssFile, 'utf8'));
        rmSync(rssFile, { force: true });
      }
      resolvePromise({ exitCode: timedOut ? null : code, timedOut, seconds, peakKb, stderr });
    });
  });
}

function rawFindings(report: unknown): RawFinding[] {
  const findings = (report as { findings?: unknown[] }).findings ?? [];
  return findings.map((entry) => {
    const finding = entry as {
      check: string;
      severity: Severity;
      title: string;
      accepted?: unknown;
      location?: { path?: string };
    };
    return {
      check: finding.check,
      severity: finding.accepted ? 'notice' : finding.severity,
      title: finding.title,
      ...(finding.location?.path ? { path: finding.location.path } : {}),
    };
  });
}

function reportFile(reportsDir: string, repo: string, sha: string): string {
  return join(reportsDir, `${repo.replace('/', '+')}@${sha.slice(0, 12)}.json`);
}

function summarise(result: PairResult, report: unknown): void {
  const typed = report as { verdict?: Verdict; changedFiles?: unknown[] };
  result.verdict = typed.verdict ?? null;
  result.changedFiles = Array.isArray(typed.changedFiles) ? typed.changedFiles.length : null;
  for (const finding of rawFindings(report)) {
    result.counts[finding.severity] += 1;
    const entry = (result.byCheck[finding.check] ??= {});
    entry[finding.severity] = (entry[finding.severity] ?? 0) + 1;
  }
}

async function replayPair(
  repo: string,
  pair: ManifestPair,
  corpusDir: string,
  reportsDir: string,
  timeoutMs: number,
): Promise<PairResult> {
  const dir = clonePath(corpusDir, repo);
  const base = git(dir, ['rev-parse', `${pair.sha}^1`]).out.trim();
  const result: PairResult = {
    repo,
    sha: pair.sha,
    base,
    reason: pair.reason,
    status: 'ok',
    exitCode: null,
    seconds: 0,
    peakMb: null,
    reportBytes: null,
    absentBlobs: base ? countAbsentBlobs(dir, base, pair.sha) : 0,
    changedFiles: null,
    verdict: null,
    counts: { failure: 0, warning: 0, notice: 0 },
    byCheck: {},
  };
  if (!base) return { ...result, status: 'error', error: 'the commit has no parent' };
  const output = reportFile(reportsDir, repo, pair.sha);
  rmSync(output, { force: true });
  const argv = [CLI, 'diff', '--base', base, '--head', pair.sha, '--repo', dir, '--format', 'json'];
  const outcome = await runMeasured(
    [...argv, '--output', output],
    timeoutMs,
    join(reportsDir, `.rss-${process.pid}`),
  );
  result.exitCode = outcome.exitCode;
  result.seconds = Number(outcome.seconds.toFixed(2));
  result.peakMb = outcome.peakKb === null ? null : Number((outcome.peakKb / 1024).toFixed(1));
  if (outcome.timedOut) return { ...result, status: 'timeout' };
  if (!existsSync(output) || (outcome.exitCode !== 0 && outcome.exitCode !== 1)) {
    const lines = outcome.stderr.split('\n').filter((line) => line.trim() && !/^\s+\S.*: /.test(line));
    return { ...result, status: 'error', error: lines.slice(-3).join(' | ').slice(0, 500) };
  }
  result.reportBytes = statSync(output).size;
  summarise(result, JSON.parse(readFileSync(output, 'utf8')));
  return result;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function checksCell(result: PairResult): string {
  const letters: Record<Severity, string> = { failure: 'F', warning: 'W', notice: 'N' };
  return Object.entries(result.byCheck)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([check, counts]) =>
        `${check}:` +
        SEVERITIES.filter((s) => counts[s])
          .map((s) => `${letters[s]}${counts[s]}`)
          .join(''),
    )
    .join(' ');
}

function printTable(results: PairResult[]): void {
  console.log(
    [pad('repo', 34), pad('sha', 9), pad('verdict', 8), pad('F/W/N', 12), pad('s', 7), pad('MB', 7)]
      .concat([pad('report', 10), 'findings by check'])
      .join(' '),
  );
  for (const r of results) {
    const verdict = r.status === 'ok' ? (r.verdict ?? '?') : r.status;
    const counts = `${r.counts.failure}/${r.counts.warning}/${r.counts.notice}`;
    const cells = [
      pad(r.repo, 34),
      pad(r.sha.slice(0, 9), 9),
      pad(verdict, 8),
      pad(counts, 12),
      pad(r.seconds.toFixed(1), 7),
      pad(r.peakMb === null ? '-' : r.peakMb.toFixed(0), 7),
      pad(r.reportBytes === null ? '-' : String(r.reportBytes), 10),
      r.status === 'ok' ? checksCell(r) : (r.error ?? ''),
    ];
    console.log(cells.join(' ') + (r.absentBlobs ? ` [${r.absentBlobs} changed blob(s) absent]` : ''));
  }
}

function totals(results: PairResult[]): Record<string, unknown> {
  const ran = results.filter((r) => r.status === 'ok' || r.status === 'timeout');
  const seconds = ran.map((r) => r.seconds);
  const peaks = ran.flatMap((r) => (r.peakMb === null ? [] : [r.peakMb]));
  const largest = results.reduce<PairResult | null>(
    (best, r) => ((r.reportBytes ?? 0) > (best?.reportBytes ?? 0) ? r : best),
    null,
  );
  const verdicts: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 'ok' ? (r.verdict ?? '?') : r.status;
    verdicts[key] = (verdicts[key] ?? 0) + 1;
  }
  return {
    pairs: results.length,
    repos: new Set(results.map((r) => r.repo)).size,
    verdicts,
    findings: {
      failure: results.reduce((n, r) => n + r.counts.failure, 0),
      warning: results.reduce((n, r) => n + r.counts.warning, 0),
      notice: results.reduce((n, r) => n + r.counts.notice, 0),
    },
    seconds: { p50: percentile(seconds, 50), p90: percentile(seconds, 90), max: Math.max(0, ...seconds) },
    peakMb: { p50: percentile(peaks, 50), max: Math.max(0, ...peaks) },
    largestReport: largest ? { bytes: largest.reportBytes, repo: largest.repo, sha: largest.sha } : null,
  };
}

/** The name lm-evaluation-harness and lighteval give each run's results (`results_<ISO time>.json`). */
const TIMESTAMPED_RESULTS = /^(.*\/)?results_\d{4}-\d{2}-\d{2}T[0-9:.-]+\.json$/i;

interface ComparedWith {
  path: string;
  files?: string[];
  reason: string;
}
interface ReportArtifact {
  path: string;
  files?: string[];
  comparedWith?: ComparedWith;
}

interface PairPairing {
  repo: string;
  sha: string;
  /** Renames git sees (`diff-tree -M`, at least half alike) of a file the report reviews on either side. */
  renames: number;
  /** Of those, the ones the report compares across the two paths (`comparedWith`, reason renamed). */
  renamesPaired: number;
  unpaired: string[];
  /** Folders where a timestamped results file was added beside or instead of a base run. */
  reruns: number;
  /** Of those, the ones the report compares with the base run (`comparedWith`, reason newer-run). */
  rerunsPaired: number;
}

function reportArtifacts(report: unknown): ReportArtifact[] {
  const typed = report as Partial<Record<'datasets' | 'params' | 'metrics' | 'training', ReportArtifact[]>>;
  return [typed.datasets, typed.params, typed.metrics, typed.training].flatMap((list) => list ?? []);
}

/** Counts, per pair, the renames and timestamped re-runs of reviewed files and whether the report paired them. */
function pairings(results: PairResult[], reportsDir: string, corpusDir: string): Record<string, unknown> {
  const pairs: PairPairing[] = [];
  for (const result of results) {
    const path = reportFile(reportsDir, result.repo, result.sha);
    if (result.status !== 'ok' || !result.base || !existsSync(path)) continue;
    const artifacts = reportArtifacts(JSON.parse(readFileSync(path, 'utf8')));
    const pathsOf = (a: { path: string; files?: string[] }): string[] => [a.path, ...(a.files ?? [])];
    const reviewed = new Set(
      artifacts.flatMap((a) => [...pathsOf(a), ...(a.comparedWith ? pathsOf(a.comparedWith) : [])]),
    );
    const dir = clonePath(corpusDir, result.repo);
    const entry: PairPairing = {
      repo: result.repo,
      sha: result.sha.slice(0, 9),
      renames: 0,
      renamesPaired: 0,
      unpaired: [],
      reruns: 0,
      rerunsPaired: 0,
    };
    const diff = git(dir, ['diff-tree', '-r', '-M', '--name-status', result.base, result.sha]).out;
    for (const line of diff.split('\n')) {
      const [status, from, to] = line.split('\t');
      if (!status?.startsWith('R') || !from || !to || !(reviewed.has(from) || reviewed.has(to))) continue;
      // Two runs of one timestamped series are re-runs, counted below.
      if (TIMESTAMPED_RESULTS.test(from) && TIMESTAMPED_RESULTS.test(to)) continue;
      entry.renames += 1;
      const paired = artifacts.some(
        (a) =>
          a.comparedWith?.reason === 'renamed' &&
          pathsOf(a).includes(to) &&
          pathsOf(a.comparedWith).includes(from),
      );
      if (paired) entry.renamesPaired += 1;
      else entry.unpaired.push(`${from} -> ${to}`);
    }
    const added = git(dir, [
      'diff-tree',
      '-r',
      '--no-renames',
      '--name-status',
      '--diff-filter=A',
      result.base,
      result.sha,
    ])
      .out.split('\n')
      .map((line) => line.split('\t')[1] ?? '')
      .filter((file) => TIMESTAMPED_RESULTS.test(file));
    const folders = new Set(added.map((file) => file.slice(0, file.lastIndexOf('/') + 1)));
    for (const folder of folders) {
      const base = git(dir, ['ls-tree', '--name-only', result.base, folder === '' ? '.' : folder]).out;
      if (!base.split('\n').some((file) => TIMESTAMPED_RESULTS.test(file))) continue;
      entry.reruns += 1;
      const paired = artifacts.some(
        (a) =>
          a.comparedWith?.reason === 'newer-run' &&
          a.path.startsWith(folder) &&
          !a.path.slice(folder.length).includes('/'),
      );
      if (paired) entry.rerunsPaired += 1;
    }
    if (entry.renames || entry.reruns) pairs.push(entry);
  }
  const sum = (key: 'renames' | 'renamesPaired' | 'reruns' | 'rerunsPaired'): number =>
    pairs.reduce((n, p) => n + p[key], 0);
  return {
    renames: {
      pairs: pairs.filter((p) => p.renames).length,
      pairsAllPaired: pairs.filter((p) => p.renames && p.renamesPaired === p.renames).length,
      files: sum('renames'),
      paired: sum('renamesPaired'),
    },
    reruns: {
      pairs: pairs.filter((p) => p.reruns).length,
      pairsAllPaired: pairs.filter((p) => p.reruns && p.rerunsPaired === p.reruns).length,
      folders: sum('reruns'),
      paired: sum('rerunsPaired'),
    },
    pairs,
  };
}

function printPairings(summary: Record<string, unknown>): void {
  const s = summary as {
    renames: { pairs: number; pairsAllPaired: number; files: number; paired: number };
    reruns: { pairs: number; pairsAllPaired: number; folders: number; paired: number };
  };
  console.log(
    `\nrenames of reviewed files (git -M): ${s.renames.files} in ${s.renames.pairs} pairs, ${s.renames.paired} compared across ` +
      `their paths (comparedWith); pairs with every rename paired: ${s.renames.pairsAllPaired}`,
  );
  console.log(
    `timestamped re-runs: ${s.reruns.folders} folders in ${s.reruns.pairs} pairs, ${s.reruns.paired} compared with the base run; ` +
      `pairs with every re-run paired: ${s.reruns.pairsAllPaired}`,
  );
}

function sameCommit(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

function verdictOf(severity: Severity): Verdict {
  return severity === 'notice' ? 'pass' : severity;
}

/** Scores the findings of every report against the judgements. */
function score(results: PairResult[], judgements: Judgements, reportsDir: string): Record<string, unknown> {
  const perCheck: Record<string, Record<Judgement | 'unjudged', number>> = {};
  const rawPerCheck: Record<string, Record<Judgement, number>> = {};
  const worstSeverity = new Map<FindingJudgement, Severity>();
  const distinct = { right: 0, noise: 0, wrong: 0 };
  const raw = { right: 0, noise: 0, wrong: 0, unjudged: 0, corpusArtifact: 0 };
  const undeserved: { repo: string; sha: string; verdict: Verdict; justified: Verdict }[] = [];
  const lenient: { repo: string; sha: string; verdict: Verdict; wanted: Verdict }[] = [];
  const unjudged: { repo: string; sha: string; check: string; title: string }[] = [];
  const used = new Set<FindingJudgement>();
  for (const result of results) {
    if (result.status !== 'ok') continue;
    const path = reportFile(reportsDir, result.repo, result.sha);
    if (!existsSync(path)) continue;
    const findings = rawFindings(JSON.parse(readFileSync(path, 'utf8')));
    const mine = judgements.findings.filter((j) => j.repo === result.repo && sameCommit(result.sha, j.sha));
    let justified: Verdict = 'pass';
    let verdict: Verdict = 'pass';
    for (const finding of findings) {
      const text = `${finding.title} ${finding.path ?? ''}`;
      const judged = mine.find(
        (j) => j.check === finding.check && (!j.match || new RegExp(j.match).test(text)),
      );
      const bucket = (perCheck[finding.check] ??= { right: 0, noise: 0, wrong: 0, unjudged: 0 });
      if (!judged) {
        if (VERDICT_RANK[verdictOf(finding.severity)] > VERDICT_RANK[verdict])
          verdict = verdictOf(finding.severity);
        raw.unjudged += 1;
        bucket.unjudged += 1;
        unjudged.push({
          repo: result.repo,
          sha: result.sha.slice(0, 9),
          check: finding.check,
          title: finding.title,
        });
        continue;
      }
      if (judged.corpusArtifact) {
        used.add(judged);
        raw.corpusArtifact += 1;
        continue;
      }
      if (VERDICT_RANK[verdictOf(finding.severity)] > VERDICT_RANK[verdict])
        verdict = verdictOf(finding.severity);
      raw[judged.judgement] += 1;
      (rawPerCheck[finding.check] ??= { right: 0, noise: 0, wrong: 0 })[judged.judgement] += 1;
      const before = worstSeverity.get(judged);
      if (!before || SEVERITIES.indexOf(finding.severity) < SEVERITIES.indexOf(before))
        worstSeverity.set(judged, finding.severity);
      if (!used.has(judged)) {
        used.add(judged);
        distinct[judged.judgement] += 1;
        bucket[judged.judgement] += 1;
      }
      if (judged.judgement === 'right' && VERDICT_RANK[verdictOf(finding.severity)] > VERDICT_RANK[justified])
        justified = verdictOf(finding.severity);
    }
    // The verdict the tool would give without the corpus artifacts (equal to result.verdict when there are none).
    if (VERDICT_RANK[verdict] > VERDICT_RANK[justified])
      undeserved.push({ repo: result.repo, sha: result.sha.slice(0, 9), verdict, justified });
    const wanted = judgements.missed
      .filter((m) => m.repo === result.repo && sameCommit(result.sha, m.sha) && m.wantedVerdict)
      .reduce<Verdict>(
        (worst, m) =>
          VERDICT_RANK[m.wantedVerdict as Verdict] > VERDICT_RANK[worst]
            ? (m.wantedVerdict as Verdict)
            : worst,
        justified,
      );
    if (VERDICT_RANK[verdict] < VERDICT_RANK[wanted])
      lenient.push({ repo: result.repo, sha: result.sha.slice(0, 9), verdict, wanted });
  }
  const judgedDistinct = distinct.right + distinct.noise + distinct.wrong;
  const missesByClass: Record<string, number> = {};
  const fixedByClass: Record<string, number> = {};
  for (const miss of judgements.missed) {
    const counts = miss.fixedBy ? fixedByClass : missesByClass;
    counts[miss.class] = (counts[miss.class] ?? 0) + 1;
  }
  const fixed = judgements.missed.filter((miss) => miss.fixedBy).length;
  // A miss on a pair that did not run (error, timeout) can be neither confirmed nor refuted by this run.
  const ran = (miss: Miss): boolean =>
    results.some((r) => r.repo === miss.repo && sameCommit(r.sha, miss.sha) && r.status === 'ok');
  const notRun = judgements.missed.filter((miss) => !ran(miss));
  const stale = judgements.findings.filter((j) => !used.has(j)).length;
  const bySeverity: Record<Severity, Record<Judgement, number>> = {
    failure: { right: 0, noise: 0, wrong: 0 },
    warning: { right: 0, noise: 0, wrong: 0 },
    notice: { right: 0, noise: 0, wrong: 0 },
  };
  for (const [judged, severity] of worstSeverity) bySeverity[severity][judged.judgement] += 1;
  return {
    distinct: { ...distinct, total: judgedDistinct },
    precision: judgedDistinct ? Number((distinct.right / judgedDistinct).toFixed(3)) : null,
    raw,
    bySeverity,
    perCheck,
    rawPerCheck,
    undeservedVerdicts: undeserved,
    tooLenientVerdicts: lenient,
    misses: {
      total: judgements.missed.length,
      stillMissed: judgements.missed.length - fixed,
      fixed,
      fixedOnPairsNotRun: notRun.filter((miss) => miss.fixedBy).length,
      stillMissedOnPairsNotRun: notRun.filter((miss) => !miss.fixedBy).length,
      byClass: missesByClass,
      fixedByClass,
    },
    staleJudgements: stale,
    unjudged,
  };
}

function printScore(scored: Record<string, unknown>): void {
  const s = scored as {
    distinct: Record<string, number>;
    precision: number | null;
    raw: Record<string, number>;
    bySeverity: Record<string, Record<string, number>>;
    perCheck: Record<string, Record<string, number>>;
    rawPerCheck: Record<string, Record<string, number>>;
    undeservedVerdicts: { repo: string; sha: string; verdict: string; justified: string }[];
    tooLenientVerdicts: { repo: string; sha: string; verdict: string; wanted: string }[];
    misses: {
      total: number;
      stillMissed: number;
      fixed: number;
      fixedOnPairsNotRun: number;
      stillMissedOnPairsNotRun: number;
      byClass: Record<string, number>;
      fixedByClass: Record<string, number>;
    };
    staleJudgements: number;
    unjudged: unknown[];
  };
  console.log('\nJudged against scripts/replay/judgements.json');
  console.log(
    `distinct findings: ${s.distinct.total} (right ${s.distinct.right}, noise ${s.distinct.noise}, wrong ${s.distinct.wrong}); ` +
      `precision per distinct finding ${s.precision === null ? '-' : (s.precision * 100).toFixed(0) + '%'}`,
  );
  console.log(
    `raw findings: right ${s.raw.right}, noise ${s.raw.noise}, wrong ${s.raw.wrong}, unjudged ${s.raw.unjudged}, corpus artifacts (left out) ${s.raw.corpusArtifact}`,
  );
  for (const [severity, c] of Object.entries(s.bySeverity))
    console.log(
      `distinct findings whose worst severity is ${severity}: right ${c.right}, noise ${c.noise}, wrong ${c.wrong}`,
    );
  console.log(pad('check (distinct; raw)', 28) + ' right noise wrong unjudged   raw right/noise/wrong');
  for (const [check, c] of Object.entries(s.perCheck).sort(([a], [b]) => a.localeCompare(b))) {
    const r = s.rawPerCheck[check] ?? { right: 0, noise: 0, wrong: 0 };
    console.log(
      `${pad(check, 28)} ${pad(String(c.right), 5)} ${pad(String(c.noise), 5)} ${pad(String(c.wrong), 5)} ` +
        `${pad(String(c.unjudged), 8)}   ${r.right}/${r.noise}/${r.wrong}`,
    );
  }
  console.log(`undeserved verdicts: ${s.undeservedVerdicts.length}`);
  for (const u of s.undeservedVerdicts)
    console.log(`  ${u.repo} ${u.sha}: ${u.verdict}, justified ${u.justified}`);
  console.log(`verdicts too lenient (a judged miss wanted worse): ${s.tooLenientVerdicts.length}`);
  for (const u of s.tooLenientVerdicts) console.log(`  ${u.repo} ${u.sha}: ${u.verdict}, wanted ${u.wanted}`);
  console.log(
    `misses: ${s.misses.total} (still missed ${s.misses.stillMissed}, fixed ${s.misses.fixed}); ` +
      `on pairs that did not run: ${s.misses.fixedOnPairsNotRun} fixed, ${s.misses.stillMissedOnPairsNotRun} still missed`,
  );
  for (const [cls, n] of Object.entries(s.misses.byClass)) console.log(`  ${cls}: ${n}`);
  for (const [cls, n] of Object.entries(s.misses.fixedByClass)) console.log(`  fixed, ${cls}: ${n}`);
  if (s.staleJudgements) console.log(`judgements matching no finding of this run: ${s.staleJudgements}`);
  if (s.unjudged.length)
    console.log(`findings with no judgement: ${s.unjudged.length} (listed in the JSON summary)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const corpusDir = resolve(option(args, '--corpus-dir', '/tmp/tuneguard-corpus'));
  const mirrorDir = resolve(option(args, '--mirror-dir', '/work/.mirror'));
  const out = resolve(option(args, '--out', '/tmp/tuneguard-replay/summary.json'));
  const reportsDir = resolve(option(args, '--reports-dir', '/tmp/tuneguard-replay/reports'));
  const timeoutMs = Number(option(args, '--timeout', '120')) * 1000;
  const only = option(args, '--only', '');
  const manifest = JSON.parse(readFileSync(join(HERE, 'corpus.json'), 'utf8')) as Manifest;
  const judgementsPath = join(HERE, 'judgements.json');
  mkdirSync(reportsDir, { recursive: true });
  mkdirSync(dirname(out), { recursive: true });

  let results: PairResult[];
  if (args.includes('--rescore')) {
    results = (JSON.parse(readFileSync(out, 'utf8')) as { results: PairResult[] }).results;
  } else {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const missing = checkCorpus(manifest, corpusDir, mirrorDir, args.includes('--setup'));
    results = [];
    const todo = manifest.repos.flatMap(({ repo, pairs }) =>
      pairs
        .filter((pair) => !only || repo.includes(only) || pair.sha.startsWith(only))
        .map((pair) => ({ repo, pair })),
    );
    let done = 0;
    for (const { repo, pair } of todo) {
      done += 1;
      if (missing.has(repo) || missing.has(`${repo}@${pair.sha}`)) {
        results.push({
          repo,
          sha: pair.sha,
          base: '',
          reason: pair.reason,
          status: 'missing',
          exitCode: null,
          seconds: 0,
          peakMb: null,
          reportBytes: null,
          absentBlobs: 0,
          changedFiles: null,
          verdict: null,
          counts: { failure: 0, warning: 0, notice: 0 },
          byCheck: {},
          error: 'not in the corpus folder',
        });
        continue;
      }
      process.stderr.write(`[${done}/${todo.length}] ${repo} ${pair.sha.slice(0, 9)}… `);
      const result = await replayPair(repo, pair, corpusDir, reportsDir, timeoutMs);
      process.stderr.write(
        `${result.status === 'ok' ? result.verdict : result.status} in ${result.seconds.toFixed(1)} s\n`,
      );
      results.push(result);
    }
  }

  printTable(results);
  const summary: Record<string, unknown> = {
    machine: {
      cpus: `${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown'}`,
      memoryGb: Number((totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
      rss: existsSync(TIME) ? '/usr/bin/time -v' : 'process.resourceUsage() of the child',
    },
    totals: totals(results),
    results,
  };
  console.log('\n' + JSON.stringify(summary.totals, null, 2));
  summary.pairing = pairings(results, reportsDir, corpusDir);
  printPairings(summary.pairing as Record<string, unknown>);
  if (existsSync(judgementsPath)) {
    const judgements = JSON.parse(readFileSync(judgementsPath, 'utf8')) as Judgements;
    summary.score = score(results, judgements, reportsDir);
    printScore(summary.score as Record<string, unknown>);
  }
  writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
  console.log(`\nsummary written to ${out}; reports in ${reportsDir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
