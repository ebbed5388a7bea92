import { formatNumber } from './format-number.js';

/**
 * A count with its noun: `1 row`, `2 rows`, `1,000 rows` (the count as {@link formatNumber} prints it).
 * The noun takes a plain `s` in the plural.
 * @example plural(1, 'row') // '1 row'
 * @example plural(2500, 'file') // '2,500 files'
 */
export function plural(count: number, noun: string): string {
  return `${formatNumber(count)} ${nounFor(count, noun)}`;
}

/**
 * The noun alone for a count, where other words stand between the number and the noun:
 * `5 exact duplicate rows` is `${n} exact duplicate ${nounFor(n, 'row')}`.
 * @example nounFor(1, 'row') // 'row'
 * @example nounFor(0, 'row') // 'rows'
 */
export function nounFor(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}
