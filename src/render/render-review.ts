import { createHash } from 'node:crypto';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import { groupByCause, type Cause } from './group-by-cause.js';
import { GITHUB_COMMENT_LIMIT } from './render-markdown.js';
import { SEVERITY_ORDER, sortFindings } from './sort-findings.js';
import type { Finding, MetricDiff, Report, Severity } from '../model/report-schema.js';
import { formatEvidence, formatValue } from './format-evidence.js';
import { clip } from '../text/clip.js';
import { nounFor, plural } from '../text/plural.js';
import { formatNumber } from '../text/format-number.js';

/** Starts every inline comment the App writes, so they can be told from people's comments. */
export const REVIEW_COMMENT_MARKER = '<!-- tuneguard:review-comment -->';

/** Inline comments in one review; further findings go into the review's body. */
export const MAX_INLINE_COMMENTS = 40;

/** The longest title, detail, reason or key a review shows before cutting it. */
const MAX_CLIP = 500;
/** Findings listed in the review's body; the check run has the rest. */
const MAX_BODY_FINDINGS = 50;
/** Findings of one cause listed in the review's body, from the most to the fewest that fit. */
const LISTED_PER_CAUSE = [10, 3, 1, 0] as const;
/** Lines of a finding's details shown in an inline comment. */
const MAX_INLINE_DETAILS = 10;
/** Characters of a review body or comment: GitHub's limit, less room for the marker of the body. */
const MAX_REVIEW_TEXT = GITHUB_COMMENT_LIMIT - 200;

/** Changed metrics shown under a hyperparameter finding. */
const MAX_RELATED_METRICS = 5;

const SEVERITY_ICON: Readonly<Record<Severity, string>> = { failure: '❌', warning: '⚠️', notice: 'ℹ️' };
const VERDICT_ICON = { failure: '❌', warning: '⚠️', pass: '✅' } as const;
const MOVED: readonly MetricDiff['change'][] = [
  'regressed',
  'removed',
  'incomparable',
  'inconclusive',
  'improved',
  'noise',
];
const MARKER =
  /<!-- tuneguard:review(?: scope=([A-Za-z0-9._-]+))? sha=([0-9a-f]{40,64}) key=([0-9a-f]{16}) -->/;

/** One inline comment of a review, in the shape of the create-review API. */
export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  body: string;
}

/** A review ready to post: its body (marker first), its inline comments, and the key of its content. */
export interface RenderedReview {
  body: string;
  comments: ReviewComment[];
  /** Hash of what the review says; an earlier review with the same key and commit makes a new one pointless. */
  key: string;
}

/** What the marker of a review's body says. */
export interface ReviewMarker {
  scope?: string;
  sha: string;
  key: string;
}

/**
 * Renders a report as one pull-request review. A head-side finding whose line the diff shows (see
 * `computeDiffLines`) becomes an inline comment on that line, several on one line sharing a comment, at
 * most {@link MAX_INLINE_COMMENTS} lines; each says the check, the title, base → head and the details,
 * and a hyperparameter finding also lists the metrics that moved in the pull request. Every other
 * finding is listed in the body. Text from users' files is escaped.
 */
export function renderReview(
  report: Report,
  diffLines: ReadonlyMap<string, ReadonlySet<number>>,
  options: { heading: string; scope?: string; checkRunUrl?: string },
): RenderedReview {
  const inline = new Map<string, { path: string; line: number; findings: Finding[] }>();
  const elsewhere: Finding[] = [];
  for (const finding of sortFindings(report.findings)) {
    const location = finding.location;
    const onDiff =
      location?.line !== undefined &&
      location.side !== 'base' &&
      diffLines.get(location.path)?.has(location.line);
    const key = location ? `${location.path}\n${location.line ?? 0}` : '';
    const group = inline.get(key);
    if (onDiff && location?.line !== undefined && (group || inline.size < MAX_INLINE_COMMENTS)) {
      if (group) group.findings.push(finding);
      else inline.set(key, { path: location.path, line: location.line, findings: [finding] });
    } else {
      elsewhere.push(finding);
    }
  }
  const comments = [...inline.values()].map(({ path, line, findings }) => ({
    path,
    line,
    side: 'RIGHT' as const,
    body: renderInlineComment(findings, report),
  }));
  const content = renderBody(report, comments.length, elsewhere, options);
  // The key leaves out the link to the check run, which is new on every run: what matters is what the
  // review says about the report.
  const said = renderBody(report, comments.length, elsewhere, { heading: options.heading });
  const key = createHash('sha256').update(JSON.stringify({ said, comments })).digest('hex').slice(0, 16);
  return {
    body: `${renderReviewMarker({ ...optionalScope(options.scope), sha: report.head.sha, key })}\n${content}`,
    comments,
    key,
  };
}

