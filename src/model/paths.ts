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
