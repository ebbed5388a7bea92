/** A chi-squared test of homogeneity: the statistic, its degrees of freedom and the p-value. */
export interface ChiSquaredTest {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/**
 * Pearson's chi-squared test that two samples of class counts come from the same distribution (a
 * 2 × k contingency table, as `scipy.stats.chi2_contingency` without Yates' correction). Classes absent
 * from both samples are ignored; with fewer than two classes, or an empty sample, the test is not
 * defined and the result is `undefined`.
 *
 * @example
 * computeChiSquared([30, 70], [50, 50]); // => { statistic: 8.333…, degreesOfFreedom: 1, pValue: 0.00389… }
 */
export function computeChiSquared(
  base: readonly number[],
  head: readonly number[],
): ChiSquaredTest | undefined {
  const columns: [number, number][] = [];
  for (let index = 0; index < Math.max(base.length, head.length); index += 1) {
    const a = base[index] ?? 0;
    const b = head[index] ?? 0;
    if (a + b > 0) columns.push([a, b]);
  }
  const baseTotal = columns.reduce((sum, [a]) => sum + a, 0);
  const headTotal = columns.reduce((sum, [, b]) => sum + b, 0);
  if (columns.length < 2 || baseTotal === 0 || headTotal === 0) return undefined;
  const total = baseTotal + headTotal;
  let statistic = 0;
  for (const [a, b] of columns) {
    const column = a + b;
    const expectedA = (column * baseTotal) / total;
    const expectedB = (column * headTotal) / total;
    statistic += (a - expectedA) ** 2 / expectedA + (b - expectedB) ** 2 / expectedB;
  }
  const degreesOfFreedom = columns.length - 1;
  return { statistic, degreesOfFreedom, pValue: chiSquaredSurvival(statistic, degreesOfFreedom) };
}

/** P(X ≥ x) for X chi-squared with k degrees of freedom: the regularised upper incomplete gamma Q(k/2, x/2). */
export function chiSquaredSurvival(x: number, k: number): number {
  if (x <= 0) return 1;
  return upperGammaRatio(k / 2, x / 2);
}

/** Q(a, x) by its series below a + 1 and its continued fraction above (Numerical Recipes, §6.2). */
function upperGammaRatio(a: number, x: number): number {
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 1000; n += 1) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; about 15 significant digits). */
function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = coefficients[0] as number;
  for (let index = 1; index < coefficients.length; index += 1) {
    sum += (coefficients[index] as number) / (shifted + index);
  }
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}
