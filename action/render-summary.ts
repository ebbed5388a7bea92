import type { Report } from '../src/model/report-schema.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import type { UploadOutcome } from './upload-report.js';

/** Bytes of the report in the job summary: GitHub takes 1 MiB per step, and the run's lines follow it. */
export const MAX_SUMMARY_BYTES = 1024 * 1024 - 8 * 1024;

/** What the job summary shows: the report, and what became of the PR comment and the artifact. */
export interface SummaryParts {
  report: Report;
  heading: string;
  /** The comment's status, as `describeComment` words it. */
  comment: string;
  upload: UploadOutcome;
}

/**
 * The job summary: the whole report as far as {@link MAX_SUMMARY_BYTES} allow (every finding, row and
 * file that fits, where the PR comment keeps to fewer), then one line on the PR comment and one on the
 * report artifact.
 */
export function renderSummary(parts: SummaryParts): string {
  const { report, heading, comment, upload } = parts;
  // renderMarkdown counts characters and GitHub bytes: shrink the cap until the bytes fit.
  let body = renderMarkdown(report, { heading, maxLength: MAX_SUMMARY_BYTES, complete: true });
  while (Buffer.byteLength(body) > MAX_SUMMARY_BYTES) {
    const ratio = MAX_SUMMARY_BYTES / Buffer.byteLength(body);
    body = renderMarkdown(report, {
      heading,
      maxLength: Math.floor(body.length * ratio) - 1,
      complete: true,
    });
  }
  const artifact = upload.uploaded
    ? `uploaded as \`${upload.name}\``
    : `\`${upload.name}\` not uploaded: ${upload.message}`;
  return `${body}\n- **PR comment** ${comment}\n- **Report artifact** ${artifact}\n`;
}
