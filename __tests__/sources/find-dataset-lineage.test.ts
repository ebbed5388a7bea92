import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseParamsFile } from '../../src/loaders/parse-params.js';
import { findDatasetLineage, parseDatasetRegistry } from '../../src/sources/find-dataset-lineage.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/params/${name}`, import.meta.url), 'utf8');
const config = (path: string, name: string) => ({
  path,
  values: parseParamsFile(fixture(name), name).values,
});

describe('findDatasetLineage', () => {
  // LLaMA-Factory's registry (fixtures/params/SOURCES.md): identity → identity.json, alpaca_en_demo →
  // alpaca_en_demo.json, dpo_en_demo → dpo_en_demo.json, kto_en_demo → kto_en_demo.json.
  const registry = parseDatasetRegistry(
    'data/dataset_info.json',
    JSON.parse(fixture('dataset_info.after-pr10284.json')),
  );
  const datasets = [
    'data/identity.json',
    'data/alpaca_en_demo.json',
    'data/dpo_en_demo.json',
    'data/kto_en_demo.json',
  ];

  it('resolves LLaMA-Factory dataset names through data/dataset_info.json', () => {
    const lineage = findDatasetLineage(
      [
        config('examples/train_full/qwen3_full_sft.yaml', 'qwen3_full_sft.yaml'),
        config('examples/train_lora/qwen3_lora_dpo.yaml', 'qwen3_lora_dpo.yaml'),
      ],
      [registry],
      datasets,
    );
    // qwen3_full_sft trains on `identity,alpaca_en_demo`, qwen3_lora_dpo on `dpo_en_demo`; nothing on kto.
    expect(Object.fromEntries(lineage)).toEqual({
      'data/identity.json': ['examples/train_full/qwen3_full_sft.yaml'],
      'data/alpaca_en_demo.json': ['examples/train_full/qwen3_full_sft.yaml'],
      'data/dpo_en_demo.json': ['examples/train_lora/qwen3_lora_dpo.yaml'],
    });
    // python3: 14 of the registry's 104 entries have a local file_name (the rest are hub or script sources).
    expect(registry.files.size).toBe(14);
  });

  it('follows local paths of Axolotl and MLX configs, a folder naming what is under it, and no hub identifier', () => {
    const values = (entries: Record<string, string>) => new Map(Object.entries(entries));
    const lineage = findDatasetLineage(
      [
        {
          path: 'axolotl.yml',
          values: values({
            'datasets[0].path': './data/chat.jsonl',
            'datasets[1].path': 'teknium/GPT4-LLM-Cleaned',
          }),
        },
        { path: 'mlx.yaml', values: values({ data: 'lora/data/' }) },
      ],
      [],
      ['data/chat.jsonl', 'lora/data/train.jsonl', 'lora/data/valid.jsonl', 'other/x.jsonl'],
    );
    expect(Object.fromEntries(lineage)).toEqual({
      'data/chat.jsonl': ['axolotl.yml'],
      'lora/data/train.jsonl': ['mlx.yaml'],
      'lora/data/valid.jsonl': ['mlx.yaml'],
    });
  });
});
