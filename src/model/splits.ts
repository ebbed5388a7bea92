const SPLIT_PATTERNS: readonly [RegExp, string][] = [
  [/(^|[^a-z])(validation|valid|val|dev)([^a-z]|$)/, 'validation'],
  [/(^|[^a-z])(test|testing|heldout|held_out)([^a-z]|$)/, 'test'],
  [/(^|[^a-z])(eval|evaluation)([^a-z]|$)/, 'eval'],
  [/(^|[^a-z])(train|training)([^a-z]|$)/, 'train'],
];

/** The split a dataset path suggests (`data/valid.jsonl` → `validation`); `train` when nothing does. */
export function guessSplit(path: string): string {
  const lower = path.toLowerCase();
  const name = lower.split('/').pop() ?? lower;
  for (const [pattern, split] of SPLIT_PATTERNS) if (pattern.test(name)) return split;
  for (const [pattern, split] of SPLIT_PATTERNS) if (pattern.test(lower)) return split;
  return 'train';
}

/** Whether a split holds held-out data (validation, test, eval): the side that must not leak into train. */
export function isHeldOutSplit(split: string): boolean {
  return ['validation', 'test', 'eval'].includes(split);
}
