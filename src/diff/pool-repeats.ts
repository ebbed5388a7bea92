import { mean, sampleVariance } from 'simple-statistics';
import type { MetricsFile, MetricValue } from '../loaders/parse-metrics.js';
import { compareEvalSettings } from './compare-eval-settings.js';

/** One results file of a timestamped series, as read. */
export interface SeriesRun {
  path: string;
  file: MetricsFile;
}

/**
 * The runs of a series that repeat `anchor` with other seeds, `anchor` first: walking back from the
 * newest (`earlier`, newest first), a run is a repeat while it evaluated the same model (`config.model`
 * and `model_args`) with the same settings (nothing {@link compareEvalSettings} would object to), has
 * seeds recorded, and seeds no run of the group has; the first run that is not stops the walk (what lies
 * before it is history: an older model, or the same seeds run again). `eligible` leaves out runs that
 * cannot belong (on head, the runs the pull request did not add). Without seeds on `anchor`, repeats
 * cannot be told from re-runs and the group is `anchor` alone.
 */
export function findRepeats(
  anchor: SeriesRun,
  earlier: readonly SeriesRun[],
  eligible: (path: string) => boolean = () => true,
): SeriesRun[] {
  const group = [anchor];
  if (anchor.file.evaluator.seeds === undefined) return group;
  const seen = new Set([anchor.file.evaluator.seeds]);
  const keys = new Set(anchor.file.metrics.map((metric) => metric.key));
  for (const run of earlier) {
    if (run.path === anchor.path) continue;
    const { evaluator } = run.file;
    const { seeds } = evaluator;
    const repeats =
      seeds !== undefined &&
      eligible(run.path) &&
      !seen.has(seeds) &&
      evaluator.model === anchor.file.evaluator.model &&
      evaluator.modelArgs === anchor.file.evaluator.modelArgs &&
      compareEvalSettings(anchor.file, run.file).length === 0 &&
      run.file.metrics.some((metric) => keys.has(metric.key));
    if (!repeats) break;
    seen.add(seeds);
    group.push(run);
  }
  return group;
}

/** The noise of one metric pooled over repeats, as the detectable change needs it. */
export interface RepeatNoise {
  /** Runs pooled on each side (1 for a side with a single run). */
  base: number;
  head: number;
  /** se²(base) + se²(head) of one run each, from the items (0 where the results give no standard error). */
  within: number;
  /** The variance of one run's score between seeds, on each side (a side with one run borrows the other's). */
  seedVariance: { base: number; head: number };
  /**
   * Welch–Satterthwaite degrees of freedom of the pooled difference: the seeds' variances are estimated
   * from few runs (k − 1 each), the items' noise taken as known; `Infinity` when the seeds add nothing.
   */
  df: number;
}

/** Both sides pooled: each side's file with means and pooled standard errors, and each metric's noise. */
export interface PooledSides {
  base: MetricsFile;
  head: MetricsFile;
  noise: Map<string, RepeatNoise>;
}

/**
 * Pools repeated runs into one file per side. A metric's value is its mean over the side's runs; its
 * standard error is √(w + s²/k): w the mean of the runs' own squared standard errors (the items' noise,
 * which repeats on the same items do not shrink; 0 where the results give none), s² the variance of
 * the score between seeds (sample variance over the k runs), shrinking with the number of runs. A side
 * with one run has no spread of its own: it takes the other side's s², once (one run carries all of a
 * seed's luck). Metrics missing from a run are pooled over the runs that have them; a value that is not
 * a finite number, or a metric run only once on both sides, is left as the newest run has it.
 */
export function poolRepeats(base: readonly SeriesRun[], head: readonly SeriesRun[]): PooledSides {
  const baseStats = collectStats(base);
  const headStats = collectStats(head);
  const noise = new Map<string, RepeatNoise>();
  for (const [key, headStat] of headStats) {
    const baseStat = baseStats.get(key);
    if (!baseStat || (baseStat.values.length < 2 && headStat.values.length < 2)) continue;
    const own = (stat: MetricStats): number | undefined =>
      stat.values.length < 2 ? undefined : sampleVariance(stat.values);
    const baseSpread = own(baseStat) ?? own(headStat) ?? 0;
    const headSpread = own(headStat) ?? own(baseStat) ?? 0;
    // Identical scores on every seed and no standard error: nothing says how noisy the metric is.
    if (baseSpread === 0 && headSpread === 0 && baseStat.within + headStat.within === 0) continue;
    const seedVariance = { base: baseSpread, head: headSpread };
    const counts = { base: baseStat.values.length, head: headStat.values.length };
    noise.set(key, {
      ...counts,
      within: baseStat.within + headStat.within,
      seedVariance,
      df: computeWelchDf(baseStat.within + headStat.within, seedVariance, counts),
    });
  }
  const pooled = (runs: readonly SeriesRun[], stats: Map<string, MetricStats>, side: 'base' | 'head') => {
    const newest = runs[0]?.file as MetricsFile;
    const metrics = newest.metrics.map((metric): MetricValue => {
      const stat = stats.get(metric.key);
      const found = noise.get(metric.key);
      if (!stat || !found) return metric;
      const k = stat.values.length;
      const stderr = Math.sqrt(stat.within + found.seedVariance[side] / k);
      return { ...metric, value: mean(stat.values), stderr };
    });
    return { ...newest, metrics };
  };
  return { base: pooled(base, baseStats, 'base'), head: pooled(head, headStats, 'head'), noise };
}

interface MetricStats {
  values: number[];
  /** The mean squared standard error of the runs that give one; 0 when none does. */
  within: number;
}

function collectStats(runs: readonly SeriesRun[]): Map<string, MetricStats> {
  const byKey = new Map<string, { values: number[]; squares: number[] }>();
  for (const run of runs) {
    for (const metric of run.file.metrics) {
      if (!Number.isFinite(metric.value)) continue;
      const entry = byKey.get(metric.key) ?? { values: [], squares: [] };
      entry.values.push(metric.value);
      if (metric.stderr !== undefined && Number.isFinite(metric.stderr))
        entry.squares.push(metric.stderr ** 2);
      byKey.set(metric.key, entry);
    }
  }
  return new Map(
    [...byKey].map(([key, entry]) => [
      key,
      { values: entry.values, within: entry.squares.length === 0 ? 0 : mean(entry.squares) },
    ]),
  );
}

/**
 * Welch–Satterthwaite: (w + Σ vᵢ)² / Σ (vᵢ² / dfᵢ) over the estimated parts vᵢ of the pooled variance,
 * the items' part `w` counting as known. With runs on both sides each side's part is its seeds' variance
 * over its runs, on k − 1 degrees of freedom; when one side ran once, both sides' parts come from the other
 * side's one estimate: one part, s²·(1 + 1/k), on its k − 1.
 */
function computeWelchDf(
  within: number,
  seedVariance: { base: number; head: number },
  counts: { base: number; head: number },
): number {
  const parts =
    counts.base > 1 && counts.head > 1
      ? [
          { variance: seedVariance.base / counts.base, df: counts.base - 1 },
          { variance: seedVariance.head / counts.head, df: counts.head - 1 },
        ]
      : [
          {
            variance: seedVariance.base / counts.base + seedVariance.head / counts.head,
            df: Math.max(counts.base, counts.head) - 1,
          },
        ];
  const total = within + parts.reduce((sum, part) => sum + part.variance, 0);
  const denominator = parts.reduce((sum, part) => sum + part.variance ** 2 / part.df, 0);
  return denominator === 0 ? Infinity : total ** 2 / denominator;
}
