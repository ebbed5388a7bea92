import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JSDOM } from 'jsdom';
import type { Mermaid } from 'mermaid';
import { MAX_CHART_POINTS, renderLossChart } from '../../src/render/render-loss-chart.js';
import type { LossPoint } from '../../src/render/render-loss-chart.js';
import { buildSampleReport } from '../helpers/sample-report.js';

// Mermaid's DOMPurify needs a window at import time, so the jsdom globals come before the dynamic import.
// The window is closed after the tests: otherwise jest's globals cleanup walks it and recurses forever.
const dom = new JSDOM('');
let mermaid: Mermaid;

beforeAll(async () => {
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import('mermaid')).default;
});

afterAll(() => {
  dom.window.close();
});

/** The text between the ```mermaid fence and its closing fence. */
function chartBody(block: string): string {
  const match = /^```mermaid\n([\s\S]*?)\n```$/m.exec(block);
  if (!match?.[1]) throw new Error(`no mermaid block in:\n${block}`);
  return match[1];
}

/**
 * The chart's series: its lines, its title and the step of each point. A numeric axis `FROM --> TO`
 * spreads a line's points evenly (mermaid's rule), so point i of n sits at FROM + (TO - FROM) * i / (n - 1);
 * a one-point chart has a single category instead.
 */
function seriesOf(body: string): { axis: string; steps: number[]; lines: number[][]; title: string } {
  const lines = [...body.matchAll(/^ {4}line \[([^\]]*)\]$/gm)].map((line) =>
    (line[1] ?? '').split(', ').map(Number),
  );
  const title = /title "([^"]*)"/.exec(body)?.[1] ?? '';
  const axis = /^ {4}x-axis "step" (.*)$/m.exec(body)?.[1] ?? '';
  const range = /^(-?[\d.]+) --> (-?[\d.]+)$/.exec(axis);
  const count = lines[0]?.length ?? 0;
  const steps = range
    ? Array.from(
        { length: count },
        (_, i) => Number(range[1]) + ((Number(range[2]) - Number(range[1])) * i) / (count - 1),
      )
    : (/^\[([^\]]*)\]$/.exec(axis)?.[1]?.split(', ').map(Number) ?? []);
  return { axis, steps, lines, title };
}

/** The value of a polyline at `step`, flat beyond its ends: the test's own reading of a curve. */
function valueAt(curve: LossPoint[], step: number): number {
  const first = curve[0] as LossPoint;
  const last = curve.at(-1) as LossPoint;
  if (step <= first.step) return first.value;
  if (step >= last.step) return last.value;
  const right = curve.findIndex((point) => point.step >= step);
  const a = curve[right - 1] as LossPoint;
  const b = curve[right] as LossPoint;
  return a.value + ((b.value - a.value) * (step - a.step)) / (b.step - a.step);
}

/** Rounds like the chart: 4 significant digits. */
const sig4 = (value: number): number => Number(value.toPrecision(4));

const sample = buildSampleReport();
const sampleLog = sample.training[0];

