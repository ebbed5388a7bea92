import type { Finding, Report, Severity } from '../model/report-schema.js';
import { clip } from '../text/clip.js';
import { neutralizeTerminalText } from '../text/neutralize-terminal-text.js';
import { plural } from '../text/plural.js';
import { describeWorkspace } from './describe-workspace.js';
import { NOT_REVIEWED_SHOWN } from './render-not-reviewed.js';
import { SEVERITY_ORDER } from './sort-findings.js';

/** How the text report is styled: colours on a terminal that takes them, {@link PLAIN} otherwise. */
export interface TextStyle {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
  green: (text: string) => string;
}

const same = (text: string): string => text;
/** No styling at all: what a log file or a pipe gets. */
export const PLAIN: TextStyle = { bold: same, dim: same, red: same, yellow: same, cyan: same, green: same };

/** A location column wider than this is not padded to: a longer place gets a line of its own. */
const MAX_PLACE_WIDTH = 40;
/** A detail is cut at this many characters, as in the markdown report. */
const MAX_NOTE_CHARS = 500;
const HEADINGS: Record<Severity, string> = { failure: 'Failures', warning: 'Warnings', notice: 'Notices' };

/**
 * The report for a terminal: the verdict and counts, the commits compared, then the findings grouped by
 * severity (an accepted one among the notices, as it counts), each on one line as
 * `place  check  title` with the places aligned (a place over 40 characters on a line of its own), its
 * details indented below, then the changed files nothing reviewed (the first ten, with why). Plain text: no markdown,
 * HTML or diagrams. Every text that comes from the repository (paths, titles, details, refs) is passed
 * through {@link neutralizeTerminalText}, so a file cannot send escape sequences to the terminal.
 * @example renderText(report, PLAIN).split('\n')[0] // 'tuneguard: failure (2 failures, 5 warnings, 1 notice)'
 */
export function renderText(report: Report, style: TextStyle = PLAIN): string {
  const safe = neutralizeTerminalText;
  const { failure, warning, notice } = report.counts;
  const colour = { failure: style.red, warning: style.yellow, pass: style.green }[report.verdict];
  const counts = [plural(failure, 'failure'), plural(warning, 'warning'), plural(notice, 'notice')].join(
    ', ',
  );
  const commit = (side: Report['base']) => `${safe(side.ref)} (${safe(side.sha.slice(0, 7))})`;
  const head = report.head.workspace?.worktree
    ? `the working tree at ${commit(report.head)}`
    : commit(report.head);
  const lines = [
    `tuneguard: ${style.bold(colour(report.verdict))} (${counts})`,
    style.dim(
      `${head} against ${commit(report.base)}, ${plural(report.changedFiles.length, 'file')} changed`,
    ),
  ];
  if (report.head.workspace) lines.push(style.dim(describeWorkspace(report.head.workspace, safe)));
  if (report.findings.length === 0) lines.push('', 'Nothing tuneguard tracks looks wrong.');
  for (const severity of SEVERITY_ORDER) {
    const group = report.findings.filter((finding) => countedAs(finding) === severity);
    if (group.length > 0) lines.push('', ...renderGroup(severity, group, style));
  }
  const notReviewed = report.notReviewed ?? [];
  if (notReviewed.length > 0) lines.push('', ...renderNotReviewedLines(notReviewed, style));
  return `${lines.join('\n')}\n`;
}

/** The changed files nothing reviewed: a heading with their count, the first ten with why, and how many more. */
function renderNotReviewedLines(files: NonNullable<Report['notReviewed']>, style: TextStyle): string[] {
  const shown = files.slice(0, NOT_REVIEWED_SHOWN);
  const width = Math.min(
    MAX_PLACE_WIDTH,
    Math.max(...shown.map((file) => neutralizeTerminalText(file.path).length)),
  );
  const hidden = files.length - shown.length;
  return [
    style.bold(`Not reviewed (${files.length}): changed files that may hold data, settings or results`),
    ...shown.map((file) => {
      const path = neutralizeTerminalText(file.path);
      const reason = style.dim(clip(neutralizeTerminalText(file.reason), MAX_NOTE_CHARS));
      return path.length > width
        ? `  ${path}\n  ${' '.repeat(width)}  ${reason}`
        : `  ${path.padEnd(width)}  ${reason}`;
    }),
    ...(hidden > 0 ? [style.dim(`  and ${plural(hidden, 'more file')}: the report lists them`)] : []),
  ];
}

/** The severity a finding counts as: an accepted one is a notice. */
function countedAs(finding: Finding): Severity {
  return finding.accepted ? 'notice' : finding.severity;
}

function renderGroup(severity: Severity, findings: readonly Finding[], style: TextStyle): string[] {
  const colour = { failure: style.red, warning: style.yellow, notice: style.cyan }[severity];
  const rows = findings.map((finding) => ({
    finding,
    place: placeOf(finding),
    check: neutralizeTerminalText(finding.check),
  }));
  const fitting = rows.map((row) => row.place.length).filter((length) => length <= MAX_PLACE_WIDTH);
  const placeWidth = Math.max(1, ...fitting);
  const checkWidth = Math.max(...rows.map((row) => row.check.length));
  const indent = ' '.repeat(2 + placeWidth + 2 + checkWidth + 2);
  const lines = [style.bold(colour(`${HEADINGS[severity]} (${findings.length})`))];
  for (const { finding, place, check } of rows) {
    const title = neutralizeTerminalText(finding.title);
    // A place too long for the column gets a line of its own, so the others stay aligned.
    if (place.length > placeWidth) lines.push(`  ${place}`);
    const column = place.length > placeWidth ? '' : place;
    lines.push(`  ${column.padEnd(placeWidth)}  ${colour(check.padEnd(checkWidth))}  ${title}`);
    const notes = [
      ...finding.details,
      ...(finding.also?.length ? [`also ${finding.also.map((where) => formatPlace(where)).join(', ')}`] : []),
      ...(finding.accepted ? [`accepted by ${finding.accepted.by}: ${finding.accepted.reason}`] : []),
    ];
    for (const note of notes) {
      lines.push(`${indent}${style.dim(`· ${clip(neutralizeTerminalText(note), MAX_NOTE_CHARS)}`)}`);
    }
  }
  return lines;
}

/** `path:line`, `(base)` after a place on the base commit, `-` for a finding with no place. */
function placeOf(finding: Finding): string {
  return finding.location ? formatPlace(finding.location) : '-';
}

function formatPlace(location: NonNullable<Finding['location']>): string {
  const place = location.line === undefined ? location.path : `${location.path}:${location.line}`;
  return `${neutralizeTerminalText(place)}${location.side === 'base' ? ' (base)' : ''}`;
}
