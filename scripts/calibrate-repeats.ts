import { applySignificance } from '../src/diff/apply-significance.js';
import { computeMetricTolerance, diffMetrics, type MetricTolerance } from '../src/diff/diff-metrics.js';
import { poolRepeats, type SeriesRun } from '../src/diff/pool-repeats.js';
import type { MetricsFile } from '../src/loaders/parse-metrics.js';
import type { MetricDiff } from '../src/model/report-schema.js';
import type { SignificanceOptions } from '../src/diff/apply-significance.js';

/** A task of the calibration: its real accuracy and item count. */
export interface RepeatTask {
  name: string;
  accuracy: number;
  n: number;
  stderr: number;
}

/** What the simulation needs from the calibration: its generator, redraw rate, tolerance and test settings. */
export interface RepeatSettings {
  random: () => number;
  redraw: number;
  tolerance: MetricTolerance;
  significance: Pick<SignificanceOptions, 'alpha' | 'adjustment' | 'confidence'>;
}

/** One row of the repeats table. */
export interface RepeatRow {
  scenario: string;
  runsPerSide: number;
  falseAlarms: number;
  /** The detectable change stated (median over noise-only pull requests), caught at it, inconclusive at 2×. */
  effect: number;
  caught: number;
  inconclusiveAtTwice: number;
  runs: number;
}

/**
 * Repeats under a seed that moves the whole score: every run of a task shares its items (each item's
 * outcome redrawn with probability `redraw`, as in the other tables) and draws a seed offset from
 * N(0, spread), which shifts the accuracy of its redrawn items so that the run's score moves by the
 * offset. With one run a side the z-test on standard errors sees only the items' noise; with `k` runs a
 * side pooled (`poolRepeats`), the seeds' variance is in the test. Measured: false alarms with nothing
 * changed, and the detectable change the report states, planted and judged again.
 */
export function measureRepeats(
  task: RepeatTask,
  spread: number,
  k: number,
  settings: RepeatSettings,
  runs: number,
): RepeatRow {
  const { random } = settings;
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const draw = (p: number): number => (random() < Math.min(1, Math.max(0, p)) ? 1 : 0);
  const runOf = (items: number[], drop: number, seed: number, side: string): SeriesRun => {
    const shift = spread * gaussian() - drop;
    const outcomes = items.map((outcome) =>
      random() < settings.redraw ? draw(task.accuracy + shift / settings.redraw) : outcome,
    );
    const value = outcomes.reduce((a, b) => a + b, 0) / outcomes.length;
    const file: MetricsFile = {
      format: 'lm-eval',
      metrics: [
        {
          key: `${task.name}/acc`,
          task: task.name,
          metric: 'acc',
          value,
          stderr: Math.sqrt((value * (1 - value)) / (outcomes.length - 1)),
          higherIsBetter: true,
        },
      ],
      tasks: {},
      evaluator: { model: 'hf', seeds: `random_seed=${seed}` },
      groups: {},
      problems: [],
    };
    return { path: `${side}/results_${seed}.json`, file };
  };
  const judge = (drop: number): MetricDiff | undefined => {
    const items = Array.from({ length: task.n }, () => draw(task.accuracy));
    const base = Array.from({ length: k }, (_, i) => runOf(items, 0, i + 1, 'base'));
    const head = Array.from({ length: k }, (_, i) => runOf(items, drop, i + 1, 'head'));
    const pooled = k > 1 ? poolRepeats(base, head) : undefined;
    const [baseFile, headFile] = pooled ? [pooled.base, pooled.head] : [base[0]?.file, head[0]?.file];
    const diffs = diffMetrics(baseFile, headFile, settings.tolerance, {});
    const [judged] = applySignificance(
      [{ path: 'results.json', status: 'modified', format: 'lm-eval', metrics: diffs }],
      new Map(),
      {
        ...settings.significance,
        toleranceOf: (metric) => computeMetricTolerance(metric, settings.tolerance),
        repeatsOf: (_path, key) => pooled?.noise.get(key),
      },
    );
    return judged?.metrics[0];
  };
  let falseAlarms = 0;
  const effects: number[] = [];
  for (let i = 0; i < runs; i++) {
    const metric = judge(0);
    if (metric?.change === 'regressed') falseAlarms++;
    const effect = metric?.significance?.detectable?.effect;
    if (effect != null) effects.push(effect);
  }
  const sorted = effects.sort((a, b) => a - b);
  const effect = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  let caught = 0;
  let inconclusiveAtTwice = 0;
  for (let i = 0; i < runs; i++) {
    if (judge(effect)?.change === 'regressed') caught++;
    if (judge(2 * effect)?.change === 'inconclusive') inconclusiveAtTwice++;
  }
  return {
    scenario: `${task.name}, n=${task.n}, seed spread ${spread.toFixed(4)} (2 SE)`,
    runsPerSide: k,
    falseAlarms: falseAlarms / runs,
    effect,
    caught: caught / runs,
    inconclusiveAtTwice,
    runs,
  };
}
