import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { compareEvalSettings } from '../../src/diff/compare-eval-settings.js';
import { parseMetricsFile, type MetricsFile } from '../../src/loaders/parse-metrics.js';

const load = (name: string): MetricsFile =>
  parseMetricsFile(readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8'), name);

describe('compareEvalSettings on real results', () => {
  // python3: the rwkv7 runs differ only in git_hash (the repository commit the run was made in);
  // Qwen2.5 and Llama-3.2 share n-shot, versions and n-samples for all 73 tasks.
  it.each([
    ['v047_rwkv7-1.5b_lambada_run-good.json', 'v047_rwkv7-1.5b_lambada_run-regressed.json'],
    ['v047_rwkv7-1.5b_lambada_run-good.json', 'v047_rwkv7-1.5b_lambada_run-broken.json'],
  ])('%s and %s are comparable', (a, b) => {
    expect(compareEvalSettings(load(a), load(b))).toEqual([]);
  });

  it('finds nothing between Qwen2.5 and Llama-3.2 runs of the same suite', () => {
    const qwen = parseMetricsFile(
      readFileSync(new URL('../fixtures/metrics/v047_qwen2.5-1.5b_results.json', import.meta.url), 'utf8'),
      'q.json',
    );
    const shifted: MetricsFile = { ...qwen, evaluator: { ...qwen.evaluator, gitHash: 'other' } };
    expect(compareEvalSettings(qwen, shifted)).toEqual([]);
  });

  it('names every setting that changed, per task and for the file', () => {
    const base = load('v047_rwkv7-1.5b_lambada_run-good.json');
    const task = base.tasks['lambada_openai'] ?? {};
    const head: MetricsFile = {
      ...base,
      format: 'lm-eval-legacy',
      evaluator: { ...base.evaluator, version: '0.4.8', chatTemplate: 'abc', fewshotAsMultiturn: true },
      tasks: {
        lambada_openai: {
          ...task,
          nShot: 5,
          version: '2',
          limit: 100,
          samples: { original: 5153, effective: 100 },
        },
      },
    };
    const withVersion: MetricsFile = {
      ...base,
      evaluator: { ...base.evaluator, version: '0.4.7', chatTemplate: 'xyz' },
    };
    expect(compareEvalSettings(withVersion, head)).toEqual([
      { task: '*', setting: 'results layout', base: 'lm-eval', head: 'lm-eval-legacy' },
      { task: '*', setting: 'harness version', base: '0.4.7', head: '0.4.8' },
      { task: '*', setting: 'chat template', base: 'xyz', head: 'abc' },
      { task: '*', setting: 'few-shot as multi-turn', base: 'false', head: 'true' },
      { task: 'lambada_openai', setting: 'n-shot', base: '0', head: '5' },
      { task: 'lambada_openai', setting: 'task version', base: '1', head: '2' },
      { task: 'lambada_openai', setting: 'effective samples', base: '5153', head: '100' },
    ]);
  });

  it('names the inference mode, outputs per item and temperature (OpenCompass, HELM)', () => {
    const base = load('harness-legacy_llama-7B_gsm8k_8-shot.json');
    const side = (settings: MetricsFile['tasks'][string]): MetricsFile => ({
      ...base,
      tasks: { gsm8k: settings },
    });
    expect(
      compareEvalSettings(
        side({ mode: 'ppl', outputs: 1, temperature: 0 }),
        side({ mode: 'gen', outputs: 5, temperature: 0.7 }),
      ),
    ).toEqual([
      { task: 'gsm8k', setting: 'inference mode', base: 'ppl', head: 'gen' },
      { task: 'gsm8k', setting: 'outputs per item', base: '1', head: '5' },
      { task: 'gsm8k', setting: 'temperature', base: '0', head: '0.7' },
    ]);
  });

  it('does not call a setting recorded on one side only a difference', () => {
    const base = load('harness-legacy_llama-7B_gsm8k_8-shot.json');
    const head: MetricsFile = { ...base, tasks: { gsm8k: {} }, evaluator: {} };
    expect(compareEvalSettings(base, head)).toEqual([]);
  });
});
