import type { TrainingProfile, TrainingReport } from '../model/report-schema.js';
import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import { plural } from '../text/plural.js';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import {
  ABSENT,
  countFiles,
  details,
  MAX_VALUE_CHARS,
  paragraphs,
  renderMoreFiles,
  renderStatus,
  table,
  type DetailLevel,
  type ShortFiles,
} from './markdown-parts.js';
import { renderLossChart } from './render-loss-chart.js';
import { renderRlRows } from './render-rl-rows.js';

/**
 * The Training section: for at most `level.files` logs, changed ones first, a table of base and head
 * (last step, losses, best eval, gap, trend, NaN steps, divergence, eval sets, spikes) and the train
 * and eval loss charts; the other logs, and those the report holds in short, in a line each.
 */
export function renderTrainingSection(
  training: TrainingReport[],
  short: ShortFiles,
  level: DetailLevel,
): string | undefined {
  const total = countFiles(training.length, short);
  if (total === 0) return undefined;
  const sorted = [
    ...training.filter((log) => log.status !== 'unchanged'),
    ...training.filter((log) => log.status === 'unchanged'),
  ];
  const shown = sorted.slice(0, level.files);
  const blocks = shown.map((log) =>
    paragraphs([
      [`${escapeCode(clip(log.path, MAX_VALUE_CHARS))} · ${renderStatus(log)}`],
      table(['', 'Base', 'Head'], ['---', '---:', '---:'], renderTrainingRows(log.base, log.head)),
      ...[
        renderLossChart(`Train loss - ${log.path}`, log.base?.trainCurve, log.head?.trainCurve),
        renderLossChart(`Eval loss - ${log.path}`, log.base?.evalCurve, log.head?.evalCurve),
      ].flatMap((chart) => (chart === undefined ? [] : [[chart]])),
    ]),
  );
  const extra = sorted.slice(shown.length).map((entry) => ({ kind: 'training-log' as const, entry }));
  return details(
    'Training',
    plural(total, 'log'),
    paragraphs([...blocks, ...renderMoreFiles(extra, short, level, blocks.length > 0)]),
  );
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
  const rl = renderRlRows(base, head, both);
  rows.unshift(...rl.first);
  rows.push(...rl.last);
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

function renderSteps(steps: number[]): string {
  const shown = steps.slice(0, 5).map(formatNumber).join(', ');
  return steps.length > 5 ? `${shown} and ${steps.length - 5} more` : shown;
}
