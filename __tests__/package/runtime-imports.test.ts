import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/*
 * What the shipped code imports when it runs, against package.json's `dependencies`: an install without
 * dev dependencies (`npm install tuneguard`, `npm ci --omit=dev` in the container) has nothing else.
 * Each source is transpiled to an ES module as tsc builds lib/ (type-only imports vanish), then every static import,
 * re-export, dynamic `import()` and `require()` of the output is read.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const SHIPPED = ['action', 'bot', 'cli', 'src'];
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(folder, name))
    .sort();
}

/** The module specifiers the JavaScript built from `source` loads at run time. */
function runtimeSpecifiers(source: string, fileName: string): string[] {
  const { outputText } = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      isolatedModules: true,
    },
  });
  const file = ts.createSourceFile(`${fileName}.js`, outputText, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const callee = node.expression;
      // import('x'), require('x'), and createRequire(import.meta.url)('x').
      const loads =
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        (ts.isCallExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'createRequire');
      if (loads && first !== undefined && ts.isStringLiteralLike(first)) found.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or `undefined` for a file or a Node built-in. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  return builtinModules.includes(name) ? undefined : name;
}

/** `file: package` for every runtime import of a package that `dependencies` does not list. */
function undeclaredImports(files: { path: string; source: string }[]): string[] {
  return files.flatMap(({ path, source }) =>
    runtimeSpecifiers(source, path)
      .map(packageOf)
      .filter((name): name is string => name !== undefined && !(name in packageJson.dependencies))
      .map((name) => `${path}: ${name}`),
  );
}

const shipped = SHIPPED.flatMap(sourcesUnder).map((path) => ({
  path,
  source: readFileSync(join(root, path), 'utf8'),
}));
const shippedPackages = new Set(
  shipped.flatMap(({ path, source }) => runtimeSpecifiers(source, path).map(packageOf)),
);

describe('runtime imports of the shipped code (action/, bot/, cli/, src/)', () => {
  it('name only packages listed in dependencies, or Node built-ins', () => {
    expect(shipped.length).toBeGreaterThan(100);
    expect(undeclaredImports(shipped)).toEqual([]);
    // The App's zip reader, once a dev dependency: an install without dev dependencies failed to start.
    expect(shippedPackages.has('yauzl')).toBe(true);
  });

  it('use every runtime dependency (none is listed for nothing)', () => {
    expect(Object.keys(packageJson.dependencies).filter((name) => !shippedPackages.has(name))).toEqual([]);
  });

  it('are read for real: a dev dependency, a dynamic import and a require are caught; types and built-ins are not', () => {
    const devOnly = Object.keys(packageJson.devDependencies);
    expect(devOnly).toEqual(expect.arrayContaining(['jsdom', 'nock', '@octokit/openapi']));
    const source = [
      "import type { JSDOM } from 'jsdom';",
      "import { type Scope } from 'nock';",
      "import { readFile } from 'node:fs/promises';",
      "import { createRequire } from 'module';",
      "import openapi from '@octokit/openapi/generated/api.github.com.json';",
      "export { default as esbuild } from 'esbuild';",
      "const lazy = () => import('mermaid');",
      "const loaded = createRequire(import.meta.url)('jest');",
      "const require = createRequire(import.meta.url); require('prettier');",
      'export const used = [openapi, readFile, lazy, loaded] as unknown as JSDOM | Scope;',
    ].join('\n');
    expect(undeclaredImports([{ path: 'bot/example.ts', source }])).toEqual([
      'bot/example.ts: @octokit/openapi',
      'bot/example.ts: esbuild',
      'bot/example.ts: mermaid',
      'bot/example.ts: jest',
      'bot/example.ts: prettier',
    ]);
  });
});
