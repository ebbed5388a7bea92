/**
 * What one row of a dataset may be, and what a file must not be, for tuneguard to read it: each limit
 * with the words that say which one a row or a file broke, so a reader sees the cause, not the parse
 * error or the stack overflow it would have caused.
 */

/**
 * Bytes one row may take. A training example of a 128k-token context is under 1 MiB, and one with an
 * image inline a few MiB; a row of tens of MiB is a dump, and held whole it would cost as much memory
 * as the rest of the file.
 */
export const MAX_ROW_BYTES = 16 * 2 ** 20;

/** Levels of arrays and objects a row may nest: chat records use 3; deeper is no record, and recursion must stay bounded. */
export const MAX_ROW_DEPTH = 100;

/**
 * Why a row over {@link MAX_ROW_BYTES} is not read, with its size.
 * @example describeOversizedRow(31_457_294) // 'a row of 30.0 MiB, over the 16 MiB one row may take: not read'
 */
export function describeOversizedRow(bytes: number): string {
  return `a row of ${(bytes / 2 ** 20).toFixed(1)} MiB, over the ${MAX_ROW_BYTES / 2 ** 20} MiB one row may take: not read`;
}

/** Why a row nested beyond {@link MAX_ROW_DEPTH} is not read. */
export const TOO_DEEP = `nested deeper than ${MAX_ROW_DEPTH} levels of arrays and objects: not read`;

/**
 * Whether a parsed value nests arrays and objects deeper than `limit` levels (a scalar is 0, `[]` is 1).
 * Visits containers only, and stops at the first path past the limit, so its recursion is bounded.
 * @example isNestedDeeperThan({ a: [[1]] }, 2) // true
 * @example isNestedDeeperThan({ a: [1] }, 2) // false
 */
export function isNestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return limit <= 0 || hasDeeperChild(value, limit - 1);
}

/**
 * Whether a container holds an array or object nested deeper than `limit`. Scalars are skipped without a
 * call: this runs on every JSON row, and most of a row's values are strings and numbers.
 */
function hasDeeperChild(container: object, limit: number): boolean {
  if (Array.isArray(container)) {
    for (const item of container as unknown[]) {
      if (typeof item === 'object' && item !== null && (limit <= 0 || hasDeeperChild(item, limit - 1)))
        return true;
    }
    return false;
  }
  const record = container as Record<string, unknown>;
  for (const key in record) {
    const child = record[key];
    if (typeof child === 'object' && child !== null && (limit <= 0 || hasDeeperChild(child, limit - 1)))
      return true;
  }
  return false;
}

/**
 * Whether bytes start as a gzip stream does (`1f 8b`): a `.jsonl` or `.csv` file gzipped under its
 * plain name, which would otherwise read as lines of invalid UTF-8.
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Why a text format's file is not read, from its first bytes: compressed (gzip) or UTF-16 (by its
 * byte-order mark); `undefined` when it may be UTF-8 text.
 */
export function findUnreadableStart(bytes: Uint8Array): string | undefined {
  if (isGzip(bytes)) return GZIPPED;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16('little', 'ff fe');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16('big', 'fe ff');
  return undefined;
}

function utf16(endian: string, mark: string): string {
  return `the file is UTF-16 (${endian}-endian: it starts with the byte-order mark ${mark}), not read: trainers read JSON Lines, JSON, CSV and TSV as UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)`;
}

/** Why a gzipped file is not read. */
export const GZIPPED =
  'the file is compressed (gzip: it starts with the bytes 1f 8b), not read: tuneguard reads JSON Lines, JSON, CSV and TSV as plain text';
