import { type DatasetFile, type ShardPiece } from '../../model/vocabulary.js';

/**
 * Cuts a dataset (its files in the given order) into `count` shards of about equal bytes, for
 * `tuneguard profile --shard i/n` or parallel jobs: the dataset is seen as its files one after the other,
 * and cut at every `total × k / count` bytes. A cut inside a JSONL file splits it there; a cut inside
 * any other file (a JSON array, CSV with quoted newlines, Parquet) moves to the end of that file, so a
 * shard may be empty when a few large files cannot be split. Every byte belongs to exactly one shard,
 * in order: shard 0 holds the dataset's first bytes.
 *
 * @example
 * planDatasetShards([{ path: 'train.jsonl', bytes: 100, format: 'jsonl' }], 2);
 * // => [[{ file: 0, path: 'train.jsonl', format: 'jsonl', start: 0, end: 50 }], [{ …, start: 50, end: 100 }]]
 */
export function planDatasetShards(files: readonly DatasetFile[], count: number): ShardPiece[][] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`a dataset splits into 1 or more shards, not ${count}`);
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  const shards: ShardPiece[][] = Array.from({ length: count }, () => []);
  let offset = 0;
  files.forEach((file, index) => {
    const fileStart = offset;
    const fileEnd = offset + file.bytes;
    offset = fileEnd;
    const shardAt = (position: number): number =>
      total === 0 ? 0 : Math.min(count - 1, Math.floor((position * count) / total));
    if (file.format !== 'jsonl' || file.bytes === 0) {
      shards[shardAt(fileStart)]?.push({
        file: index,
        path: file.path,
        format: file.format,
        start: 0,
        end: file.bytes,
      });
      return;
    }
    let start = fileStart;
    while (start < fileEnd) {
      const shard = shardAt(start);
      const boundary = shard === count - 1 ? fileEnd : Math.ceil(((shard + 1) * total) / count);
      const end = Math.min(fileEnd, Math.max(boundary, start + 1));
      shards[shard]?.push({
        file: index,
        path: file.path,
        format: file.format,
        start: start - fileStart,
        end: end - fileStart,
      });
      start = end;
    }
  });
  return shards;
}

/**
 * Reads `i/n` (1-based shard `i` of `n`), as `tuneguard profile --shard` takes it; `undefined` when the
 * text is not of that form or `i` is not between 1 and `n`.
 *
 * @example
 * findShardSpec('2/4'); // => { index: 2, count: 4 }
 */
export function findShardSpec(text: string): { index: number; count: number } | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}
