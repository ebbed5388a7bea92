import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';

/** The line before the generated inputs and outputs tables in README.md. */
export const ACTION_DOCS_START = '<!-- action-inputs:start -->';
/** The line after them. */
export const ACTION_DOCS_END = '<!-- action-inputs:end -->';

interface ActionMetadata {
  inputs?: Record<string, { description?: string; default?: unknown; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
}

/**
 * Renders the inputs and outputs tables of an action.yml, formatted as prettier formats README.md (so
 * `prettier --check` and the freshness test agree). Inputs and outputs keep action.yml's order; an empty
 * default shows as `—`.
 * @example await renderActionDocs(readFileSync('action.yml', 'utf8'), 'README.md')
 */
export async function renderActionDocs(actionYml: string, readmePath: string): Promise<string> {
  const action = parse(actionYml) as ActionMetadata;
  const inputs = Object.entries(action.inputs ?? {}).map(([name, input]) => [
    `\`${name}\``,
    cell(input.description),
    input.default === undefined || input.default === '' ? '—' : `\`${String(input.default)}\``,
  ]);
  const outputs = Object.entries(action.outputs ?? {}).map(([name, output]) => [
    `\`${name}\``,
    cell(output.description),
  ]);
  const markdown = [
    '### Inputs',
    '',
    ...table(['Input', 'Description', 'Default'], inputs),
    '',
    '### Outputs',
    '',
    ...table(['Output', 'Description'], outputs),
  ].join('\n');
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  return prettier.format(markdown, { ...options, parser: 'markdown', filepath: readmePath });
}

/**
 * Puts `docs` between the markers of `readme`, replacing what was there. Throws when the markers are
 * missing or out of order.
 */
export function replaceActionDocs(readme: string, docs: string): string {
  const start = readme.indexOf(ACTION_DOCS_START);
  const end = readme.indexOf(ACTION_DOCS_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs the lines ${ACTION_DOCS_START} and ${ACTION_DOCS_END}, in that order.`);
  }
  return `${readme.slice(0, start + ACTION_DOCS_START.length)}\n\n${docs.trim()}\n\n${readme.slice(end)}`;
}

/** The text between the markers of `readme` (trimmed), or `undefined` without markers. */
export function findActionDocs(readme: string): string | undefined {
  const start = readme.indexOf(ACTION_DOCS_START);
  const end = readme.indexOf(ACTION_DOCS_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + ACTION_DOCS_START.length, end).trim();
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

/** `node lib/scripts/action-docs.js [--check]`, from the repository root. */
async function main(argv: readonly string[]): Promise<number> {
  const readmePath = resolve('README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const docs = await renderActionDocs(readFileSync(resolve('action.yml'), 'utf8'), readmePath);
  const updated = replaceActionDocs(readme, docs);
  if (updated === readme) {
    process.stdout.write('README.md: the action inputs and outputs are up to date.\n');
    return 0;
  }
  if (argv.includes('--check')) {
    process.stderr.write(
      'README.md: the action inputs and outputs differ from action.yml; run the script.\n',
    );
    return 1;
  }
  writeFileSync(readmePath, updated);
  process.stdout.write('README.md: wrote the action inputs and outputs from action.yml.\n');
  return 0;
}

// Run only when executed, not when a test imports the functions.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
