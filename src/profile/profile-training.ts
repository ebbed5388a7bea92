import type { TrainingLog } from '../loaders/parse-training-log.js';
import type { TrainingProfile } from '../model/report-schema.js';
import { formatNumber } from '../text/format-number.js';
import { profileRlRun, type RlProfileOptions } from './profile-rl-run.js';

/** Thresholds of the training profile (the config's schema holds their defaults). */
export interface TrainingProfileOptions extends RlProfileOptions {
  /** How many of the last evaluations decide `evalTrend` (at least 2). */
  risingEvaluations: number;
  /** The final training loss above this many times its lowest level counts as divergence. */
  divergenceFactor: number;
  /** A logged loss above this many times the mean of the `SPIKE_WINDOW` losses before it is a spike. */
  spikeFactor: number;
}

/** How many preceding training losses a spike is measured against. */
const SPIKE_WINDOW = 10;

/** Training losses averaged to smooth per-step noise when judging divergence. */
const DIVERGENCE_WINDOW = 5;

/** Points kept in each curve of the report. */
const MAX_CURVE_POINTS = 100;

/** A falling trend must drop by more than this fraction of the window's first evaluation. */
const FALLING_MARGIN = 0.01;

type Point = TrainingProfile['trainCurve'][number];

/**
 * Summarises a training log: final and best losses, the train/eval gap, the eval trend, NaN steps and
 * divergence, with both curves downsampled to at most 100 points (first and last kept).
 * The primary eval set is plain `eval_loss` (`''`) when logged, else the first name in sorted order.
 * NaN and ±Infinity losses are listed in `nanSteps`, mark the run as diverged, and are left out of every
 * other number and curve (the report holds finite numbers only). Without evaluations the eval fields and
 * `gap` are absent and `evalTrend` is `'n/a'`; an empty log gives `lastStep` 0 and empty curves.
 * @example profileTraining(parseTrainingLog('step,loss\n1,2\n2,1\n', 'a.csv')).finalTrainLoss // 1
 */
export function profileTraining(log: TrainingLog, options: TrainingProfileOptions): TrainingProfile {
  const { risingEvaluations, divergenceFactor, spikeFactor } = options;
  const trendWindow = Math.max(2, Math.floor(risingEvaluations));

  const train: Point[] = [];
  const sets = new Set<string>();
  const nanSteps = new Set<number>();
  for (const entry of log.entries) {
    if (entry.trainLoss !== undefined) {
      if (Number.isFinite(entry.trainLoss)) train.push({ step: entry.step, value: entry.trainLoss });
      else nanSteps.add(entry.step);
    }
    for (const [name, value] of Object.entries(entry.evalLosses)) {
      sets.add(name);
      if (!Number.isFinite(value)) nanSteps.add(entry.step);
    }
  }
  const evalSets = [...sets].sort();
  const primary = sets.has('') ? '' : evalSets[0];
  const evals: Point[] = [];
  if (primary !== undefined) {
    for (const entry of log.entries) {
      const value = entry.evalLosses[primary];
      if (value !== undefined && Number.isFinite(value)) evals.push({ step: entry.step, value });
    }
  }

  const epoch = log.entries.findLast(
    (entry) => entry.epoch !== undefined && Number.isFinite(entry.epoch),
  )?.epoch;
  const epochs = epoch ?? log.numEpochs;
  const sortedNanSteps = [...nanSteps].sort((a, b) => a - b);
  // An RL run's loss is a policy-gradient objective near zero, of either sign: its spikes and its rise
  // above its lowest level say nothing about the run (its NaN losses still do).
  const rlRun = log.rlMethod !== undefined;
  const divergence = computeDivergence(
    train,
    sortedNanSteps,
    rlRun ? Number.POSITIVE_INFINITY : divergenceFactor,
  );

  const profile: TrainingProfile = {
    format: log.format,
    lastStep: log.globalStep ?? log.entries.reduce((max, entry) => Math.max(max, entry.step), 0),
    evalTrend: computeTrend(evals, trendWindow),
    risingEvals: countRisesAtEnd(evals),
    nanSteps: sortedNanSteps,
    diverged: divergence !== undefined,
    evalSets,
    evalSetSummaries: evalSets.flatMap((name) => summariseEvalSet(name, log, train)),
    spikes: rlRun ? [] : findSpikes(train, spikeFactor),
    trainCurve: downsample(train),
    evalCurve: downsample(evals),
  };
  if (epochs !== undefined) profile.epochs = epochs;
  const lastTrain = train.at(-1);
  if (lastTrain) profile.finalTrainLoss = lastTrain.value;
  const lastEval = evals.at(-1);
  if (lastEval) {
    profile.finalEvalLoss = lastEval.value;
    const best = evals.reduce((min, point) => (point.value < min.value ? point : min));
    profile.bestEvalLoss = best.value;
    profile.bestEvalStep = best.step;
    const gap = computeGap(train, evals);
    if (gap !== undefined) profile.gap = gap;
  }
  if (divergence !== undefined) profile.divergenceNote = divergence;
  const rl = profileRlRun(log, options);
  if (rl) profile.rl = rl;
  return profile;
}

