import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseMetricsFile, type MetricsFile } from '../../src/loaders/parse-metrics.js';
import { isLightevalDetailsPath, splitLightevalKey } from '../../src/loaders/read-lighteval.js';

const load = (name: string): MetricsFile =>
  parseMetricsFile(
    readFileSync(new URL(`../fixtures/lighteval/${name}`, import.meta.url), 'utf8'),
    `results/gpt2/${name}`,
  );

describe('parseMetricsFile on lighteval results', () => {
  // The gpt2 run of lighteval's documentation: `results` holds `lighteval|gsm8k|0` (qem, maj@8 with their
  // stderrs, all 0.0) and the `all` average; `config_tasks` says both metrics are higher-is-better; keys
  // on lines 18 and 20 (grep -n '"qem"\|"maj@8"'); hashes, version and document counts as in the file.
  it('reads the suite|task|n-shot layout: task without the n-shot, no `all`, settings per task', () => {
    const file = load('results_gpt2_lighteval-gsm8k-0.json');
    expect(file.format).toBe('lighteval');
    expect(file.metrics).toEqual([
      {
        key: 'lighteval|gsm8k/qem',
        task: 'lighteval|gsm8k',
        metric: 'qem',
        value: 0,
        stderr: 0,
        higherIsBetter: true,
        line: 18,
      },
      {
        key: 'lighteval|gsm8k/maj@8',
        task: 'lighteval|gsm8k',
        metric: 'maj@8',
        value: 0,
        stderr: 0,
        higherIsBetter: true,
        line: 20,
      },
    ]);
    expect(file.tasks).toEqual({
      'lighteval|gsm8k': {
        nShot: 0,
        version: '0',
        limit: 1,
        hash: '8517d5bf7e880086',
        promptHash: '8517d5bf7e880086',
        samples: { original: 1319, effective: 1 },
      },
    });
    expect(file.evaluator).toEqual({ model: 'gpt2' });
    expect(file.problems).toEqual([]);
  });

  // The current documentation's file: keys without the suite (`gsm8k|0`: em, maj@8 on lines 17 and 19),
  // `config_tasks` still keyed `lighteval|gsm8k`.
  it('reads the task|n-shot layout of recent versions', () => {
    const file = load('results_gpt2_gsm8k-0.json');
    expect(file.metrics.map((m) => [m.key, m.value, m.stderr, m.higherIsBetter, m.line])).toEqual([
      ['gsm8k/em', 0, 0, true, 17],
      ['gsm8k/maj@8', 0, 0, true, 19],
    ]);
    expect(file.tasks['gsm8k']).toEqual({
      nShot: 0,
      version: '0',
      limit: 1,
      hash: '8517d5bf7e880086',
      promptHash: '8517d5bf7e880086',
      samples: { original: 1319, effective: 1 },
    });
    expect(file.metrics.some((m) => m.task === 'all')).toBe(false);
  });

  it('puts the few-shot count of the 5-shot variant in the settings, under the same task', () => {
    const file = load('results_gpt2_lighteval-gsm8k-5.hand-made.json');
    expect(file.metrics.map((m) => m.key)).toEqual(['lighteval|gsm8k/qem', 'lighteval|gsm8k/maj@8']);
    expect(file.tasks['lighteval|gsm8k']).toMatchObject({ nShot: 5, promptHash: '0d35c4a6b2e4f11c' });
  });
});

describe('parseMetricsFile on lighteval edge cases', () => {
  it('keeps the few-shot count in the task of a task run twice in one file', () => {
    const text = JSON.stringify({
      config_general: { model_name: 'm', max_samples: null },
      results: {
        'lighteval|gsm8k|0': { qem: 0.1 },
        'lighteval|gsm8k|5': { qem: 0.3, qem_stderr: 0.02 },
        'lighteval|arc:easy|25': { acc: 0.7 },
        all: { qem: 0.2, acc: 0.7 },
      },
    });
    const file = parseMetricsFile(text, 'results.json');
    expect(file.metrics.map((m) => [m.key, m.value, m.stderr])).toEqual([
      ['lighteval|gsm8k|0/qem', 0.1, undefined],
      ['lighteval|gsm8k|5/qem', 0.3, 0.02],
      ['lighteval|arc:easy/acc', 0.7, undefined],
    ]);
    expect(file.tasks).toEqual({
      'lighteval|gsm8k|0': { nShot: 0 },
      'lighteval|gsm8k|5': { nShot: 5 },
      'lighteval|arc:easy': { nShot: 25 },
    });
  });

  it('says which task is no object of metrics, and reads the others', () => {
    const text = '{\n"config_general": {},\n"results": {\n"a|0": 3,\n"b|0": {"acc": 0.5}\n}\n}';
    const file = parseMetricsFile(text, 'results.json');
    expect(file.metrics.map((m) => m.key)).toEqual(['b/acc']);
    expect(file.problems).toEqual([{ line: 4, reason: 'results."a|0" is not an object of metrics' }]);
  });
});

describe('splitLightevalKey', () => {
  it.each([
    ['lighteval|gsm8k|5', { task: 'lighteval|gsm8k', nShot: 5 }],
    ['leaderboard|arc:challenge|25', { task: 'leaderboard|arc:challenge', nShot: 25 }],
    ['gsm8k|0', { task: 'gsm8k', nShot: 0 }],
    ['harness|hendrycksTest-anatomy|5', { task: 'harness|hendrycksTest-anatomy', nShot: 5 }],
    ['custom_task', { task: 'custom_task' }],
    ['suite|task|x', { task: 'suite|task|x' }],
  ])('%s → %j', (key, expected) => {
    expect(splitLightevalKey(key)).toEqual(expected);
  });
});

describe('isLightevalDetailsPath', () => {
  it.each([
    [
      'evals/details/gpt2/2024-02-26T15-36-31.681219/details_lighteval|gsm8k|0_2024-02-26T15-36-31.681219.parquet',
      true,
    ],
    ['details_gsm8k|0_2025-11-05T14-43-47.148527.parquet', true],
    ['outputs/details/Qwen/part.parquet', true],
    ['data/train-00000-of-00001.parquet', false],
    ['details_gsm8k.json', false],
  ])('%s → %s', (path, expected) => {
    expect(isLightevalDetailsPath(path)).toBe(expected);
  });
});
