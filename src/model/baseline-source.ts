import type { Baseline, EvalResults } from './report-schema.js';

/**
 * What looking for a baseline gave: the report of an earlier run on the default branch (where it came
 * from, and its results files), or why there is none, as one sentence (`no report artifact of a run on
 * main for the last 50 commits`), which the notice finding quotes.
 */
export type BaselineOutcome =
  { found: Omit<Baseline, 'files'>; results: readonly EvalResults[] } | { missing: string };

/**
 * Looks for the baseline when the analysis needs one (the head has results files and the base none);
 * never called otherwise. It does not throw: a failure is a `missing` outcome with its reason.
 */
export type BaselineLookup = () => Promise<BaselineOutcome>;

/** What the analysis did with a baseline: compared the head's results with it, or had none, and why. */
export type BaselineStatus = { used: Baseline } | { missing: string };
