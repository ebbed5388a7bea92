/**
 * The folder of a `/`-separated repository path, `''` at the repository's root.
 * @example folderOf('results/rwkv/results_2025.json') // 'results/rwkv'
 * @example folderOf('train.jsonl') // ''
 */
export function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

/**
 * Whether a repository path lies under a folder (`''` or `.`: the repository, which holds everything; a
 * trailing `/` is ignored).
 * @example isUnderFolder('results/run/a.json', 'results') // true
 * @example isUnderFolder('results.json', 'results') // false
 */
export function isUnderFolder(path: string, folder: string): boolean {
  const clean = folder.replace(/\/+$/, '');
  return clean === '' || clean === '.' || path.startsWith(`${clean}/`);
}

/** The longest path matched against globs: git allows longer, no real dataset or config needs them. */
export const MAX_PATH_LENGTH = 1024;
/** The longest name between two `/` matched against globs (the limit of common file systems). */
export const MAX_NAME_LENGTH = 255;

/**
 * Whether a path (or a `task/metric` key) is short enough to match against globs. Glob matchers
 * backtrack: picomatch takes seconds for `**\/a/**\/a/**\/b` on a path of 2,000 characters and longer than
 * a review for 4,000, and the pull request chooses its paths. Within these bounds the default globs take
 * under a millisecond; a longer path is left out and reported, never matched.
 * @example isMatchablePath('data/train.jsonl') // true
 * @example isMatchablePath('a/'.repeat(600)) // false
 */
export function isMatchablePath(path: string): boolean {
  if (path.length > MAX_PATH_LENGTH) return false;
  let start = 0;
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
    if (slash - start > MAX_NAME_LENGTH) return false;
    start = slash + 1;
  }
  return path.length - start <= MAX_NAME_LENGTH;
}

/**
 * Whether a glob the pull request chose (a dataset card's `data_files`) is simple enough to match in
 * bounded time against matchable paths: at most four `*` runs, two of them `**`, three in one name,
 * and no extglob (`+(a|aa)` nests quantifiers). Beyond that picomatch's backtracking grows with a power
 * of the path's length: `**\/*a*a*a*b` takes 0.9 s on one path of 1,024 characters, and
 * `**\/*a*a*\/**\/*a*a*b` minutes.
 * @example isSafeGlob('data/train-*-of-*.parquet') // true
 * @example isSafeGlob('**\/*a*a*\/**\/*a*a*b') // false
 */
export function isSafeGlob(glob: string): boolean {
  if (glob.length > MAX_PATH_LENGTH || /[@!?+*]\(/.test(glob)) return false;
  const runs = glob.match(/\*+/g) ?? [];
  if (runs.length > 4 || runs.filter((run) => run.length > 1).length > 2) return false;
  return glob.split('/').every((name) => (name.match(/\*+/g) ?? []).length <= 3);
}
