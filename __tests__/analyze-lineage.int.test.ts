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