/**
 * The hidden marker that starts the App's review bodies.
 * @example renderReviewMarker({ sha: 'ab…', key: '0123456789abcdef' }) // '<!-- tuneguard:review sha=ab… key=0123456789abcdef -->'
 */
export function renderReviewMarker(marker: ReviewMarker): string {
  const scope = marker.scope === undefined ? '' : ` scope=${marker.scope}`;
  return `<!-- tuneguard:review${scope} sha=${marker.sha} key=${marker.key} -->`;
}

/** Reads the marker of one of the App's review bodies; any other body gives `undefined`. */
export function parseReviewMarker(body: string): ReviewMarker | undefined {
  const match = MARKER.exec(body);
  if (!match?.[2] || !match[3]) return undefined;
  return { ...optionalScope(match[1]), sha: match[2], key: match[3] };
}

function optionalScope(scope: string | undefined): { scope?: string } {
  return scope === undefined ? {} : { scope };
}

function renderBody(
  report: Report,
  inlineCount: number,
  elsewhere: Finding[],
  options: { heading: string; checkRunUrl?: string },
): string {
  const counts = SEVERITY_ORDER.filter((severity) => report.counts[severity] > 0).map((severity) =>
    plural(report.counts[severity], severity),
  );
  const lines = [
    `### ${VERDICT_ICON[report.verdict]} ${escapeMarkdown(options.heading)}: ${counts.length > 0 ? counts.join(', ') : 'no problems found'}`,
    '',
  ];
  const where = options.checkRunUrl ? ` The [check run](${options.checkRunUrl}) has the full report.` : '';
  lines.push(
    inlineCount > 0
      ? `${plural(inlineCount, 'comment')} below on the changed lines the findings are about.${where}`
      : `No finding is about a line this pull request changes.${where}`,
  );
  if (elsewhere.length === 0) return `${lines.join('\n')}\n`;
  lines.push('', '**Not on a changed line**', '');
  const causes = groupByCause(elsewhere);
  let text = '';
  for (const perCause of LISTED_PER_CAUSE) {
    text = `${[...lines, ...renderCauses(causes, perCause)].join('\n')}\n`;
    if (text.length <= MAX_REVIEW_TEXT) return text;
  }
  // Only counts are left, a line per cause, and still too long: whole lines are cut, never a tag.
  return cutLines(text, MAX_REVIEW_TEXT);
}

/** The lines of `text` that fit in `max` characters, cut at a line's end. */
function cutLines(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, text.lastIndexOf('\n', max - 1) + 1);
}

/**
 * The findings of each cause in a line each, at most `perCause` of a cause and {@link MAX_BODY_FINDINGS}
 * in all, failures first; the others of a cause counted in one line.
 */
function renderCauses(causes: readonly Cause[], perCause: number): string[] {
  const lines: string[] = [];
  let listed = 0;
  for (const cause of causes) {
    const shown = cause.findings.slice(0, Math.max(0, Math.min(perCause, MAX_BODY_FINDINGS - listed)));
    listed += shown.length;
    lines.push(...shown.map(renderListedFinding));
    const more = cause.findings.length - shown.length;
    if (more > 0) {
      const what = `${escapeCode(cause.check)} ${nounFor(more, cause.severity)}`;
      lines.push(
        `- ${SEVERITY_ICON[cause.severity]} ${shown.length > 0 ? `and ${formatNumber(more)} more` : formatNumber(more)} ${what}, in the check run`,
      );
    }
  }
  return lines;
}

