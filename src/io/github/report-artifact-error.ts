import { TuneguardError } from '../../model/errors.js';

/** Why a report artifact was refused; the App reacts to the kind, never to the message. */
export const REPORT_ARTIFACT_ERROR_KINDS = [
  'too-large',
  'too-many-entries',
  'no-report-file',
  'not-a-zip',
  'digest-mismatch',
  'download-failed',
  'invalid-json',
  'invalid-report',
  'sha-mismatch',
] as const;
export type ReportArtifactErrorKind = (typeof REPORT_ARTIFACT_ERROR_KINDS)[number];

/** A report artifact could not be used: too large, not a zip, not a valid report, or not for the commit it names. */
export class ReportArtifactError extends TuneguardError {
  constructor(
    message: string,
    readonly kind: ReportArtifactErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
