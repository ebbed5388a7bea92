/** Base of tuneguard's typed errors: each says what failed, where, and how to fix it, and keeps its cause. */
export class TuneguardError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration file is invalid; `path` and `line` point at the problem. */
export class ConfigError extends TuneguardError {
  constructor(
    message: string,
    readonly path: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
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
