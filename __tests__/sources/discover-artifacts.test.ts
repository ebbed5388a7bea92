import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse-config.js';
import { discoverArtifacts, guessSplit, isHeldOutSplit } from '../../src/sources/discover-artifacts.js';

const defaults = parseConfig('', 'c.yml');

describe('discoverArtifacts without a config', () => {
  // Layouts of real projects: LLaMA-Factory, Axolotl, alignment-handbook, lm-eval output, HF Trainer output.
  const paths = [
    'README.md',
    'package.json',
    '.github/workflows/ci.yml',
    '.github/tuneguard.yml',
    'data/alpaca_en_demo.json',
    'data/dataset_info.json',
    'data/identity.json',
    'lora/data/train.jsonl',
    'lora/data/valid.jsonl',
    'lora/data/test.jsonl',
    'hf/data/train-00000-of-00001.parquet',
    'examples/train_lora/qwen3_lora_dpo.yaml',
    'examples/deepspeed/ds_z3_config.json',
    'recipes/zephyr-7b-beta/sft/config_full.yaml',
    'recipes/accelerate_configs/zero3.yaml',
    'params.yaml',
    'results/meta-llama__Llama-3.2-1B/results_2025-03-03T00-05-19.750676.json',
    'output/all_results.json',
    'output/eval_results.json',
    'output/trainer_state.json',
    'saves/trainer_log.jsonl',
    'results/meta-llama__Llama-3.2-1B/samples_arc_easy_2025-03-03T00-05-19.750676.jsonl',
    'src/train.py',
    'node_modules/x/data/train.jsonl',
  ];

  it('sorts each file into its kind, and leaves the rest alone', () => {
    const found = Object.fromEntries(
      discoverArtifacts(paths, defaults).map((a) => [a.path, a.split ?? a.kind]),
    );
    expect(found).toEqual({
      'data/alpaca_en_demo.json': 'train',
      'data/identity.json': 'train',
      'lora/data/train.jsonl': 'train',
      'lora/data/valid.jsonl': 'validation',
      'lora/data/test.jsonl': 'test',
      'hf/data/train-00000-of-00001.parquet': 'train',
      'examples/train_lora/qwen3_lora_dpo.yaml': 'params',
      'examples/deepspeed/ds_z3_config.json': 'params',
      'recipes/zephyr-7b-beta/sft/config_full.yaml': 'params',
      'recipes/accelerate_configs/zero3.yaml': 'params',
      'params.yaml': 'params',
      'results/meta-llama__Llama-3.2-1B/results_2025-03-03T00-05-19.750676.json': 'metrics',
      'output/all_results.json': 'metrics',
      'output/eval_results.json': 'metrics',
      'output/trainer_state.json': 'training-log',
      'results/meta-llama__Llama-3.2-1B/samples_arc_easy_2025-03-03T00-05-19.750676.jsonl': 'eval-samples',
      'saves/trainer_log.jsonl': 'training-log',
    });
  });

  it('follows the config where it names files, and keeps discovering the kinds it leaves out', () => {
    const config = parseConfig(
      [
        'datasets:',
        '  - { path: "corpus/*.jsonl", split: train }',
        '  - corpus/heldout.csv',
        'metrics: ["evals/**/*.json"]',
        'ignore: ["recipes/**"]',
      ].join('\n'),
      'c.yml',
    );
    const artifacts = discoverArtifacts(
      [
        'corpus/a.jsonl',
        'corpus/heldout.csv',
        'data/train.jsonl',
        'evals/x/score.json',
        'recipes/sft.yaml',
        'configs/sft.yaml',
      ],
      config,
    );
    expect(artifacts).toEqual([
      { path: 'configs/sft.yaml', kind: 'params' },
      { path: 'corpus/a.jsonl', kind: 'dataset', split: 'train' },
      { path: 'corpus/heldout.csv', kind: 'dataset', split: 'test' },
      { path: 'evals/x/score.json', kind: 'metrics' },
    ]);
  });

  it('finds nothing in an empty commit', () => {
    expect(discoverArtifacts([], defaults)).toEqual([]);
  });
});

describe('guessSplit', () => {
  it.each([
    ['data/train.jsonl', 'train'],
    ['data/valid.jsonl', 'validation'],
    ['data/dev-00001.jsonl', 'validation'],
    ['wikisql/test.jsonl', 'test'],
    ['data/eval_set.csv', 'eval'],
    ['validation/part-0.jsonl', 'validation'],
    ['data/alpaca_en_demo.json', 'train'],
    ['data/interval.jsonl', 'train'],
  ])('%s → %s', (path, split) => {
    expect(guessSplit(path)).toBe(split);
  });

  it.each([
    ['validation', true],
    ['test', true],
    ['eval', true],
    ['train', false],
  ])('%s held out: %p', (split, heldOut) => {
    expect(isHeldOutSplit(split)).toBe(heldOut);
  });
});
