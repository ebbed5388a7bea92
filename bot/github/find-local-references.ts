import { posix } from 'node:path';

/** What a workflow or action metadata file makes a job run from its own repository. */
export interface LocalReferences {
  /** Reusable workflows called with `uses: ./.github/workflows/….yml`. */
  workflows: string[];
  /** Folders of local actions used with `uses: ./…` (`''`: the action at the repository's root). */
  actions: string[];
  /** Files an action's `runs` names: `main`, `pre`, `post` (JavaScript) and a local `image` (Docker). */
  files: string[];
}

const REUSABLE_WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const RUNS_FILES = ['main', 'pre', 'post', 'image'] as const;

/**
 * The repository files a parsed workflow or action metadata file (`action.yml`) references: every
 * `uses: ./…` at any depth (jobs, steps, a composite action's steps), and, for an action in
 * `actionFolder`, the files its `runs` names, resolved from that folder. Paths are normalised;
 * references that leave the repository (`./../x`), remote ones (`owner/repo@v1`, `docker://…`) and
 * values that are not strings are left out. Each path appears once, in document order.
 * @example findLocalReferences({ jobs: { a: { steps: [{ uses: './tools/act' }] } } })
 *   // { workflows: [], actions: ['tools/act'], files: [] }
 */
export function findLocalReferences(document: unknown, actionFolder?: string): LocalReferences {
  const found: LocalReferences = { workflows: [], actions: [], files: [] };
  for (const value of findUsesValues(document)) {
    if (!value.startsWith('./')) continue;
    const path = normalizeRepoPath(value);
    if (path === undefined) continue;
    if (REUSABLE_WORKFLOW.test(path)) found.workflows.push(path);
    else found.actions.push(path);
  }
  if (actionFolder !== undefined) found.files.push(...findRunsFiles(document, actionFolder));
  return {
    workflows: [...new Set(found.workflows)],
    actions: [...new Set(found.actions)],
    files: [...new Set(found.files)],
  };
}

/** The string values of every `uses` key, at any depth; each object is visited once (YAML aliases may share or nest them). */
function findUsesValues(document: unknown): string[] {
  const values: string[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...[...(node as unknown[])].reverse());
      continue;
    }
    const entries: [string, unknown][] = Object.entries(node);
    for (const [key, value] of entries) if (key === 'uses' && typeof value === 'string') values.push(value);
    stack.push(...entries.map(([, value]) => value).reverse());
  }
  return values;
}

function findRunsFiles(document: unknown, folder: string): string[] {
  const runs = isRecord(document) ? document['runs'] : undefined;
  if (!isRecord(runs)) return [];
  return RUNS_FILES.flatMap((key) => {
    const value = runs[key];
    if (typeof value !== 'string' || value.includes('://')) return [];
    const path = normalizeRepoPath(posix.join(folder === '' ? '.' : folder, value));
    return path === undefined || path === '' ? [] : [path];
  });
}

/** A `/`-separated path relative to the repository's root, normalised; `undefined` when it leaves the repository. */
function normalizeRepoPath(path: string): string | undefined {
  const normal = posix.normalize(path).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../') || normal.startsWith('/')) return undefined;
  return normal === '.' ? '' : normal.replace(/^\.\//, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
