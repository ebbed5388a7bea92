import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  findNotParamsReason,
  findNotResultsReason,
  isJsonLines,
  isLmEvalResults,
  outlineJson,
  outlineYaml,
} from '../../src/sources/sniff-content.js';

const fixture = (path: string): string =>
  readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
const whole = (text: string): { text: string; complete: boolean } => ({ text, complete: true });

describe('findNotParamsReason', () => {
  it.each([
    [
      'params/tinyllama-chat-dpo_config.json',
      "a saved model's file (_name_or_path, architectures, transformers_version), not training hyperparameters",
    ],
    [
      'params/tinyllama-chat-dpo_generation_config.json',
      "a saved model's file (transformers_version), not training hyperparameters",
    ],
    [
      'params/tinyllama-chat-dpo_tokenizer_config.json',
      "a saved tokenizer's or processor's file (added_tokens_decoder, tokenizer_class), not training hyperparameters",
    ],
    [
      'params/tinyllama-chat-dpo_special_tokens_map.json',
      "a tokenizer's special tokens (bos_token, eos_token, pad_token), not training hyperparameters",
    ],
    [
      'params/alpaca-repro_wandb_config.run2.yaml',
      'a W&B run record (wandb_version, _wandb), not a training config',
    ],
    [
      'params/llamafactory_kt_optimize_rules_DeepSeek-V2-Lite-Chat-sft-amx.yaml',
      'a YAML list, not a mapping of hyperparameters',
    ],
    // Hyperparameters: a PEFT adapter config, DeepSpeed, LLaMA-Factory, Axolotl, accelerate, a tool's YAML.
    ['params/law-llm-lora_adapter_config.json', undefined],
    ['params/ds_z3_config.json', undefined],
    ['params/qwen3_lora_dpo.yaml', undefined],
    ['params/llama3-lora-1b.after.yml', undefined],
    ['params/accelerate_zero3.head.yaml', undefined],
  ])('%s: %p', (path, reason) => {
    expect(findNotParamsReason(whole(fixture(path)), path)).toBe(reason);
  });

  it.each([
    ['a.json', '[{"lr": 1}]', 'a JSON array, not an object of hyperparameters'],
    ['a.yaml', '# comment\n---\n- a\n- b\n', 'a YAML list, not a mapping of hyperparameters'],
    ['a.yaml', '[a, b]\n', 'a YAML list, not a mapping of hyperparameters'],
    ['a.yaml', 'just text\n', 'a YAML scalar, not a mapping of hyperparameters'],
    ['a.yaml', '', undefined],
    ['a.yaml', '%YAML 1.1\n--- # comment\nlr: 0.1\n', undefined],
    ['a.yaml', '"quoted key": 1\n', undefined],
    ['a.json', '', undefined],
    ['a.json', '{"model_type": "llama", "learning_rate": 1e-4}', undefined],
    ['a.toml', 'lr = 0.1\n', undefined],
    // A cut prefix still shows the top-level keys read so far.
    [
      'config.json',
      '{\n  "architectures": ["LlamaForCausalLM"],\n  "hidden',
      "a saved model's file (architectures), not training hyperparameters",
    ],
  ])('%s %p: %p', (path, text, reason) => {
    expect(findNotParamsReason({ text, complete: false }, path)).toBe(reason);
  });
});

