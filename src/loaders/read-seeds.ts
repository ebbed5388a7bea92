import type { TreeNode } from './read-metrics-tree.js';

/** The seeds lm-eval ≥0.4.1 records in its `config`; a `null` seed was not set and is left out. */
const SEED_KEYS = ['random_seed', 'numpy_seed', 'torch_seed', 'fewshot_seed'] as const;

/**
 * lm-eval's `config.random_seed`, `numpy_seed`, `torch_seed` and `fewshot_seed` as `name=value` pairs
 * joined by commas (`seeds`), or nothing when the config records none.
 * @example readSeeds(config) // { seeds: 'random_seed=0,numpy_seed=1234,torch_seed=1234,fewshot_seed=1234' }
 */
export function readSeeds(config: TreeNode | undefined): { seeds?: string } {
  if (config?.kind !== 'object') return {};
  const seeds = SEED_KEYS.flatMap((key) => {
    const node = config.entries.findLast((entry) => entry.key === key)?.value;
    return node?.kind === 'scalar' && (typeof node.value === 'number' || typeof node.value === 'string')
      ? [`${key}=${String(node.value)}`]
      : [];
  });
  return seeds.length === 0 ? {} : { seeds: seeds.join(',') };
}
