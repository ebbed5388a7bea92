import { describeError, ParseError } from '../model/errors.js';
import type { Side, Unreadable } from '../model/report-schema.js';

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

  /** Records the problems a loader found in a file it could otherwise read (bad lines, odd values). */
  addProblems(
    path: string,
    side: Side,
    problems: readonly { reason: string; line?: number | undefined }[] | undefined,
  ): void {
    for (const problem of problems ?? []) {
      this.entries.push({
        path,
        side,
        reason: problem.reason,
        ...(problem.line !== undefined ? { line: problem.line } : {}),
      });
    }
  }
}
