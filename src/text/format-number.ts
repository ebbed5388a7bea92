/**
 * A number for people: 4 significant digits (`0.6881`, `20.09`), whole numbers from 1,000 up with
 * thousands separators (`20,195`: rounding a perplexity to `20,190` would only hide digits), and
 * exponents below 0.0001 or from 10^15 (`2e-5`).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const magnitude = Math.abs(value);
  if ((Number.isInteger(value) || magnitude >= 1000) && magnitude < 1e15) {
    return Math.round(value)
      .toString()
      .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  if (magnitude >= 1e15 || magnitude < 1e-4) {
    const [mantissa = '', exponent = ''] = value.toExponential(3).split('e');
    return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
  }
  return trimZeros(value.toPrecision(4));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
