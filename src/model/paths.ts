/**
 * The folder of a `/`-separated repository path, `''` at the repository's root.
 * @example folderOf('results/rwkv/results_2025.json') // 'results/rwkv'
 * @example folderOf('train.jsonl') // ''
 */
export function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}
