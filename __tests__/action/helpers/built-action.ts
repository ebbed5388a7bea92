import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the Action's folder, where action.yml is. */
export const ACTION_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The built Action's two files (built before the tests if missing: `__tests__/setup/ensure-built-action.mjs`):
 * `index`, what action.yml runs, which imports `main` and calls `run()`; `main`, the bundle exporting `run`.
 */
export const BUILT_ACTION = {
  index: join(ACTION_ROOT, 'dist/index.js'),
  main: join(ACTION_ROOT, 'dist/main.js'),
} as const;
