import type { Finding } from '../model/report-schema.js';
import type { CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';

/**
 * `config-unmatched`: a path or glob of the config (`datasets`, `params`, `metrics`, `training-logs`,
 * `ignore`) that matches no file on base or head, at its line in the config file. A typo there reads
 * nothing, silently: a `datasets` list also turns dataset discovery off, so a wrong path leaves the data
 * checks with nothing to check.
 */
export function checkConfigPaths(context: CheckContext): Finding[] {
  return (context.unmatchedConfigPaths ?? []).flatMap(({ key, glob, location }) => {
    const finding = createFinding('config-unmatched', context.config, {
      title: `The config's ${key} entry ${glob} matches no file on base or head`,
      details: [
        key === 'ignore'
          ? 'It ignores nothing: check the glob (paths are relative to the repository root, or to the reviewed folder), or remove it.'
          : `tuneguard reads nothing through it: check the path (relative to the repository root, or to the reviewed folder), or remove it.${key === 'datasets' ? ' With `datasets` set, no other dataset is discovered.' : ''}`,
      ],
      location,
    });
    return finding ? [finding] : [];
  });
}
