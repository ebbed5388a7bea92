import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { diffParams, equalValues } from '../../src/diff/diff-params.js';
import { parseParamsFile } from '../../src/loaders/parse-params.js';

const load = (name: string) =>
  parseParamsFile(readFileSync(new URL(`../fixtures/params/${name}`, import.meta.url), 'utf8'), name);

describe('diffParams on real before/after pairs', () => {
  // `diff before after` of each pair shows exactly these lines.
  it('axolotl PR #2897: warmup_steps 10 became warmup_ratio 0.1', () => {
    const changes = diffParams(load('llama3-lora-1b.before.yml'), load('llama3-lora-1b.after.yml'));
    expect(changes).toEqual([
      { key: 'warmup_ratio', kind: 'added', head: 0.1, line: 57 },
      { key: 'warmup_steps', kind: 'removed', base: 10 },
    ]);
  });

  it('alignment-handbook PR #182: evaluation_strategy renamed, flash attention key replaced', () => {
    const changes = diffParams(
      load('zephyr-7b-beta_sft_config_full.before-pr182.yaml'),
      load('zephyr-7b-beta_sft_config_full.after-pr182.yaml'),
    );
    expect(changes).toEqual([
      { key: 'attn_implementation', kind: 'added', head: 'flash_attention_2', line: 5 },
      {
        key: 'eval_strategy',
        kind: 'renamed',
        baseKey: 'evaluation_strategy',
        base: 'epoch',
        head: 'epoch',
        line: 19,
      },
      { key: 'use_flash_attention_2', kind: 'removed', base: true },
    ]);
  });

  it('axolotl PR #992: val_set_size 0.05 → 0.1', () => {
    const changes = diffParams(load('mistral-qlora.before.yml'), load('mistral-qlora.after.yml'));
    expect(changes).toEqual([{ key: 'val_set_size', kind: 'changed', base: 0.05, head: 0.1, line: 14 }]);
  });

  it('a file added in the PR lists every key as added', () => {
    const head = load('law-llm-lora_adapter_config.json');
    const changes = diffParams(undefined, head);
    expect(changes).toHaveLength(head.values.size);
    expect(changes.every((change) => change.kind === 'added')).toBe(true);
    expect(changes.find((change) => change.key === 'r')).toEqual({
      key: 'r',
      kind: 'added',
      head: 4,
      canonical: 'lora_r',
      line: 22,
    });
  });

  it('a deleted file lists every key as removed', () => {
    const base = load('accelerate_zero3.head.yaml');
    const changes = diffParams(base, undefined);
    expect(changes.map((change) => change.kind)).toEqual(Array(base.values.size).fill('removed'));
  });

  it('compares lists as wholes and ignores number spelling', () => {
    const base = parseParamsFile('lr: 1e-4\nmods: [q_proj, v_proj]\n', 'a.yaml');
    const head = parseParamsFile('lr: "0.0001"\nmods: [q_proj, k_proj, v_proj]\n', 'a.yaml');
    expect(diffParams(base, head)).toEqual([
      {
        key: 'mods',
        kind: 'changed',
        base: ['q_proj', 'v_proj'],
        head: ['q_proj', 'k_proj', 'v_proj'],
        line: 2,
      },
    ]);
  });
});

describe('equalValues', () => {
  it.each([
    [1, '1.0', true],
    ['1e-4', 0.0001, true],
    ['auto', 'auto', true],
    ['auto', 8, false],
    [null, false, false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
  ])('%p vs %p → %p', (a, b, expected) => {
    expect(equalValues(a, b)).toBe(expected);
  });
});
