import type {
  ArtifactLine,
  ComparedWith,
  FileStatus,
  Finding,
  MetricDiff,
  Severity,
  Summarised,
} from '../model/report-schema.js';
import { summariseArtifact, type ArtifactEntry } from '../report/summarise-artifact.js';
import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import { plural } from '../text/plural.js';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';

/** Longest user value shown in a table cell or an evidence; longer ones end with `…`. */
export const MAX_VALUE_CHARS = 120;
/** What stands for a value a side does not have. */
export const ABSENT = '—';

export const SEVERITY_ICON: Readonly<Record<Severity, string>> = {
  failure: '❌',
  warning: '⚠️',
  notice: 'ℹ️',
};

/**
 * How much of a report a rendering shows. The renderer tries levels from the most detailed to the least
 * and keeps the first whose text fits its length cap.
 */
export interface DetailLevel {
  /** Findings of one cause shown with their details; the others of that cause are listed in a line each. */
  fullFindings: number;
  /** Findings of one cause listed in a line each (collapsed) after those shown in full. */
  listedFindings: number;
  /** Rows of one table, and files named in a line each in one section. */
  rows: number;
  /** Files of one section shown with their own table. */
  files: number;
}

/** The detail levels, from the most detailed to the least. */
export const DETAIL_LEVELS: readonly DetailLevel[] = [
  { fullFindings: 5, listedFindings: 30, rows: 60, files: 20 },
  { fullFindings: 3, listedFindings: 15, rows: 20, files: 10 },
  { fullFindings: 2, listedFindings: 5, rows: 10, files: 5 },
  { fullFindings: 1, listedFindings: 0, rows: 5, files: 2 },
];

/** The order metric changes are listed in: the ones a reviewer must see first. */
export const CHANGE_ORDER: readonly MetricDiff['change'][] = [
  'regressed',
  'removed',
  'incomparable',
  'inconclusive',
  'improved',
  'noise',
  'added',
  'unchanged',
  'n/a',
];

/** A collapsed section: its bold title and summary, then the body. */
export function details(title: string, summary: string, body: string[]): string {
  return [`<details><summary><b>${title}</b> · ${summary}</summary>`, '', ...body, '', '</details>'].join(
    '\n',
  );
}

/** Blocks of lines with a blank line between them; empty blocks are left out. */
export function paragraphs(blocks: readonly (readonly string[])[]): string[] {
  return blocks
    .filter((block) => block.length > 0)
    .flatMap((block, index) => (index === 0 ? block : ['', ...block]));
}

