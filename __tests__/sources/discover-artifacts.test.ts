import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse-config.js';
import { discoverArtifacts, findShardPattern } from '../../src/sources/discover-artifacts.js';
import { guessSplit, isHeldOutSplit } from '../../src/model/splits.js';
import { parseDatasetCard } from '../../src/sources/read-dataset-cards.js';

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

  it("takes PyTorch Lightning's and NeMo's metrics.csv for training logs, not datasets", () => {
    const found = discoverArtifacts(
      [
        'lightning_logs/version_0/metrics.csv',
        'logs/my_model/version_3/metrics.csv',
        'nemo_experiments/megatron_gpt_peft/2024-05-01_10-00-00/metrics.csv',
        'data/metrics.csv',
      ],
      defaults,
    ).map((a) => [a.path, a.kind]);
    expect(found).toEqual([
      // A metrics.csv elsewhere is a CSV by name; its header decides when the pull request changes it.
      ['data/metrics.csv', 'dataset'],
      ['lightning_logs/version_0/metrics.csv', 'training-log'],
      ['logs/my_model/version_3/metrics.csv', 'training-log'],
      ['nemo_experiments/megatron_gpt_peft/2024-05-01_10-00-00/metrics.csv', 'training-log'],
    ]);
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
      {
        path: 'configs/sft.yaml',
        kind: 'params',
        by: 'name',
        reason: 'its name matches **/configs/**/*.{yaml,yml,json,toml}',
      },
      {
        path: 'corpus/a.jsonl',
        kind: 'dataset',
        split: 'train',
        by: 'config',
        reason: "the config's datasets list names it (corpus/*.jsonl)",
      },
      {
        path: 'corpus/heldout.csv',
        kind: 'dataset',
        split: 'test',
        by: 'config',
        reason: "the config's datasets list names it (corpus/heldout.csv), split test from its name",
      },
      {
        path: 'evals/x/score.json',
        kind: 'metrics',
        by: 'config',
        reason: "the config's metrics list names it (evals/**/*.json)",
      },
    ]);
  });

  it('finds nothing in an empty commit', () => {
    expect(discoverArtifacts([], defaults)).toEqual([]);
  });
});

describe('sharded datasets', () => {
  it.each([
    ['data/train-00001-of-00004.parquet', 'data/train-*-of-*.parquet'],
    ['hf/data/validation-00000-of-00002.jsonl', 'hf/data/validation-*-of-*.jsonl'],
    ['default/train/0000.parquet', 'default/train/*.parquet'],
    ['out/part-00000-3f2c1a9e-c000.snappy.parquet', 'out/*.parquet'],
    ['data/train/part-0.jsonl', 'data/train/*.jsonl'],
    ['data/train.jsonl', undefined],
    ['data/v1.2.jsonl', undefined],
    ['0000.parquet', undefined],
  ])('%s is a shard of %s', (path, pattern) => {
    expect(findShardPattern(path)).toBe(pattern);
  });

  it('makes one dataset of the shards of a split, across base and head shardings, and leaves lone files alone', () => {
    const found = discoverArtifacts(
      [
        'data/train-00000-of-00002.parquet',
        'data/train-00001-of-00002.parquet',
        'data/train-00000-of-00003.parquet',
        'data/test-00000-of-00001.parquet',
        'wiki/validation/0000.jsonl',
        'wiki/validation/0001.jsonl',
        'wiki/train.jsonl',
        'configs/0001.yaml',
      ],
      defaults,
    );
    const dataFiles = 'its name matches **/*.{jsonl,ndjson,csv,tsv,parquet}';
    expect(found).toEqual([
      {
        path: 'configs/0001.yaml',
        kind: 'params',
        by: 'name',
        reason: 'its name matches **/configs/**/*.{yaml,yml,json,toml}',
      },
      {
        path: 'data/test-00000-of-00001.parquet',
        kind: 'dataset',
        split: 'test',
        by: 'name',
        reason: `${dataFiles}, split test from its name`,
      },
      {
        path: 'data/train-*-of-*.parquet',
        kind: 'dataset',
        split: 'train',
        files: [
          'data/train-00000-of-00002.parquet',
          'data/train-00000-of-00003.parquet',
          'data/train-00001-of-00002.parquet',
        ],
        by: 'name',
        reason: `3 shards of one dataset; ${dataFiles}, split train from its name`,
      },
      {
        path: 'wiki/train.jsonl',
        kind: 'dataset',
        split: 'train',
        by: 'name',
        reason: `${dataFiles}, split train from its name`,
      },
      {
        path: 'wiki/validation/*.jsonl',
        kind: 'dataset',
        split: 'validation',
        files: ['wiki/validation/0000.jsonl', 'wiki/validation/0001.jsonl'],
        by: 'name',
        reason: `2 shards of one dataset; ${dataFiles}, split validation from its name`,
      },
    ]);
  });

  it('groups the shards a config names, keeping its split', () => {
    const config = parseConfig('datasets:\n  - { path: "held/*.jsonl", split: test }\n', 'c.yml');
    expect(discoverArtifacts(['held/part-0.jsonl', 'held/part-1.jsonl', 'data/train.jsonl'], config)).toEqual(
      [
        {
          path: 'held/*.jsonl',
          kind: 'dataset',
          split: 'test',
          files: ['held/part-0.jsonl', 'held/part-1.jsonl'],
          by: 'config',
          reason: "2 shards of one dataset; the config's datasets list names it (held/*.jsonl)",
        },
      ],
    );
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
    ['data/holdout.jsonl', 'test'],
    ['fastchat/llm_judge/data/mt_bench/question.jsonl', 'eval'],
    ['wwdc25/data/all.jsonl', 'all'],
    ['data/full.jsonl', 'all'],
    ['data/combined.csv', 'all'],
    ['data/allergies.jsonl', 'train'],
  ])('%s → %s', (path, split) => {
    expect(guessSplit(path)).toBe(split);
  });

  it.each([
    ['validation', true],
    ['test', true],
    ['eval', true],
    ['train', false],
    ['all', false],
  ])('%s held out: %p', (split, heldOut) => {
    expect(isHeldOutSplit(split)).toBe(heldOut);
  });
});

