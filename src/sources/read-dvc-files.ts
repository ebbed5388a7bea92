import { decodeText } from '../loaders/decode-text.js';
import { parseYamlDocument } from '../loaders/parse-yaml.js';
import { ParseError } from '../model/errors.js';
import { folderOf, isUnderFolder } from '../model/paths.js';
import type { Side } from '../model/report-schema.js';
import type { SnapshotPair } from '../model/snapshot.js';
import { isRecord } from '../model/is-record.js';

/** What one `dvc.yaml` declares: its metrics, params and plots files (or folders), from the repository root. */
export interface DvcFile {
  path: string;
  declared: DvcDeclaration[];
}

/** One file or folder a `dvc.yaml` declares, what DVC reads it as, and where it says so. */
export interface DvcDeclaration {
  kind: 'metrics' | 'params' | 'plots';
  /** From the repository root; a folder stands for every file under it. */
  path: string;
  /** `top-level` or the stage's name. */
  where: string;
  /** The keys a stage tracks in a params file; absent when it tracks the whole file. */
  keys?: string[];
}

/** A `dvc.yaml` that could not be read, on the side it was read from. */
export interface DvcFileProblem {
  path: string;
  side: Side;
  error: unknown;
}

const DVC_FILE = /(?:^|\/)dvc\.yaml$/;

/** DVC's default params file, which a stage's plain keys (`params: [lr]`) are read from. */
const DEFAULT_PARAMS = 'params.yaml';

/**
 * Parses a `dvc.yaml` as DVC reads its declarations: top-level `metrics:`, `params:` and `plots:`, `vars:`
 * files (DVC shows them in `params diff`), and in each stage (`do:` of a `foreach`/`matrix` stage too) its
 * `metrics:`, `plots:` (a path, or `{path: options}`) and `params:` (keys of `params.yaml`, `lr,epochs`,
 * or `{file: [keys] | null}`). Paths are relative to the file's folder and the stage's `wdir`; a path with
 * `${…}` interpolation or leaving the repository is left out; a top-level plot whose `y` maps files to
 * fields declares those files. Throws `ParseError` with the line when the file is not valid YAML.
 * @example parseDvcFile('stages:\n  train:\n    cmd: python train.py\n    metrics:\n    - eval/m.json:\n        cache: false\n', 'dvc.yaml').declared // [{ kind: 'metrics', path: 'eval/m.json', where: 'train' }]
 */
export function parseDvcFile(text: string, path: string): DvcFile {
  const data: unknown = parseYamlDocument(text).doc.toJS();
  if (data !== null && data !== undefined && !isRecord(data))
    throw new ParseError('expected a mapping (stages:, metrics:, params:, plots:) at the top level', 1);
  const folder = folderOf(path);
  const declared: DvcDeclaration[] = [];
  const add = (kind: DvcDeclaration['kind'], base: string, where: string, file: string, keys?: string[]) => {
    const full = joinDvcPath(base, file);
    if (full !== undefined) declared.push({ kind, path: full, where, ...(keys ? { keys } : {}) });
  };
  const top = isRecord(data) ? data : {};
  for (const file of listPaths(top['metrics'])) add('metrics', folder, 'top-level', file);
  for (const file of listPaths(top['params'])) add('params', folder, 'top-level', file);
  for (const file of listVarsFiles(top['vars'])) add('params', folder, 'vars', file);
  for (const file of listPlotFiles(top['plots'])) add('plots', folder, 'top-level', file);
  const stages = isRecord(top['stages']) ? top['stages'] : {};
  for (const [name, raw] of Object.entries(stages)) {
    if (!isRecord(raw)) continue;
    const stage = isRecord(raw['do']) ? raw['do'] : raw;
    const wdir = typeof stage['wdir'] === 'string' ? joinDvcPath(folder, stage['wdir'], true) : folder;
    if (wdir === undefined) continue;
    for (const file of listPaths(stage['metrics'])) add('metrics', wdir, name, file);
    for (const file of listPaths(stage['plots'])) add('plots', wdir, name, file);
    for (const [file, keys] of listStageParams(stage['params'])) add('params', wdir, name, file, keys);
  }
  return { path, declared };
}

/** Paths of a list whose items are paths or `{path: options}` (metrics, plots and top-level params). */
function listPaths(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'string') return [item];
    return isRecord(item) ? Object.keys(item) : [];
  });
}

