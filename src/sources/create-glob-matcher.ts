import picomatch from 'picomatch';

/**
 * A matcher for globs (dot-files included) that ignores the case of a file's extension: `TRAIN.CSV` and
 * `Results.JSON` come from Windows tools and spreadsheet exports, and a rule naming `*.csv` must not pass
 * them by. With `anyCase` the whole path's case is ignored, as the built-in name rules do
 * (`Results.json` is `results*.json`); without it, as for the globs a config names, folders and names
 * keep the case the user wrote, and only the extension's is ignored.
 * @example createGlobMatcher('data/*.csv')('data/TRAIN.CSV') // true
 * @example createGlobMatcher('data/*.csv')('Data/train.csv') // false
 * @example createGlobMatcher('data/*.csv', { anyCase: true })('Data/train.csv') // true
 */
export function createGlobMatcher(
  globs: string | readonly string[],
  { anyCase = false }: { anyCase?: boolean } = {},
): (path: string) => boolean {
  const match = picomatch(typeof globs === 'string' ? globs : [...globs], { dot: true, nocase: anyCase });
  return (path) => match(path) || match(lowerExtension(path));
}

/** The path with its extension in lower case (`data/TRAIN.CSV` → `data/TRAIN.csv`). */
function lowerExtension(path: string): string {
  return path.replace(/\.[^./]+$/, (extension) => extension.toLowerCase());
}
