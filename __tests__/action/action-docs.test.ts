import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ACTION_DOCS_END,
  ACTION_DOCS_START,
  findActionDocs,
  renderActionDocs,
  replaceActionDocs,
} from '../../scripts/action-docs.js';
import { ACTION_YML, readActionMetadata } from './helpers/action-inputs.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe('the README inputs and outputs tables', () => {
  it('are what action.yml generates (run `npm run docs:action` after changing action.yml)', async () => {
    const generated = await renderActionDocs(readFileSync(ACTION_YML, 'utf8'), README);
    expect(findActionDocs(readFileSync(README, 'utf8'))).toBe(generated.trim());
  });

  it('list every input with its default and every output, in action.yml order', async () => {
    const action = readActionMetadata();
    const docs = await renderActionDocs(readFileSync(ACTION_YML, 'utf8'), README);
    const rows = docs.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1])).toEqual([
      ...Object.keys(action.inputs),
      ...Object.keys(action.outputs),
    ]);
    expect(rows[0]).toMatch(/\| `\.github\/tuneguard\.yml` \|$/);
    expect(rows.find((row) => row.startsWith('| `base`'))).toMatch(/\| — +\|$/);
    expect(rows.find((row) => row.startsWith('| `github-token`'))).toMatch(
      /\| `\$\{\{ github\.token \}\}` +\|$/,
    );
  });

  it('escape a pipe in a description, which would end the cell', async () => {
    const docs = await renderActionDocs(
      'inputs:\n  mode:\n    description: a | b\n    default: x\noutputs: {}\n',
      README,
    );
    expect(docs).toContain('| `mode` | a \\| b      | `x`     |');
  });

  it('replace only what is between the markers', () => {
    const readme = `# A\n\n${ACTION_DOCS_START}\nold\n${ACTION_DOCS_END}\n\n## B\n`;
    expect(replaceActionDocs(readme, '### Inputs\n')).toBe(
      `# A\n\n${ACTION_DOCS_START}\n\n### Inputs\n\n${ACTION_DOCS_END}\n\n## B\n`,
    );
    expect(() => replaceActionDocs('# no markers\n', 'x')).toThrow(ACTION_DOCS_START);
    expect(findActionDocs('# no markers\n')).toBeUndefined();
  });
});
