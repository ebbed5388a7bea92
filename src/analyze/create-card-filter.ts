import type { Config } from '../config/schema.js';
import { createGlobMatcher } from '../sources/create-glob-matcher.js';

/**
 * Which model cards may stand in for a kind of file (`training-logs` from their "Training results"
 * table, `params` from their "Training hyperparameters" list): cards out of the config's `ignore`, and
 * none when the config lists that kind, since the list is then the whole of it (a card it names is read
 * as one already).
 */
export function createCardFilter(
  config: Config,
  kind: 'training-logs' | 'params',
): (path: string) => boolean {
  if (config[kind] !== undefined) return () => false;
  const ignored = createGlobMatcher(config.ignore);
  return (path) => !ignored(path);
}
