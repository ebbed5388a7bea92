import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseParamsFile } from '../../src/loaders/parse-params.js';
import {
  computeCanonicalParams,
  computeEffectiveBatch,
  detectFramework,
  findCanonicalName,
  resolveCanonicalKeys,
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

describe('computeCanonicalParams: each framework by its own names, at any depth', () => {
  // Expected values read off the files with python3 (yaml.safe_load / json.load, then the dotted path);
  // fixtures/params/SOURCES.md names each file's repository and commit.
  it.each([
    [
      'torchtune_llama3_2_1B_lora_single_device.yaml',
      'torchtune',
      {
        // optimizer.lr is `3e-4`, a number to OmegaConf; profiler.warmup_steps (3) is not the warmup.
        learning_rate: 0.0003,
        batch_size: 4,
        gradient_accumulation_steps: 8,
        num_epochs: 1,
        lora_r: 64,
        lora_alpha: 128,
        lora_dropout: 0,
        lora_target_modules: ['q_proj', 'v_proj', 'output_proj'],
        warmup_steps: 100,
        weight_decay: 0.01,
        precision: 'bf16',
        packing: false,
        seed: null,
        max_seq_length: null,
        base_model: '/tmp/Llama-3.2-1B-Instruct/',
        lr_scheduler: 'torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup',
        optimizer: 'torch.optim.AdamW',
      },
    ],
    [
      'verl_ppo_trainer_split.yaml',
      'verl',
      {
        // The actor's 1e-6, not the critic's 1e-5 (critic.optim.lr).
        learning_rate: 0.000001,
        global_batch_size: 1024,
        num_generations: 1,
        temperature: 1,
        kl_coef: 0.001,
        base_model: '~/models/deepseek-llm-7b-chat',
        seed: 42,
        warmup_ratio: 0,
        num_epochs: 30,
        eval_steps: -1,
        num_gpus: 8,
        eval_dataset: '~/data/rlhf/gsm8k/test.parquet',
        lr_scheduler: 'constant',
        max_steps: null,
        micro_batch_size: null,
        warmup_steps: -1,
      },
    ],
    [
      'mlx-lm_lora_config.yaml',
      'mlx-lm',
      {
        base_model: 'mlx-community/Llama-3.2-1B-Instruct-bf16',
        max_steps: 1000,
        batch_size: 4,
        learning_rate: 0.00001,
        lora_r: 8,
        lora_dropout: 0,
        lora_target_modules: ['self_attn.q_proj', 'self_attn.v_proj'],
        gradient_accumulation_steps: 1,
        eval_steps: 200,
        max_seq_length: 2048,
        seed: 0,
        optimizer: 'adamw',
      },
    ],
    [
      'llamafactory-v1_train_lora_sft.yaml',
      'llama-factory',
      {
        base_model: 'Qwen/Qwen3-4B',
        lora_r: 16,
        lora_alpha: 32,
        lora_dropout: 0.05,
        lora_target_modules: 'all',
        micro_batch_size: 1,
        max_seq_length: 2048,
        learning_rate: 0.0001,
        max_steps: 10,
      },
    ],
    [
      'deepspeed_bsz24_config.json',
      'deepspeed',
      {
        learning_rate: 0.00003,
        global_batch_size: 24,
        micro_batch_size: 3,
        weight_decay: 0,
        optimizer: 'Adam',
        precision: 'fp16',
      },
    ],
    // DVC's example project: no framework, so nested names count; prepare.seed comes first in the file.
    ['dvc-get-started_params.yaml', 'generic', { seed: 20170428 }],
  ])('%s (%s)', (file, framework, expected) => {
    const values = load(file);
    expect(detectFramework(values)).toBe(framework);
    expect(computeCanonicalParams(values)).toEqual(expected);
  });

  it.each([
    ['qwen3_full_sft.yaml', 'llama-factory'],
    ['llama3-lora-1b.before.yml', 'axolotl'],
    ['zephyr-7b-beta_sft_config_full.before-pr182.yaml', 'alignment-handbook'],
    ['accelerate_zero3.head.yaml', 'accelerate'],
    ['law-llm-lora_adapter_config.json', 'peft'],
    ['ds_z3_config.json', 'deepspeed'],
    ['alpaca-repro_wandb_config.run2.yaml', 'hf-trainer'],
  ])('recognises %s as %s', (file, framework) => {
    expect(detectFramework(load(file))).toBe(framework);
  });

  it('reads a DVC-style params.yaml by its nested names (train.lr, train.epochs)', () => {
    // DVC's example params.yaml with a `train.lr` and `train.epochs` as DVC's docs write them.
    const text = readFileSync(
      new URL('../fixtures/params/dvc-get-started_params.yaml', import.meta.url),
      'utf8',
    );
    const values = parseParamsFile(
      text.replace('  n_est: 50\n', '  lr: 0.001\n  epochs: 20\n'),
      'params.yaml',
    ).values;
    expect(resolveCanonicalKeys(values)).toEqual(
      new Map([
        ['seed', 'prepare.seed'],
        ['learning_rate', 'train.lr'],
        ['num_epochs', 'train.epochs'],
      ]),
    );
  });

  it('reads nested keys of a known framework only by its own paths', () => {
    // An Axolotl file's `wandb.lr` or a nested `seed` says nothing: only top-level names count there.
    const values = new Map<string, string | number>([
      ['base_model', 'NousResearch/Llama-3.2-1B'],
      ['extra.lr', 0.5],
      ['learning_rate', 0.0002],
    ]);
    expect(computeCanonicalParams(values)).toEqual({
      base_model: 'NousResearch/Llama-3.2-1B',
      learning_rate: 0.0002,
    });
  });

  it("reads TRL GRPO's beta as the KL coefficient, a DPO beta as the preference beta", () => {
    const grpo = new Map<string, number>([
      ['num_generations', 8],
      ['beta', 0.04],
    ]);
    const dpo = new Map<string, number>([['beta', 0.1]]);
    expect(computeCanonicalParams(grpo)).toEqual({ num_generations: 8, kl_coef: 0.04 });
    expect(computeCanonicalParams(dpo)).toEqual({ pref_beta: 0.1 });
  });
});

describe('computeEffectiveBatch', () => {
  it.each([
    [{ micro_batch_size: 2, gradient_accumulation_steps: 2 }, 4, /per device/],
    [{ micro_batch_size: 16, gradient_accumulation_steps: 1, num_gpus: 8 }, 128, /8 GPUs/],
    [{ micro_batch_size: 4 }, 4, /1 accumulation/],
    // DeepSpeed's train_batch_size 24 over micro 3 (BingBertSquad config): the global batch as written.
    [{ global_batch_size: 24, micro_batch_size: 3 }, 24, /global batch as written/],
    // torchtune's batch_size 4 × gradient_accumulation_steps 8 (Llama 3.2 1B LoRA recipe).
    [{ batch_size: 4, gradient_accumulation_steps: 8 }, 32, /4 × 8 accumulation/],
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