describe('findNotResultsReason', () => {
  it.each([
    ['metrics/alpacadatacleaned_piqa_template.after.json', 'holds no number: not evaluation results'],
    [
      'metrics/tinyllama-chat-dpo_train_results.json',
      "a training run's summary (epoch, train_loss, train_runtime): no evaluation metric",
    ],
    [
      'metrics/qlora-diverging_metrics.json',
      "a training run's summary (train_runtime, train_samples_per_second, train_steps_per_second): no evaluation metric",
    ],
    ['metrics/tinyllama-chat-dpo_all_results.json', undefined],
    ['metrics/tinyllama-chat-dpo_eval_results.json', undefined],
    ['metrics/v047_rwkv7-1.5b_lambada_run-good.json', undefined],
    ['metrics/harness-legacy_llama-7B_gsm8k_8-shot.json', undefined],
    ['metrics/hand-made_dvc-metrics.yaml', undefined],
    // Bare NaN literals are no valid JSON for the outline: the file is left to the full read.
    ['metrics/hand-made_lm-eval-python-nan.json', undefined],
  ])('%s: %p', (path, reason) => {
    expect(findNotResultsReason(whole(fixture(path)), path)).toBe(reason);
  });

  it.each([
    ['a.json', '[{"acc": 0.5}]', true, 'a JSON array, not an object of metrics'],
    ['metrics.yaml', '- acc: 0.5\n', true, 'a YAML list, not a mapping of metrics'],
    ['metrics.yaml', 'name: run\nnote: none\n', true, 'holds no number: not evaluation results'],
    ['metrics.yaml', 'eval:\n  acc: "0.5"\n', true, undefined],
    ['a.json', '{"prompt": "p", "acc": "0.91"}', true, undefined],
    // Part of a file cannot tell that no number follows.
    ['a.json', '{"prompt": "a very long template', false, undefined],
    ['a.json', '{"train_loss": 1.2, "epoch": 3', false, undefined],
    ['a.csv', 'acc\n0.5\n', true, undefined],
  ])('%s %p (whole: %p): %p', (path, text, complete, reason) => {
    expect(findNotResultsReason({ text, complete }, path)).toBe(reason);
  });
});

describe('isLmEvalResults', () => {
  it.each([
    ['metrics/v047_rwkv7-1.5b_lambada_run-good.json', true],
    ['metrics/v047_qwen2.5-1.5b_results.json', true],
    ['metrics/harness-legacy_llama-7B_common_sense_reasoning_0-shot.json', true],
    ['metrics/tinyllama-chat-dpo_all_results.json', false],
    ['metrics/hand-made_dvc-metrics.yaml', false],
  ])('%s: %p', (path, expected) => {
    // Only the first 64 KiB are read: the Qwen file (113.7 KiB) is judged from its start.
    expect(isLmEvalResults(outlineJson(fixture(path).slice(0, 64 * 1024)))).toBe(expected);
  });

  it('wants tasks of metrics under results, beside an lm-eval key', () => {
    expect(isLmEvalResults(outlineJson('{"results": {"acc": 0.5}, "versions": {}}'))).toBe(false);
    expect(isLmEvalResults(outlineJson('{"results": {"arc": {"acc": 0.5}}}'))).toBe(false);
    expect(isLmEvalResults(outlineJson('{"results": {"arc": {"acc": 0.5}}, "n-shot": {"arc": 0}}'))).toBe(
      true,
    );
  });
});

describe('isJsonLines', () => {
  it.each([
    ['datasets/qlora_zero_shot_mmlu_val.head40.json', true],
    ['datasets/llamafactory_identity.base.json', false],
    ['datasets/axolotl_fixture_conversation.json', false],
  ])('%s: %p', (path, expected) => {
    expect(isJsonLines(fixture(path))).toBe(expected);
  });

  it.each([
    ['\uFEFF{"a": 1}\r\n\r\n{"a": 2}\r\n', true],
    ['{"a": 1}\n', false],
    ['{"a": 1}\n[1]\n', false],
    ['[1]\n[2]\n', false],
    ['{"a": \n1}\n{"a": 2}\n', false],
  ])('%p: %p', (text, expected) => {
    expect(isJsonLines(text)).toBe(expected);
  });
});

describe('outlineYaml', () => {
  it('reads the top-level keys at the start of lines, and the shape from the first line of content', () => {
    expect(outlineYaml('# a\nwandb_version: 1\n\n_wandb:\n  desc: null\nlr: {value: 1}\n')).toEqual({
      shape: 'mapping',
      keys: ['wandb_version', '_wandb', 'lr'],
    });
    expect(outlineYaml('--- - a\n')).toEqual({ shape: 'list', keys: [] });
    expect(outlineYaml('\n# only a comment\n')).toEqual({ shape: undefined, keys: [] });
  });
});
