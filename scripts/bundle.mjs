// Bundles the Action into dist/: dist/main.js is action/main.ts and everything it imports in one ESM
// file exporting `run`, all dependencies inlined, so the runner needs no npm install; dist/index.js,
// what action.yml runs, is action/index.ts as written: it imports ./main.js and calls run(). The split
// lets a runner that imports an action's entry and calls its `run` itself (GitHub's local-action) run
// the same built file as GitHub's runner does. The output is deterministic, which is what lets CI check
// dist/ for freshness. The App (bot/, probot) must never be part of it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const common = { platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning' };
const result = await build({
  ...common,
  entryPoints: ['action/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  // Prefer packages' ES module builds: the UMD build of jsonc-parser require()s its own files at run
  // time, which a bundle cannot resolve ("Cannot find module './impl/format'").
  mainFields: ['module', 'main'],
  legalComments: 'linked',
  metafile: true,
  // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle a require.
  banner: {
    js: "import { createRequire as __tuneguardCreateRequire } from 'node:module'; const require = __tuneguardCreateRequire(import.meta.url);",
  },
});
// Not bundled: its one import, ./main.js, stays an import of the file built above.
await build({ ...common, entryPoints: ['action/index.ts'], outfile: 'dist/index.js', bundle: false });

const forbidden = Object.keys(result.metafile.inputs).filter((input) =>
  /(^|\/)(bot\/|node_modules\/probot\/)/.test(input),
);
if (forbidden.length > 0) {
  rmSync('dist', { recursive: true, force: true });
  throw new Error(`The Action bundle must not contain the App:\n${forbidden.join('\n')}`);
}
