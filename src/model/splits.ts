const SPLIT_PATTERNS: readonly [RegExp, string][] = [
  [/(^|[^a-z])(validation|valid|val|dev)([^a-z]|$)/, 'validation'],
  [/(^|[^a-z])(test|testing|heldout|held_out|holdout|hold_out)([^a-z]|$)/, 'test'],
  [/(^|[^a-z])(eval|evaluation|bench|benchmark|benchmarks)([^a-z]|$)/, 'eval'],
  [/(^|[^a-z])(train|training)([^a-z]|$)/, 'train'],
  // A union of the splits (`all.jsonl` = train + valid) is no split: its rows are expected in both.
  [/(^|[^a-z])(all|full|combined|merged|union|complete)([^a-z]|$)/, 'all'],
];

/**
 * The split a dataset path suggests (`data/valid.jsonl` → `validation`, `mt_bench/question.jsonl` →
 * `eval`, `data/all.jsonl` → `all`), the file name first and then its folders; `train` when nothing does.
 */
export function guessSplit(path: string): string {
  const lower = path.toLowerCase();
  const name = lower.split('/').pop() ?? lower;
  for (const [pattern, split] of SPLIT_PATTERNS) if (pattern.test(name)) return split;
  for (const [pattern, split] of SPLIT_PATTERNS) if (pattern.test(lower)) return split;
  return 'train';
}

/** Whether a split is training data: `train`, not a held-out split and not a union of splits (`all`). */
export function isTrainSplit(split: string): boolean {
  return split === 'train';
}

/** Whether a split holds held-out data (validation, test, eval): the side that must not leak into train. */
export function isHeldOutSplit(split: string): boolean {
  return ['validation', 'test', 'eval'].includes(split);
}
