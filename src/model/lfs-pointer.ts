/** A Git LFS pointer: the object's SHA-256 and its size in bytes. */
export interface LfsPointer {
  oid: string;
  size: number;
}

/** Pointer files are small: git-lfs itself never reads a blob of 1,024 bytes or more as a pointer. */
export const LFS_POINTER_MAX_BYTES = 1024;

const POINTER =
  /^version https:\/\/(?:git-lfs\.github\.com\/spec\/v1|hawser\.github\.com\/spec\/v1)\n(?:[a-z0-9.-]+ [^\n]*\n)*?oid sha256:([0-9a-f]{64})\n(?:[a-z0-9.-]+ [^\n]*\n)*?size (\d+)\n(?:[a-z0-9.-]+ [^\n]*\n)*$/;

/**
 * Reads a Git LFS pointer file (spec v1: a `version` line first, then `key value` lines including
 * `oid sha256:<64 hex>` and `size <bytes>`, each ending in LF); `undefined` for anything else,
 * including any content of 1,024 bytes or more.
 *
 * @example
 * findLfsPointer(Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:4d7a…\nsize 12345\n'));
 * // => { oid: '4d7a…', size: 12345 }
 */
export function findLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (bytes.length >= LFS_POINTER_MAX_BYTES || bytes.length < 40) return undefined;
  const match = POINTER.exec(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
  );
  if (!match) return undefined;
  return { oid: match[1] as string, size: Number(match[2]) };
}

/**
 * Where git-lfs keeps an object inside a repository's git directory: `lfs/objects/<oid[0:2]>/<oid[2:4]>/<oid>`.
 *
 * @example
 * findLfsObjectPath('4d7a21…'); // => 'lfs/objects/4d/7a/4d7a21…'
 */
export function findLfsObjectPath(oid: string): string {
  return `lfs/objects/${oid.slice(0, 2)}/${oid.slice(2, 4)}/${oid}`;
}
