import type { Report, ReportedKind, Verdict } from '../model/report-schema.js';
import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import { plural } from '../text/plural.js';
import { describeWorkspace } from './describe-workspace.js';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import {
  countOf,
  DETAIL_LEVELS,
  formatBytes,
  joinWords,
  MAX_VALUE_CHARS,
  safeUrl,
  type DetailLevel,
} from './markdown-parts.js';
import { joinFindingBlocks, renderFindings, type FindingsBlock } from './render-findings.js';
import { renderBaseline } from './render-baseline.js';
import { renderSections } from './render-sections.js';
import { SEVERITY_ORDER } from './sort-findings.js';

/** Characters GitHub accepts in one issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Options of {@link renderMarkdown}; all optional. */
export interface MarkdownOptions {
  /**
   * Hidden marker placed first so shells can find their own comment. Used as is when it is already an
   * HTML comment (`<!-- … -->`), else wrapped in one.
   */
  marker?: string;
  /**
   * Cap on the output length (GitHub comments take 65,536 characters, the default); when cut, say so and
   * point to `detailsUrl`.
   */
  maxLength?: number;
  /** Where the full report lives (the workflow run, the artifact); only `http:` and `https:` URLs are linked. */
  detailsUrl?: string;
  /** Name shown in the verdict line instead of `tuneguard` (for example `tuneguard (sft)` in a matrix). */
  heading?: string;
  /**
   * Show every finding, row and file that fits in `maxLength` (a job summary has room for much more than
   * a comment), rather than the amounts a comment keeps readable; a text too long is shortened the same
   * way. Default `false`.
   */
  complete?: boolean;
}

const VERDICT_ICON: Readonly<Record<Verdict, string>> = { failure: '❌', warning: '⚠️', pass: '✅' };
/** The level of {@link MarkdownOptions.complete}: everything, when it fits. */
const EVERYTHING: DetailLevel = {
  fullFindings: Infinity,
  listedFindings: Infinity,
  rows: Infinity,
  files: Infinity,
};

/**
 * Renders the report as GitHub-flavoured markdown for a pull-request comment: the verdict line, the
 * findings (failures, then warnings, then notices, cause by cause; a cause of many findings shows the
 * first in full, lists more in a collapsed block and counts the rest, under a table of the causes), then
 * collapsible Data, Hyperparameters, Metrics, Training and unreadable-file sections (empty ones omitted;
 * long tables and lists end with "and N more"), and what the report summarised to keep within its size
 * budget. All text from users' files goes through the escapers.
 * The result never exceeds `maxLength`. When the full text is longer, it is made shorter step by step:
 * the sections show fewer rows and files (see `DETAIL_LEVELS`), then the findings fewer in full and in
 * lists (with the most detailed sections that then fit), then sections are dropped from the end, then
 * causes from the end (notices first); a closing line then says what was cut, linking `detailsUrl` when
 * given. Every cut is a whole block, so no tag, table or list is left open.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const requested = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const maxLength = Number.isNaN(requested) ? GITHUB_COMMENT_LIMIT : Math.max(0, Math.floor(requested));
  const detailsUrl = safeUrl(options.detailsUrl);
  const header = renderHeader(report, options);
  const closing = [...optional(renderBudgetNote(report)), renderFooter(report, detailsUrl)];
  const levels = options.complete ? [EVERYTHING, ...DETAIL_LEVELS] : DETAIL_LEVELS;
  const findingsAt = memo(levels.map((level) => () => renderFindings(report.findings, level)));
  const sectionsAt = memo(levels.map((level) => () => renderSections(report, level)));

  // 1. The most detailed findings that fit, each with the most detailed sections that fit with them.
  for (let findings = 0; findings < levels.length; findings += 1) {
    for (let sections = 0; sections < levels.length; sections += 1) {
      const text = compose(header, findingsAt(findings), sectionsAt(sections), closing);
      if (text.length <= maxLength) return text;
    }
  }
  const sections = sectionsAt(levels.length - 1);
  const briefest = findingsAt(levels.length - 1);
  // 2. Sections dropped from the end.
  for (let kept = sections.length - 1; kept >= 0; kept -= 1) {
    const notice = renderCutNotice(sections.length - kept, 0, maxLength, detailsUrl);
    const text = compose(header, briefest, sections.slice(0, kept), [notice, ...closing]);
    if (text.length <= maxLength) return text;
  }
  // 3. Blocks of findings dropped from the end: fewer always give a shorter text, so the most that fit
  // are found by bisection.
  const total = report.findings.length;
  const withFindings = (kept: number): string => {
    const shown = briefest.slice(0, kept).reduce((sum, block) => sum + block.findings, 0);
    const notice = renderCutNotice(sections.length, total - shown, maxLength, detailsUrl);
    return compose(header, briefest.slice(0, kept), [], [notice, ...closing]);
  };
  let low = 0;
  let high = briefest.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (withFindings(middle).length <= maxLength) low = middle;
    else high = middle - 1;
  }
  const best = withFindings(low);
  if (best.length <= maxLength) return best;
  return hardCut(
    compose(header, [], [], []),
    renderCutNotice(sections.length, total, maxLength, detailsUrl),
    maxLength,
  );
}

function compose(
  header: string[],
  findings: readonly FindingsBlock[],
  sections: readonly string[],
  closing: readonly string[],
): string {
  const blocks = [header.join('\n')];
  if (findings.length > 0) blocks.push(joinFindingBlocks(findings));
  blocks.push(...sections, ...closing);
  return blocks.join('\n\n') + '\n';
}

/** Each value computed on first use, then kept: `at(i)` runs `makers[i]` once. */
function memo<T>(makers: readonly (() => T)[]): (index: number) => T {
  const made = new Map<number, T>();
  return (index) => {
    if (!made.has(index)) made.set(index, (makers[index] as () => T)());
    return made.get(index) as T;
  };
}

