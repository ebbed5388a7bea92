import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  findLfsObjectPath,
  findLfsPointer,
  LFS_POINTER_MAX_BYTES,
  type LfsPointer,
} from '../model/lfs-pointer.js';
import { findDatasetFormat } from '../model/vocabulary.js';
import type { DatasetFile, ShardPiece } from '../model/vocabulary.js';

/** A dataset file on disk: where its bytes really are (an LFS object for a pointer), and the pointer if unresolved. */
export interface LocalDatasetFile extends DatasetFile {
  /** The file to read: the path itself, or the LFS object it points to when the object is in the repository. */
  source: string;
  /** Set when the file is an LFS pointer whose object is not on disk. */
  lfs?: LfsPointer;
}

/**
 * The dataset files of a path: the file itself, or every file with a dataset extension under a folder
 * (recursively, hidden folders skipped), sorted by path so every shard of a matrix sees the same order.
 * Paths are relative to `cwd`, `/`-separated. An LFS pointer is resolved to its object in the
 * repository's `lfs/objects` when fetched there: the git common directory (`git rev-parse
 * --git-common-dir`, so a linked worktree finds its main repository's objects), else the nearest
 * enclosing `.git` folder.
 */
export async function listDatasetFiles(target: string, cwd: string): Promise<LocalDatasetFile[]> {
  const absolute = resolve(cwd, target);
  const info = await stat(absolute);
  const paths = info.isDirectory() ? await walk(absolute) : [absolute];
  const files: LocalDatasetFile[] = [];
  const commonDirs = new Map<string, Promise<string | undefined>>();
  const findCommonDir = (folder: string): Promise<string | undefined> => {
    let found = commonDirs.get(folder);
    if (found === undefined) {
      found = tryGitCommonDir(folder);
      commonDirs.set(folder, found);
    }
    return found;
  };
  for (const path of paths.sort()) {
    const format = findDatasetFormat(path);
    if (format === undefined) continue;
    const name = relative(cwd, path).split(sep).join('/');
    const { size } = await stat(path);
    const pointer = size < LFS_POINTER_MAX_BYTES ? await readPointer(path) : undefined;
    if (!pointer) {
      files.push({ path: name, bytes: size, format, source: path });
      continue;
    }
    const object = await findLfsObject(path, pointer, await findCommonDir(dirname(path)));
    files.push(
      object === undefined
        ? { path: name, bytes: 0, format, source: path, lfs: pointer }
        : { path: name, bytes: pointer.size, format, source: object },
    );
  }
  return files;
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

async function readPointer(path: string): Promise<LfsPointer | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(LFS_POINTER_MAX_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return findLfsPointer(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

const execFileAsync = promisify(execFile);

/** The git common directory of the repository holding `folder`, or undefined outside one (or without git). */
async function tryGitCommonDir(folder: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', '--git-common-dir'], { cwd: folder });
    const answer = stdout.trim();
    return answer === '' ? undefined : resolve(folder, answer);
  } catch {
    return undefined;
  }
}

/**
 * The LFS object of a pointer, when its size matches: in the git common directory when there is one,
 * else in the nearest enclosing `.git` folder (a checkout git does not recognise, or no git installed).
 */
async function findLfsObject(
  path: string,
  pointer: LfsPointer,
  commonDir: string | undefined,
): Promise<string | undefined> {
  const matches = async (candidate: string): Promise<boolean> => {
    const info = await stat(candidate).catch(() => undefined);
    return info?.isFile() === true && info.size === pointer.size;
  };
  if (commonDir !== undefined) {
    const candidate = join(commonDir, findLfsObjectPath(pointer.oid));
    if (await matches(candidate)) return candidate;
  }
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    const candidate = join(folder, '.git', findLfsObjectPath(pointer.oid));
    if (await matches(candidate)) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

/** A piece opened for reading: its stream and the line its first byte is on. */
export interface OpenedPiece {
  stream: Readable;
  firstLine: number;
}

const SCAN = 1 << 20;
/** Chunks of 256 kB keep a parsed batch of rows small enough to die young (less garbage promoted). */
const CHUNK = 1 << 18;

/**
 * Opens a piece of a file: for a JSONL piece that starts or ends mid-file, from the first line starting
 * at or after `start` to the end of the last line starting before `end`, with the number of that first
 * line (counted by scanning the bytes before it for line feeds, much faster than parsing them).
 */
export async function openPiece(piece: ShardPiece, source: string, fileBytes: number): Promise<OpenedPiece> {
  if (piece.format !== 'jsonl' || (piece.start === 0 && piece.end >= fileBytes)) {
    return { stream: createReadStream(source, { highWaterMark: CHUNK }), firstLine: 1 };
  }
  const handle = await open(source, 'r');
  try {
    const begin = piece.start === 0 ? 0 : await nextLineStart(handle, piece.start, fileBytes);
    const end = piece.end >= fileBytes ? fileBytes : await nextLineStart(handle, piece.end, fileBytes);
    const firstLine = 1 + (await countLineFeeds(handle, begin));
    const stream =
      begin >= end
        ? Readable.from([])
        : createReadStream(source, { start: begin, end: end - 1, highWaterMark: CHUNK });
    return { stream, firstLine };
  } finally {
    await handle.close();
  }
}

type Handle = Awaited<ReturnType<typeof open>>;

/** The offset of the first line that starts at or after `offset` (a line starts after a line feed). */
async function nextLineStart(handle: Handle, offset: number, size: number): Promise<number> {
  const buffer = Buffer.alloc(64 * 1024);
  for (let position = offset - 1; position < size; position += buffer.length) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    const index = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (index !== -1) return position + index + 1;
  }
  return size;
}

async function countLineFeeds(handle: Handle, end: number): Promise<number> {
  const buffer = Buffer.alloc(SCAN);
  let count = 0;
  for (let position = 0; position < end; position += buffer.length) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
    if (bytesRead === 0) break;
    const bytes = buffer.subarray(0, bytesRead);
    for (let index = bytes.indexOf(0x0a); index !== -1; index = bytes.indexOf(0x0a, index + 1)) count += 1;
  }
  return count;
}
