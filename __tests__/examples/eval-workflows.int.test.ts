import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/parse-config.js';

/*
 * The evaluation workflows of examples/workflows do what their comments say: the steps that evaluate are
 * run for real with bash, in a folder laid out as a user's repository (the evaluator copied to eval/,
 * the WikiSQL fixture as data/), and `/tuneguard rerun-eval repeats=3` — the input `repeats` — gives one
 * run per seed. The config example dispatches that workflow with inputs it declares. Where the evaluated
 * code may be a fork's, it runs in a job of its own, and the job that runs tuneguard runs no code of the
 * repository.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, { required?: boolean; default?: string }> } | null>;
  jobs: Record<string, { env?: Record<string, string | number>; steps: Step[] }>;
}

const dispatch = parse(read('examples/workflows/tuneguard-eval.yml')) as Workflow;
const baseline = parse(read('examples/workflows/tuneguard-baseline.yml')) as Workflow;
const pullRequest = parse(read('examples/workflows/tuneguard-results.yml')) as Workflow;
const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const evaluateStep = (workflow: Workflow) =>
  stepsOf(workflow).find((step) => /^Evaluate/.test(step.name ?? ''));
const tuneguardStep = (workflow: Workflow) =>
  stepsOf(workflow).find((step) => step.uses?.startsWith('tuneguard/tuneguard@'));

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'tuneguard-eval-workflow-'));
  mkdirSync(join(repo, 'eval'));
  mkdirSync(join(repo, 'data'));
  for (const name of readdirSync(join(root, 'examples/eval')).filter((n) => n.endsWith('.mjs')))
    cpSync(join(root, 'examples/eval', name), join(repo, 'eval', name));
  cpSync(join(root, '__tests__/fixtures/eval/wikisql_agg_train.jsonl'), join(repo, 'data/train.jsonl'));
  cpSync(join(root, '__tests__/fixtures/eval/wikisql_agg_test.jsonl'), join(repo, 'data/test.jsonl'));
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

/** Runs a workflow's evaluation step with bash in a fresh copy of the repository's output folder. */
function runEvaluation(workflow: Workflow, env: Record<string, string>) {
  rmSync(join(repo, 'eval-results'), { recursive: true, force: true });
  const job = Object.values(workflow.jobs)[0];
  const result = spawnSync('bash', ['-e', '-c', evaluateStep(workflow)?.run ?? 'exit 9'], {
    cwd: repo,
    encoding: 'utf8',
    env: {
      PATH: `${join(process.execPath, '..')}:${process.env['PATH'] ?? ''}`,
      ...Object.fromEntries(Object.entries(job?.env ?? {}).map(([key, value]) => [key, String(value)])),
      ...env,
    },
  });
  let files: string[] = [];
  try {
    files = readdirSync(join(repo, 'eval-results'), { recursive: true, encoding: 'utf8' }).sort();
  } catch {
    files = [];
  }
  const runs = files
    .filter((file) => /results_[^/]*\.json$/.test(file))
    .map(
      (file) =>
        JSON.parse(readFileSync(join(repo, 'eval-results', file), 'utf8')) as {
          config: { random_seed: number; limit: number | null };
          'n-samples': Record<string, { effective: number }>;
        },
    );
  return { status: result.status, stdout: result.stdout, files, runs };
}

