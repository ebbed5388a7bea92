/** One logged loss value. */
export interface LossPoint {
  step: number;
  value: number;
}

/** Most points a curve is drawn with: enough for the shape of a loss curve, few enough for the comment. */
export const MAX_CHART_POINTS = 30;

const BASE_COLOUR = { hex: '#1f77b4', swatch: '🟦', name: 'blue' } as const;
const HEAD_COLOUR = { hex: '#ff7f0e', swatch: '🟧', name: 'orange' } as const;

/**
 * A mermaid `xychart-beta` block with base and head loss curves (train and/or eval) resampled onto one
 * step axis; undefined when neither side has a curve.
 * The block is a fenced ` ```mermaid ` code block followed by a markdown legend line naming the colour of
 * each side. The x axis is numeric (`x-axis "step" FROM --> TO`, spanning every step either side logged),
 * so only a few step labels are drawn however many points there are; mermaid spreads a line's points
 * evenly over it, so both curves are drawn at evenly spaced steps: the logged steps themselves when they
 * are evenly spaced and at most {@link MAX_CHART_POINTS}, else {@link MAX_CHART_POINTS} steps resampled by
 * linear interpolation. A curve that starts later or ends earlier is held flat
 * beyond its ends (mermaid draws no gaps) and the legend says so. Non-finite values (a NaN loss) and
 * repeated steps (the last value wins) are dropped. Numbers are plain decimals (the grammar rejects
 * `1e-5`). The
 * title keeps only letters, digits, spaces and `_ . , : / ( ) -`, so nothing in it can reach mermaid's
 * grammar.
 * @example renderLossChart('Train loss', [{ step: 0, value: 2 }, { step: 10, value: 1 }], undefined)
 */
export function renderLossChart(
  title: string,
  base: LossPoint[] | undefined,
  head: LossPoint[] | undefined,
): string | undefined {
  const sides = [
    { label: 'base', colour: BASE_COLOUR, curve: cleanCurve(base) },
    { label: 'head', colour: HEAD_COLOUR, curve: cleanCurve(head) },
  ].filter((side): side is typeof side & { curve: LossPoint[] } => side.curve !== undefined);
  if (sides.length === 0) return undefined;

  const range = chartRange(sides.map((side) => side.curve));
  const steps = chartSteps(
    sides.flatMap((side) => side.curve.map((point) => point.step)),
    range,
  );
  const palette = sides.map((side) => side.colour.hex).join(', ');
  const init = JSON.stringify({ themeVariables: { xyChart: { plotColorPalette: palette } } });
  const safeTitle = sanitizeLabel(title) || 'Loss';
  const lines = [
    '```mermaid',
    `%%{init: ${init}}%%`,
    'xychart-beta',
    `    title "${safeTitle}"`,
    xAxis(steps),
    '    y-axis "loss"',
    ...sides.map(
      (side) => `    line [${steps.map((step) => plainNumber(interpolate(side.curve, step))).join(', ')}]`,
    ),
    '```',
    legend(sides, range),
  ];
  return lines.join('\n');
}

/** Sorted finite points, the last value kept for a repeated step; undefined when none remain. */
function cleanCurve(curve: LossPoint[] | undefined): LossPoint[] | undefined {
  const byStep = new Map<number, number>();
  for (const point of curve ?? []) {
    if (Number.isFinite(point.step) && Number.isFinite(point.value)) byStep.set(point.step, point.value);
  }
  if (byStep.size === 0) return undefined;
  return [...byStep].map(([step, value]) => ({ step, value })).sort((a, b) => a.step - b.step);
}

interface StepRange {
  from: number;
  to: number;
}

/** All steps either side logged, so that neither run's end (often where overfitting shows) is hidden. */
function chartRange(curves: LossPoint[][]): StepRange {
  return {
    from: Math.min(...curves.map((curve) => curve[0]?.step ?? 0)),
    to: Math.max(...curves.map((curve) => curve.at(-1)?.step ?? 0)),
  };
}

/**
 * The steps the curves are drawn at, evenly spaced over the range (mermaid spaces a line's points evenly):
 * the logged steps inside it when they already are and are few enough, else resampled ones.
 */
function chartSteps(logged: number[], range: StepRange): number[] {
  const inRange = [...new Set(logged.filter((step) => step >= range.from && step <= range.to))].sort(
    (a, b) => a - b,
  );
  if (inRange.length <= MAX_CHART_POINTS && isEvenlySpaced(inRange)) return inRange;
  return Array.from(
    { length: MAX_CHART_POINTS },
    (_, index) => range.from + ((range.to - range.from) * index) / (MAX_CHART_POINTS - 1),
  );
}

function isEvenlySpaced(steps: number[]): boolean {
  const gap = (steps[1] ?? 0) - (steps[0] ?? 0);
  return steps.every((step, index) => index === 0 || Math.abs(step - (steps[index - 1] ?? 0) - gap) < 1e-9);
}

/** A numeric axis from the first step to the last; a single step is one category. */
function xAxis(steps: number[]): string {
  const first = steps[0] ?? 0;
  const last = steps.at(-1) ?? first;
  if (steps.length < 2) return `    x-axis "step" [${plainNumber(first)}]`;
  return `    x-axis "step" ${plainNumber(first)} --> ${plainNumber(last)}`;
}

/** Linear interpolation of a sorted, non-empty curve at `step`; held flat beyond its ends. */
function interpolate(curve: LossPoint[], step: number): number {
  const first = curve[0];
  const last = curve.at(-1);
  if (first === undefined || last === undefined) return Number.NaN;
  if (step <= first.step) return first.value;
  if (step >= last.step) return last.value;
  let low = 0;
  let high = curve.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((curve[middle]?.step ?? 0) <= step) low = middle;
    else high = middle;
  }
  const left = curve[low] ?? first;
  const right = curve[high] ?? last;
  if (right.step === left.step) return right.value;
  return left.value + ((right.value - left.value) * (step - left.step)) / (right.step - left.step);
}

/** A number mermaid's xychart grammar accepts: plain decimal (it rejects `1e-5`), 4 significant digits. */
function plainNumber(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) < 1e-9) return '0';
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value))));
  const fixed = value.toFixed(Math.min(digits, 20));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

function sanitizeLabel(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[^A-Za-z0-9 _.,:/()-]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 80);
}

function legend(
  sides: { label: string; colour: { swatch: string; name: string }; curve: LossPoint[] }[],
  range: StepRange,
): string {
  const names = sides.map((side) => `${side.colour.swatch} ${side.label} (${side.colour.name})`);
  const partial = sides.flatMap((side) => {
    const first = side.curve[0]?.step ?? range.from;
    const last = side.curve.at(-1)?.step ?? range.to;
    if (first <= range.from && last >= range.to) return [];
    return [
      `${side.label} logged steps ${plainNumber(first)}–${plainNumber(last)} only, its line is flat beyond`,
    ];
  });
  return `<sub>${[...names, ...partial].join(' · ')}</sub>`;
}
