import type { Finding } from '../model/report-schema.js';
import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import { nounFor, plural } from '../text/plural.js';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import { groupByCause, type Cause } from './group-by-cause.js';
import { renderEvidence, renderLocation, SEVERITY_ICON, table, type DetailLevel } from './markdown-parts.js';

/** Lines of a finding's details shown under it; the others are counted. */
const MAX_DETAILS = 10;
/** Longest title shown in full, and in a line of a collapsed list. */
const MAX_TITLE = 500;
const MAX_LISTED_TITLE = 200;

/**
 * A part of the findings' markdown: its text, how many findings it shows or counts, and whether it is
 * a list item (list items follow each other on the next line; anything else stands apart).
 */
export interface FindingsBlock {
  text: string;
  findings: number;
  item: boolean;
}

/**
 * The findings, failures first, then warnings, then notices, cause by cause (one check at one severity).
 * A cause with more findings than `level.fullFindings` shows that many with their details, lists the
 * next `level.listedFindings` in a line each in a collapsed `<details>`, and counts the rest; a table of
 * every cause with its findings and files then comes first. All text from users' files is escaped.
 */
export function renderFindings(findings: readonly Finding[], level: DetailLevel): FindingsBlock[] {
  const causes = groupByCause(findings);
  const blocks: FindingsBlock[] = [];
  if (causes.some((cause) => cause.findings.length > level.fullFindings)) {
    blocks.push({ text: renderCauseTable(causes), findings: 0, item: false });
  }
  for (const cause of causes) blocks.push(...renderCause(cause, level));
  return blocks;
}

/** Joins blocks: list items on consecutive lines, a blank line around anything else. */
export function joinFindingBlocks(blocks: readonly FindingsBlock[]): string {
  return blocks
    .map((block, index) => {
      const previous = blocks[index - 1];
      if (!previous) return block.text;
      return `${previous.item && block.item ? '\n' : '\n\n'}${block.text}`;
    })
    .join('');
}

function renderCauseTable(causes: readonly Cause[]): string {
  const rows = causes.map((cause) => [
    SEVERITY_ICON[cause.severity],
    escapeCode(cause.check),
    formatNumber(cause.findings.length),
    formatNumber(cause.files),
  ]);
  return [
    '**Findings by cause**',
    '',
    ...table(['', 'Check', 'Findings', 'Files'], [':-:', '---', '---:', '---:'], rows),
  ].join('\n');
}

function renderCause(cause: Cause, level: DetailLevel): FindingsBlock[] {
  const full = cause.findings.slice(0, level.fullFindings);
  const blocks: FindingsBlock[] = full.map((finding) => ({
    text: renderFinding(finding),
    findings: 1,
    item: true,
  }));
  const others = cause.findings.slice(full.length);
  if (others.length === 0) return blocks;
  const what = `${formatNumber(others.length)} more ${escapeCode(cause.check)} ${nounFor(others.length, cause.severity)}`;
  const listed = others.slice(0, level.listedFindings);
  if (listed.length === 0) {
    return [...blocks, { text: `- and ${what}`, findings: others.length, item: true }];
  }
  const rest = others.length - listed.length;
  const body = [
    `<details><summary>${SEVERITY_ICON[cause.severity]} ${what}</summary>`,
    '',
    ...listed.map(renderFindingLine),
    ...(rest > 0 ? ['', `And ${formatNumber(rest)} more, in the full report.`] : []),
    '',
    '</details>',
  ];
  return [...blocks, { text: body.join('\n'), findings: others.length, item: false }];
}

/** A finding's first line: severity, check, title, location and evidence. */
function renderHeadline(finding: Finding, maxTitle: number): string {
  const parts = [
    `${SEVERITY_ICON[finding.severity]} ${escapeCode(finding.check)} ${escapeMarkdown(clip(finding.title, maxTitle))}`,
  ];
  if (finding.location) parts.push(renderLocation(finding.location));
  const evidence = renderEvidence(finding.evidence);
  if (evidence) parts.push(evidence);
  return `- ${parts.join(' · ')}`;
}

function renderFindingLine(finding: Finding): string {
  return renderHeadline(finding, MAX_LISTED_TITLE) + (finding.accepted ? ' · ✔️ accepted' : '');
}

function renderFinding(finding: Finding): string {
  const lines = [renderHeadline(finding, MAX_TITLE)];
  const shown = finding.details.slice(0, MAX_DETAILS);
  for (const detail of shown) lines.push(`  - ${escapeMarkdown(clip(detail, 500))}`);
  const hidden = finding.details.length - shown.length + (finding.omitted?.details ?? 0);
  if (hidden > 0) lines.push(`  - and ${plural(hidden, 'more line')}`);
  if (finding.accepted) {
    lines.push(
      `  - ✔️ Accepted by ${escapeMarkdown(finding.accepted.by)}: ${escapeMarkdown(clip(finding.accepted.reason, 500))}`,
    );
  }
  return lines.join('\n');
}
