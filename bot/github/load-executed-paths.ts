import { parse } from 'yaml';
import { describeError, TuneguardError } from '../../src/model/errors.js';
import { findLocalReferences } from './find-local-references.js';
import type { Octokit, RepoRef } from './octokit.js';
import { readRepoFile } from './read-repo-file.js';

/** The repository paths a job runs, as far as its workflow and the local actions it uses say. */
export interface ExecutedPaths {
  /** Single files: the workflow, reusable workflows, action metadata, the files an action's `runs` names. */
  files: string[];
  /** Folders of local actions: everything under them (the action at the repository's root is not one). */
  folders: string[];
}

/** Why the paths a job runs could not all be found. */
export class ExecutedPathsError extends TuneguardError {}

/** Most files read to follow a workflow's local references, on all commits together. */
export const MAX_FILES_READ = 40;

/** The metadata files an action folder may hold; GitHub reads the first that exists. */
const ACTION_METADATA = ['action.yml', 'action.yaml'] as const;

/**
 * The repository paths a workflow run executes, read at each of `commits` (a pull request's head and
 * base: GitHub runs a pull request's workflow from their merge, so either may be what ran): the workflow
 * file itself, and, followed transitively, the reusable workflows (`uses: ./.github/workflows/….yml`) and
 * local actions (`uses: ./…`) it references, with what their metadata names. The action at the
 * repository's root (`uses: ./`) counts as its metadata, a `Dockerfile`, and the files its `runs` names.
 * Throws {@link ExecutedPathsError} when the workflow exists on none of the commits, a file read is not
 * valid YAML, or more than {@link MAX_FILES_READ} files would be read; API errors other than a 404 are
 * thrown as they come.
 */
export async function loadExecutedPaths(
  octokit: Octokit,
  repo: RepoRef,
  run: { workflowPath: string; commits: readonly string[] },
): Promise<ExecutedPaths> {
  const files = new Set<string>([run.workflowPath]);
  const folders = new Set<string>();
  const budget = { reads: 0 };
  let found = false;
  for (const ref of new Set(run.commits)) {
    const reader = { octokit, repo, ref, budget };
    const text = await readBounded(reader, run.workflowPath);
    if (text === undefined) continue;
    found = true;
    await followReferences(reader, { files, folders }, { path: run.workflowPath, text, folder: undefined });
  }
  if (!found) {
    throw new ExecutedPathsError(
      `The workflow ${run.workflowPath} is not on the pull request's head or base commit`,
    );
  }
  return { files: [...files], folders: [...folders] };
}

interface Reader {
  octokit: Octokit;
  repo: RepoRef;
  ref: string;
  budget: { reads: number };
}

/** A workflow or action metadata file read, with its action's folder (`undefined` for a workflow). */
interface ReadFile {
  path: string;
  text: string;
  folder: string | undefined;
}

async function followReferences(
  reader: Reader,
  into: { files: Set<string>; folders: Set<string> },
  first: ReadFile,
) {
  const queue: ReadFile[] = [first];
  const visited = new Set<string>([first.path]);
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const references = findLocalReferences(parseYaml(file), file.folder);
    for (const path of references.files) into.files.add(path);
    for (const path of references.workflows) {
      into.files.add(path);
      if (visited.has(path)) continue;
      visited.add(path);
      const text = await readBounded(reader, path);
      if (text !== undefined) queue.push({ path, text, folder: undefined });
    }
    for (const folder of references.actions) {
      if (visited.has(`${folder}/`)) continue;
      visited.add(`${folder}/`);
      if (folder === '') ['Dockerfile', ...ACTION_METADATA].forEach((path) => into.files.add(path));
      else into.folders.add(folder);
      const metadata = await readActionMetadata(reader, folder);
      if (metadata) queue.push(metadata);
    }
  }
}

async function readActionMetadata(reader: Reader, folder: string): Promise<ReadFile | undefined> {
  for (const name of ACTION_METADATA) {
    const path = folder === '' ? name : `${folder}/${name}`;
    const text = await readBounded(reader, path);
    if (text !== undefined) return { path, text, folder };
  }
  return undefined;
}

async function readBounded(reader: Reader, path: string): Promise<string | undefined> {
  reader.budget.reads += 1;
  if (reader.budget.reads > MAX_FILES_READ) {
    throw new ExecutedPathsError(
      `The workflow references more local files than the ${MAX_FILES_READ} tuneguard reads to follow them.`,
    );
  }
  return readRepoFile(reader.octokit, reader.repo, { path, ref: reader.ref });
}

function parseYaml(file: ReadFile): unknown {
  try {
    return parse(file.text, { logLevel: 'error' }) as unknown;
  } catch (error) {
    throw new ExecutedPathsError(`${file.path} is not valid YAML: ${describeError(error)}`, {
      cause: error,
    });
  }
}
