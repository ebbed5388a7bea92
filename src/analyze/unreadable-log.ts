import { describeError, ParseError } from '../model/errors.js';
import type { Side, Unreadable } from '../model/report-schema.js';
import { plural } from '../text/plural.js';

/**
 * The files, or lines of files, that could not be read during one analysis: each becomes an
 * `unreadable` entry of the report (and a finding), with its side, reason and line when known.
 */
export class UnreadableLog {
  readonly entries: Unreadable[] = [];

  /** A handler for one file on one side: records the error (its line when it is a ParseError with one). */
  note(path: string, side: Side): (error: unknown) => void {
    return (error: unknown) => {
      this.entries.push({
        path,
        side,
        reason: describeError(error),
        ...(error instanceof ParseError && error.line !== undefined ? { line: error.line } : {}),
      });
    };
  }

  /**
   * Records the problems a loader found in a file it could otherwise read (bad lines, odd values). A
   * reason given on several lines is one cause: it is recorded once, at its first line, with how many
   * more lines have it (`… (and 41 more lines)`), not once per line.
   */
  addProblems(
    path: string,
    side: Side,
    problems: readonly { reason: string; line?: number | undefined }[] | undefined,
  ): void {
    const byReason = new Map<string, { line?: number | undefined; more: number }>();
    for (const problem of problems ?? []) {
      const seen = byReason.get(problem.reason);
      if (seen) seen.more += 1;
      else byReason.set(problem.reason, { line: problem.line, more: 0 });
    }
    for (const [reason, { line, more }] of byReason) {
      this.entries.push({
        path,
        side,
        reason: more === 0 ? reason : `${reason} (and ${plural(more, 'more line')})`,
        ...(line !== undefined ? { line } : {}),
      });
    }
  }
}
