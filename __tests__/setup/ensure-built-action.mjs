// Makes sure dist/ holds the built Action before the tests that run it (bundle.e2e and local-action.e2e):
// it bundles only when a file is missing (a fresh checkout where nobody bundled yet). An existing dist/
// is left as committed: that is what users get, and CI fails before the tests when it differs from what
// the sources build. Done once here rather than in each test file, since scripts/bundle.mjs first
// removes dist/ and test files run in parallel.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The files scripts/bundle.mjs writes (__tests__/action/helpers/built-action.ts names them for the tests).
const BUILT_ACTION_FILES = ['dist/index.js', 'dist/main.js'];

export default function ensureBuiltAction() {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  if (BUILT_ACTION_FILES.every((file) => existsSync(join(root, file)))) return;
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
}
