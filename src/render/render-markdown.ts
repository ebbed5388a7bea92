import type {
  DatasetProfile,
  ComparedWith,
  FileStatus,
  DatasetReport,
  Finding,
  MetricDiff,
  MetricsReport,
  ParamChange,
  ParamsReport,
  Report,
  Severity,
  TrainingProfile,
  TrainingReport,
  Unreadable,
  Verdict,
} from '../model/report-schema.js';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import { plural } from '../text/plural.js';
import { renderLossChart } from './render-loss-chart.js';
import { SEVERITY_ORDER, sortFindings } from './sort-findings.js';

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
}

const SEVERITY_ICON: Readonly<Record<Severity, string>> = { failure: '❌', warning: '⚠️', notice: 'ℹ️' };
const VERDICT_ICON: Readonly<Record<Verdict, string>> = { failure: '❌', warning: '⚠️', pass: '✅' };
const CHANGE_ORDER: readonly MetricDiff['change'][] = [
  'regressed',
  'removed',
  'incomparable',
  'improved',
  'noise',
  'added',
  'unchanged',
  'n/a',
];
const CHANGE_MARK: Readonly<Record<MetricDiff['change'], string>> = {
  regressed: '🔴 regressed',
  removed: '🔴 removed',
  improved: '🟢 improved',
  noise: 'within noise',
  incomparable: '⚪ not comparable',
  added: '🆕 added',
  unchanged: 'unchanged',
  'n/a': '—',
};
const DIRECTION_ARROW: Readonly<Record<MetricDiff['direction'], string>> = {
  higher: '↑',
  lower: '↓',
  unknown: '?',
};
/** Longest user value shown in a table cell or an evidence; longer ones end with `…`. */
const MAX_VALUE_CHARS = 120;
/** Rows of one metrics table; the rest (the least important, as rows are sorted) are counted, not shown. */
const MAX_METRIC_ROWS = 60;
const ABSENT = '—';

/**
 * Renders the report as GitHub-flavoured markdown for a pull-request comment: verdict line, findings
 * (failures, then warnings, then notices) and collapsible Data, Hyperparameters, Metrics, Training and
 * unreadable-file sections, empty ones omitted. All text from users' files goes through the escapers.
 * The result never exceeds `maxLength`: collapsible sections are dropped from the end first, then
 * findings from the end, and a closing line says the report was cut (linking `detailsUrl` when given).
 */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const requested = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const maxLength = Number.isNaN(requested) ? GITHUB_COMMENT_LIMIT : Math.max(0, Math.floor(requested));
  const detailsUrl = safeUrl(options.detailsUrl);
  const header = renderHeader(report, options);
  const findings = sortFindings(report.findings).map(renderFinding);
  const sections = [
    renderDataSection(report.datasets),
    renderParamsSection(report.params),
    renderMetricsSection(report.metrics),
    renderTrainingSection(report.training),
    renderUnreadableSection(report.unreadable),
  ].filter((section): section is string => section !== undefined);
  const footer = renderFooter(report, detailsUrl);

  const full = compose(header, findings, sections, [footer]);
  if (full.length <= maxLength) return full;

  for (let kept = sections.length - 1; kept >= 0; kept -= 1) {
    const notice = renderCutNotice(sections.length - kept, 0, maxLength, detailsUrl);
    const text = compose(header, findings, sections.slice(0, kept), [notice, footer]);
    if (text.length <= maxLength) return text;
  }
  // Fewer findings always give a shorter text, so the most that fit are found by bisection.
  const withFindings = (kept: number): string =>
    compose(
      header,
      findings.slice(0, kept),
      [],
      [renderCutNotice(sections.length, findings.length - kept, maxLength, detailsUrl), footer],
    );
  let low = 0;
  let high = findings.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (withFindings(middle).length <= maxLength) low = middle;
    else high = middle - 1;
  }
  const best = withFindings(low);
  if (best.length <= maxLength) return best;
  return hardCut(
    compose(header, [], [], []),
    renderCutNotice(sections.length, findings.length, maxLength, detailsUrl),
    maxLength,
  );
}

function compose(header: string[], findings: string[], sections: string[], closing: string[]): string {
  const blocks = [header.join('\n')];
  if (findings.length > 0) blocks.push(findings.join('\n'));
  blocks.push(...sections, ...closing);
  return blocks.join('\n\n') + '\n';
}

