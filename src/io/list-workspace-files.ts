import { readdir, type Dirent } from 'node:fs';
import { posix, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH } from '../model/paths.js';

/** The most files the globs may bring in: past it the rest is left out and said so. */
export const MAX_WORKSPACE_FILES = 10_000;

/**
 * Why a glob read nothing, or why a file on disk was left out: a glob that matches no file, or that
 * reaches outside the folder (absolute, or with a `..` segment), is never walked; a symbolic link is
 * never followed (it could point anywhere); a path too long to match against globs safely is skipped
 * (see `isMatchablePath`); past {@link MAX_WORKSPACE_FILES} the remaining files are counted.
 */
export type WorkspaceProblem =
  | { reason: 'unmatched' | 'outside'; glob: string }
  | { reason: 'symlink' | 'too-long'; path: string }
  | { reason: 'too-many'; files: number };

/** The files the globs matched, and what they could not read. */
export interface WorkspaceListing {
  /** Regular files under the folder, `/`-separated, relative to it, sorted. */
  files: string[];
  /** The globs' problems in the globs' order, then the files left out, by path. */
  problems: WorkspaceProblem[];
}

/**
 * Lists the regular files under `root` (absolute) that `globs` match (picomatch syntax, dot-files
 * included; a glob starting with `!` leaves out what it matches), committed or not, git-ignored
 * included, `.git` folders excluded. Symbolic links are never followed, not even to a file inside the
 * folder, and a glob that could leave the folder is not walked: both are reported as problems, as is a
 * glob that matches nothing. Never throws for a glob; a folder that cannot be read is skipped.
 * @example await listWorkspaceFiles('/ws/models/sft', ['results/**\/*.json']) // { files: ['results/a.json'], problems: [] }
 */
export async function listWorkspaceFiles(root: string, globs: readonly string[]): Promise<WorkspaceListing> {
  const wanted = globs.filter((line) => !line.startsWith('!') && !leavesFolder(line));
  const excluded = globs.filter((line) => line.startsWith('!')).map((line) => line.slice(1));
  const skipped: WorkspaceProblem[] = [];
  const found =
    wanted.length === 0
      ? []
      : await glob(wanted, {
          cwd: root,
          dot: true,
          onlyFiles: true,
          followSymbolicLinks: false,
          expandDirectories: false,
          ignore: ['**/.git/**', ...excluded],
          fs: { readdir: watchReaddir(root, skipped) },
        });
  // tinyglobby walks from a glob's static part; the globs kept are inside, and this keeps the paths so.
  const inside = found.filter((path) => !leavesFolder(path)).sort();
  const files = inside.slice(0, MAX_WORKSPACE_FILES);
  const problems = globs.flatMap((line): WorkspaceProblem[] => {
    if (line.startsWith('!')) return [];
    if (leavesFolder(line)) return [{ reason: 'outside', glob: line }];
    const matches = picomatch(line, { dot: true });
    return inside.some((path) => matches(path)) ? [] : [{ reason: 'unmatched', glob: line }];
  });
  problems.push(...skipped.filter((problem) => isWanted(problem, wanted)).sort(byPath));
  if (inside.length > files.length)
    problems.push({ reason: 'too-many', files: inside.length - files.length });
  return { files, problems };
}

/**
 * Whether a file left out concerns the globs: a symbolic link they match or whose path leads to their
 * static part (`linked` for `linked/*.json`); every path too long, since none can be matched.
 */
function isWanted(problem: WorkspaceProblem, globs: readonly string[]): boolean {
  if (problem.reason !== 'symlink') return true;
  const { path } = problem;
  if (picomatch([...globs], { dot: true })(path)) return true;
  return globs.some((glob) => {
    const { base } = picomatch.scan(glob);
    return base === path || base.startsWith(`${path}/`);
  });
}

function byPath(a: WorkspaceProblem, b: WorkspaceProblem): number {
  const pathOf = (problem: WorkspaceProblem): string => ('path' in problem ? problem.path : '');
  return pathOf(a) < pathOf(b) ? -1 : pathOf(a) > pathOf(b) ? 1 : 0;
}

/**
 * Whether a glob or path could name something outside its folder: absolute (`/x`, `C:\x`, `\\server`),
 * or with a `..` segment anywhere (`**\/..` may climb as far as `**` descended, or not at all).
 */
function leavesFolder(pattern: string): boolean {
  if (/^(?:[/\\]|[A-Za-z]:)/.test(pattern)) return true;
  return pattern.split(/[/\\]/).includes('..');
}

type ReaddirCallback = (error: NodeJS.ErrnoException | null, entries: Dirent[]) => void;

/**
 * `fs.readdir` as the walker calls it (with file types), leaving out `.git`, symbolic links and names
 * or paths too long to match, and noting the last two in `skipped`: the walker drops links without a
 * word, and the user must learn why a result they wrote is not read.
 */
function watchReaddir(root: string, skipped: WorkspaceProblem[]): typeof readdir {
  const watched = (path: string, options: { withFileTypes: true }, callback: ReaddirCallback): void => {
    readdir(path, options, (error, entries) => {
      if (error) {
        callback(error, []);
        return;
      }
      const kept = entries.filter((entry) => {
        if (entry.name === '.git') return false;
        const inRoot = relative(root, posix.join(path, entry.name)).split(sep).join('/');
        if (entry.name.length > MAX_NAME_LENGTH || inRoot.length > MAX_PATH_LENGTH) {
          skipped.push({ reason: 'too-long', path: inRoot.slice(0, 80) });
          return false;
        }
        if (entry.isSymbolicLink()) skipped.push({ reason: 'symlink', path: inRoot });
        return !entry.isSymbolicLink();
      });
      callback(null, kept);
    });
  };
  // The walker calls only this overload; Node's type is the union of all of them.
  return watched as unknown as typeof readdir;
}
