import { createConfigLocator } from '../config/find-config-problems.js';
import type { Config } from '../config/schema.js';
import type { UnmatchedConfigPath } from '../checks/check-context.js';
import { createGlobMatcher } from '../sources/create-glob-matcher.js';
import type { SidePaths } from './read-sides.js';

/** Where the config came from: its path, and its text when it was read from a file. */
export interface ConfigSource {
  path: string;
  text?: string;
}

/**
 * The config's paths and globs that match no file of base or head, each with its line in the config
 * file. Matched as discovery applies them (dot files included, the extension's case ignored), one at a time: a glob beside
 * others that match is still reported.
 * @example findUnmatchedConfigPaths(config, { base: new Set(['a.yml']), head: new Set() }, { path: '.github/tuneguard.yml', text })
 */
export function findUnmatchedConfigPaths(
  config: Config,
  present: SidePaths,
  source: ConfigSource,
): UnmatchedConfigPath[] {
  const entries: { key: UnmatchedConfigPath['key']; index: number; glob: string; field: string[] }[] = [
    ...(config.datasets ?? []).map((entry, index) =>
      typeof entry === 'string'
        ? { key: 'datasets' as const, index, glob: entry, field: [] }
        : { key: 'datasets' as const, index, glob: entry.path, field: ['path'] },
    ),
    ...(['params', 'metrics', 'training-logs', 'ignore'] as const).flatMap((key) =>
      (config[key] ?? []).map((glob, index) => ({ key, index, glob, field: [] })),
    ),
  ];
  if (entries.length === 0) return [];
  const files = [...new Set([...present.base, ...present.head])];
  const locate = source.text === undefined ? undefined : createConfigLocator(source.text);
  return entries
    .filter(({ glob }) => {
      const matches = createGlobMatcher(glob);
      return !files.some((file) => matches(file));
    })
    .map(({ key, index, glob, field }) => {
      const line = locate?.([key, index, ...field]).line;
      return {
        key,
        glob,
        location: { path: source.path, side: 'base', ...(line !== undefined ? { line } : {}) },
      };
    });
}
