import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../src/analyze.js';
import { loadConfig } from '../src/config/load-config.js';
import { parseConfig } from '../src/config/parse-config.js';
import type { Config } from '../src/config/schema.js';
import { describeError } from '../src/model/errors.js';
import type { Workspace } from '../src/model/report-schema.js';
import { openGitRepository, openSnapshotPair, type GitRepository, type OpenedPair } from '../src/io/git.js';
import { openWorktreePair } from '../src/io/open-worktree-pair.js';
import { decodeText } from '../src/loaders/decode-text.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import { renderText } from '../src/render/render-text.js';
import { serializeReport } from '../src/report/serialize-report.js';
import { TOOL_VERSION } from '../src/model/version.js';
import { neutralizeTerminalText } from '../src/text/neutralize-terminal-text.js';
import { plural } from '../src/text/plural.js';
import type { CliIo } from './cli-io.js';
import { runConfig } from './config-command.js';
import { EXIT, exitCodeFor, FAIL_ON, reportFailure, usageError, type FailOn } from './exit-codes.js';
import { runMerge, runProfile } from './profile-command.js';
import { createTextStyle } from './text-style.js';

export { EXIT } from './exit-codes.js';

export const HELP = `tuneguard ${TOOL_VERSION}: review a fine-tuning repository's change between two commits.

Usage:
  tuneguard diff --base REF --head REF [options]
  tuneguard diff --worktree [--base REF] [options]
  tuneguard profile PATH [--shard I/N] [--output FILE] [profile options]
  tuneguard merge PROFILE... [--output FILE]
  tuneguard config validate [FILE]

diff compares the datasets, hyperparameters, training logs and evaluation results of HEAD against
BASE (their merge-base, as a pull request does) and reports what changed and what looks wrong.
With --worktree, the head is the working tree, uncommitted changes included: review before pushing.

profile reads a dataset file, or a folder of shards as one dataset, and prints its profile as JSON:
rows, record format and its errors, duplicates, near-duplicates, conflicting answers, labels,
placeholder answers, token counts. With --shard I/N it profiles the I-th of N equal parts, and
--output writes a profile that merge combines with the other parts' into the profile one pass
over the whole would give: a GitHub Actions matrix can share a large dataset that way.

config validate checks a config file (default: .github/tuneguard.yml here) and prints every problem
as FILE:LINE:COLUMN, with "did you mean" for a misspelt key, check or value. It exits 0 when the file
is valid, 1 when it is not, 2 when it cannot be read.

Options of diff:
  --base REF          the commit to compare against (branch, tag or SHA), e.g. origin/main
  --head REF          the commit under review (default: HEAD)
  --worktree          review the working tree instead of a commit: files modified (staged or not),
                      untracked files git does not ignore, and deleted files; BASE defaults to HEAD
                      (the uncommitted changes alone); symbolic links are not followed
  --config FILE       a tuneguard config on disk (default: .github/tuneguard.yml at the merge-base)
  --format FORMAT     text, markdown or json (default: text on a terminal, markdown when piped or
                      written with --output)
  --output FILE       write the report to FILE instead of standard output
  --fail-on LEVEL     exit 1 when a finding reaches LEVEL: failure (default), warning, notice, or
                      never (always exit 0 once the review ran)
  --repo DIR          the repository (default: the current directory)
  -h, --help          show this help
  -v, --version       show the version

Options of profile:
  --shard I/N         profile only part I of N (1-based), for a matrix of jobs
  --output FILE       write the profile with its mergeable state to FILE (for merge)
  --jobs N            worker threads sharing the work (default 1; more is faster, uses more memory)
  --tokenizer NAME    o200k_base (default), cl100k_base, or the path of a tokenizer.json
  --threshold X       near-duplicate similarity (default 0.8)
  --exact             exact token and near-duplicate figures whatever the size (slower)

Options of merge:
  --output FILE       write the merged profile to FILE (default: print the profile)

Progress goes to standard error: one line redrawn on a terminal, a few plain lines in CI logs.
The text report is coloured on a terminal; NO_COLOR=1 turns colour off, FORCE_COLOR=1 on (also in a
pipe).

Exit status:
  0  nothing reached --fail-on (by default: the verdict is pass or warning); config validate: valid
  1  a finding reached --fail-on (by default: the verdict is failure, a blocking check failed);
     config validate: the file has problems
  2  the command could not run: bad arguments, an invalid config, a ref git cannot find, or a
     shallow clone without the merge-base of BASE and HEAD (the fix is printed)

Examples:
  tuneguard diff --base origin/main --head HEAD --output report.md
  tuneguard diff --worktree --base origin/main
`;

/** What `tuneguard diff` was asked to do. */
interface DiffArgs {
  base: string;
  head: string;
  config?: string | undefined;
  format: 'text' | 'markdown' | 'json';
  failOn: FailOn;
  output?: string | undefined;
  repo?: string | undefined;
  /** Review the working tree instead of `head`. */
  worktree: boolean;
}