function optional(text: string | undefined): string[] {
  return text === undefined ? [] : [text];
}

// -- header, findings, footer ---------------------------------------------------------------------------

function renderHeader(report: Report, options: MarkdownOptions): string[] {
  const lines: string[] = [];
  if (options.marker !== undefined) lines.push(renderMarker(options.marker));
  const name = escapeMarkdown(options.heading ?? 'tuneguard');
  lines.push(`### ${VERDICT_ICON[report.verdict]} ${name}: ${renderCounts(report)}`);
  lines.push(`**Base** ${renderCommit(report.base)} → **head** ${renderHead(report.head)}`);
  if (report.baseline) lines.push('', renderBaseline(report.baseline, options.detailsUrl));
  if (report.head.workspace) {
    const showPath = (path: string): string => escapeCode(clip(path, MAX_VALUE_CHARS));
    lines.push('', `📂 ${describeWorkspace(report.head.workspace, showPath)}.`);
  }
  if (!report.findings.some((finding) => finding.severity !== 'notice')) {
    lines.push('', renderAllClear(report));
  }
  if (report.unreadable.length > 0) {
    const files = plural(report.unreadable.length, 'file');
    lines.push(
      '',
      `⚠️ ${files} could not be read, so this report is incomplete: see **Files that could not be read**.`,
    );
  }
  return lines;
}

function renderMarker(marker: string): string {
  const inner = /^<!--([\s\S]*)-->$/.exec(marker)?.[1];
  // Only `-->` (or `--!>`) inside, or `>`/`->` right after the opening, ends an HTML comment early.
  if (inner !== undefined && !/--!?>/.test(inner) && !/^-?>/.test(inner)) return marker;
  return `<!-- ${marker.replace(/-{2,}/g, '-').replace(/>/g, '')} -->`;
}

function renderCounts(report: Report): string {
  const parts = SEVERITY_ORDER.filter((severity) => report.counts[severity] > 0).map((severity) =>
    plural(report.counts[severity], severity),
  );
  return parts.length > 0 ? parts.join(', ') : 'no problems found';
}

function renderCommit(commit: { ref: string; sha: string }): string {
  // A bare hexadecimal SHA is autolinked to the commit by GitHub; anything else is shown as code.
  const short = /^[0-9a-f]{7,64}$/i.test(commit.sha) ? commit.sha.slice(0, 7) : escapeCode(commit.sha);
  const ref =
    commit.ref && commit.ref !== commit.sha ? ` (${escapeCode(clip(commit.ref, MAX_VALUE_CHARS))})` : '';
  return `${short}${ref}`;
}

