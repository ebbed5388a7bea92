import type { Report } from '../model/report-schema.js';

/**
 * The report as the Action and the CLI write it, and as the App reads it from the artifact: JSON indented
 * by two spaces, ending with a newline.
 */
export function serializeReport(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The UTF-8 bytes of {@link serializeReport}'s text: what a report's size budget counts. */
export function measureReport(report: Report): number {
  return Buffer.byteLength(serializeReport(report));
}
