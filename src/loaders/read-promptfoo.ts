import { computeWilsonStderr } from '../stats/compute-wilson-interval.js';
import type { MetricsFile } from './parse-metrics.js';
import type { SampleLog } from './read-sample-log.js';
import { isRecord } from '../model/is-record.js';

/** What tuneguard keeps of a promptfoo eval: one pass rate per provider and prompt, and each test's outcome. */
export interface PromptfooRun {
  /** `pass_rate` of each task (a provider, and its prompt when the eval has several), with its line. */
  metrics: { task: string; value: number; stderr: number; passes: number; tests: number }[];
  /** Each task's tests as 1 (passed) or 0 (failed or errored), by test (description, vars, repeat). */
  samples: SampleLog[];
  /** `metadata.promptfooVersion`, when written. */
  version?: string;
  problems: { reason: string }[];
}

/**
 * Whether a parsed JSON document is a promptfoo results file (`promptfoo eval -o results.json`): an
 * `evalId` and a `results` object holding a `results` list (format version 2 and 3).
 */
export function isPromptfooResults(root: unknown): boolean {
  if (!isRecord(root) || typeof root.evalId !== 'string') return false;
  return isRecord(root.results) && Array.isArray(root.results.results);
}

/**
 * Reads a promptfoo results file: per task (the provider's label or id, and the prompt's label when there
 * are several prompts) the share of tests that passed (`success`; an error is no pass), with the standard
 * error of its Wilson 95% interval, and each test's outcome for paired tests (McNemar) between two runs.
 * A test is known by its description, its vars and, for a repeated test, its repeat; the test's index is
 * not used, since adding a test shifts the others. A result without a boolean `success` is a problem and
 * left out.
 * @example readPromptfoo(JSON.parse(text)).metrics[0] // { task: 'openai:gpt-4o-mini', value: 0, ... }
 */
export function readPromptfoo(root: unknown): PromptfooRun {
  const run: PromptfooRun = { metrics: [], samples: [], problems: [] };
  if (!isPromptfooResults(root) || !isRecord(root) || !isRecord(root.results)) return run;
  const results = root.results.results as unknown[];
  const prompts = new Set(results.map((result) => (isRecord(result) ? promptOf(result) : '')));
  const byTask = new Map<string, Map<string, number>>();
  results.forEach((result, index) => {
    if (!isRecord(result) || typeof result.success !== 'boolean') {
      run.problems.push({ reason: `results.results[${index}] has no boolean "success": it is left out` });
      return;
    }
    const provider = providerOf(result);
    const task = prompts.size > 1 ? `${provider} · ${promptOf(result)}` : provider;
    const items = byTask.get(task) ?? new Map<string, number>();
    items.set(uniqueId(items, testOf(result)), result.success ? 1 : 0);
    byTask.set(task, items);
  });
  for (const [task, items] of byTask) {
    const outcomes = [...items.values()];
    const passes = outcomes.filter((outcome) => outcome === 1).length;
    const tests = outcomes.length;
    run.metrics.push({
      task,
      value: passes / tests,
      stderr: computeWilsonStderr(passes, tests),
      passes,
      tests,
    });
    run.samples.push({
      task,
      scores: new Map([['pass_rate', items]]),
      matchedBy: 'id',
      rows: tests,
      problems: [],
    });
  }
  const metadata = isRecord(root.metadata) ? root.metadata : undefined;
  if (typeof metadata?.promptfooVersion === 'string') run.version = metadata.promptfooVersion;
  return run;
}

function providerOf(result: Record<string, unknown>): string {
  const provider = result.provider;
  if (typeof provider === 'string') return provider;
  if (isRecord(provider)) {
    if (typeof provider.label === 'string' && provider.label !== '') return provider.label;
    if (typeof provider.id === 'string') return provider.id;
  }
  return 'provider';
}

function promptOf(result: Record<string, unknown>): string {
  const prompt = result.prompt;
  if (!isRecord(prompt))
    return typeof result.promptIdx === 'number' ? `prompt ${result.promptIdx}` : 'prompt';
  if (typeof prompt.label === 'string' && prompt.label !== '') return prompt.label;
  return typeof prompt.raw === 'string' ? prompt.raw : 'prompt';
}

/** A test by what it asks: its description and its vars (as `[name, value]` pairs sorted by name). */
function testOf(result: Record<string, unknown>): string {
  const testCase = isRecord(result.testCase) ? result.testCase : {};
  const vars = isRecord(result.vars) ? result.vars : isRecord(testCase.vars) ? testCase.vars : {};
  const description = typeof testCase.description === 'string' ? testCase.description : '';
  const sorted = Object.keys(vars)
    .sort()
    .map((key) => [key, vars[key]]);
  return `${description}|${JSON.stringify(sorted)}`;
}

/** The id, or the id with its repeat (`#2`, `#3`…) when a test is run several times. */
function uniqueId(items: ReadonlyMap<string, number>, id: string): string {
  if (!items.has(id)) return id;
  let repeat = 2;
  while (items.has(`${id}#${repeat}`)) repeat += 1;
  return `${id}#${repeat}`;
}

/**
 * A promptfoo results file as a results file: one `pass_rate` per task, its tests as per-item logs, the
 * promptfoo version as the evaluator's; `undefined` when the text is not promptfoo results (read from
 * the text: its tests are in lists, which the metrics tree does not keep).
 */
export function readPromptfooFile(text: string): MetricsFile | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPromptfooResults(root)) return undefined;
  const run = readPromptfoo(root);
  return {
    format: 'promptfoo',
    metrics: run.metrics.map(({ task, value, stderr }) => ({
      key: `${task}/pass_rate`,
      task,
      metric: 'pass_rate',
      value,
      stderr,
      higherIsBetter: true,
    })),
    tasks: {},
    evaluator: run.version === undefined ? {} : { version: run.version },
    groups: {},
    problems: run.problems,
    samples: run.samples,
  };
}