function renderListedFinding(finding: Finding): string {
  const parts = [
    `${SEVERITY_ICON[finding.severity]} ${escapeCode(finding.check)} ${escapeMarkdown(clip(finding.title, MAX_CLIP))}`,
  ];
  if (finding.location) {
    const place =
      finding.location.line === undefined
        ? finding.location.path
        : `${finding.location.path}:${finding.location.line}`;
    parts.push(`${escapeCode(clip(place, MAX_CLIP))}${finding.location.side === 'base' ? ' (base)' : ''}`);
  }
  const evidence = formatEvidence(finding.evidence);
  if (evidence) parts.push(escapeMarkdown(evidence));
  const lines = [`- ${parts.join(' · ')}`];
  if (finding.accepted) lines.push(`  - ✔️ ${renderAccepted(finding.accepted)}`);
  return lines.join('\n');
}

/**
 * The comment on one line: its findings, as many as fit in GitHub's limit, then how many more the check
 * run has; a finding alone too long for it shows no details.
 */
function renderInlineComment(findings: readonly Finding[], report: Report): string {
  const rendered = findings.map((finding) => renderInlineFinding(finding, report));
  for (let shown = rendered.length; shown > 0; shown -= 1) {
    const more = rendered.length - shown;
    const body = [
      REVIEW_COMMENT_MARKER,
      ...rendered.slice(0, shown),
      ...(more > 0 ? [`And ${plural(more, 'more finding')} on this line, in the check run.`] : []),
    ].join('\n\n');
    if (body.length <= MAX_REVIEW_TEXT) return body;
  }
  const [first] = findings as [Finding, ...Finding[]];
  const brief = { ...first, details: [] };
  return cutLines([REVIEW_COMMENT_MARKER, renderInlineFinding(brief, report)].join('\n\n'), MAX_REVIEW_TEXT);
}

function renderInlineFinding(finding: Finding, report: Report): string {
  const lines = [
    `${SEVERITY_ICON[finding.severity]} **${escapeCode(finding.check)}** ${escapeMarkdown(clip(finding.title, MAX_CLIP))}`,
  ];
  const evidence = formatEvidence(finding.evidence);
  if (evidence) lines.push(`**Base → head:** ${escapeMarkdown(evidence)}`);
  for (const detail of finding.details.slice(0, MAX_INLINE_DETAILS))
    lines.push(`- ${escapeMarkdown(clip(detail, MAX_CLIP))}`);
  if (finding.accepted) lines.push(`✔️ ${renderAccepted(finding.accepted)}`);
  if (finding.check.startsWith('params-')) lines.push('', renderRelatedMetrics(report));
  return lines.join('\n');
}

function renderAccepted(accepted: NonNullable<Finding['accepted']>): string {
  return `Accepted by @${escapeMarkdown(accepted.by)}: ${escapeMarkdown(clip(accepted.reason, MAX_CLIP))}`;
}

/** The metrics that moved in the pull request, most important first: what a hyperparameter change did. */
function renderRelatedMetrics(report: Report): string {
  const moved = report.metrics
    .filter((file) => file.status !== 'unchanged')
    .flatMap((file) => file.metrics)
    .filter((metric) => MOVED.includes(metric.change))
    .sort((a, b) => MOVED.indexOf(a.change) - MOVED.indexOf(b.change));
  if (moved.length === 0) {
    return report.metrics.length === 0
      ? '**Metrics:** no evaluation results were found to compare.'
      : '**Metrics:** no evaluation result moved in this pull request.';
  }
  const rows = moved.slice(0, MAX_RELATED_METRICS).map((metric) => {
    const delta =
      metric.delta ??
      (typeof metric.base === 'number' && typeof metric.head === 'number'
        ? metric.head - metric.base
        : undefined);
    const shown = (value: number | null | undefined) => (value === null ? 'not finite' : formatValue(value));
    return `| ${escapeCode(clip(metric.key, MAX_CLIP))} | ${shown(metric.base)} | ${shown(metric.head)} | ${delta === undefined ? '—' : `${delta > 0 ? '+' : ''}${formatValue(delta)}`} | ${metric.change} |`;
  });
  const more =
    moved.length > MAX_RELATED_METRICS
      ? `\n\n${plural(moved.length - MAX_RELATED_METRICS, 'more metric')} moved.`
      : '';
  return (
    [
      '**Metrics in this pull request**',
      '',
      '| Metric | Base | Head | Δ | Change |',
      '|---|---:|---:|---:|---|',
      ...rows,
    ].join('\n') + more
  );
}
