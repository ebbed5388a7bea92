import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseParamsFile } from '../../src/loaders/parse-params.js';
import {
  computeCanonicalParams,
  computeEffectiveBatch,
  findCanonicalName,
} from '../../src/profile/compute-canonical-params.js';

const load = (name: string) =>
  parseParamsFile(readFileSync(new URL(`../fixtures/params/${name}`, import.meta.url), 'utf8'), name).values;

describe('computeCanonicalParams', () => {
  // Values read off the files: Axolotl names vs LLaMA-Factory / HF names for the same things.
  it.each([
    [
      'llama3-lora-1b.after.yml',
      {
        learning_rate: 0.0002,
        micro_batch_size: 2,
        gradient_accumulation_steps: 2,
        num_epochs: 1,
        lora_r: 16,
        max_seq_length: 2048,
        base_model: 'NousResearch/Llama-3.2-1B',
      },
    ],
    [
      'qwen3_full_sft.yaml',
      {
        learning_rate: 1e-5,
        micro_batch_size: 1,
        gradient_accumulation_steps: 2,
        num_epochs: 3,
        max_seq_length: 2048,
      },
    ],
    ['law-llm-lora_adapter_config.json', { lora_r: 4, lora_alpha: 8 }],
  ])('%s', (file, expected) => {
    expect(computeCanonicalParams(load(file))).toMatchObject(expected);
  });

  it.each([
    ['micro_batch_size', 'micro_batch_size'],
    ['per_device_train_batch_size', 'micro_batch_size'],
    ['num_train_epochs', 'num_epochs'],
    ['lora_rank', 'lora_r'],
    ['cutoff_len', 'max_seq_length'],
    ['sequence_len', 'max_seq_length'],
    ['lora.r', undefined],
    ['output_dir', undefined],
  ])('%s → %p', (key, canonical) => {
    expect(findCanonicalName(key)).toBe(canonical);
  });
});

describe('computeEffectiveBatch', () => {
  it.each([
    [{ micro_batch_size: 2, gradient_accumulation_steps: 2 }, 4, /per device/],
    [{ micro_batch_size: 16, gradient_accumulation_steps: 1, num_gpus: 8 }, 128, /8 GPUs/],
    [{ micro_batch_size: 4 }, 4, /1 accumulation/],
  ])('%p → %p', (params, value, note) => {
    const result = computeEffectiveBatch(params);
    expect(result.value).toBe(value);
    expect(result.note).toMatch(note);
  });

  it('is unknown for DeepSpeed "auto" and without a batch size', () => {
    // The same params with a number instead of "auto" do give a figure: only "auto" hides it.
    expect(computeEffectiveBatch({ micro_batch_size: 4, gradient_accumulation_steps: 2 }).value).toBe(8);
    for (const params of [
      { micro_batch_size: 'auto', gradient_accumulation_steps: 2 },
      { learning_rate: 1e-5 },
    ]) {
      const result = computeEffectiveBatch(params);
      expect(result.value).toBeUndefined();
      expect(result.note).toBeUndefined();
    }
  });
});
