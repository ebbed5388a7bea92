import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * What a user installing tuneguard, or reading its repository, relies on: a licence matching the
 * package's, where it lives, commands that exist, a start script that does not compile, exact versions.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  license: string;
  homepage: string;
  repository: { type: string; url: string };
  bugs: { url: string };
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version?: string; bin?: Record<string, string> }>;
};

/** The TypeScript source that tsc compiles to `lib/<path>.js`. */
const sourceOf = (built: string): string => built.replace(/^lib\//, '').replace(/\.js$/, '.ts');

describe('package.json', () => {
  it('is MIT licensed, as LICENSE says, by the tuneguard authors', () => {
    expect(pkg.license).toBe('MIT');
    const licence = read('LICENSE');
    expect(licence.split('\n')[0]).toBe('MIT License');
    expect(licence).toMatch(/^Copyright \(c\) \d{4} the tuneguard authors$/m);
    expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('says where the project lives, and where to report a bug', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/tuneguard/tuneguard.git' });
    expect(pkg.homepage).toBe('https://github.com/tuneguard/tuneguard#readme');
    expect(pkg.bugs.url).toBe('https://github.com/tuneguard/tuneguard/issues');
  });

  it('has the documents a project is adopted with', () => {
    for (const file of ['README.md', 'LICENSE', 'SECURITY.md', 'CHANGELOG.md', 'CONTRIBUTING.md'])
      expect([file, existsSync(join(root, file))]).toEqual([file, true]);
    expect(read('CHANGELOG.md')).toMatch(/^## \[Unreleased\]$/m);
    expect(read('SECURITY.md')).toMatch(/^### Rotating the key$/m);
  });

  it('installs commands that exist, each an executable script, also in the lockfile', () => {
    expect(pkg.bin).toEqual({ tuneguard: 'lib/cli/index.js', 'tuneguard-app': 'lib/bot/server/start.js' });
    for (const built of Object.values(pkg.bin)) {
      expect(read(sourceOf(built)).split('\n')[0]).toBe('#!/usr/bin/env node');
      expect(pkg.files.some((entry) => built.startsWith(`${entry}/`))).toBe(true);
    }
    expect(lock.packages['']?.bin).toEqual(pkg.bin);
  });

  it('starts the App from built files, without compiling', () => {
    expect(pkg.scripts['start']).toBe(`node ${pkg.bin['tuneguard-app']}`);
    expect(pkg.scripts['start']).not.toMatch(/tsc|build|ts-node|tsx/);
  });

  it('ships the App, the CLI, the core, the schema and the manifest, and no tests, scripts or maps', () => {
    expect(pkg.files).toEqual([
      'lib/bot',
      'lib/cli',
      'lib/src',
      '!lib/**/*.map',
      'schema',
      'app.yml',
      '.env.example',
      'CHANGELOG.md',
    ]);
  });

  it('pins every dependency to the exact version the lockfile installs', () => {
    const ranges = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      ([, version]) => !/^\d+\.\d+\.\d+$/.test(version),
    );
    expect(ranges).toEqual([]);
    const drift = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      ([name, version]) => lock.packages[`node_modules/${name}`]?.version !== version,
    );
    expect(drift).toEqual([]);
  });

  it('runs on the Node the tests run on, and keeps the lockfile entries of other platforms', () => {
    expect(pkg.engines.node).toBe('>=20.12');
    // Version-only entries of a lint dependency's native bindings: npm on Linux may drop them when it
    // rewrites the lockfile, and `npm ci` elsewhere then fails (CONTRIBUTING.md, "The lockfile").
    const bindings = Object.keys(lock.packages).filter((path) =>
      path.startsWith('node_modules/@unrs/resolver-binding-'),
    );
    expect(bindings).toHaveLength(21);
  });
});
