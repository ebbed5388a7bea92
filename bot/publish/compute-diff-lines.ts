const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * The lines of the head version of a file that a pull request's diff shows (added lines and the
 * context lines around them), from the file's `patch` as the pull-request files API returns it (unified
 * diff hunks without the `---`/`+++` header). These are the lines a review comment may sit on (side
 * `RIGHT`). A missing patch (a binary file, or one too large for GitHub to diff) gives no line.
 * @example computeDiffLines('@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3') // Set { 1, 2 }
 */
export function computeDiffLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  let next: number | undefined;
  for (const line of patch.split('\n')) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      next = Number(header[1]);
      continue;
    }
    if (next === undefined) continue;
    // `-` lines are base-only and `\ No newline at end of file` is a note: neither moves the head side.
    if (line.startsWith('+') || line.startsWith(' ')) {
      lines.add(next);
      next += 1;
    }
  }
  return lines;
}
