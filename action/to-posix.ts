/**
 * A path with `/` separators, as reports and GitHub name files, whatever the runner's OS.
 * @example toPosix('models\\sft\\data') // 'models/sft/data'
 */
export function toPosix(path: string): string {
  return path.split('\\').join('/');
}
