import { TuneguardError } from '../src/model/errors.js';

/** What stopped the Action before it could review: its inputs, the event, or the commits to compare. */
export const ACTION_ERROR_KINDS = ['invalid-inputs', 'no-commits', 'missing-commits'] as const;
/** One of {@link ACTION_ERROR_KINDS}: lets the shell react without reading the message. */
export type ActionErrorKind = (typeof ACTION_ERROR_KINDS)[number];

/** The Action cannot run as configured; the message says what to change in the workflow. */
export class ActionError extends TuneguardError {
  constructor(
    message: string,
    readonly kind: ActionErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