/** One eval set's final, best and gap, pairing its evaluations with the training losses by step. */
function summariseEvalSet(
  name: string,
  log: TrainingLog,
  train: Point[],
): TrainingProfile['evalSetSummaries'] {
  const evals: Point[] = [];
  for (const entry of log.entries) {
    const value = entry.evalLosses[name];
    if (value !== undefined && Number.isFinite(value)) evals.push({ step: entry.step, value });
  }
  const last = evals.at(-1);
  if (!last) return [];
  const best = evals.reduce((min, point) => (point.value < min.value ? point : min));
  const gap = computeGap(train, evals);
  return [
    {
      name,
      finalLoss: last.value,
      bestLoss: best.value,
      bestStep: best.step,
      ...(gap !== undefined ? { gap } : {}),
      risingEvals: countRisesAtEnd(evals),
    },
  ];
}

/** Logged training losses above `factor` × the mean of the `SPIKE_WINDOW` losses logged before them. */
function findSpikes(train: Point[], factor: number): TrainingProfile['spikes'] {
  const spikes: TrainingProfile['spikes'] = [];
  for (let index = SPIKE_WINDOW; index < train.length; index += 1) {
    const point = train[index];
    if (!point) continue;
    const recentMean = mean(train.slice(index - SPIKE_WINDOW, index).map((p) => p.value));
    if (recentMean > 0 && point.value > factor * recentMean) spikes.push({ ...point, recentMean });
  }
  return spikes;
}

/**
 * Final eval loss minus the mean training loss logged since the previous evaluation (up to the final
 * evaluation's step); falls back to the last training loss at or before that step.
 */
function computeGap(train: Point[], evals: Point[]): number | undefined {
  const last = evals.at(-1);
  if (!last) return undefined;
  const previous = evals.at(-2)?.step ?? Number.NEGATIVE_INFINITY;
  const window = train.filter((point) => point.step > previous && point.step <= last.step);
  if (window.length > 0) return last.value - mean(window.map((point) => point.value));
  const before = train.findLast((point) => point.step <= last.step);
  return before === undefined ? undefined : last.value - before.value;
}

function computeTrend(evals: Point[], size: number): TrainingProfile['evalTrend'] {
  if (evals.length < size) return 'n/a';
  const window = evals.slice(-size).map((point) => point.value);
  if (window.every((value, index) => index === 0 || value > (window[index - 1] ?? value))) return 'rising';
  const first = window[0] ?? 0;
  const last = window.at(-1) ?? first;
  return first - last > FALLING_MARGIN * Math.abs(first) ? 'falling' : 'flat';
}

function countRisesAtEnd(evals: Point[]): number {
  let rises = 0;
  for (let index = evals.length - 1; index > 0; index -= 1) {
    const current = evals[index];
    const before = evals[index - 1];
    if (!current || !before || current.value <= before.value) break;
    rises += 1;
  }
  return rises;
}

/** One line explaining why the run diverged, or undefined when it did not. */
function computeDivergence(train: Point[], nanSteps: number[], factor: number): string | undefined {
  const notes: string[] = [];
  const firstNan = nanSteps[0];
  if (firstNan !== undefined) {
    const count = nanSteps.length === 1 ? '1 step' : `${nanSteps.length} steps`;
    notes.push(`a loss is NaN or infinite at ${count} (first at step ${firstNan})`);
  }
  const losses = train.map((point) => point.value);
  const size = Math.min(DIVERGENCE_WINDOW, losses.length);
  const firstLoss = losses[0];
  if (size > 0 && firstLoss !== undefined) {
    const final = mean(losses.slice(-size));
    let lowest = Number.POSITIVE_INFINITY;
    for (let start = 0; start + size <= losses.length; start += 1) {
      lowest = Math.min(lowest, mean(losses.slice(start, start + size)));
    }
    // A ratio to a non-positive level means nothing, so such logs are judged by NaN/Infinity only.
    if (lowest > 0 && final > factor * lowest && final > firstLoss) {
      notes.push(
        `training loss rose to ${formatNumber(final)} (mean of the last ${size} logged), ` +
          `${formatNumber(final / lowest)}x its lowest ${size}-log mean ${formatNumber(lowest)} ` +
          `and above the first logged loss ${formatNumber(firstLoss)}`,
      );
    }
  }
  return notes.length > 0 ? notes.join('; ') : undefined;
}

/** At most `MAX_CURVE_POINTS` points evenly spaced by index, the first and last always kept. */
function downsample(points: Point[]): Point[] {
  if (points.length <= MAX_CURVE_POINTS) return points;
  const kept: Point[] = [];
  const stride = (points.length - 1) / (MAX_CURVE_POINTS - 1);
  for (let k = 0; k < MAX_CURVE_POINTS; k += 1) {
    const point = points[Math.round(k * stride)];
    if (point) kept.push(point);
  }
  return kept;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