describe('discoverArtifacts leaves out what a model wrote', () => {
  it.each([
    'fastchat/llm_judge/data/mt_bench/model_answer/vicuna-7b.jsonl',
    'fastchat/llm_judge/data/mt_bench/model_judgment/gpt-4_single.jsonl',
    'eval/ratings-gpt4/vicuna.jsonl',
    'eval/generations/guanaco-7b.jsonl',
  ])('%s is not a dataset', (path) => {
    expect(discoverArtifacts([path], parseConfig('', '.github/tuneguard.yml'))).toEqual([]);
  });
});

describe('discoverArtifacts: names that are never hyperparameter files', () => {
  it.each([
    '.pre-commit-config.yaml',
    'tools/.readthedocs-config.yml',
    'wandb/run-20230707_160014-5hx57wy1/files/config.yaml',
    'pyrightconfig.json',
  ])('%s', (path) => {
    expect(discoverArtifacts([path], defaults)).toEqual([]);
  });

  it('unless the config names them', () => {
    const config = parseConfig('params: ["wandb/**/config.yaml"]\n', 'c.yml');
    expect(discoverArtifacts(['wandb/run-1/files/config.yaml'], config)).toEqual([
      {
        path: 'wandb/run-1/files/config.yaml',
        kind: 'params',
        by: 'config',
        reason: "the config's params list names it (wandb/**/config.yaml)",
      },
    ]);
  });
});

describe('discoverArtifacts with a dataset card', () => {
  const card = parseDatasetCard(
    [
      '---',
      'configs:',
      '- config_name: default',
      '  data_files:',
      '  - split: train',
      '    path: data/train-*',
      '  - split: test',
      '    path: data/holdout-*',
      '  - split: validation',
      '    path: extra/notes.json',
      '---',
    ].join('\n'),
    'README.md',
  );
  const cards = card ? [card] : [];
  const paths = [
    'README.md',
    'data/train-00000-of-00002.parquet',
    'data/train-00001-of-00002.parquet',
    'data/holdout-00000-of-00001.parquet',
    'extra/notes.json',
  ];

  it('takes the splits it declares, groups its shards, and claims the files it names wherever they are', () => {
    expect(discoverArtifacts(paths, defaults, cards)).toEqual([
      {
        path: 'data/holdout-00000-of-00001.parquet',
        kind: 'dataset',
        split: 'test',
        by: 'dataset-card',
        reason: 'README.md declares it split test (config default)',
      },
      {
        path: 'data/train-*-of-*.parquet',
        kind: 'dataset',
        split: 'train',
        files: ['data/train-00000-of-00002.parquet', 'data/train-00001-of-00002.parquet'],
        by: 'dataset-card',
        reason: '2 shards of one dataset; README.md declares it split train (config default)',
      },
      {
        path: 'extra/notes.json',
        kind: 'dataset',
        split: 'validation',
        by: 'dataset-card',
        reason: 'README.md declares it split validation (config default)',
      },
    ]);
  });

  it('gives way to the datasets the config names', () => {
    const config = parseConfig('datasets: ["data/train-*.parquet"]\n', 'c.yml');
    expect(discoverArtifacts(paths, config, cards).map((a) => [a.path, a.split, a.by])).toEqual([
      ['data/train-*-of-*.parquet', 'train', 'config'],
    ]);
  });
});

describe('discoverArtifacts and hidden folders', () => {
  // lm-eval writes results for `--model_args pretrained=./outputs/ckpt` under `<output>/.__outputs__ckpt/`
  // (the model path with `/` as `__`), and `../ckpt` gives `..__ckpt`.
  it.each([
    'eval/.__outputs__ckpt/results_2025-03-03T00-05-19.750676.json',
    '..__ckpt/results_2025-03-03T00-05-19.750676.json',
  ])('reviews lm-eval results in a model folder named after a relative path: %s', (path) => {
    expect(discoverArtifacts([path], defaults).map((a) => [a.path, a.kind])).toEqual([[path, 'metrics']]);
  });

  it.each(['.cache/results.json', '.venv/lib/data/train.jsonl', '.__ckpt/.cache/results.json'])(
    'leaves the files of other hidden folders alone: %s',
    (path) => {
      expect(discoverArtifacts([path], defaults)).toEqual([]);
    },
  );

  it('reviews a hidden folder the config lists', () => {
    const config = parseConfig("metrics: ['.eval/*.json']\n", '.github/tuneguard.yml');
    expect(discoverArtifacts(['.eval/scores.json', '.cache/results.json'], config)).toMatchObject([
      { path: '.eval/scores.json', kind: 'metrics', by: 'config' },
    ]);
  });
});
