/**
 * Formats a fraction as a percentage with one decimal: 0.1234 → "12.3%". Below 1% two significant digits
 * are kept instead, so a 0.05% threshold is not shown as "0.1%": 0.0005 → "0.05%".
 * @example formatPercent(0.1234) // '12.3%'
 * @example formatPercent(0.0005) // '0.05%'
 */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  if (percent === 0 || Math.abs(percent) >= 1 || !Number.isFinite(percent)) return `${percent.toFixed(1)}%`;
  return `${Number(percent.toPrecision(2))}%`;
}