describe('examples/workflows/tuneguard-eval.yml (dispatched by rerun-eval)', () => {
  it('declares every input the example config sends, and requires the head, the base and the pull request', () => {
    const settings = parseConfig(read('examples/tuneguard.yml'), '.github/tuneguard.yml').commands[
      'rerun-eval'
    ];
    expect(settings?.workflow).toBe('tuneguard-eval.yml');
    const inputs = dispatch.on['workflow_dispatch']?.inputs ?? {};
    expect(Object.keys(settings?.inputs ?? {}).filter((key) => !(key in inputs))).toEqual([]);
    expect(Object.entries(inputs).map(([key, input]) => [key, input.required, input.default])).toEqual([
      ['head-sha', true, undefined],
      ['base-sha', true, undefined],
      ['pr', true, undefined],
      ['repeats', false, '1'],
      ['limit', false, ''],
    ]);
  });

  it('repeats=3 evaluates with seeds 1, 2 and 3 into one model folder, all of it under the results glob', () => {
    const { status, files, runs } = runEvaluation(dispatch, { REPEATS: '3', LIMIT: '' });
    expect(status).toBe(0);
    expect(
      runs.map((run) => [
        run.config.random_seed,
        run.config.limit,
        run['n-samples']['text_classification']?.effective,
      ]),
    ).toEqual([
      [1, null, 100],
      [2, null, 100],
      [3, null, 100],
    ]);
    const written = files.filter((file) => file.endsWith('.json') || file.endsWith('.jsonl'));
    expect(written).toHaveLength(6);
    const glob = String(tuneguardStep(dispatch)?.with?.['results']);
    expect(written.every((file) => picomatch(glob)(`eval-results/${file}`))).toBe(true);
    expect(new Set(written.map((file) => file.split('/')[0]))).toEqual(new Set(['my-org__my-model']));
  });

  it('limit=20 scores the first 20 test items', () => {
    const { status, runs } = runEvaluation(dispatch, { REPEATS: '1', LIMIT: '20' });
    expect(status).toBe(0);
    expect(runs.map((run) => [run.config.limit, run['n-samples']['text_classification']?.effective])).toEqual(
      [[20, 20]],
    );
  });

  it.each([
    [
      'repeats=0',
      { REPEATS: '0', LIMIT: '' },
      "::error::repeats must be a whole number from 1 to 10, not '0'.",
    ],
    [
      'repeats=11',
      { REPEATS: '11', LIMIT: '' },
      "::error::repeats must be a whole number from 1 to 10, not '11'.",
    ],
    [
      'a repeats that is a command',
      { REPEATS: '$(touch pwned)', LIMIT: '' },
      "::error::repeats must be a whole number from 1 to 10, not '$(touch pwned)'.",
    ],
    [
      'limit=ten',
      { REPEATS: '1', LIMIT: 'ten' },
      "::error::limit must be a positive whole number, not 'ten'.",
    ],
  ])('%s is refused before anything runs', (_, env, message) => {
    const { status, stdout, files } = runEvaluation(dispatch, env);
    expect(status).toBe(1);
    expect(stdout.trim()).toBe(message);
    expect(files).toEqual([]);
  });

  it('passes the inputs to the Action through `with`, and the Action posts no comment of its own', () => {
    expect(tuneguardStep(dispatch)?.with).toEqual({
      base: '${{ inputs.base-sha }}',
      head: '${{ inputs.head-sha }}',
      results: 'eval-results/**',
      comment: 'never',
    });
  });
});

describe('examples/workflows/tuneguard-baseline.yml (the default branch)', () => {
  it('evaluates as the dispatched workflow does: the same seeds, model folder and results glob', () => {
    const { status, runs, files } = runEvaluation(baseline, {});
    expect(status).toBe(0);
    expect(runs.map((run) => run.config.random_seed)).toEqual([1, 2, 3]);
    expect(new Set(files.map((file) => file.split('/')[0]))).toEqual(new Set(['my-org__my-model']));
    expect(tuneguardStep(baseline)?.with?.['results']).toBe(tuneguardStep(dispatch)?.with?.['results']);
    expect(baseline.on).toEqual({ push: { branches: ['main'] } });
  });
});

describe('examples/workflows/tuneguard-results.yml (every pull request)', () => {
  it('evaluates the head once, into the folder the baseline and the re-runs use, and reads it through `results`', () => {
    const { status, runs, files } = runEvaluation(pullRequest, {});
    expect(status).toBe(0);
    expect(runs.map((run) => run.config.random_seed)).toEqual([1]);
    expect(new Set(files.map((file) => file.split('/')[0]))).toEqual(new Set(['my-org__my-model']));
    expect(tuneguardStep(pullRequest)?.with).toEqual({ results: tuneguardStep(dispatch)?.with?.['results'] });
    expect(pullRequest.on).toBe('pull_request');
  });
});

describe.each([
  ['tuneguard-eval.yml', dispatch],
  ['tuneguard-results.yml', pullRequest],
])('examples/workflows/%s keeps the evaluated code away from the report', (_, workflow) => {
  const jobs = workflow.jobs as Record<string, { needs?: string; steps: Step[] }>;

  it('the evaluated code gets a token that can only read the repository', () => {
    const permissions = (workflow as { permissions?: unknown }).permissions;
    const evaluate = jobs['evaluate'] as { permissions?: unknown };
    expect(evaluate.permissions ?? permissions).toEqual({ contents: 'read' });
  });

  it('the tuneguard job runs no step of its own, only the checkout, the results and the Action', () => {
    expect(jobs['tuneguard']?.needs).toBe('evaluate');
    expect(jobs['tuneguard']?.steps.map((step) => step.run ?? step.uses?.split('@')[0])).toEqual([
      'actions/checkout',
      'actions/download-artifact',
      'tuneguard/tuneguard',
    ]);
  });

  it('the evaluate job uploads the folder the tuneguard job downloads and reads', () => {
    const upload = jobs['evaluate']?.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    const download = jobs['tuneguard']?.steps.find((step) =>
      step.uses?.startsWith('actions/download-artifact@'),
    );
    expect(upload?.with).toMatchObject({ name: 'eval-results', path: 'eval-results/' });
    expect(download?.with).toEqual({ name: 'eval-results', path: 'eval-results' });
    expect(tuneguardStep(workflow)?.with?.['results']).toBe('eval-results/**');
  });
});