/** `vars:` entries that name files (`params.yaml`, `config.yaml:train`), not inline values. */
function listVarsFiles(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => (typeof item === 'string' ? [item.split(':')[0] ?? item] : []));
}

/** Top-level plots: a path, `{path: options}`, or `{id: {y: {file: fields}}}` naming its files in `y`. */
function listPlotFiles(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (!isRecord(item)) return [];
    return Object.entries(item).flatMap(([id, options]) => {
      const y = isRecord(options) ? options['y'] : undefined;
      return isRecord(y) ? Object.keys(y) : [id];
    });
  });
}

/** A stage's `params:` as `[file, keys]`: plain keys belong to `params.yaml`; `null` keys mean the whole file. */
function listStageParams(value: unknown): [string, string[] | undefined][] {
  if (!Array.isArray(value)) return [];
  const defaults: string[] = [];
  const files: [string, string[] | undefined][] = [];
  for (const item of value) {
    if (typeof item === 'string') defaults.push(...item.split(',').map((key) => key.trim()));
    if (!isRecord(item)) continue;
    for (const [file, keys] of Object.entries(item)) {
      files.push([
        file,
        Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : undefined,
      ]);
    }
  }
  return defaults.length > 0 ? [[DEFAULT_PARAMS, defaults], ...files] : files;
}

/**
 * A declared path (or with `folder`, a stage's `wdir`) from the repository root: `..` and `.` resolved,
 * `undefined` for one with DVC's `${…}` interpolation (its value is known only to DVC) or one that
 * leaves the repository.
 */
function joinDvcPath(base: string, relative: string, folder = false): string | undefined {
  if (relative.includes('${') || relative.startsWith('/')) return undefined;
  const parts: string[] = base === '' ? [] : base.split('/');
  for (const part of relative.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return undefined;
  }
  // The repository's root is a folder (a stage's `wdir: ..`), never a file.
  if (parts.length === 0) return folder ? '' : undefined;
  return parts.join('/');
}

/**
 * Reads every `dvc.yaml` of a pair: each as the head has it, and as the base has it when it differs, so
 * that a file declared on either side is read as declared. One that cannot be read is a problem on its
 * side (the base's when both sides hold the same bytes: it predates the change).
 */
export async function readDvcFiles(
  pair: SnapshotPair,
  present: { head: ReadonlySet<string>; base: ReadonlySet<string> },
): Promise<{ files: DvcFile[]; problems: DvcFileProblem[] }> {
  const files: DvcFile[] = [];
  const problems: DvcFileProblem[] = [];
  const paths = [...new Set([...present.head, ...present.base])].filter((path) => DVC_FILE.test(path)).sort();
  for (const path of paths) {
    const sides: Side[] = [];
    const [baseBlob, headBlob] = await Promise.all([
      present.base.has(path) ? pair.base.blobId(path) : undefined,
      present.head.has(path) ? pair.head.blobId(path) : undefined,
    ]);
    if (headBlob !== undefined) sides.push(headBlob === baseBlob ? 'base' : 'head');
    if (baseBlob !== undefined && baseBlob !== headBlob) sides.push('base');
    for (const side of sides) {
      try {
        const bytes = await pair[side].readFile(path);
        if (bytes !== undefined) files.push(parseDvcFile(decodeText(bytes), path));
      } catch (error) {
        problems.push({ path, side, error });
      }
    }
  }
  return { files, problems };
}

/**
 * What the `dvc.yaml` files declare a path to be, with the reason to show: the first declaration that
 * names the file or a folder above it. `undefined` when none does.
 * @example findDvcDeclaration([{ path: 'dvc.yaml', declared: [{ kind: 'metrics', path: 'm.yaml', where: 'train' }] }], 'm.yaml') // { kind: 'metrics', reason: 'dvc.yaml declares it a metrics file (stage train)' }
 */
export function findDvcDeclaration(
  files: readonly DvcFile[],
  path: string,
): { kind: DvcDeclaration['kind']; reason: string } | undefined {
  for (const file of files) {
    const found = file.declared.find((entry) => entry.path === path || isUnderFolder(path, entry.path));
    if (!found) continue;
    const where =
      found.where === 'top-level' ? 'top level' : found.where === 'vars' ? 'vars' : `stage ${found.where}`;
    const keys = found.keys ? `, keys ${found.keys.join(', ')}` : '';
    const what = found.kind === 'plots' ? 'a plot' : `a ${found.kind} file`;
    return { kind: found.kind, reason: `${file.path} declares it ${what} (${where}${keys})` };
  }
  return undefined;
}
