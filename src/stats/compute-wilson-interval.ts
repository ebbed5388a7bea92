/** The normal quantile of a two-sided 95% interval. */
const Z_95 = 1.959963984540054;

/**
 * Wilson's score interval of a binomial proportion: `successes` of `trials` at 95% by default. Unlike the
 * normal ("Wald") interval it stays inside [0, 1] and does not shrink to a point at 0% or 100%, so a
 * pass rate of 10 of 10 is not read as certain. Throws on no trials or more successes than trials.
 * @example computeWilsonInterval(0, 1) // { low: 0, high: 0.7934… }
 */
export function computeWilsonInterval(
  successes: number,
  trials: number,
  z = Z_95,
): { low: number; high: number } {
  if (!(trials > 0) || successes < 0 || successes > trials) {
    throw new RangeError(
      `a Wilson interval needs 0 <= successes <= trials and trials > 0 (${successes} of ${trials})`,
    );
  }
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** The standard error a Wilson interval stands for: its half-width over z, for tests that take one. */
export function computeWilsonStderr(successes: number, trials: number, z = Z_95): number {
  const { low, high } = computeWilsonInterval(successes, trials, z);
  return (high - low) / (2 * z);
}
