import * as core from '@actions/core';
import type { AnalyzeInput } from '../src/analyze.js';
import {
  listWorkspaceFiles,
  MAX_WORKSPACE_FILES,
  type WorkspaceProblem,
} from '../src/io/list-workspace-files.js';
import { overlayWorkspace } from '../src/io/overlay-workspace.js';
import type { SnapshotPair } from '../src/model/snapshot.js';
import { formatNumber } from '../src/text/format-number.js';
import { plural } from '../src/text/plural.js';

/** What the `results` input adds to the analysis: the files read from disk, and the globs that read none. */
export type ResultsOverlay = Pick<AnalyzeInput, 'workspace' | 'unreadGlobs'>;

/**
 * Overlays on the head the files of the working directory that the `results` globs match (results
 * written by earlier steps of the job, committed or not): read from disk instead of the head commit, and
 * changed when they differ from the base. Logs what came from disk and each file left out (a symbolic
 * link, a path too long, past the file cap); the globs that read nothing are returned for the report's
 * notices. Without globs, the pair is returned as it is.
 */
export async function overlayResults(
  pair: SnapshotPair,
  globs: readonly string[],
  workingDirectory: string,
): Promise<{ pair: SnapshotPair; overlay: ResultsOverlay }> {
  if (globs.length === 0) return { pair, overlay: {} };
  const { files, problems } = await listWorkspaceFiles(workingDirectory, globs);
  const unreadGlobs = problems.flatMap((problem) =>
    problem.reason === 'unmatched' || problem.reason === 'outside'
      ? [{ glob: problem.glob, reason: problem.reason }]
      : [],
  );
  for (const problem of problems) {
    const line = describeLeftOut(problem);
    if (line !== undefined) core.warning(`results: ${line}`);
  }
  if (files.length === 0) return { pair, overlay: { unreadGlobs } };
  core.info(
    `results: ${plural(files.length, 'file')} read from the workspace instead of the head commit: ${files.join(', ')}.`,
  );
  const overlaid = await overlayWorkspace(pair, { root: workingDirectory, files, deleted: [] });
  return { pair: overlaid, overlay: { workspace: { files }, unreadGlobs } };
}

/** The log line of a file left out, or `undefined` for a glob's problem (a notice in the report). */
function describeLeftOut(problem: WorkspaceProblem): string | undefined {
  switch (problem.reason) {
    case 'symlink':
      return `${problem.path} is a symbolic link: not followed, not read.`;
    case 'too-long':
      return `${problem.path}… has a path too long to match against globs safely: not read.`;
    case 'too-many':
      return `${plural(problem.files, 'more file')} matched past the cap of ${formatNumber(MAX_WORKSPACE_FILES)}: not read. Narrow the globs.`;
    case 'unmatched':
    case 'outside':
      return undefined;
  }
}
