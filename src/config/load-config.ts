import type { Snapshot } from '../model/snapshot.js';
import { decodeText } from '../loaders/decode-text.js';
import { DEFAULT_CONFIG_PATH, parseConfig } from './parse-config.js';
import type { Config } from './schema.js';

/**
 * Reads `.github/tuneguard.yml` (or `path`) from a snapshot, with its text (for the lines of its
 * values). A missing file gives the defaults and `path: undefined`; an invalid one throws `ConfigError`
 * naming the file and listing every problem.
 */
export async function loadConfig(
  snapshot: Snapshot,
  path: string = DEFAULT_CONFIG_PATH,
): Promise<{ config: Config; path?: string; text?: string }> {
  const bytes = await snapshot.readFile(path);
  if (!bytes) return { config: parseConfig('', path) };
  const text = decodeText(bytes);
  return { config: parseConfig(text, path), path, text };
}
