import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../src/analyze.js';
import { loadConfig } from '../src/config/load-config.js';
import { parseConfig } from '../src/config/parse-config.js';
import { describeError } from '../src/model/errors.js';
import { openGitRepository, openSnapshotPair } from '../src/io/git.js';
import { decodeText } from '../src/loaders/decode-text.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import { serializeReport } from '../src/report/serialize-report.js';
import { TOOL_VERSION } from '../src/model/version.js';
import { plural } from '../src/text/plural.js';
import type { CliIo } from './cli-io.js';
import { EXIT, reportFailure, usageError } from './exit-codes.js';
import { runMerge, runProfile } from './profile-command.js';

export { EXIT } from './exit-codes.js';

export const HELP = `tuneguard ${TOOL_VERSION}: review a fine-tuning repository's change between two commits.

Usage:
  tuneguard diff --base REF --head REF [options]
  tuneguard profile PATH [--shard I/N] [--output FILE] [profile options]
  tuneguard merge PROFILE... [--output FILE]

diff compares the datasets, hyperparameters, training logs and evaluation results of HEAD against
BASE (their merge-base, as a pull request does) and reports what changed and what looks wrong.

profile reads a dataset file, or a folder of shards as one dataset, and prints its profile as JSON:
rows, record format and its errors, duplicates, near-duplicates, conflicting answers, labels,
placeholder answers, token counts. With --shard I/N it profiles the I-th of N equal parts, and
--output writes a profile that merge combines with the other parts' into the profile one pass
over the whole would give: a GitHub Actions matrix can share a large dataset that way.

Options of diff:
  --base REF          the commit to compare against (branch, tag or SHA), e.g. origin/main
  --head REF          the commit under review (default: HEAD)
  --config FILE       a tuneguard config on disk (default: .github/tuneguard.yml as committed on BASE)
  --format FORMAT     markdown (default) or json
  --output FILE       write the report to FILE instead of standard output
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

Exit status:
  0  the verdict is pass or warning
  1  the verdict is failure (a blocking check failed)
  2  the command could not run: bad arguments, an invalid config, or a ref git cannot find

Example:
  tuneguard diff --base origin/main --head HEAD --output report.md
`;

/** What `tuneguard diff` was asked to do. */
interface DiffArgs {
  base: string;
  head: string;
  config?: string | undefined;
  format: 'markdown' | 'json';
  output?: string | undefined;
  repo?: string | undefined;
}

/**
 * Runs the CLI with arguments (without the node and script names) and returns the exit code.
 * Never throws: every error is printed to stderr with what to do about it.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'profile') return runProfile(argv.slice(1), io);
  if (argv[0] === 'merge') return runMerge(argv.slice(1), io);
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
        head: { type: 'string', default: 'HEAD' },
        config: { type: 'string' },
        format: { type: 'string', default: 'markdown' },
        output: { type: 'string' },
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
  if (values.base === undefined)
    return usageError(io, '--base REF is required (for example --base origin/main)');
  const format = values.format;
  if (format !== 'markdown' && format !== 'json') {
    return usageError(io, `--format must be markdown or json, not ${format}`);
  }
  return { ...values, base: values.base, head: values.head, format };
}

/** Reviews the two commits, prints or writes the report, and returns the verdict's exit code. */
async function runDiff(args: DiffArgs, io: CliIo): Promise<number> {
  const repo = await openGitRepository(resolve(io.cwd, args.repo ?? '.'));
  const pair = await openSnapshotPair(repo, args.base, args.head);
  const { config, path: configPath } =
    args.config === undefined
      ? await loadConfig(pair.base)
      : {
          config: parseConfig(decodeText(await readFile(resolve(io.cwd, args.config))), args.config),
          path: args.config,
        };
  const report = await analyze({
    pair,
    config,
    ...(configPath !== undefined ? { configPath } : {}),
    toolVersion: TOOL_VERSION,
  });
  const text = args.format === 'json' ? serializeReport(report) : renderMarkdown(report);
  if (args.output === undefined) io.stdout(text);
  else await writeFile(resolve(io.cwd, args.output), text);
  const { failure, warning, notice } = report.counts;
  const counts = [plural(failure, 'failure'), plural(warning, 'warning'), plural(notice, 'notice')].join(
    ', ',
  );
  const written = args.output === undefined ? '' : `; report written to ${args.output}`;
  io.stderr(`tuneguard: ${report.verdict} (${counts})${written}\n`);
  return report.verdict === 'failure' ? EXIT.failure : EXIT.pass;
}
