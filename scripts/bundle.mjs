// Bundles the Action (action/index.ts and what it imports) into dist/index.js: one ESM file, all
// dependencies inlined, so the runner needs no npm install. The output is deterministic, which is
// what lets CI check dist/ for freshness. The App (bot/, probot) must never be part of it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: ['action/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Prefer packages' ES module builds: the UMD build of jsonc-parser require()s its own files at run
  // time, which a bundle cannot resolve ("Cannot find module './impl/format'").
  mainFields: ['module', 'main'],
  legalComments: 'linked',
  metafile: true,
  // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle a require.
  banner: {
    js: "import { createRequire as __tuneguardCreateRequire } from 'node:module'; const require = __tuneguardCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const forbidden = Object.keys(result.metafile.inputs).filter((input) =>
  /(^|\/)(bot\/|node_modules\/probot\/)/.test(input),
);
if (forbidden.length > 0) {
  rmSync('dist', { recursive: true, force: true });
  throw new Error(`The Action bundle must not contain the App:\n${forbidden.join('\n')}`);
}
