import type { CardValue } from '../loaders/read-model-card.js';

/**
 * Whether a number a card states is the result, rounded or cut to the decimals it shows, or that
 * result as a percentage (a card's `91.2` for a file's `0.9123`).
 * @example agreesAtCardPrecision({ value: 41.63, decimals: 2 }, 41.6324) // true
 */
export function agreesAtCardPrecision(
  stated: Pick<CardValue, 'value' | 'decimals'>,
  actual: number,
): boolean {
  const unit = 10 ** -stated.decimals;
  return [actual, actual * 100].some((candidate) => Math.abs(stated.value - candidate) < unit * (1 + 1e-9));
}
