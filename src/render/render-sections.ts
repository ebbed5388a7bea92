import type {
  DatasetProfile,
  DatasetReport,
  FileStatus,
  MetricDiff,
  MetricsReport,
  ParamChange,
  ParamsReport,
  Report,
  ReportedKind,
  Unreadable,
} from '../model/report-schema.js';
import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import { plural } from '../text/plural.js';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import {
  ABSENT,
  CHANGE_ORDER,
  countFiles,
  details,
  formatDelta,
  MAX_VALUE_CHARS,
  paragraphs,
  renderCountChange,
  renderMoreFiles,
  renderPair,
  renderStatus,
  table,
  type DetailLevel,
  type ShortFiles,
} from './markdown-parts.js';
import { renderNotReviewed } from './render-not-reviewed.js';
import { renderTrainingSection } from './render-training.js';

const CHANGE_MARK: Readonly<Record<MetricDiff['change'], string>> = {
  regressed: '🔴 regressed',
  removed: '🔴 removed',
  improved: '🟢 improved',
  noise: 'within noise',
  inconclusive: '❔ inconclusive',
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

/**
 * The collapsible Data, Hyperparameters, Metrics, Training, unreadable-file and not-reviewed sections,
 * empty ones left out. Each shows at most `level.files` files in full (for Data and unreadable files, `level.rows`
 * rows of a table), changed files first; the others, and those the report holds in short to keep within
 * its size budget, are named in a line each, at most `level.rows`, and the rest counted by status.
 */
export function renderSections(report: Report, level: DetailLevel): string[] {
  const short = (kind: ReportedKind): ShortFiles => ({
    lines: report.summarised?.artifacts.filter((line) => line.kind === kind) ?? [],
    counted: report.summarised?.counted.filter((count) => count.kind === kind) ?? [],
  });
  return [
    renderDataSection(report.datasets, short('dataset'), level),
    renderParamsSection(report.params, short('params'), level),
    renderMetricsSection(report.metrics, short('metrics'), level),
    renderTrainingSection(report.training, short('training-log'), level),
    renderUnreadableSection(report.unreadable, level),
    renderNotReviewed(report.notReviewed, level),
  ].filter((section): section is string => section !== undefined);
}

/** Changes that say nothing moved: what a cut table leaves out first. */
const QUIET_CHANGES: readonly MetricDiff['change'][] = ['unchanged', 'incomparable', 'n/a'];

/** Changed files first, in their report order otherwise. */
function changedFirst<T extends { status: FileStatus }>(files: readonly T[]): T[] {
  return [
    ...files.filter((file) => file.status !== 'unchanged'),
    ...files.filter((file) => file.status === 'unchanged'),
  ];
}

function renderDataSection(
  datasets: DatasetReport[],
  short: ShortFiles,
  level: DetailLevel,
): string | undefined {
  const total = countFiles(datasets.length, short);
  if (total === 0) return undefined;
  const sorted = changedFirst(datasets);
  const shown = sorted.slice(0, level.rows);
  const rows = shown.map((dataset) => {
    const { base, head } = dataset;
    const sum = (profile: DatasetProfile | undefined): number | undefined =>
      profile?.fields.reduce((count, field) => count + field.empty + field.missing, 0);
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
  const headers = [
    'File',
    'Split',
    'Status',
    'Rows',
    'Duplicates',
    'Empty or missing values',
    'Tokens p50 / p90',
    'Malformed rows',
  ];
  const align = ['---', '---', '---', '---:', '---:', '---:', '---:', '---:'];
  const extra = sorted.slice(shown.length).map((entry) => ({ kind: 'dataset' as const, entry }));
  return details(
    'Data',
    plural(total, 'file'),
    paragraphs([
      rows.length > 0 ? table(headers, align, rows) : [],
      ...renderMoreFiles(extra, short, level, rows.length > 0),
    ]),
  );
}

function renderParamsSection(
  params: ParamsReport[],
  short: ShortFiles,
  level: DetailLevel,
): string | undefined {
  const total = countFiles(params.length, short);
  if (total === 0) return undefined;
  const changes =
    params.reduce((sum, file) => sum + file.changes.length, 0) +
    short.lines.reduce((sum, line) => sum + (line.changes ?? 0), 0);
  const sorted = [
    ...params.filter((file) => file.changes.length > 0),
    ...params.filter((file) => file.changes.length === 0),
  ];
  const shown = sorted.slice(0, level.files);
  const blocks = shown.map((file) => {
    const rows = file.changes.slice(0, level.rows);
    const batch = renderEffectiveBatch(file);
    return paragraphs([
      [`${escapeCode(clip(file.path, MAX_VALUE_CHARS))} · ${renderStatus(file)} · ${file.format}`],
      batch === undefined ? [] : [batch],
      rows.length === 0
        ? ['No hyperparameter changed.']
        : table(['Key', 'Base', 'Head'], ['---', '---', '---'], rows.map(renderParamRow)),
      file.changes.length > rows.length
        ? [`${plural(file.changes.length - rows.length, 'more change')} not shown.`]
        : [],
    ]);
  });
  const extra = sorted.slice(shown.length).map((entry) => ({ kind: 'params' as const, entry }));
  return details(
    'Hyperparameters',
    `${plural(total, 'file')}, ${plural(changes, 'change')}`,
    paragraphs([...blocks, ...renderMoreFiles(extra, short, level, blocks.length > 0)]),
  );
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

function renderMetricsSection(
  metrics: MetricsReport[],
  short: ShortFiles,
  level: DetailLevel,
): string | undefined {
  const total = countFiles(metrics.length, short);
  if (total === 0) return undefined;
  const regressions = (file: MetricsReport): number =>
    file.metrics.filter((metric) => metric.change === 'regressed').length;
  const regressed =
    metrics.reduce((sum, file) => sum + regressions(file), 0) +
    short.lines.reduce((sum, line) => sum + (line.metrics?.regressed ?? 0), 0);
  const sorted = changedFirst(metrics);
  const shown = sorted.slice(0, level.files);
  const blocks = shown.map((file) =>
    paragraphs([
      [
        `${escapeCode(clip(file.path, MAX_VALUE_CHARS))} · ${renderStatus(file)} · ${escapeMarkdown(clip(file.format, MAX_VALUE_CHARS))}${renderRepeats(file)}`,
      ],
      ...renderMetricsTable(file, level),
    ]),
  );
  const extra = sorted.slice(shown.length).map((entry) => ({ kind: 'metrics' as const, entry }));
  const summary = `${plural(total, 'file')}, ${regressed === 1 ? '1 regression' : `${formatNumber(regressed)} regressions`}`;
  return details(
    'Metrics',
    summary,
    paragraphs([...blocks, ...renderMoreFiles(extra, short, level, blocks.length > 0)]),
  );
}

/** A metrics file's table, regressions first, at most `level.rows` rows; or one line when there is none. */
function renderMetricsTable(file: MetricsReport, level: DetailLevel): string[][] {
  if (file.metrics.length === 0) return [['No metric found.']];
  if (file.status === 'unchanged') {
    // The same bytes on both sides: a table of zero deltas would only hide the files that moved.
    return [[`${plural(file.metrics.length, 'metric')}, identical on base and head.`]];
  }
  const sorted = file.metrics
    .map((metric, index) => ({ metric, index }))
    .sort(
      (a, b) =>
        CHANGE_ORDER.indexOf(a.metric.change) - CHANGE_ORDER.indexOf(b.metric.change) || a.index - b.index,
    )
    .map(({ metric }) => metric);
  const shown = sorted.slice(0, level.rows);
  const hidden = sorted.slice(shown.length);
  const quiet = hidden.every((metric) => QUIET_CHANGES.includes(metric.change));
  return [
    table(
      ['Task', 'Metric', 'Base', 'Head', 'Δ', 'Better', 'Change'],
      ['---', '---', '---:', '---:', '---:', ':-:', '---'],
      shown.map(renderMetricRow),
    ),
    hidden.length > 0
      ? [`${plural(hidden.length, 'more metric')} not shown${quiet ? ' (unchanged or not comparable)' : ''}.`]
      : [],
  ];
}

function renderMetricRow(metric: MetricDiff): string[] {
  const value = (number: number | null | undefined, stderr: number | undefined): string => {
    if (number === undefined) return ABSENT;
    if (number === null) return 'not finite';
    return stderr === undefined ? formatNumber(number) : `${formatNumber(number)} ± ${formatNumber(stderr)}`;
  };
  // A text metric's value is the user's text: shown as code, clipped.
  const text = (shown: string | undefined): string | undefined =>
    shown === undefined ? undefined : escapeCode(clip(shown, MAX_VALUE_CHARS));
  const { base, head } = metric;
  const delta =
    metric.delta ?? (typeof base === 'number' && typeof head === 'number' ? head - base : undefined);
  return [
    escapeCode(clip(metric.task, MAX_VALUE_CHARS)),
    escapeCode(clip(metric.metric, MAX_VALUE_CHARS)),
    text(metric.baseText) ?? value(base, metric.baseStderr),
    text(metric.headText) ?? value(head, metric.headStderr),
    delta === undefined ? ABSENT : formatDelta(delta),
    DIRECTION_ARROW[metric.direction],
    CHANGE_MARK[metric.change],
  ];
}

function renderUnreadableSection(unreadable: Unreadable[], level: DetailLevel): string | undefined {
  if (unreadable.length === 0) return undefined;
  const shown = unreadable.slice(0, level.rows);
  const rows = shown.map((file) => [
    escapeCode(clip(file.path, MAX_VALUE_CHARS)),
    file.side,
    file.line === undefined ? ABSENT : String(file.line),
    escapeMarkdown(clip(file.reason, 300)),
  ]);
  const hidden = unreadable.length - shown.length;
  return details(
    'Files that could not be read',
    formatNumber(unreadable.length),
    paragraphs([
      table(['File', 'Side', 'Line', 'Reason'], ['---', '---', '---:', '---'], rows),
      hidden > 0 ? [`${plural(hidden, 'more file')} could not be read; the full report lists them.`] : [],
    ]),
  );
}

/** ` · 3 runs with other seeds pooled on head, 1 on base` for a results file whose repeats were pooled. */
function renderRepeats(file: MetricsReport): string {
  const { repeats } = file;
  if (!repeats) return '';
  return ` · ${plural(repeats.head.length, 'run')} with other seeds pooled on head, ${repeats.base.length} on base`;
}
