/**
 * The classic "billion laughs" document in YAML, under 1 KB: line 1 holds nine strings, each next line
 * nine aliases of the line before, so the last of the nine lines stands for 9^9 (387,420,489) strings.
 */
export const BILLION_LAUGHS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']
  .map((name, index, names) => {
    const items =
      index === 0 ? Array<string>(9).fill('"lol"') : Array<string>(9).fill(`*${names[index - 1]}`);
    return `${name}: &${name} [${items.join(', ')}]`;
  })
  .join('\n');

/**
 * Where the aliases of {@link BILLION_LAUGHS} first add more than `limit` values, by hand: the list on
 * line n holds 1 + 9 × (size of the list on line n−1) values (line 1: 10), and each alias of it on line
 * n+1 adds that size. Returns the 1-based line and column of the alias that passes the limit.
 */
export function findBillionLaughsExcess(limit: number): { line: number; column: number } {
  let added = 0;
  let size = 10;
  for (let line = 2; line <= 9; line += 1) {
    for (let alias = 0; alias < 9; alias += 1) {
      added += size;
      // "b: &b [" is 7 characters, then "*a, " is 4 per alias.
      if (added > limit) return { line, column: 8 + 4 * alias };
    }
    size = 1 + 9 * size;
  }
  throw new Error(`the document adds no more than ${limit} values`);
}
