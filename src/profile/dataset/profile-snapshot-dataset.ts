import type { Readable } from 'node:stream';
import { findLfsPointer, LFS_POINTER_MAX_BYTES, type LfsPointer } from '../../model/lfs-pointer.js';
import type { DatasetFormat } from '../../model/vocabulary.js';
import type { Snapshot } from '../../model/snapshot.js';
import {
  addDatasetStream,
  createDatasetProfiler,
  finishDatasetProfile,
  type DatasetProfileOptions,
  type DatasetProfileResult,
} from './profile-dataset.js';

/** How a dataset of a commit is profiled: `profileDataset`'s options, the size being the commit's. */
export type SnapshotDatasetOptions = Omit<DatasetProfileOptions, 'expectedBytes' | 'firstLine'>;

/** One file of a dataset in a commit, with where its bytes come from. */
interface DatasetSource {
  path: string;
  bytes: number;
  /** Set when the file is a Git LFS pointer: its content is the LFS object. */
  pointer?: LfsPointer;
}

/**
 * Profiles a dataset of a commit: one file, or the shards of a split (`paths` in reading order) as one
 * dataset whose rows are located by file and line. A Git LFS pointer is read as its object when the
 * snapshot can provide it (`openLfsObject`: the repository's LFS store, or git-lfs); otherwise nothing
 * of that file is read and the profile says so (`lfs` set, the file marked in `files`), so the checks
 * do not take a dataset they could not see for one that shrank. The dataset's size (LFS objects at
 * their real size) decides from the start which figures are sampled.
 */
export async function profileSnapshotDataset(
  snapshot: Snapshot,
  paths: readonly string[],
  format: DatasetFormat,
  options: SnapshotDatasetOptions = {},
): Promise<DatasetProfileResult> {
  const sources = await Promise.all(paths.map((path) => findDatasetSource(snapshot, path)));
  const profiler = await createDatasetProfiler(format, {
    ...options,
    expectedBytes: sources.reduce((sum, source) => sum + source.bytes, 0),
    ...(paths.length > 1 ? { files: paths } : {}),
  });
  let missing: LfsPointer | undefined;
  const missingFiles: number[] = [];
  for (const [index, source] of sources.entries()) {
    profiler.startFile(index);
    const stream: Readable | undefined = source.pointer
      ? await snapshot.openLfsObject?.(source.pointer, source.path)
      : await snapshot.streamFile(source.path);
    const pointer =
      stream === undefined ? source.pointer : await addDatasetStream(profiler, stream, format, options);
    if (pointer) {
      missing ??= pointer;
      missingFiles.push(index);
    }
  }
  const result = finishDatasetProfile(profiler, missing);
  for (const index of missingFiles) {
    const file = result.profile.files?.[index];
    if (file) file.lfs = true;
  }
  return result;
}

async function findDatasetSource(snapshot: Snapshot, path: string): Promise<DatasetSource> {
  const size = (await snapshot.fileSize(path)) ?? 0;
  if (size >= LFS_POINTER_MAX_BYTES) return { path, bytes: size };
  const bytes = await snapshot.readFile(path);
  const pointer = bytes ? findLfsPointer(bytes) : undefined;
  return pointer ? { path, bytes: pointer.size, pointer } : { path, bytes: size };
}