/**
 * Runs the CLI with arguments (without the node and script names) and returns the exit code.
 * Never throws: every error is printed to stderr with what to do about it.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'profile') return runProfile(argv.slice(1), io);
  if (argv[0] === 'merge') return runMerge(argv.slice(1), io);
  if (argv[0] === 'config') return runConfig(argv.slice(1), io);
  const args = parseDiffArgs(argv, io);
  if (typeof args === 'number') return args;
  try {
    return await runDiff(args, io);
  } catch (error) {
    return reportFailure(io, error);
  }
}

/** The arguments of `diff`, or the exit code when they asked for help or the version, or were wrong. */
function parseDiffArgs(argv: readonly string[], io: CliIo): DiffArgs | number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        base: { type: 'string' },
        head: { type: 'string' },
        worktree: { type: 'boolean', default: false },
        config: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string', default: 'failure' },
        repo: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    return usageError(io, describeError(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return EXIT.pass;
  }
  if (values.version) {
    io.stdout(`${TOOL_VERSION}\n`);
    return EXIT.pass;
  }
  if (positionals[0] !== 'diff' || positionals.length > 1) {
    return usageError(
      io,
      positionals.length === 0
        ? 'name a command: tuneguard diff --base REF --head REF'
        : `unknown command: ${positionals.join(' ')}`,
    );
  }
  if (values.worktree && values.head !== undefined) {
    return usageError(
      io,
      '--worktree reviews the working tree: it takes no --head (commit the changes first to review a commit)',
    );
  }
  const base = values.base ?? (values.worktree ? 'HEAD' : undefined);
  if (base === undefined) return usageError(io, '--base REF is required (for example --base origin/main)');
  const format =
    values.format ?? (values.output === undefined && io.stdoutIsTerminal === true ? 'text' : 'markdown');
  if (format !== 'text' && format !== 'markdown' && format !== 'json') {
    return usageError(io, `--format must be text, markdown or json, not ${format}`);
  }
  const failOn = FAIL_ON.find((level) => level === values['fail-on']);
  if (failOn === undefined) {
    return usageError(io, `--fail-on must be ${FAIL_ON.join(', ')}, not ${values['fail-on']}`);
  }
  const { config, output, repo, worktree } = values;
  return { base, head: values.head ?? 'HEAD', config, output, repo, format, failOn, worktree };
}

/** Reviews the two commits, prints or writes the report, and returns the verdict's exit code. */
async function runDiff(args: DiffArgs, io: CliIo): Promise<number> {
  const repo = await openGitRepository(resolve(io.cwd, args.repo ?? '.'));
  const { pair, workspace } = await openPair(repo, args, io);
  if (!pair.sharesHistory) {
    io.stderr(
      `tuneguard: ${args.base} and ${args.head} share no history: ${args.head} is compared with ${args.base} itself.\n`,
    );
  }
  const loaded =
    args.config === undefined ? await loadConfig(pair.base) : await readConfigFile(args.config, io);
  const report = await analyze({
    pair,
    config: loaded.config,
    ...(loaded.path !== undefined ? { configPath: loaded.path } : {}),
    ...(loaded.text !== undefined ? { configText: loaded.text } : {}),
    ...(workspace ? { workspace } : {}),
    toolVersion: TOOL_VERSION,
  });
  const toTerminal = args.output === undefined;
  const text =
    args.format === 'json'
      ? serializeReport(report)
      : args.format === 'text'
        ? renderText(report, createTextStyle(toTerminal && io.color === true))
        : renderMarkdown(report);
  if (toTerminal) io.stdout(text);
  else await writeFile(resolve(io.cwd, args.output as string), text);
  // The text report opens with the verdict; the others get it on standard error.
  if (!(toTerminal && args.format === 'text')) {
    const { failure, warning, notice } = report.counts;
    const counts = [plural(failure, 'failure'), plural(warning, 'warning'), plural(notice, 'notice')];
    const written = toTerminal ? '' : `; report written to ${args.output}`;
    io.stderr(`tuneguard: ${report.verdict} (${counts.join(', ')})${written}\n`);
  }
  return exitCodeFor(report.counts, args.failOn);
}

/** The commits to compare, or the base and the working tree (`--worktree`), saying which paths it did not read. */
async function openPair(
  repo: GitRepository,
  args: DiffArgs,
  io: CliIo,
): Promise<{ pair: OpenedPair; workspace?: Workspace }> {
  if (!args.worktree) return { pair: await openSnapshotPair(repo, args.base, args.head) };
  const { pair, workspace, skipped } = await openWorktreePair(repo, args.base);
  for (const path of skipped) {
    io.stderr(
      `tuneguard: ${neutralizeTerminalText(path)} is a symbolic link or not a file: not followed, not read.\n`,
    );
  }
  return { pair, workspace };
}

/** A config file on disk (`--config FILE`), parsed, with its text. */
async function readConfigFile(
  path: string,
  io: CliIo,
): Promise<{ config: Config; path: string; text: string }> {
  const text = decodeText(await readFile(resolve(io.cwd, path)));
  return { config: parseConfig(text, path), path, text };
}
