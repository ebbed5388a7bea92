import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { findLocalReferences } from '../../../bot/github/find-local-references.js';

/** The repository's own fork-safe example workflow, the one the README tells users to copy. */
const EXAMPLE = readFileSync(
  new URL('../../../examples/workflows/tuneguard-fork-safe.yml', import.meta.url),
  'utf8',
);

/** The example with `step` added after its checkout. */
function exampleWith(step: string): unknown {
  return parse(
    EXAMPLE.replace('      - uses: actions/checkout@v4\n', `      - uses: actions/checkout@v4\n${step}`),
  );
}

describe('findLocalReferences', () => {
  it.each([
    [
      'the example as shipped: only remote actions',
      parse(EXAMPLE),
      { workflows: [], actions: [], files: [] },
    ],
    [
      'a local action outside .github/, with a trailing slash',
      exampleWith('      - uses: ./tools/act/\n'),
      { workflows: [], actions: ['tools/act'], files: [] },
    ],
    [
      'a composite action under .github/actions',
      exampleWith('      - uses: ./.github/actions/x\n'),
      { workflows: [], actions: ['.github/actions/x'], files: [] },
    ],
    [
      'the action at the repository root',
      exampleWith('      - uses: ./\n'),
      { workflows: [], actions: [''], files: [] },
    ],
    [
      'a path normalised, one that leaves the repository dropped',
      exampleWith('      - uses: ./tools/../tools/./act\n      - uses: ./../outside\n'),
      { workflows: [], actions: ['tools/act'], files: [] },
    ],
    [
      'a reusable workflow called by a job, and the same action twice',
      parse(
        'jobs:\n  call: { uses: ./.github/workflows/reusable.yml }\n  other:\n    steps: [{ uses: ./tools/act }, { uses: ./tools/act }]\n  remote: { uses: octo/repo/.github/workflows/r.yml@v1 }\n',
      ),
      { workflows: ['.github/workflows/reusable.yml'], actions: ['tools/act'], files: [] },
    ],
    [
      'a YAML alias repeating a step',
      parse('jobs:\n  a: { steps: [&s { uses: ./tools/a }] }\n  b: { steps: [*s] }\n'),
      { workflows: [], actions: ['tools/a'], files: [] },
    ],
    ['not a mapping', parse('just text'), { workflows: [], actions: [], files: [] }],
    ['an empty file', parse(''), { workflows: [], actions: [], files: [] }],
  ])('%s', (_, document, expected) => {
    expect(findLocalReferences(document)).toEqual(expected);
  });

  it.each([
    [
      'a JavaScript action: main, pre and post from its folder',
      "runs: { using: node20, pre: setup.js, main: 'dist/index.js', post: ../shared/cleanup.js }",
      'tools/act',
      {
        workflows: [],
        actions: [],
        files: ['tools/act/dist/index.js', 'tools/act/setup.js', 'tools/shared/cleanup.js'],
      },
    ],
    [
      'the root action: its entry from the root',
      'runs: { using: node24, main: dist/index.js }',
      '',
      { workflows: [], actions: [], files: ['dist/index.js'] },
    ],
    [
      'a Docker action: a local Dockerfile counts, a registry image does not',
      'runs: { using: docker, image: Dockerfile }',
      'tools/box',
      { workflows: [], actions: [], files: ['tools/box/Dockerfile'] },
    ],
    [
      'a Docker action on a registry image',
      "runs: { using: docker, image: 'docker://alpine:3.20' }",
      'tools/box',
      { workflows: [], actions: [], files: [] },
    ],
    [
      'a composite action using another local action',
      'runs:\n  using: composite\n  steps:\n    - uses: ./tools/inner\n    - run: echo hi\n      shell: bash\n',
      '.github/actions/x',
      { workflows: [], actions: ['tools/inner'], files: [] },
    ],
  ])('action metadata: %s', (_, text, folder, expected) => {
    expect(findLocalReferences(parse(text), folder)).toEqual(expected);
  });
});
