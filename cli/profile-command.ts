import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '../src/model/errors.js';
import {
  createProfileDocument,
  findShardSpec,
  mergeProfileDocuments,
  parseProfileDocumentText,
  profileLocalDataset,
  resolveTokenizerSpec,
} from '../src/profile/dataset/index.js';
import type { CliIo } from './cli-io.js';
import { EXIT, reportFailure, usageError } from './exit-codes.js';
import { createProgressReporter } from './render-progress.js';

/**
 * What `tuneguard profile` reads and writes: the CLI's, and optionally the worker script to start
 * (tests pass one bundled from the sources; the built one otherwise).
 */
export interface ProfileIo extends CliIo {
  workerUrl?: URL;
}

/** `tuneguard profile PATH [--shard I/N] [--output FILE] ...`: returns the exit code, never throws. */
export async function runProfile(argv: readonly string[], io: ProfileIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        shard: { type: 'string' },
        output: { type: 'string' },
        jobs: { type: 'string' },
        tokenizer: { type: 'string' },
        threshold: { type: 'string' },
        exact: { type: 'boolean' },
      },
    });
  } catch (error) {
    return usageError(io, describeError(error));
  }
  const { values, positionals } = args;
  if (positionals.length !== 1) {
    return usageError(
      io,
      positionals.length === 0
        ? 'name the dataset: tuneguard profile PATH'
        : `profile takes one path, not ${positionals.join(' ')}`,
    );
  }
  const target = positionals[0] as string;
  const shard = values.shard === undefined ? undefined : findShardSpec(values.shard);
  if (values.shard !== undefined && shard === undefined) {
    return usageError(io, `--shard takes I/N with 1 ≤ I ≤ N, such as 2/4, not ${values.shard}`);
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1))
    return usageError(io, `--jobs takes a whole number of 1 or more, not ${values.jobs}`);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= 0.5 && threshold <= 1)) {
    return usageError(io, `--threshold takes a similarity between 0.5 and 1, not ${values.threshold}`);
  }
  try {
    const tokenizer = await resolveTokenizerSpec(values.tokenizer, (path) =>
      readFile(resolve(io.cwd, path), 'utf8'),
    );
    const label = shard ? `${target} (shard ${shard.index}/${shard.count})` : target;
    let reporter: ReturnType<typeof createProgressReporter> | undefined;
    let last = { bytes: 0, rows: 0 };
    const result = await profileLocalDataset(target, io.cwd, {
      ...(shard ? { shard } : {}),
      ...(jobs !== undefined ? { jobs } : {}),
      ...(io.workerUrl ? { workerUrl: io.workerUrl } : {}),
      ...(tokenizer !== undefined ? { tokenizer } : {}),
      ...(threshold !== undefined ? { nearDuplicateThreshold: threshold } : {}),
      ...(values.exact
        ? { exactTokenBytes: Number.MAX_SAFE_INTEGER, exactNearDuplicateBytes: Number.MAX_SAFE_INTEGER }
        : {}),
      onProgress: ({ bytes, rows, totalBytes }) => {
        reporter ??= createProgressReporter({
          label,
          totalBytes,
          write: io.stderr,
          interactive: io.interactive ?? false,
          now: () => performance.now(),
        });
        last = { bytes, rows };
        reporter.update(last);
      },
    });
    reporter?.finish(last);
    await writeProfile(io, { target, label, shard, output: values.output, result });
    return EXIT.pass;
  } catch (error) {
    return reportFailure(io, error);
  }
}

/** Warns of LFS pointers not fetched, and prints the profile or writes its document to `output`. */
async function writeProfile(
  io: CliIo,
  {
    target,
    label,
    shard,
    output,
    result,
  }: {
    target: string;
    label: string;
    shard: { index: number; count: number } | undefined;
    output: string | undefined;
    result: Awaited<ReturnType<typeof profileLocalDataset>>;
  },
): Promise<void> {
  for (const { path, lfs } of result.pointers) {
    io.stderr(
      `tuneguard: ${path} is a Git LFS pointer (sha256:${lfs.oid.slice(0, 12)}…, ${lfs.size} bytes) whose content is not in the repository: not analysed. Run \`git lfs pull\` first.\n`,
    );
  }
  const document = createProfileDocument(target, result.profiler, shard);
  if (result.pointers.length > 0 && result.files.length === 1 && result.pointers[0]) {
    document.profile.lfs = result.pointers[0].lfs;
  }
  if (output === undefined) io.stdout(`${JSON.stringify(document.profile, null, 2)}\n`);
  else {
    await writeFile(resolve(io.cwd, output), `${JSON.stringify(document)}\n`);
    io.stderr(`tuneguard: profile of ${label} written to ${output}\n`);
  }
}

/** `tuneguard merge PROFILE... [--output FILE]`: returns the exit code, never throws. */
export async function runMerge(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: [...argv], allowPositionals: true, options: { output: { type: 'string' } } });
  } catch (error) {
    return usageError(io, describeError(error));
  }
  const { values, positionals } = args;
  if (positionals.length === 0)
    return usageError(io, 'name the profiles to merge: tuneguard merge shard-1.json shard-2.json ...');
  try {
    const parts = [];
    for (const source of positionals) {
      const text = await readFile(resolve(io.cwd, source), 'utf8');
      parts.push({ ...parseProfileDocumentText(text, source), source });
    }
    const merged = mergeProfileDocuments(parts);
    if (values.output === undefined) io.stdout(`${JSON.stringify(merged.profile, null, 2)}\n`);
    else {
      await writeFile(resolve(io.cwd, values.output), `${JSON.stringify(merged)}\n`);
      io.stderr(`tuneguard: ${parts.length} profiles of ${merged.dataset} merged into ${values.output}\n`);
    }
    return EXIT.pass;
  } catch (error) {
    return reportFailure(io, error);
  }
}
