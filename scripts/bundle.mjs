// Bundles the Action (action/index.ts and what it imports) into dist/index.js: one ESM file, all
// dependencies inlined, so the runner needs no npm install. The output is deterministic, which is
// what lets CI check dist/ for freshness.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['action/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'linked',
  // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle a require.
  banner: {
    js: "import { createRequire as __tuneguardCreateRequire } from 'node:module'; const require = __tuneguardCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
