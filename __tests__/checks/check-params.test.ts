import { describe, expect, it } from '@jest/globals';
import { checkParams, describeChange } from '../../src/checks/check-params.js';
import { groupFindings } from '../../src/checks/group-findings.js';
import type { Finding } from '../../src/model/report-schema.js';
import {
  configOf,
  contextOf,
  datasetEntry,
  fixtureText,
  metricsEntry,
  paramsEntry,
} from './helpers/build-context.js';

/*
 * Real hyperparameter files (fixtures/params, SOURCES.md there). Variants are made here by replacing one
 * line of the real file, so each test changes exactly one value; line numbers are those of the real files
 * (`grep -n` on them): in llama3-lora-1b.before.yml, base_model is on line 1, val_set_size 9,
 * sequence_len 15, lora_r 20, gradient_accumulation_steps 38, micro_batch_size 39, num_epochs 40,
 * learning_rate 44.
 */

const LORA = fixtureText('params/llama3-lora-1b.before.yml');
const LORA_PATH = 'examples/llama-3/lora-1b.yml';
const RESULTS = fixtureText('metrics/v047_rwkv7-1.5b_lambada_run-good.json');

const lora = (from: string, to: string): string => {
  if (!LORA.includes(from)) throw new Error(`not in the fixture: ${from}`);
  return LORA.replace(from, to);
};

const risky = (head: string, yaml = ''): Finding[] =>
  checkParams(
    contextOf({ config: configOf(yaml), params: [paramsEntry(LORA_PATH, { base: LORA, head })] }),
  ).filter((f) => f.check === 'params-risky-change');

describe('params-risky-change: Axolotl batch_size', () => {
  // Axolotl commit fb3d40f (fixtures/params/SOURCES.md): `batch_size: 8` over `micro_batch_size: 4` (2
  // accumulation steps, 8 per device) became `micro_batch_size: 40` with `gradient_accumulation_steps: 2`
  // (80 per device): ×10, learning rate 0.0002 unchanged. Without batch_size the base reads as 4, and ×20.
  const BEFORE = fixtureText('params/axolotl_falcon-7b-qlora.before-fb3d40f.yml');
  const AFTER = fixtureText('params/axolotl_falcon-7b-qlora.after-fb3d40f.yml');
  const PATH = 'examples/falcon/config-7b-qlora.yml';

  it('counts batch_size as micro batch × accumulation: a real ×10, not ×20', () => {
    const findings = checkParams(
      contextOf({ params: [paramsEntry(PATH, { base: BEFORE, head: AFTER })] }),
    ).filter((f) => f.title.startsWith('Effective batch size'));
    expect(findings.map((f) => [f.title, f.evidence, f.location])).toEqual([
      [
        `Effective batch size went ×10: 8 → 80 in ${PATH}, learning rate unchanged (0.0002)`,
        { base: 8, head: 80 },
        { path: PATH, line: 33 },
      ],
    ]);
  });

  it('is the batch itself without a micro batch (MLX, torchtune)', () => {
    const mlx = (size: number): string =>
      `model: mlx-community/Mistral-7B\nbatch_size: ${size}\nlearning_rate: 1e-5\n`;
    const findings = checkParams(
      contextOf({ params: [paramsEntry('lora_config.yaml', { base: mlx(4), head: mlx(16) })] }),
    ).filter((f) => f.title.startsWith('Effective batch size'));
    expect(findings.map((f) => f.title)).toEqual([
      'Effective batch size went ×4: 4 → 16 in lora_config.yaml, learning rate unchanged (1e-5)',
    ]);
  });
});

describe('params-risky-change: a held-out split in the training data', () => {
  // alignment-handbook PR #221 (fixtures/params/SOURCES.md): `dataset_splits: [train_prefs, test_prefs]`
  // (test_prefs evaluated) became a `dataset_mixture` whose second entry trains on test_prefs (line 17).
  const BEFORE = fixtureText('params/zephyr-7b-beta_dpo_config_full.before-pr221.yaml');
  const AFTER = fixtureText('params/zephyr-7b-beta_dpo_config_full.after-pr221.yaml');
  const PATH = 'recipes/zephyr-7b-beta/dpo/config_full.yaml';
  const heldOut = (base: string | undefined, head: string, yaml = ''): Finding[] =>
    checkParams(
      contextOf({
        config: configOf(yaml),
        params: [paramsEntry(PATH, base === undefined ? { head } : { base, head })],
      }),
    ).filter((f) => f.title.startsWith('Held-out split'));

  it('is a warning on the line of the split the pull request adds', () => {
    expect(heldOut(BEFORE, AFTER)).toEqual([
      {
        check: 'params-risky-change',
        severity: 'warning',
        title: `Held-out split in the training data of ${PATH}`,
        details: [
          'dataset_mixture.datasets[1].split: test_prefs (HuggingFaceH4/ultrafeedback_binarized)',
          'A split named for evaluation is trained on: any evaluation on it, the dataset’s published benchmark numbers included, now scores rows the model has learnt.',
        ],
        evidence: { head: 'HuggingFaceH4/ultrafeedback_binarized:test_prefs' },
        location: { path: PATH, line: 17 },
      },
    ]);
  });

  it('is silent when base already trained on it, on the old `dataset_splits` list, and on Axolotl `test_datasets`', () => {
    expect(heldOut(AFTER, AFTER.replace('bf16: true', 'bf16: false'))).toEqual([]);
    expect(heldOut(undefined, BEFORE)).toEqual([]);
    const axolotl = 'base_model: x\ntest_datasets:\n  - path: org/set\n    split: test\n';
    expect(heldOut(undefined, axolotl)).toEqual([]);
  });

  it('reads Axolotl `datasets[].split` and TRL `dataset_train_split`, and names each split', () => {
    const axolotl =
      'base_model: x\ndatasets:\n  - path: org/a\n    split: train\n  - path: org/b\n    split: validation\n';
    expect(heldOut(undefined, axolotl).map((f) => f.details[0])).toEqual([
      'datasets[1].split: validation (org/b)',
    ]);
    const trl = 'model_name_or_path: x\ndataset_name: trl-lib/tldr\ndataset_train_split: test\n';
    expect(heldOut(undefined, trl).map((f) => f.details[0])).toEqual([
      'dataset_train_split: test (trl-lib/tldr)',
    ]);
  });

  it('is turned off with the check', () => {
    expect(heldOut(BEFORE, AFTER, 'checks:\n  params-risky-change: { severity: off }\n')).toEqual([]);
  });
});