// -- header, findings, footer ---------------------------------------------------------------------------

function renderHeader(report: Report, options: MarkdownOptions): string[] {
  const lines: string[] = [];
  if (options.marker !== undefined) lines.push(renderMarker(options.marker));
  const name = escapeMarkdown(options.heading ?? 'tuneguard');
  lines.push(`### ${VERDICT_ICON[report.verdict]} ${name}: ${renderCounts(report)}`);
  lines.push(`**Base** ${renderCommit(report.base)} → **head** ${renderCommit(report.head)}`);
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

function renderAllClear(report: Report): string {
  const compared = [
    countOf(report.datasets.length, 'dataset'),
    countOf(report.params.length, 'hyperparameter file'),
    countOf(report.metrics.length, 'metrics file'),
    countOf(report.training.length, 'training log'),
  ].filter((part): part is string => part !== undefined);
  const scope =
    compared.length > 0
      ? `compared ${joinWords(compared)}`
      : 'no dataset, hyperparameter, metrics or training-log file was found to compare';
  return `✅ Nothing tuneguard tracks looks wrong: ${scope}.`;
}

function renderFinding(finding: Finding): string {
  const parts = [
    `${SEVERITY_ICON[finding.severity]} ${escapeCode(finding.check)} ${escapeMarkdown(finding.title)}`,
  ];
  if (finding.location) parts.push(renderLocation(finding.location));
  const evidence = renderEvidence(finding.evidence);
  if (evidence) parts.push(evidence);
  const lines = [`- ${parts.join(' · ')}`];
  for (const detail of finding.details) lines.push(`  - ${escapeMarkdown(clip(detail, 500))}`);
  if (finding.accepted) {
    lines.push(
      `  - ✔️ Accepted by ${escapeMarkdown(finding.accepted.by)}: ${escapeMarkdown(clip(finding.accepted.reason, 500))}`,
    );
  }
  return lines.join('\n');
}

function renderLocation(location: NonNullable<Finding['location']>): string {
  const place = location.line === undefined ? location.path : `${location.path}:${location.line}`;
  return escapeCode(clip(place, MAX_VALUE_CHARS)) + (location.side === 'base' ? ' (base)' : '');
}

function renderEvidence(evidence: Finding['evidence']): string | undefined {
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

// -- sections -------------------------------------------------------------------------------------------

function details(title: string, summary: string, body: string[]): string {
  return [`<details><summary><b>${title}</b> · ${summary}</summary>`, '', ...body, '', '</details>'].join(
    '\n',
  );
}

function table(headers: string[], align: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `|${align.join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function renderDataSection(datasets: DatasetReport[]): string | undefined {
  if (datasets.length === 0) return undefined;
  const rows = datasets.map((dataset) => {
    const { base, head } = dataset;
    const sum = (profile: DatasetProfile | undefined): number | undefined =>
      profile?.fields.reduce((total, field) => total + field.empty + field.missing, 0);
    const tokens = (profile: DatasetProfile | undefined): number[] | undefined =>
      profile?.tokens && [profile.tokens.p50, profile.tokens.p90];
    return [
      escapeCode(clip(dataset.path, MAX_VALUE_CHARS)),
      escapeMarkdown(clip(dataset.split, MAX_VALUE_CHARS)),
      renderStatus(dataset),
      renderCountChange(base?.rows, head?.rows),
      renderPair(base?.duplicateRows, head?.duplicateRows),
      renderPair(sum(base), sum(head)),
      renderPair(tokens(base), tokens(head)),
      renderPair(base?.malformedRows, head?.malformedRows),
    ];
  });
  return details('Data', plural(datasets.length, 'file'), [
    ...table(
      [
        'File',
        'Split',
        'Status',
        'Rows',
        'Duplicates',
        'Empty or missing values',
        'Tokens p50 / p90',
        'Malformed rows',
      ],
      ['---', '---', '---', '---:', '---:', '---:', '---:', '---:'],
      rows,
    ),
  ]);
}

function renderParamsSection(params: ParamsReport[]): string | undefined {
  if (params.length === 0) return undefined;
  const changes = params.reduce((total, file) => total + file.changes.length, 0);
  const body: string[] = [];
  for (const file of params) {
    if (body.length > 0) body.push('');
    body.push(`${escapeCode(clip(file.path, MAX_VALUE_CHARS))} · ${renderStatus(file)} · ${file.format}`);
    const batch = renderEffectiveBatch(file);
    if (batch) body.push('', batch);
    body.push('');
    if (file.changes.length === 0) {
      body.push('No hyperparameter changed.');
      continue;
    }
    body.push(...table(['Key', 'Base', 'Head'], ['---', '---', '---'], file.changes.map(renderParamRow)));
  }
  return details('Hyperparameters', `${plural(params.length, 'file')}, ${plural(changes, 'change')}`, body);
}

function renderParamRow(change: ParamChange): string[] {
  const key =
    change.kind === 'renamed' && change.baseKey !== undefined
      ? `${escapeCode(clip(change.baseKey, MAX_VALUE_CHARS))} → ${escapeCode(clip(change.key, MAX_VALUE_CHARS))}`
      : escapeCode(clip(change.key, MAX_VALUE_CHARS));
  const canonical =
    change.canonical !== undefined && change.canonical !== change.key
      ? ` (${escapeCode(clip(change.canonical, MAX_VALUE_CHARS))})`
      : '';
  const line = change.line === undefined ? '' : ` · line ${change.line}`;
  return [`${key}${canonical}${line}`, renderParamValue(change.base), renderParamValue(change.head)];
}

function renderParamValue(value: unknown): string {
  if (value === undefined) return ABSENT;
  // Hyperparameters are shown exactly: rounding could make a changed learning rate look unchanged.
  if (typeof value === 'string') return escapeCode(clip(value, MAX_VALUE_CHARS));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return escapeCode(String(value));
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    // A value JSON cannot write (a cycle) cannot come from a parsed file; say what it is rather than fail.
    text = typeof value;
  }
  return escapeCode(clip(text, MAX_VALUE_CHARS));
}

function renderEffectiveBatch(file: ParamsReport): string | undefined {
  const base = file.derived.base.effectiveBatchSize;
  const head = file.derived.head.effectiveBatchSize;
  if (base === undefined && head === undefined) return undefined;
  const note = file.derived.head.effectiveBatchNote ?? file.derived.base.effectiveBatchNote;
  const explained = note === undefined ? '' : ` (${escapeMarkdown(clip(note, 300))})`;
  return `Effective batch size: ${renderCountChange(base, head)}${explained}`;
}

function renderMetricsSection(metrics: MetricsReport[]): string | undefined {
  if (metrics.length === 0) return undefined;
  const regressed = metrics.reduce(
    (total, file) => total + file.metrics.filter((metric) => metric.change === 'regressed').length,
    0,
  );
  const body: string[] = [];
  for (const file of metrics) {
    if (body.length > 0) body.push('');
    body.push(
      `${escapeCode(clip(file.path, MAX_VALUE_CHARS))} · ${renderStatus(file)} · ${escapeMarkdown(clip(file.format, MAX_VALUE_CHARS))}`,
      '',
    );
    if (file.metrics.length === 0) {
      body.push('No metric found.');
      continue;
    }
    if (file.status === 'unchanged') {
      // The same bytes on both sides: a table of zero deltas would only hide the files that moved.
      body.push(`${plural(file.metrics.length, 'metric')}, identical on base and head.`);
      continue;
    }
    const sorted = file.metrics
      .map((metric, index) => ({ metric, index }))
      .sort(
        (a, b) =>
          CHANGE_ORDER.indexOf(a.metric.change) - CHANGE_ORDER.indexOf(b.metric.change) || a.index - b.index,
      )
      .map(({ metric }) => metric);
    const shown = sorted.slice(0, MAX_METRIC_ROWS);
    body.push(
      ...table(
        ['Task', 'Metric', 'Base', 'Head', 'Δ', 'Better', 'Change'],
        ['---', '---', '---:', '---:', '---:', ':-:', '---'],
        shown.map(renderMetricRow),
      ),
    );
    if (sorted.length > shown.length) {
      body.push(
        '',
        `${plural(sorted.length - shown.length, 'more metric')} not shown (unchanged or not comparable).`,
      );
    }
  }
  const summary = `${plural(metrics.length, 'file')}, ${regressed === 1 ? '1 regression' : `${regressed} regressions`}`;
  return details('Metrics', summary, body);
}

function renderMetricRow(metric: MetricDiff): string[] {
  const value = (number: number | null | undefined, stderr: number | undefined): string => {
    if (number === undefined) return ABSENT;
    if (number === null) return 'not finite';
    return stderr === undefined ? formatNumber(number) : `${formatNumber(number)} ± ${formatNumber(stderr)}`;
  };
  const { base, head } = metric;
  const delta =
    metric.delta ?? (typeof base === 'number' && typeof head === 'number' ? head - base : undefined);
  return [
    escapeCode(clip(metric.task, MAX_VALUE_CHARS)),
    escapeCode(clip(metric.metric, MAX_VALUE_CHARS)),
    value(base, metric.baseStderr),
    value(head, metric.headStderr),
    delta === undefined ? ABSENT : formatDelta(delta),
    DIRECTION_ARROW[metric.direction],
    CHANGE_MARK[metric.change],
  ];
}

function renderTrainingSection(training: TrainingReport[]): string | undefined {
  if (training.length === 0) return undefined;
  const body: string[] = [];
  for (const log of training) {
    if (body.length > 0) body.push('');
    body.push(`${escapeCode(clip(log.path, MAX_VALUE_CHARS))} · ${renderStatus(log)}`, '');
    body.push(
      ...table(['', 'Base', 'Head'], ['---', '---:', '---:'], renderTrainingRows(log.base, log.head)),
    );
    const charts = [
      renderLossChart(`Train loss - ${log.path}`, log.base?.trainCurve, log.head?.trainCurve),
      renderLossChart(`Eval loss - ${log.path}`, log.base?.evalCurve, log.head?.evalCurve),
    ].filter((chart): chart is string => chart !== undefined);
    for (const chart of charts) body.push('', chart);
  }
  return details('Training', plural(training.length, 'log'), body);
}

function renderTrainingRows(
  base: TrainingProfile | undefined,
  head: TrainingProfile | undefined,
): string[][] {
  const number = (value: number | undefined): string => (value === undefined ? ABSENT : formatNumber(value));
  const both = (render: (profile: TrainingProfile) => string): [string, string] => [
    base ? render(base) : ABSENT,
    head ? render(head) : ABSENT,
  ];
  const rows: [string, string, string][] = [
    ['Last step', ...both((p) => number(p.lastStep))],
    ['Final train loss', ...both((p) => number(p.finalTrainLoss))],
    ['Final eval loss', ...both((p) => number(p.finalEvalLoss))],
    [
      'Best eval loss (step)',
      ...both((p) =>
        p.bestEvalLoss === undefined
          ? ABSENT
          : `${number(p.bestEvalLoss)}${p.bestEvalStep === undefined ? '' : ` (${number(p.bestEvalStep)})`}`,
      ),
    ],
    ['Eval − train gap', ...both((p) => number(p.gap))],
    [
      'Eval loss trend',
      ...both((p) =>
        p.risingEvals > 0 ? `${p.evalTrend}, ${plural(p.risingEvals, 'rising eval')}` : p.evalTrend,
      ),
    ],
  ];
  if (base?.epochs !== undefined || head?.epochs !== undefined) {
    rows.splice(1, 0, ['Epochs', ...both((p) => number(p.epochs))]);
  }
  if ((base?.nanSteps.length ?? 0) > 0 || (head?.nanSteps.length ?? 0) > 0) {
    rows.push([
      'Steps with NaN loss',
      ...both((p) => (p.nanSteps.length > 0 ? renderSteps(p.nanSteps) : 'none')),
    ]);
  }
  if (base?.diverged || head?.diverged) {
    rows.push([
      'Diverged',
      ...both((p) =>
        p.diverged
          ? `yes${p.divergenceNote ? `: ${escapeMarkdown(clip(p.divergenceNote, 200))}` : ''}`
          : 'no',
      ),
    ]);
  }
  if ((base?.evalSets.length ?? 0) > 1 || (head?.evalSets.length ?? 0) > 1) {
    rows.push([
      'Eval sets',
      ...both((p) =>
        p.evalSets.length > 0
          ? p.evalSets.map((set) => escapeCode(clip(set === '' ? 'eval' : set, 40))).join(', ')
          : ABSENT,
      ),
    ]);
    rows.push(...renderEvalSetRows(base, head, both));
  }
  if ((base?.spikes.length ?? 0) > 0 || (head?.spikes.length ?? 0) > 0) {
    rows.push([
      'Loss spikes',
      ...both((p) =>
        p.spikes.length > 0
          ? `${p.spikes.length} (at step ${renderSteps(p.spikes.map((spike) => spike.step))})`
          : 'none',
      ),
    ]);
  }
  return rows;
}

/** One row per named eval set: final (best @ step), gap — overfitting often shows on one set first. */
function renderEvalSetRows(
  base: TrainingProfile | undefined,
  head: TrainingProfile | undefined,
  both: (render: (profile: TrainingProfile) => string) => [string, string],
): [string, string, string][] {
  const rows: [string, string, string][] = [];
  const names = [
    ...new Set([...(base?.evalSetSummaries ?? []), ...(head?.evalSetSummaries ?? [])].map((s) => s.name)),
  ];
  for (const name of names.slice(0, 10)) {
    const render = (p: TrainingProfile): string => {
      const set = p.evalSetSummaries.find((s) => s.name === name);
      if (!set) return ABSENT;
      const gap = set.gap === undefined ? '' : `, gap ${formatNumber(set.gap)}`;
      return `${formatNumber(set.finalLoss)} (best ${formatNumber(set.bestLoss)} @${formatNumber(set.bestStep)}${gap})`;
    };
    rows.push([`Eval loss ${escapeCode(clip(name === '' ? 'eval' : name, 40))}`, ...both(render)]);
  }
  return rows;
}

/**
 * A file's status, and the base file it was compared with when its path changed:
 * `modified, renamed from data/old.jsonl (87% alike)` or `modified, a newer run than results_….json`.
 */
function renderStatus(file: { status: FileStatus; comparedWith?: ComparedWith | undefined }): string {
  const pairing = file.comparedWith;
  if (!pairing) return file.status;
  const from = escapeCode(clip(pairing.path, MAX_VALUE_CHARS));
  if (pairing.reason === 'newer-run') return `${file.status}, a newer run than ${from}`;
  const alike = pairing.similarity === undefined ? '' : ` (${Math.round(pairing.similarity * 100)}% alike)`;
  return `${file.status}, renamed from ${from}${alike}`;
}

function renderSteps(steps: number[]): string {
  const shown = steps.slice(0, 5).map(formatNumber).join(', ');
  return steps.length > 5 ? `${shown} and ${steps.length - 5} more` : shown;
}

function renderUnreadableSection(unreadable: Unreadable[]): string | undefined {
  if (unreadable.length === 0) return undefined;
  const rows = unreadable.map((file) => [
    escapeCode(clip(file.path, MAX_VALUE_CHARS)),
    file.side,
    file.line === undefined ? ABSENT : String(file.line),
    escapeMarkdown(clip(file.reason, 300)),
  ]);
  return details('Files that could not be read', String(unreadable.length), [
    ...table(['File', 'Side', 'Line', 'Reason'], ['---', '---', '---:', '---'], rows),
  ]);
}

// -- values ---------------------------------------------------------------------------------------------

/** `a → b`, or just `a` when both sides are the same; `—` stands for a missing side. */
function renderPair(base: number | number[] | undefined, head: number | number[] | undefined): string {
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
function renderCountChange(base: number | undefined, head: number | undefined): string {
  const pair = renderPair(base, head);
  if (base === undefined || head === undefined || base === head) return pair;
  const percent = base === 0 ? '' : `, ${formatChangePercent(((head - base) / Math.abs(base)) * 100)}`;
  return `${pair} (${formatDelta(head - base)}${percent})`;
}

function formatDelta(delta: number): string {
  return delta > 0 ? `+${formatNumber(delta)}` : formatNumber(delta);
}

function formatChangePercent(percent: number): string {
  const text = percent.toFixed(1);
  return percent > 0 ? `+${text}%` : `${text}%`;
}

// -- words ----------------------------------------------------------------------------------------------

function countOf(count: number, noun: string): string | undefined {
  return count > 0 ? plural(count, noun) : undefined;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** The URL when it is http(s), percent-encoded so it cannot end a markdown link early; else undefined. */
function safeUrl(url: string | undefined): string | undefined {
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
