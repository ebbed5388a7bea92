/**
 * Mulberry32: a small, fast 32-bit generator, the same numbers on every machine for one seed.
 * @param {number} seed
 * @returns {() => number} numbers in [0, 1)
 */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The indexes of a seeded random subset of `count` of `total` items, in ascending order
 * (a Fisher–Yates shuffle of 0…total-1, its first `count` kept).
 * @param {number} total
 * @param {number} count
 * @param {number} seed
 * @returns {number[]}
 */
export function sampleIndexes(total, count, seed) {
  const random = createRandom(seed);
  const order = Array.from({ length: total }, (_, index) => index);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}