describe('renderLossChart', () => {
  it.each([
    ['both sides absent', undefined, undefined],
    ['both curves empty', [], []],
    [
      'only non-finite losses',
      [{ step: 1, value: Number.NaN }],
      [{ step: 2, value: Number.POSITIVE_INFINITY }],
    ],
  ])('gives undefined for %s', (_name, base, head) => {
    expect(renderLossChart('Train loss', base, head)).toBeUndefined();
  });

  it('draws the sample train curves over a numeric step axis, base held flat after its last step', async () => {
    const chart = renderLossChart(
      'Train loss - outputs/trainer_state.json',
      sampleLog?.base?.trainCurve,
      sampleLog?.head?.trainCurve,
    );
    const body = chartBody(chart ?? '');
    await expect(mermaid.parse(body)).resolves.toMatchObject({ diagramType: 'xychart' });

    // The fixture logs steps 10, 100, 200, …, 2900 (30 steps, not evenly spaced: 10 then 100), so the
    // curves are drawn at 30 evenly spaced steps from 10 to 2900; base stops at 1900 with loss 0.4685.
    const headCurve = sampleLog?.head?.trainCurve ?? [];
    const baseCurve = sampleLog?.base?.trainCurve ?? [];
    const { axis, steps, lines } = seriesOf(body);
    expect(axis).toBe('10 --> 2900');
    expect(steps).toHaveLength(MAX_CHART_POINTS);
    lines[1]?.forEach((value, i) => expect(value).toBeCloseTo(sig4(valueAt(headCurve, steps[i] ?? 0)), 3));
    lines[0]?.forEach((value, i) => expect(value).toBeCloseTo(sig4(valueAt(baseCurve, steps[i] ?? 0)), 3));
    expect(lines[0]?.filter((_, i) => (steps[i] ?? 0) >= 1900).every((value) => value === 0.4685)).toBe(true);
    expect(chart).toContain('base logged steps 10–1900 only');
  });

  it('labels a long run with a handful of step ticks, not one label a point', async () => {
    // Steps 1 … 12,030 logged every 10: on a categorical axis 30 five-digit labels overlap at comment width.
    const curve = Array.from({ length: 1204 }, (_, i) => ({ step: 1 + i * 10, value: 2 / (1 + i) }));
    const body = chartBody(renderLossChart('Train loss', curve, undefined) ?? '');
    await expect(mermaid.parse(body)).resolves.toMatchObject({ diagramType: 'xychart' });
    expect(seriesOf(body).axis).toBe('1 --> 12031');
    expect(body).not.toMatch(/x-axis "step" \[/);
  });

  it('sets two different colours and names them in the legend under the chart', async () => {
    const chart = renderLossChart('Eval loss', sampleLog?.base?.evalCurve, sampleLog?.head?.evalCurve) ?? '';
    const parsed = await mermaid.parse(chartBody(chart));
    const palette = (parsed as { config?: { themeVariables?: { xyChart?: { plotColorPalette?: string } } } })
      .config?.themeVariables?.xyChart?.plotColorPalette;
    expect(palette).toBe('#1f77b4, #ff7f0e');
    const legend = chart.split('\n').at(-1) ?? '';
    expect(legend).toMatch(/^<sub>🟦 base \(blue\) · 🟧 head \(orange\)/);
  });

  it('colours a lone head curve as head', async () => {
    // qlora-diverging_trainer_state.json: `loss` at steps 10…100, diverging from 0.9974 to 29.559.
    const diverging = [
      0.9974, 4.3459, 8.8061, 13.5352, 15.6576, 15.0001, 18.7846, 20.8277, 25.5949, 29.559,
    ].map((value, index) => ({ step: (index + 1) * 10, value }));
    const chart = renderLossChart('Train loss', undefined, diverging) ?? '';
    const body = chartBody(chart);
    await expect(mermaid.parse(body)).resolves.toMatchObject({ diagramType: 'xychart' });
    expect(body).toContain('"plotColorPalette":"#ff7f0e"');
    expect(seriesOf(body).lines).toEqual([
      [0.9974, 4.346, 8.806, 13.54, 15.66, 15, 18.78, 20.83, 25.59, 29.56],
    ]);
    expect(chart).toMatch(/<sub>🟧 head \(orange\)<\/sub>$/);
  });

  it(`resamples long curves onto at most ${MAX_CHART_POINTS} common steps by linear interpolation`, async () => {
    // Generated: base logs every step 1…1218 (like an Alpaca run), head every 70th step 0…2100; both are
    // straight lines, so interpolation must give the line's own value at any step (taking the nearest
    // logged point instead would be off by up to 0.035).
    const baseLine = (step: number): number => 1.5 - step / 1000;
    const headLine = (step: number): number => 3 - step / 1000;
    const base: LossPoint[] = Array.from({ length: 1218 }, (_, index) => ({
      step: index + 1,
      value: baseLine(index + 1),
    }));
    const head: LossPoint[] = Array.from({ length: 31 }, (_, index) => ({
      step: index * 70,
      value: headLine(index * 70),
    }));
    const body = chartBody(renderLossChart('Train loss', base, head) ?? '');
    await expect(mermaid.parse(body)).resolves.toMatchObject({ diagramType: 'xychart' });

    const { axis, steps, lines } = seriesOf(body);
    expect(axis).toBe('0 --> 2100');
    expect(steps).toHaveLength(MAX_CHART_POINTS);
    // Base is held at its first value before step 1 and at its last (step 1218) after it.
    // Within rounding to 4 significant digits (values are 0.28…3).
    const expectedBase = steps.map((step) => baseLine(Math.min(Math.max(step, 1), 1218)));
    const expectedHead = steps.map(headLine);
    lines[0]?.forEach((value, index) => expect(value).toBeCloseTo(expectedBase[index] ?? Number.NaN, 2));
    lines[1]?.forEach((value, index) => expect(value).toBeCloseTo(expectedHead[index] ?? Number.NaN, 2));
    expect(lines.map((line) => line.length)).toEqual([steps.length, steps.length]);
  });

  it('interpolates between unevenly spaced points', () => {
    // law-llm-lora_trainer_state.json `eval_loss` at steps 100 and 200; head logged in between at 150.
    const base = [
      { step: 100, value: 15.438684463500977 },
      { step: 200, value: 2.383721113204956 },
    ];
    const head = [
      { step: 100, value: 15 },
      { step: 150, value: 5 },
      { step: 200, value: 2 },
    ];
    const { axis, steps, lines } = seriesOf(chartBody(renderLossChart('Eval loss', base, head) ?? ''));
    // Evenly spaced already: drawn at the logged steps themselves.
    expect(axis).toBe('100 --> 200');
    expect(steps).toEqual([100, 150, 200]);
    // Midpoint: (15.438684463500977 + 2.383721113204956) / 2 = 8.911202788352966.
    expect(lines[0]).toEqual([15.44, 8.911, 2.384]);
  });

  it('sorts points, keeps the last of a repeated step and drops NaN losses', () => {
    const base = [
      { step: 20, value: 0.5 },
      { step: 10, value: 0.9 },
      { step: 20, value: 0.4 },
      { step: 30, value: Number.NaN },
    ];
    const { steps, lines } = seriesOf(chartBody(renderLossChart('Train loss', base, undefined) ?? ''));
    expect(steps).toEqual([10, 20]);
    expect(lines).toEqual([[0.9, 0.4]]);
  });

  it.each([
    [
      'tiny losses',
      [
        { step: 1, value: 1.234e-7 },
        { step: 2, value: 3.2e-5 },
      ],
      ['0.0000001234', '0.000032'],
    ],
    [
      'large losses',
      [
        { step: 1, value: 20194.605893659573 },
        { step: 2, value: 284.8732 },
      ],
      ['20195', '284.9'],
    ],
    [
      'negative values',
      [
        { step: 1, value: -0.25 },
        { step: 2, value: -1.5e-3 },
      ],
      ['-0.25', '-0.0015'],
    ],
  ])('writes %s as plain decimals mermaid accepts', async (_name, curve, expected) => {
    const body = chartBody(renderLossChart('Loss', curve, undefined) ?? '');
    expect(body).not.toMatch(/\de[-+]?\d/);
    await expect(mermaid.parse(body)).resolves.toMatchObject({ diagramType: 'xychart' });
    expect(/line \[([^\]]*)\]/.exec(body)?.[1]?.split(', ')).toEqual(expected);
  });

  it('draws a single point', async () => {
    const body = chartBody(
      renderLossChart('Loss', [{ step: 5, value: 0.3 }], [{ step: 5, value: 0.2 }]) ?? '',
    );
    await expect(mermaid.parse(body)).resolves.toMatchObject({ diagramType: 'xychart' });
    expect(seriesOf(body)).toEqual({ axis: '[5]', steps: [5], lines: [[0.3], [0.2]], title: 'Loss' });
  });

  it('strips from the title everything mermaid could read as syntax', async () => {
    const title = 'Train "loss" %%{init}%% ; <script>@x</script> #1\n[a] data/run_1.json (v2), step: 3-4';
    const body = chartBody(renderLossChart(title, [{ step: 1, value: 1 }], undefined) ?? '');
    await expect(mermaid.parse(body)).resolves.toMatchObject({ diagramType: 'xychart' });
    expect(seriesOf(body).title).toBe('Train loss init scriptx/script 1 a data/run_1.json (v2), step: 3-4');
  });

  it('falls back to a plain title when nothing safe is left', () => {
    const body = chartBody(renderLossChart('"<>"', [{ step: 1, value: 1 }], undefined) ?? '');
    expect(seriesOf(body).title).toBe('Loss');
  });

  it('is checked by a parser that does reject a broken chart', async () => {
    const body = chartBody(
      renderLossChart(
        'Loss',
        [
          { step: 1, value: 1 },
          { step: 2, value: 0.5 },
        ],
        undefined,
      ) ?? '',
    );
    await expect(mermaid.parse(body.replace(/\]$/m, ''))).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse(body.replace('0.5', '5e-1'))).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse(body.replace('title "Loss"', 'title "Lo"ss"'))).rejects.toThrow(/Parse error/);
  });
});