describe('params-risky-change across a rename', () => {
  // Axolotl's Llama-3.2-1B LoRA example (line 6: datasets[0].path teknium/GPT4-LLM-Cleaned; num_epochs 1 on
  // line 40), as if moved to another path with two epochs: the jump is flagged while the data is the same,
  // and told as a notice when the moved config trains on other data (another experiment).
  const renamed = (head: string): Finding[] => {
    const entry = paramsEntry(LORA_PATH, { base: LORA, head });
    entry.report.comparedWith = { path: 'examples/old/lora.yml', reason: 'renamed', similarity: 0.6 };
    return checkParams(contextOf({ params: [entry] })).filter((f) => f.check === 'params-risky-change');
  };
  const twoEpochs = lora('num_epochs: 1\n', 'num_epochs: 2\n');

  it('same data: a warning', () => {
    expect(renamed(twoEpochs).map((f) => [f.severity, f.title])).toEqual([
      ['warning', `Epochs went ×2: 1 → 2 in ${LORA_PATH}`],
    ]);
  });

  it('other data: a notice saying what it was compared with and which data changed', () => {
    const [finding, ...rest] = renamed(
      twoEpochs.replace('teknium/GPT4-LLM-Cleaned', 'mhenrichsen/alpaca_2k_test'),
    );
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('notice');
    expect(finding?.details[0]).toBe(
      'Compared with examples/old/lora.yml, which trained on other data (teknium/GPT4-LLM-Cleaned → mhenrichsen/alpaca_2k_test): a value chosen for other data, told rather than flagged.',
    );
  });

  it('other data in place (no rename): still a warning', () => {
    const head = twoEpochs.replace('teknium/GPT4-LLM-Cleaned', 'mhenrichsen/alpaca_2k_test');
    expect(risky(head).map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('params-risky-change on a preference beta', () => {
  // LLaMA-Factory's Qwen3 LoRA DPO example (fixtures/params/SOURCES.md): pref_beta 0.1 on line 11.
  const DPO = fixtureText('params/qwen3_lora_dpo.yaml');
  const PATH = 'examples/train_lora/qwen3_lora_dpo.yaml';
  const beta = (value: string, yaml = ''): Finding[] =>
    checkParams(
      contextOf({
        config: configOf(yaml),
        params: [
          paramsEntry(PATH, { base: DPO, head: DPO.replace('pref_beta: 0.1', `pref_beta: ${value}`) }),
        ],
      }),
    ).filter((f) => f.check === 'params-risky-change');

  it.each([
    // 0.1 → 0.01 is ÷10, as alignment-handbook's zephyr DPO recipe once did with `beta`.
    ['0.01', '', [['Preference beta went ÷10: 0.1 → 0.01 in examples/train_lora/qwen3_lora_dpo.yaml', 11]]],
    ['0.2', '', []],
    [
      '0.2',
      'checks:\n  params-risky-change: { beta-factor: 2 }\n',
      [['Preference beta went ×2: 0.1 → 0.2 in examples/train_lora/qwen3_lora_dpo.yaml', 11]],
    ],
  ])('pref_beta 0.1 → %s (%p)', (value, yaml, expected) => {
    expect(beta(value, yaml).map((f) => [f.title, f.location?.line])).toEqual(expected);
  });
});

describe('params-changed', () => {
  it('Axolotl lora-1b before/after PR #2897: one notice listing both keys, at the first changed line', () => {
    const after = fixtureText('params/llama3-lora-1b.after.yml');
    expect(checkParams(contextOf({ params: [paramsEntry(LORA_PATH, { base: LORA, head: after })] }))).toEqual(
      [
        {
          check: 'params-changed',
          severity: 'notice',
          title: `Hyperparameters in ${LORA_PATH}: 2 changed`,
          details: ['warmup_ratio: added 0.1', 'warmup_steps: removed (was 10)'],
          location: { path: LORA_PATH, line: 57 },
        },
      ],
    );
  });

  it.each([
    ['a new file', { head: LORA }, 'Hyperparameters in examples/llama-3/lora-1b.yml: new file'],
    ['a deleted file', { base: LORA }, 'Hyperparameters in examples/llama-3/lora-1b.yml: file deleted'],
  ])('names %s', (_name, sides, title) => {
    const [finding] = checkParams(contextOf({ params: [paramsEntry(LORA_PATH, sides)] }));
    expect(finding?.title).toBe(title);
    expect(finding?.details).toHaveLength(20);
  });

  it('is silent for an unchanged file and when turned off', () => {
    expect(checkParams(contextOf({ params: [paramsEntry(LORA_PATH, { base: LORA, head: LORA })] }))).toEqual(
      [],
    );
    const off = configOf('checks:\n  params-changed: { severity: off }\n');
    const entry = paramsEntry(LORA_PATH, { base: LORA, head: lora('num_epochs: 1\n', 'num_epochs: 1.5\n') });
    expect(checkParams(contextOf({ config: off, params: [entry] }))).toEqual([]);
  });

  it.each([
    [{ key: 'lr', kind: 'changed', base: 0.0002, head: 0.002 }, 'lr: 0.0002 → 0.002'],
    [{ key: 'seed', kind: 'added', head: 42 }, 'seed: added 42'],
    [{ key: 'tf32', kind: 'removed', base: false }, 'tf32: removed (was false)'],
    [
      { key: 'eval_strategy', kind: 'renamed', baseKey: 'evaluation_strategy', base: 'epoch', head: 'epoch' },
      'evaluation_strategy → eval_strategy: "epoch" → "epoch"',
    ],
    [{ key: 'x', kind: 'renamed', head: ['a', 'b'] }, '? → x: ∅ → ["a","b"]'],
  ] as const)('describes %j as %p', (change, text) => {
    expect(describeChange(change)).toBe(text);
  });
});

describe('params-risky-change', () => {
  it('learning rate ×10 on line 44 is a warning with both values', () => {
    expect(risky(lora('learning_rate: 0.0002\n', 'learning_rate: 0.002\n'))).toEqual([
      {
        check: 'params-risky-change',
        severity: 'warning',
        title: `Learning rate went ×10: 0.0002 → 0.002 in ${LORA_PATH}`,
        details: ['Jumps of ×3 or more are flagged (checks.params-risky-change).'],
        evidence: { base: 0.0002, head: 0.002 },
        location: { path: LORA_PATH, line: 44 },
      },
    ]);
  });

  it.each([
    ['learning rate ×2', 'learning_rate: 0.0002\n', 'learning_rate: 0.0004\n', '', []],
    [
      'learning rate ×3',
      'learning_rate: 0.0002\n',
      'learning_rate: 0.0006\n',
      '',
      ['Learning rate went ×3: 0.0002 → 0.0006 in examples/llama-3/lora-1b.yml'],
    ],
    [
      'learning rate ÷10',
      'learning_rate: 0.0002\n',
      'learning_rate: 2e-5\n',
      '',
      ['Learning rate went ÷10: 0.0002 → 2e-5 in examples/llama-3/lora-1b.yml'],
    ],
    [
      'learning rate ×10 under lr-factor 20',
      'learning_rate: 0.0002\n',
      'learning_rate: 0.002\n',
      'checks:\n  params-risky-change: { lr-factor: 20 }\n',
      [],
    ],
    [
      'epochs 1 → 2',
      'num_epochs: 1\n',
      'num_epochs: 2\n',
      '',
      ['Epochs went ×2: 1 → 2 in examples/llama-3/lora-1b.yml'],
    ],
    ['epochs 1 → 1.5', 'num_epochs: 1\n', 'num_epochs: 1.5\n', '', []],
    [
      'LoRA rank 16 → 64',
      'lora_r: 16\n',
      'lora_r: 64\n',
      '',
      ['LoRA rank went ×4: 16 → 64 in examples/llama-3/lora-1b.yml'],
    ],
    ['LoRA rank 16 → 32', 'lora_r: 16\n', 'lora_r: 32\n', '', []],
    [
      'LoRA rank 16 → 32 under rank-factor 2',
      'lora_r: 16\n',
      'lora_r: 32\n',
      'checks:\n  params-risky-change: { rank-factor: 2 }\n',
      ['LoRA rank went ×2: 16 → 32 in examples/llama-3/lora-1b.yml'],
    ],
    // Effective batch per device: 2 × 2 = 4 on base.
    [
      'micro batch 2 → 8 (effective 4 → 16)',
      'micro_batch_size: 2\n',
      'micro_batch_size: 8\n',
      '',
      [
        'Effective batch size went ×4: 4 → 16 in examples/llama-3/lora-1b.yml, learning rate unchanged (0.0002)',
      ],
    ],
    // ×2 with the fixture's learning rate (0.0002, line 44) left as it is: alignment-handbook's zephyr LoRA DPO
    // recipe once went 2 × 16 → 2 × 32 this way.
    [
      'accumulation 2 → 4 (effective 4 → 8), learning rate unchanged',
      'gradient_accumulation_steps: 2\n',
      'gradient_accumulation_steps: 4\n',
      '',
      [
        'Effective batch size went ×2: 4 → 8 in examples/llama-3/lora-1b.yml, learning rate unchanged (0.0002)',
      ],
    ],
    [
      'accumulation 2 → 4, learning rate unchanged, batch-factor-same-lr 3',
      'gradient_accumulation_steps: 2\n',
      'gradient_accumulation_steps: 4\n',
      'checks:\n  params-risky-change: { batch-factor-same-lr: 3 }\n',
      [],
    ],
    [
      'accumulation 2 → 3 (effective 4 → 6), learning rate unchanged',
      'gradient_accumulation_steps: 2\n',
      'gradient_accumulation_steps: 3\n',
      '',
      [],
    ],
    [
      'sequence length 2048 → 1024',
      'sequence_len: 2048\n',
      'sequence_len: 1024\n',
      '',
      ['Maximum sequence length cut from 2,048 to 1,024 tokens in examples/llama-3/lora-1b.yml'],
    ],
    ['sequence length 2048 → 4096', 'sequence_len: 2048\n', 'sequence_len: 4096\n', '', []],
    [
      'a new base model',
      'base_model: NousResearch/Llama-3.2-1B\n',
      'base_model: Qwen/Qwen2.5-1.5B\n',
      '',
      [
        'Base model changed from NousResearch/Llama-3.2-1B to Qwen/Qwen2.5-1.5B in examples/llama-3/lora-1b.yml',
      ],
    ],
    [
      'val_set_size 0.1 → 0',
      'val_set_size: 0.1\n',
      'val_set_size: 0\n',
      '',
      ['Evaluation during training was turned off in examples/llama-3/lora-1b.yml'],
    ],
    ['val_set_size 0.1 → 0.05', 'val_set_size: 0.1\n', 'val_set_size: 0.05\n', '', []],
    [
      'a risky change with the check off',
      'learning_rate: 0.0002\n',
      'learning_rate: 0.002\n',
      'checks:\n  params-risky-change: { severity: off }\n',
      [],
    ],
  ])('%s', (_name, from, to, yaml, titles) => {
    expect(risky(lora(from, to), yaml).map((f) => f.title)).toEqual(titles);
  });

  it.each([
    ['learning_rate: 0.0002\n', 'learning_rate: 0.002\n', 44],
    ['num_epochs: 1\n', 'num_epochs: 4\n', 40],
    ['lora_r: 16\n', 'lora_r: 4\n', 20],
    ['micro_batch_size: 2\n', 'micro_batch_size: 16\n', 39],
    ['gradient_accumulation_steps: 2\n', 'gradient_accumulation_steps: 16\n', 38],
    ['sequence_len: 2048\n', 'sequence_len: 512\n', 15],
    ['base_model: NousResearch/Llama-3.2-1B\n', 'base_model: x/y\n', 1],
    ['val_set_size: 0.1\n', 'val_set_size: 0\n', 9],
  ])('points at the changed line: %p → %p on line %p', (from, to, line) => {
    expect(risky(lora(from, to)).map((f) => f.location)).toEqual([{ path: LORA_PATH, line }]);
  });

  it('the effective-batch finding carries the batch note and the learning-rate advice', () => {
    const [finding] = risky(lora('micro_batch_size: 2\n', 'micro_batch_size: 8\n'));
    expect(finding?.details).toEqual([
      'per device: 8 × 2 accumulation; multiply by the number of GPUs',
      'The learning rate usually moves with the batch size; jumps of ×2 with the same learning rate are flagged (checks.params-risky-change.batch-factor-same-lr), ×4 otherwise.',
    ]);
  });

  it('a batch ×2 that moves the learning rate with it is not flagged; ×4 is, with the plain advice', () => {
    const doubled = lora('gradient_accumulation_steps: 2\n', 'gradient_accumulation_steps: 4\n');
    expect(risky(doubled.replace('learning_rate: 0.0002\n', 'learning_rate: 0.0003\n'))).toEqual([]);
    const quadrupled = lora('gradient_accumulation_steps: 2\n', 'gradient_accumulation_steps: 8\n');
    const [finding] = risky(quadrupled.replace('learning_rate: 0.0002\n', 'learning_rate: 0.0003\n'));
    expect(finding?.title).toBe('Effective batch size went ×4: 4 → 16 in examples/llama-3/lora-1b.yml');
    expect(finding?.details).toEqual([
      'per device: 2 × 8 accumulation; multiply by the number of GPUs',
      'The learning rate usually needs to move with it.',
    ]);
  });

  it('eval_strategy "no" turns evaluation off (alignment-handbook zephyr recipe, line 19)', () => {
    const path = 'recipes/zephyr/config_full.yaml';
    const base = fixtureText('params/zephyr-7b-beta_sft_config_full.after-pr182.yaml');
    const head = base.replace('eval_strategy: epoch\n', 'eval_strategy: "no"\n');
    const findings = checkParams(contextOf({ params: [paramsEntry(path, { base, head })] }));
    expect(findings.filter((f) => f.check === 'params-risky-change')).toEqual([
      {
        check: 'params-risky-change',
        severity: 'warning',
        title: `Evaluation during training was turned off in ${path}`,
        details: ['Without eval loss, overfitting cannot be seen in the training log.'],
        location: { path, line: 19 },
      },
    ]);
  });

  it.each([
    // The real pairs: none of them is a risky jump.
    ['Axolotl lora-1b PR #2897', 'params/llama3-lora-1b.before.yml', 'params/llama3-lora-1b.after.yml'],
    ['Axolotl mistral qlora PR #992', 'params/mistral-qlora.before.yml', 'params/mistral-qlora.after.yml'],
    [
      'alignment-handbook zephyr PR #182 (same base model on both sides)',
      'params/zephyr-7b-beta_sft_config_full.before-pr182.yaml',
      'params/zephyr-7b-beta_sft_config_full.after-pr182.yaml',
    ],
  ])('is silent on %s', (_name, base, head) => {
    const entry = paramsEntry('config.yml', { base: fixtureText(base), head: fixtureText(head) });
    expect(checkParams(contextOf({ params: [entry] })).map((f) => f.check)).toEqual(['params-changed']);
  });

  it('judges only modified files: a new config with a huge learning rate is a notice, not a jump', () => {
    const entry = paramsEntry(LORA_PATH, { head: lora('learning_rate: 0.0002\n', 'learning_rate: 0.5\n') });
    expect(checkParams(contextOf({ params: [entry] })).map((f) => f.check)).toEqual(['params-changed']);
  });
});

describe('params-stale-eval', () => {
  const results = (sides: { base?: string; head?: string }, path = 'results/lambada.json') =>
    metricsEntry(path, sides);
  const unchanged = results({ base: RESULTS, head: RESULTS });
  const edited = lora('num_epochs: 1\n', 'num_epochs: 1.5\n');
  const changedParams = paramsEntry(LORA_PATH, { base: LORA, head: edited });
  // The same config in a project's configs/ folder, beside its results/.
  const PROJECT_CONFIG = 'configs/lora-1b.yml';
  const projectParams = paramsEntry(PROJECT_CONFIG, { base: LORA, head: edited });
  const stale = (parts: Parameters<typeof contextOf>[0]) =>
    checkParams(contextOf(parts)).filter((f) => f.check === 'params-stale-eval');

  it("a project's config changed, its results byte-identical: a warning on the results file", () => {
    expect(stale({ params: [projectParams], metrics: [unchanged] })).toEqual([
      {
        check: 'params-stale-eval',
        severity: 'warning',
        title: 'results/lambada.json not re-run though hyperparameters changed',
        details: [
          `Changed: ${PROJECT_CONFIG}.`,
          'Its numbers describe the old setup; re-run the evaluation and commit the new results.',
        ],
        location: { path: 'results/lambada.json' },
      },
    ]);
  });

  it("results under the config's output_dir are its own, wherever the config sits", () => {
    // examples/llama-3/lora-1b.yml: output_dir ./outputs/lora-out (line 10).
    const own = results({ base: RESULTS, head: RESULTS }, 'outputs/lora-out/eval_results.json');
    expect(stale({ params: [changedParams], metrics: [own] }).map((f) => [f.severity, f.title])).toEqual([
      ['warning', 'outputs/lora-out/eval_results.json not re-run though hyperparameters changed'],
    ]);
  });

  it('nothing ties an example config to results elsewhere: a notice saying so', () => {
    const [finding] = stale({ params: [changedParams], metrics: [unchanged] });
    expect(finding?.severity).toBe('notice');
    expect(finding?.title).toBe('results/lambada.json not re-run though hyperparameters changed');
    expect(finding?.details[1]).toMatch(/^A notice: nothing ties these results to the change/);
  });

  it('changed data counts when a config the results belong to trains on it; lists at most five causes', async () => {
    const valid = fixtureText('datasets/mlx_wikisql_valid.jsonl');
    const data = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => datasetEntry(`data/part-${n}.jsonl`, 'train', { head: valid })),
    );
    const unlinked = stale({ datasets: data, metrics: [unchanged] });
    expect(unlinked.map((f) => [f.severity, f.title])).toEqual([
      ['notice', 'results/lambada.json not re-run though data changed'],
    ]);
    expect(unlinked[0]?.details[0]).toBe(
      'Changed: data/part-1.jsonl, data/part-2.jsonl, data/part-3.jsonl, data/part-4.jsonl, data/part-5.jsonl, ….',
    );
    // The project's config trains on part 1: hyperparameters and that data are the cause, nothing else.
    const lineage = new Map([['data/part-1.jsonl', [PROJECT_CONFIG]]]);
    const config = paramsEntry(PROJECT_CONFIG, { base: LORA, head: LORA });
    const linked = stale({ params: [config], datasets: data, metrics: [unchanged], lineage });
    expect(linked.map((f) => [f.severity, f.title, f.details[0]])).toEqual([
      ['warning', 'results/lambada.json not re-run though data changed', 'Changed: data/part-1.jsonl.'],
    ]);
    const both = stale({ params: [projectParams], datasets: data, metrics: [unchanged], lineage });
    expect(both.map((f) => f.title)).toEqual([
      'results/lambada.json not re-run though hyperparameters and data changed',
    ]);
  });

  it("qlora: a new dataset no config trains on leaves an earlier experiment's results alone", async () => {
    // 2cce07f6: dataset/final-data/*.parquet added; output/all_results.json and its siblings untouched;
    // no config names the new data. One notice for the three files, worded for several.
    const data = await datasetEntry('dataset/final-data/part-0.jsonl', 'train', {
      head: fixtureText('datasets/mlx_wikisql_valid.jsonl'),
    });
    const files = ['output/all_results.json', 'output/metrics.json', 'output/train_results.json'];
    const findings = groupFindings(
      stale({
        datasets: [data],
        metrics: files.map((path) => results({ base: RESULTS, head: RESULTS }, path)),
      }),
    );
    expect(findings.map((f) => [f.severity, f.title])).toEqual([
      ['notice', 'output/all_results.json and 2 more files not re-run though data changed'],
    ]);
  });

  it('is silent when the results were re-run, when nothing changed, and when turned off', () => {
    const rerun = results({
      base: RESULTS,
      head: fixtureText('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json'),
    });
    expect(checkParams(contextOf({ params: [changedParams], metrics: [rerun] })).map((f) => f.check)).toEqual(
      ['params-changed'],
    );
    expect(checkParams(contextOf({ metrics: [results({ base: RESULTS, head: RESULTS })] }))).toEqual([]);
    const off = configOf('checks:\n  params-stale-eval: { severity: off }\n');
    expect(
      checkParams(
        contextOf({
          config: off,
          params: [changedParams],
          metrics: [results({ base: RESULTS, head: RESULTS })],
        }),
      ).map((f) => f.check),
    ).toEqual(['params-changed']);
  });
});

describe('params-stale-eval: the model the results evaluated', () => {
  // The rwkv7 results record `"model_args": "pretrained=fla-hub/rwkv7-1.5B-world,trust_remote_code=True"`;
  // the variants below point it at the Axolotl config's output (`output_dir: ./outputs/lora-out`, line 10)
  // or base model (`base_model: NousResearch/Llama-3.2-1B`, line 1).
  const evaluating = (model: string, acc = '0.6881428294197555'): string =>
    RESULTS.replace('pretrained=fla-hub/rwkv7-1.5B-world', `pretrained=${model}`).replace(
      '"acc,none": 0.6881428294197555',
      `"acc,none": ${acc}`,
    );
  const run = (paramsHead: string, results: { base: string; head: string }): Finding[] =>
    checkParams(
      contextOf({
        params: [paramsEntry(LORA_PATH, { base: LORA, head: paramsHead })],
        metrics: [metricsEntry('results/lambada.json', results)],
      }),
    ).filter((f) => f.check === 'params-stale-eval');

  it('results re-run, but on the output the PR moved away from', () => {
    const head = lora('output_dir: ./outputs/lora-out', 'output_dir: ./outputs/lora-v2');
    const findings = run(head, {
      base: evaluating('./outputs/lora-out'),
      head: evaluating('outputs/lora-out/', '0.69'),
    });
    expect(findings.map((f) => [f.title, f.location])).toEqual([
      [
        'results/lambada.json evaluates outputs/lora-out/, the old output_dir of examples/llama-3/lora-1b.yml; head trains into ./outputs/lora-v2',
        { path: 'results/lambada.json' },
      ],
    ]);
    // Evaluating the new output is what the PR should do: nothing to say.
    expect(
      run(head, { base: evaluating('./outputs/lora-out'), head: evaluating('./outputs/lora-v2', '0.69') }),
    ).toEqual([]);
  });

  it('results of the untuned base model', () => {
    const head = lora('learning_rate: 0.0002', 'learning_rate: 0.0001');
    const findings = run(head, {
      base: evaluating('./outputs/lora-out'),
      head: evaluating('NousResearch/Llama-3.2-1B', '0.5'),
    });
    expect(findings.map((f) => f.title)).toEqual([
      'results/lambada.json evaluates the base model NousResearch/Llama-3.2-1B, not the model examples/llama-3/lora-1b.yml fine-tunes from it',
    ]);
  });
});

describe('params-risky-change: evaluation turned off by removal', () => {
  // LLaMA-Factory commit 332f637 "disable valset by default (#6690)" commented out the eval block
  // (`val_size: 0.1`, `per_device_eval_batch_size: 1`, `eval_strategy: steps`, `eval_steps: 500`) in 26
  // example configs; three of them are fixtures (fixtures/params/SOURCES.md).
  const FILES = [
    ['examples/train_lora/llama3_lora_sft.yaml', 'llama3_lora_sft'],
    ['examples/train_lora/llama3_lora_dpo.yaml', 'llama3_lora_dpo'],
    ['examples/train_full/llama3_full_sft.yaml', 'llama3_full_sft'],
  ] as const;
  const entryOf = ([path, name]: (typeof FILES)[number]) =>
    paramsEntry(path, {
      base: fixtureText(`params/llamafactory_${name}.before-6690.yaml`),
      head: fixtureText(`params/llamafactory_${name}.after-6690.yaml`),
    });
  const evalOff = (findings: Finding[]): Finding[] =>
    findings.filter((f) => f.title.startsWith('Evaluation during training'));
  const DETAILS = [
    'Removed or commented out: val_size, eval_strategy, eval_steps; without them the trainer does not evaluate.',
    'Without eval loss, overfitting cannot be seen in the training log.',
  ];

  it('is reported like eval_strategy "no", on the file', () => {
    const [first] = FILES;
    expect(evalOff(checkParams(contextOf({ params: [entryOf(first)] })))).toEqual([
      {
        check: 'params-risky-change',
        severity: 'warning',
        title: `Evaluation during training was turned off in ${first[0]}`,
        details: DETAILS,
        location: { path: first[0] },
      },
    ]);
  });

  it('the commit’s configs form one grouped finding', () => {
    const grouped = evalOff(groupFindings(checkParams(contextOf({ params: FILES.map(entryOf) }))));
    expect(grouped.map((f) => [f.title, f.details, f.also])).toEqual([
      [
        'Evaluation during training was turned off in examples/train_lora/llama3_lora_sft.yaml and 2 more files',
        [
          ...DETAILS,
          'Also in examples/train_lora/llama3_lora_dpo.yaml, examples/train_full/llama3_full_sft.yaml.',
        ],
        [
          { path: 'examples/train_lora/llama3_lora_dpo.yaml' },
          { path: 'examples/train_full/llama3_full_sft.yaml' },
        ],
      ],
    ]);
  });

  it('is not reported when the removed settings are renamed, or where the framework evaluates by default', () => {
    const before = fixtureText('params/llamafactory_llama3_lora_sft.before-6690.yaml');
    const renamed = before.replace('eval_strategy: steps', 'evaluation_strategy: steps');
    expect(
      evalOff(checkParams(contextOf({ params: [paramsEntry('a.yaml', { base: before, head: renamed })] }))),
    ).toEqual([]);
    // MLX-LM evaluates every 200 steps unless told otherwise: dropping steps_per_eval keeps evaluation on.
    const mlx = fixtureText('params/mlx-lm_lora_config.yaml');
    const dropped = mlx.replace('steps_per_eval: 200\n', '');
    expect(dropped).not.toBe(mlx);
    expect(
      evalOff(
        checkParams(contextOf({ params: [paramsEntry('lora_config.yaml', { base: mlx, head: dropped })] })),
      ),
    ).toEqual([]);
  });
});

describe('params-risky-change on nested learning rates', () => {
  it.each([
    // verl: the actor's optim.lr (line 53) moves ×10; the critic's (line 108) is another model's.
    [
      'verl_ppo_trainer_split.yaml',
      'actor_rollout_ref.actor.optim.lr',
      '      lr: 1e-6\n',
      '      lr: 1e-5\n',
      'Learning rate went ×10: 1e-6 → 1e-5 in cfg',
      53,
    ],
    [
      'verl_ppo_trainer_split.yaml',
      'critic.optim.lr',
      '    lr: 1e-5\n',
      '    lr: 1e-4\n',
      undefined,
      undefined,
    ],
    // DeepSpeed: optimizer.params.lr (line 8) 3e-5 → 3e-4.
    [
      'deepspeed_bsz24_config.json',
      'optimizer.params.lr',
      '"lr": 3e-5',
      '"lr": 3e-4',
      'Learning rate went ×10: 3e-5 → 0.0003 in cfg',
      8,
    ],
    // torchtune: optimizer.lr (line 60) 3e-4 → 3e-5.
    [
      'torchtune_llama3_2_1B_lora_single_device.yaml',
      'optimizer.lr',
      'lr: 3e-4',
      'lr: 3e-5',
      'Learning rate went ÷10: 0.0003 → 3e-5 in cfg',
      60,
    ],
  ])('%s: %s', (file, key, from, to, title, line) => {
    const base = fixtureText(`params/${file}`);
    if (!base.includes(from)) throw new Error(`not in the fixture: ${from}`);
    const entry = paramsEntry(file.endsWith('.json') ? 'cfg.json' : 'cfg.yaml', {
      base,
      head: base.replace(from, to),
    });
    const findings = checkParams(contextOf({ params: [entry] })).filter((f) =>
      f.title.startsWith('Learning rate'),
    );
    const path = entry.report.path;
    expect(findings.map((f) => [f.title, f.location?.line])).toEqual(
      title === undefined ? [] : [[title.replace('cfg', path), line]],
    );
    expect(entry.report.changes.map((c) => [c.key, c.canonical])).toEqual([
      [key, key === 'critic.optim.lr' ? undefined : 'learning_rate'],
    ]);
  });
});

describe('params-risky-change: alignment-handbook DPO beta', () => {
  // zephyr-7b-beta DPO recipe (fixtures/params/SOURCES.md): `beta: 0.01` on line 16.
  it('beta 0.01 → 0.1 is a warning with the beta-factor threshold', () => {
    const base = fixtureText('params/zephyr-7b-beta_dpo_config_full.before-pr221.yaml');
    const path = 'recipes/zephyr-7b-beta/dpo/config_full.yaml';
    const head = base.replace('beta: 0.01', 'beta: 0.1');
    expect(risky2(path, base, head).map((f) => [f.severity, f.title, f.location?.line])).toEqual([
      ['warning', `Preference beta went ×10: 0.01 → 0.1 in ${path}`, 16],
    ]);
  });
});

const risky2 = (path: string, base: string, head: string): Finding[] =>
  checkParams(contextOf({ params: [paramsEntry(path, { base, head })] })).filter(
    (f) => f.check === 'params-risky-change',
  );

describe('params-text-number', () => {
  const textNumbers = (path: string, base: string, head: string): Finding[] =>
    checkParams(contextOf({ params: [paramsEntry(path, { base, head })] })).filter(
      (f) => f.check === 'params-text-number',
    );
  // The zephyr SFT recipe without its dataset_mixer block (two lines blanked, so lines stay) is a plain
  // TrainingArguments file, as HF example scripts read with HfArgumentParser.parse_yaml_file.
  const RECIPE = fixtureText('params/zephyr-7b-beta_sft_config_full.before-pr182.yaml');
  const PLAIN_HF = RECIPE.replace('dataset_mixer:\n  HuggingFaceH4/ultrachat_200k: 1.0\n', '#\n#\n');
  const QWEN = fixtureText('params/qwen3_full_sft.yaml');

  it('warns when a plain TrainingArguments file gets learning_rate: 2e-05 (line 26)', () => {
    expect(PLAIN_HF).not.toBe(RECIPE);
    const findings = textNumbers(
      'sft.yaml',
      PLAIN_HF,
      PLAIN_HF.replace('learning_rate: 2.0e-05', 'learning_rate: 2e-05'),
    );
    expect(findings.map((f) => [f.severity, f.title, f.details[0], f.location])).toEqual([
      [
        'warning',
        'learning_rate: 2e-05 reaches HF TrainingArguments as text in sft.yaml',
        'learning_rate: 2e-05 is the string "2e-05" to PyYAML; write 2.0e-05.',
        { path: 'sft.yaml', line: 26 },
      ],
    ]);
  });

  it('tells LLaMA-Factory configs as a notice: older versions pass the string on (issues #4014, #4149)', () => {
    const findings = textNumbers(
      'qwen3_full_sft.yaml',
      QWEN,
      QWEN.replace('learning_rate: 1.0e-5', 'learning_rate: 1e-5'),
    );
    expect(findings.map((f) => [f.severity, f.title, f.location?.line])).toEqual([
      ['notice', 'learning_rate: 1e-5 reaches LLaMA-Factory as text in qwen3_full_sft.yaml', 31],
    ]);
    expect(findings[0]?.details[1]).toContain('PR #8505');
  });

  it.each([
    // Frameworks whose loader converts the value: the trainer gets the number.
    [
      'alignment-handbook (TrlParser)',
      'recipe.yaml',
      RECIPE,
      'learning_rate: 2.0e-05',
      'learning_rate: 2e-05',
    ],
    ['Axolotl (pydantic)', 'lora-1b.yml', LORA, 'learning_rate: 0.0002', 'learning_rate: 2e-4'],
    [
      'torchtune (OmegaConf)',
      'lora.yaml',
      fixtureText('params/torchtune_llama3_2_1B_lora_single_device.yaml'),
      'lr: 3e-4',
      'lr: 1e-4',
    ],
    [
      'MLX-LM (its float resolver)',
      'lora_config.yaml',
      fixtureText('params/mlx-lm_lora_config.yaml'),
      'learning_rate: 1e-5',
      'learning_rate: 2e-5',
    ],
    // Already text on base: the pull request did not write it.
    [
      'an unchanged text number',
      'sft.yaml',
      PLAIN_HF.replace('2.0e-05', '2e-05'),
      'num_train_epochs: 1',
      'num_train_epochs: 2',
    ],
  ])('none for %s', (_name, path, base, from, to) => {
    if (!base.includes(from)) throw new Error(`not in the fixture: ${from}`);
    expect(textNumbers(path, base, base.replace(from, to))).toEqual([]);
  });
});

describe('params-risky-change on framework-specific LoRA ranks and DVC params', () => {
  it.each([
    // LLaMA-Factory v1: peft_config.r (line 7) 16 → 64.
    [
      'llamafactory-v1_train_lora_sft.yaml',
      '  r: 16\n',
      '  r: 64\n',
      'LoRA rank went ×4: 16 → 64 in cfg.yaml',
      7,
    ],
    // MLX-LM: lora_parameters.rank (line 79) 8 → 32.
    ['mlx-lm_lora_config.yaml', '  rank: 8\n', '  rank: 32\n', 'LoRA rank went ×4: 8 → 32 in cfg.yaml', 79],
    // torchtune: model.lora_rank (line 25) 64 → 16.
    [
      'torchtune_llama3_2_1B_lora_single_device.yaml',
      'lora_rank: 64',
      'lora_rank: 16',
      'LoRA rank went ÷4: 64 → 16 in cfg.yaml',
      25,
    ],
  ])('%s', (file, from, to, title, line) => {
    const base = fixtureText(`params/${file}`);
    if (!base.includes(from)) throw new Error(`not in the fixture: ${from}`);
    expect(risky2('cfg.yaml', base, base.replace(from, to)).map((f) => [f.title, f.location?.line])).toEqual([
      [title, line],
    ]);
  });

  it('a DVC params.yaml: train.lr ×10 (DVC example project with a learning rate under train:)', () => {
    const dvc = fixtureText('params/dvc-get-started_params.yaml').replace('  n_est: 50\n', '  lr: 0.001\n');
    const findings = risky2('params.yaml', dvc, dvc.replace('lr: 0.001', 'lr: 0.01'));
    // params.yaml: prepare (1–3), blank, featurize (5–7), blank, train: seed (10), lr (11).
    expect(findings.map((f) => [f.title, f.location?.line])).toEqual([
      ['Learning rate went ×10: 0.001 → 0.01 in params.yaml', 11],
    ]);
  });
});