/** The head commit, or the working tree checked out at it (`tuneguard diff --worktree`). */
function renderHead(head: Report['head']): string {
  return head.workspace?.worktree ? `the working tree at ${renderCommit(head)}` : renderCommit(head);
}

function renderAllClear(report: Report): string {
  const files = (entries: number, kind: ReportedKind): number =>
    entries +
    (report.summarised?.artifacts.filter((line) => line.kind === kind).length ?? 0) +
    (report.summarised?.counted
      .filter((count) => count.kind === kind)
      .reduce((sum, count) => sum + count.files, 0) ?? 0);
  const compared = [
    countOf(files(report.datasets.length, 'dataset'), 'dataset'),
    countOf(files(report.params.length, 'params'), 'hyperparameter file'),
    countOf(files(report.metrics.length, 'metrics'), 'metrics file'),
    countOf(files(report.training.length, 'training-log'), 'training log'),
  ].filter((part): part is string => part !== undefined);
  const scope =
    compared.length > 0
      ? `compared ${joinWords(compared)}`
      : 'no dataset, hyperparameter, metrics or training-log file was found to compare';
  return `✅ Nothing tuneguard tracks looks wrong: ${scope}.`;
}

/**
 * What the JSON report summarised to stay within its size budget, as one quoted line; `undefined` when
 * it summarised nothing.
 */
function renderBudgetNote(report: Report): string | undefined {
  const summarised = report.summarised;
  if (!summarised) return undefined;
  const untouched = summarised.artifacts.filter((line) => line.status === 'unchanged').length;
  const counted = summarised.counted.reduce((sum, count) => sum + count.files, 0);
  const held = [
    summarised.artifacts.length > 0
      ? `${plural(summarised.artifacts.length, 'file')} in a line each${untouched > 0 ? ` (${formatNumber(untouched)} untouched)` : ''}`
      : undefined,
    counted > 0
      ? `${plural(counted, summarised.artifacts.length > 0 ? 'more file' : 'file')} only counted`
      : undefined,
    summarised.findings > 0
      ? `${plural(summarised.findings, 'finding')} with their longest lists cut short`
      : undefined,
    summarised.changedFiles !== undefined
      ? `the first ${formatNumber(report.changedFiles.length)} of the ${formatNumber(summarised.changedFiles)} changed files`
      : undefined,
  ].filter((part): part is string => part !== undefined);
  const what = held.length > 0 ? `, and holds in short ${joinWords(held)}` : '';
  const baseline =
    summarised.evalResults === undefined
      ? ''
      : ` Its ${plural(summarised.evalResults, 'results file')} kept for later runs' baselines were left out: this run's report serves none.`;
  return `> 📦 The JSON report would take ${formatBytes(summarised.fullBytes)} in full, over its budget of ${formatBytes(summarised.maxBytes)} (\`report.max-mb\`): it keeps every finding${what}.${baseline}`;
}

function renderFooter(report: Report, detailsUrl: string | undefined): string {
  const link = detailsUrl ? ` · [full report](${detailsUrl})` : '';
  return `<sub>${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)} · report schema ${report.schemaVersion}${link}</sub>`;
}

function renderCutNotice(
  sections: number,
  findings: number,
  maxLength: number,
  detailsUrl: string | undefined,
): string {
  const hidden = [countOf(sections, 'section'), countOf(findings, 'finding')].filter(
    (part): part is string => part !== undefined,
  );
  const what = hidden.length > 0 ? `; ${joinWords(hidden)} not shown` : '';
  const where = detailsUrl ? ` See the [full report](${detailsUrl}).` : '';
  return `> ✂️ This report was cut to fit in ${formatNumber(maxLength)} characters${what}.${where}`;
}

/** Cuts `text` so that it and `notice` fit in `maxLength`, never inside an entity or a tag. */
function hardCut(text: string, notice: string, maxLength: number): string {
  if (notice.length + 1 > maxLength) return notice.slice(0, maxLength);
  let cut = text.slice(0, maxLength - notice.length - 1);
  const lastLine = cut.lastIndexOf('\n');
  if (lastLine > 0) cut = cut.slice(0, lastLine);
  cut = cut.replace(/&[#a-z0-9]*$/i, '').replace(/<[^>]*$/, '');
  return `${cut}\n${notice}`;
}
