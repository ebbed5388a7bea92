import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture } from './checks/helpers/analyze-pair.js';

/*
 * What uses what, on real temporary git repositories. The launcher config is alignment-handbook's
 * accelerate ZeRO-3 file (num_processes: 8, fixtures/params/SOURCES.md).
 */

const zero3 = fixture('params/accelerate_zero3.head.yaml');
const sft = (micro: number) =>
  `per_device_train_batch_size: ${micro}\ngradient_accumulation_steps: 2\nlearning_rate: 2.0e-5\n`;

describe('the GPU count of the effective batch size', () => {
  it('comes from the launcher config in the training config’s own folder', async () => {
    const report = await analyzePair(
      { 'recipes/zephyr/sft.yaml': sft(4), 'recipes/zephyr/zero3.yaml': zero3 },
      { 'recipes/zephyr/sft.yaml': sft(8), 'recipes/zephyr/zero3.yaml': zero3 },
    );
    const derived = report.params.find((p) => p.path === 'recipes/zephyr/sft.yaml')?.derived;
    // 4 × 2 × 8 = 64 → 8 × 2 × 8 = 128.
    expect([derived?.base.effectiveBatchSize, derived?.head.effectiveBatchSize]).toEqual([64, 128]);
  });

  it('is not guessed from a launcher config elsewhere in the repository', async () => {
    const report = await analyzePair(
      { 'recipes/zephyr/sft.yaml': sft(4), 'recipes/accelerate_configs/zero3.yaml': zero3 },
      { 'recipes/zephyr/sft.yaml': sft(8), 'recipes/accelerate_configs/zero3.yaml': zero3 },
    );
    const derived = report.params.find((p) => p.path === 'recipes/zephyr/sft.yaml')?.derived;
    // Per device only: 4 × 2 = 8 → 8 × 2 = 16, and the note says the GPU count is not known.
    expect([derived?.base.effectiveBatchSize, derived?.head.effectiveBatchSize]).toEqual([8, 16]);
    expect(derived?.head.effectiveBatchNote).toBe(
      'per device: 8 × 2 accumulation; multiply by the number of GPUs',
    );
  });
});

describe('the max sequence length a dataset is judged against', () => {
  // LLaMA-Factory's layout: data/dataset_info.json names identity → identity.json and dpo_en_demo →
  // dpo_en_demo.json (fixtures/params/SOURCES.md); the data are the real demo files.
  const registry = fixture('params/dataset_info.after-pr10284.json');
  const identity = fixture('datasets/llamafactory_identity.base.json');
  const dpo = fixture('datasets/llamafactory_dpo_en_demo.json').toString('utf8');
  const config = (dataset: string, cutoff: number) =>
    `stage: sft\ndataset: ${dataset}\ncutoff_len: ${cutoff}\n`;

  it('is the one of the configs that train on it, not the smallest in the repository', async () => {
    // The pull request cuts the SFT config's cutoff to 16 tokens and drops one DPO pair: the identity rows
    // (trained by sft.yaml) are now cut, the DPO rows (trained by dpo.yaml at 8192) are not.
    const lessDpo = JSON.stringify((JSON.parse(dpo) as unknown[]).slice(1), null, 2);
    const report = await analyzePair(
      {
        'data/dataset_info.json': registry,
        'data/identity.json': identity,
        'data/dpo_en_demo.json': dpo,
        'examples/sft.yaml': config('identity', 1024),
        'examples/dpo.yaml': config('dpo_en_demo', 8192),
      },
      { 'data/dpo_en_demo.json': lessDpo, 'examples/sft.yaml': config('identity', 16) },
    );
    const truncation = report.findings.filter((f) => f.check === 'data-truncation');
    expect(truncation.map((f) => f.location?.path)).toEqual(['data/identity.json']);
    expect(truncation[0]?.title).toMatch(
      /is longer than the max sequence length 16 of examples\/sft\.yaml \(was /,
    );
  });

  it('is not guessed when configs name other datasets but not this one', async () => {
    const report = await analyzePair(
      {
        'data/dataset_info.json': registry,
        'data/identity.json': identity,
        'examples/dpo.yaml': config('dpo_en_demo', 1024),
      },
      { 'examples/dpo.yaml': config('dpo_en_demo', 16) },
    );
    expect(report.findings.filter((f) => f.check === 'data-truncation')).toEqual([]);
  });
});

describe('a union of the splits', () => {
  it('is no train split: the valid rows it holds are not leakage', async () => {
    // MLX's wikisql: 40 train rows and 10 valid rows, and all.jsonl made of both, as mlx-examples' wwdc25 data has.
    const lines = (name: string, count: number) =>
      fixture(`datasets/${name}`).toString('utf8').split('\n').slice(0, count).join('\n') + '\n';
    const train = lines('mlx_wikisql_train.base.jsonl', 40);
    const valid = lines('mlx_wikisql_valid.jsonl', 10);
    const report = await analyzePair(
      { 'data/train.jsonl': train, 'data/valid.jsonl': valid },
      { 'data/all.jsonl': train + valid },
    );
    expect(report.datasets.map((d) => [d.path, d.split])).toEqual([
      ['data/all.jsonl', 'all'],
      ['data/train.jsonl', 'train'],
      ['data/valid.jsonl', 'validation'],
    ]);
    expect(report.findings.filter((f) => f.check === 'data-leakage')).toEqual([]);
    // Its rows are the splits' rows again: no duplicate or near-duplicate finding of its own.
    expect(report.findings.filter((f) => f.location?.path === 'data/all.jsonl')).toEqual([]);
  });
});
