import { posix, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_PATH } from '../src/config/parse-config.js';
import type { Inputs } from './inputs.js';
import { toPosix } from './to-posix.js';

/**
 * The run's scope: the working directory inside the workspace and the config when it is not the
 * default, joined by `:`; `undefined` for the whole repository with the default config. One comment and
 * one artifact per scope, so the runs of a monorepo do not collide.
 * @example computeScope({ 'working-directory': 'models/sft', config: '.github/tuneguard.yml', … }, ws) // 'models/sft'
 */
export function computeScope(
  inputs: Pick<Inputs, 'working-directory' | 'config'>,
  workspace: string,
): string | undefined {
  const dir = toPosix(relative(workspace, resolve(workspace, inputs['working-directory'])));
  const config = posix.normalize(toPosix(inputs.config));
  const parts = [dir, config === DEFAULT_CONFIG_PATH ? '' : config].filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.join(':');
}