/** A markdown table's lines; every row must have as many cells as `headers`. */
export function table(headers: string[], align: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `|${align.join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

/** A place in a file as code (`path:line`), with `(base)` when the line is on the base side. */
export function renderLocation(location: NonNullable<Finding['location']>): string {
  const place = location.line === undefined ? location.path : `${location.path}:${location.line}`;
  return escapeCode(clip(place, MAX_VALUE_CHARS)) + (location.side === 'base' ? ' (base)' : '');
}

/** A finding's evidence, `base → head (delta)`; `undefined` when it has neither side. */
export function renderEvidence(evidence: Finding['evidence']): string | undefined {
  if (!evidence || (evidence.base === undefined && evidence.head === undefined)) return undefined;
  const { base, head } = evidence;
  const delta =
    evidence.delta ?? (typeof base === 'number' && typeof head === 'number' ? head - base : undefined);
  const change = delta === undefined || delta === 0 ? '' : ` (${formatDelta(delta)})`;
  return `${renderScalar(base)} → ${renderScalar(head)}${change}`;
}

function renderScalar(value: string | number | boolean | null | undefined): string {
  if (value === undefined) return ABSENT;
  if (typeof value === 'number') return formatNumber(value);
  return escapeCode(clip(String(value), MAX_VALUE_CHARS));
}

/**
 * A file's status, and the base file it was compared with when its path changed:
 * `modified, renamed from data/old.jsonl (87% alike)` or `modified, a newer run than results_….json`.
 */
export function renderStatus(file: { status: FileStatus; comparedWith?: ComparedWith | undefined }): string {
  const pairing = file.comparedWith;
  if (!pairing) return file.status;
  const from = escapeCode(clip(pairing.path, MAX_VALUE_CHARS));
  if (pairing.reason === 'newer-run') return `${file.status}, a newer run than ${from}`;
  const alike = pairing.similarity === undefined ? '' : ` (${Math.round(pairing.similarity * 100)}% alike)`;
  return `${file.status}, renamed from ${from}${alike}`;
}

/**
 * An artifact in one list item: `` - `results/a.json` · modified · 20 metrics: 20 regressed ``, with a
 * dataset's split and rows, a hyperparameter file's changes or a training log's last step.
 */
export function renderArtifactLine(line: ArtifactLine): string {
  const parts = [escapeCode(clip(line.path, MAX_VALUE_CHARS)), line.status];
  if (line.comparedWith !== undefined) {
    parts.push(`compared with ${escapeCode(clip(line.comparedWith, MAX_VALUE_CHARS))}`);
  }
  if (line.split !== undefined) parts.push(escapeMarkdown(clip(line.split, MAX_VALUE_CHARS)));
  if (line.rows) parts.push(`rows ${renderCountChange(line.rows.base, line.rows.head)}`);
  if (line.changes !== undefined) parts.push(plural(line.changes, 'change'));
  if (line.metrics) parts.push(renderChangeCounts(line.metrics));
  if (line.lastStep) parts.push(`last step ${renderPair(line.lastStep.base, line.lastStep.head)}`);
  return `- ${parts.join(' · ')}`;
}

/** A section's files the report holds in short (over its size budget): a line each, or a count by status. */
export interface ShortFiles {
  lines: ArtifactLine[];
  counted: Summarised['counted'];
}

/** How many files a section covers: `shown` in full, and those the report holds in short. */
export function countFiles(shown: number, short: ShortFiles): number {
  return shown + short.lines.length + short.counted.reduce((sum, count) => sum + count.files, 0);
}

/**
 * The files of a section not shown in full (`extra`), then those the report holds in short: a line
 * each, at most `level.rows`, then how many more by status. `after` says whether files were shown in full
 * before them (they are then "more files"). No files give no blocks.
 */
export function renderMoreFiles(
  extra: readonly ArtifactEntry[],
  short: ShortFiles,
  level: DetailLevel,
  after: boolean,
): string[][] {
  const lines = [...extra.map(summariseArtifact), ...short.lines];
  const total = countFiles(extra.length, short);
  if (total === 0) return [];
  const listed = lines.slice(0, level.rows);
  const byStatus = new Map<FileStatus, number>();
  const add = (status: FileStatus, count: number): void => {
    byStatus.set(status, (byStatus.get(status) ?? 0) + count);
  };
  for (const line of lines.slice(listed.length)) add(line.status, 1);
  for (const count of short.counted) add(count.status, count.files);
  const rest = total - listed.length;
  const noun = after ? 'more file' : 'file';
  const blocks: string[][] = [];
  if (listed.length > 0) {
    blocks.push([`${plural(total, noun)}, in a line each:`, '', ...listed.map(renderArtifactLine)]);
  }
  if (rest > 0) {
    const statuses = [...byStatus.entries()].map(([status, count]) => `${formatNumber(count)} ${status}`);
    const lead = listed.length > 0 ? `And ${formatNumber(rest)} more` : plural(rest, noun);
    blocks.push([`${lead} (${statuses.join(', ')}).`]);
  }
  return blocks;
}

/** `7 metrics: 1 regressed, 2 improved, 2 unchanged, 2 n/a`, in {@link CHANGE_ORDER}. */
function renderChangeCounts(counts: Partial<Record<MetricDiff['change'], number>>): string {
  const present = CHANGE_ORDER.filter((change) => (counts[change] ?? 0) > 0);
  const total = present.reduce((sum, change) => sum + (counts[change] ?? 0), 0);
  const parts = present.map((change) => `${formatNumber(counts[change] ?? 0)} ${change}`);
  return parts.length > 0 ? `${plural(total, 'metric')}: ${parts.join(', ')}` : 'no metric';
}

/** `a → b`, or just `a` when both sides are the same; `—` stands for a missing side. */
export function renderPair(base: number | number[] | undefined, head: number | number[] | undefined): string {
  const show = (value: number | number[] | undefined): string =>
    value === undefined
      ? ABSENT
      : Array.isArray(value)
        ? value.map(formatNumber).join(' / ')
        : formatNumber(value);
  if (base === undefined && head === undefined) return ABSENT;
  const shownBase = show(base);
  const shownHead = show(head);
  return shownBase === shownHead ? shownBase : `${shownBase} → ${shownHead}`;
}

/** `a → b (±d, ±p%)` for counts; the percentage is left out when the base is zero. */
export function renderCountChange(base: number | undefined, head: number | undefined): string {
  const pair = renderPair(base, head);
  if (base === undefined || head === undefined || base === head) return pair;
  const percent = base === 0 ? '' : `, ${formatChangePercent(((head - base) / Math.abs(base)) * 100)}`;
  return `${pair} (${formatDelta(head - base)}${percent})`;
}

/** A signed number: `+0.5`, `-2`. */
export function formatDelta(delta: number): string {
  return delta > 0 ? `+${formatNumber(delta)}` : formatNumber(delta);
}

function formatChangePercent(percent: number): string {
  const text = percent.toFixed(1);
  return percent > 0 ? `+${text}%` : `${text}%`;
}

/** `3 files`, or `undefined` for none. */
export function countOf(count: number, noun: string): string | undefined {
  return count > 0 ? plural(count, noun) : undefined;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** A size in bytes for people: `812 KiB`, `4 MiB`, `5.1 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 2 ** 20) return `${formatNumber(Math.ceil(bytes / 2 ** 10))} KiB`;
  const mebibytes = bytes / 2 ** 20;
  return `${Number.isInteger(mebibytes) ? mebibytes : mebibytes.toFixed(1)} MiB`;
}

/** The URL when it is http(s), percent-encoded so it cannot end a markdown link early; else undefined. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/[()<> "'`|\\]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
