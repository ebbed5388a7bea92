/** Base of tuneguard's typed errors: each says what failed, where, and how to fix it, and keeps its cause. */
export class TuneguardError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem of a configuration file, where it is written. */
export interface ConfigProblem {
  /** 1-based line, when the problem has a place in the file. */
  line?: number;
  /** 1-based column of that line. */
  column?: number;
  /** One line: what is wrong, and what would be right. */
  message: string;
  /** The closest valid key, check or value to what was written, for "did you mean". */
  suggestion?: string;
}

/**
 * The configuration file is invalid; `path` and `line` point at the first problem, `problems` lists
 * every one (empty when the file could not be read at all).
 */
export class ConfigError extends TuneguardError {
  constructor(
    message: string,
    readonly path: string,
    readonly line?: number,
    options?: { cause?: unknown; problems?: readonly ConfigProblem[] },
  ) {
    super(message, options);
    this.problems = options?.problems ?? [];
  }

  readonly problems: readonly ConfigProblem[];
}

/**
 * What went wrong reading a snapshot: a ref that is missing, a shallow clone without a commit or without
 * the merge-base of the two commits compared, or a repository git cannot read.
 */
export const SOURCE_ERROR_KINDS = [
  'unknown-ref',
  'shallow',
  'no-merge-base',
  'not-a-repository',
  'git-failed',
] as const;
export type SourceErrorKind = (typeof SOURCE_ERROR_KINDS)[number];

/** Reading a commit failed; `kind` tells the shells how to react without parsing the message. */
export class SourceError extends TuneguardError {
  constructor(
    message: string,
    readonly kind: SourceErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Renders any thrown value as text: a non-Error throw must never be swallowed. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A user's file could not be parsed; `line` (1-based) points at the problem when known. */
export class ParseError extends TuneguardError {
  constructor(
    message: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
