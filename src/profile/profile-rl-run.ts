import type { TrainingLog } from '../loaders/parse-training-log.js';
import { RL_SIGNALS, type RlProfile, type RlSignal, type RlSignalSummary } from '../model/report-schema.js';

/** Thresholds of the RL profile (the config's schema holds their defaults). */
export interface RlProfileOptions {
  /** A logged KL above this many times the mean of the `KL_WINDOW` values before it is a spike. */
  klSpikeFactor: number;
  /** A KL below this is never a spike: early in a run KL grows many-fold from nearly zero. */
  minKl: number;
}

/** At most this many logged values make a signal's start and end means. */
const MAX_WINDOW = 5;

/** How many preceding KL values a spike is measured against. */
const KL_WINDOW = 10;

/** Points kept in the reward curve of the report. */
const MAX_CURVE_POINTS = 100;

type Point = RlProfile['rewardCurve'][number];

/**
 * Summarises what a reinforcement-learning run logged beside its loss: per signal the means of its first
 * and last logs (a window of a quarter of its values, from 1 to 5, so noisy per-step values are smoothed),
 * its range, the KL spikes, and the reward curve (at most 100 points, first and last kept). Non-finite
 * values are left out. `undefined` when the log is no RL run (no reward key: an SFT run's `entropy` or a
 * KTO run's `kl` alone do not make one).
 * @example profileRlRun(log, { klSpikeFactor: 3, minKl: 0.1 })?.method // 'GRPO'
 */
export function profileRlRun(log: TrainingLog, options: RlProfileOptions): RlProfile | undefined {
  if (log.rlMethod === undefined) return undefined;
  const series = new Map<RlSignal, Point[]>();
  for (const entry of log.entries) {
    for (const [name, value] of Object.entries(entry.rl ?? {}) as [RlSignal, number][]) {
      if (!Number.isFinite(value)) continue;
      const points = series.get(name) ?? [];
      points.push({ step: entry.step, value });
      series.set(name, points);
    }
  }
  const signals = RL_SIGNALS.flatMap((name) => {
    const points = series.get(name);
    return points && points.length > 0 ? [summarise(name, points)] : [];
  });
  return {
    method: log.rlMethod,
    signals,
    klSpikes: findKlSpikes(series.get('kl') ?? [], options),
    rewardCurve: downsample(series.get('reward') ?? []),
  };
}

function summarise(name: RlSignal, points: Point[]): RlSignalSummary {
  const values = points.map((point) => point.value);
  const window = Math.min(MAX_WINDOW, Math.max(1, Math.floor(values.length / 4)));
  return {
    name,
    points: values.length,
    start: mean(values.slice(0, window)),
    end: mean(values.slice(-window)),
    window,
    min: values.reduce((low, value) => Math.min(low, value)),
    max: values.reduce((high, value) => Math.max(high, value)),
  };
}

/** Logged KL values above `klSpikeFactor` × the mean of the `KL_WINDOW` values before them, and at least `minKl`. */
function findKlSpikes(kl: Point[], options: RlProfileOptions): RlProfile['klSpikes'] {
  const spikes: RlProfile['klSpikes'] = [];
  for (let index = KL_WINDOW; index < kl.length; index += 1) {
    const point = kl[index];
    if (!point || point.value < options.minKl) continue;
    const recentMean = mean(kl.slice(index - KL_WINDOW, index).map((p) => p.value));
    if (point.value > options.klSpikeFactor * Math.max(recentMean, 0)) spikes.push({ ...point, recentMean });
  }
  return spikes;
}

/** At most `MAX_CURVE_POINTS` points evenly spaced by index, the first and last always kept. */
function downsample(points: Point[]): Point[] {
  if (points.length <= MAX_CURVE_POINTS) return points;
  const stride = (points.length - 1) / (MAX_CURVE_POINTS - 1);
  return Array.from({ length: MAX_CURVE_POINTS }, (_, k) => points[Math.round(k * stride)]).filter(
    (point): point is Point => point !== undefined,
  );
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
