import { describe, expect, it } from '@jest/globals';
import { isTrainingSummaryMetric } from '../../src/model/training-summary.js';

describe('isTrainingSummaryMetric', () => {
  it.each([
    ['train_loss', true],
    ['train/loss', true],
    ['train_samples_per_second', true],
    ['epoch', true],
    ['total_flos', true],
    ['global_step', true],
    ['eval_runtime', true],
    ['eval_samples', true],
    ['eval_steps_per_second', true],
    ['eval_loss', false],
    ['eval_rewards/accuracies', false],
    ['acc', false],
    ['exact_match[strict-match]', false],
    ['perplexity', false],
  ])('%s: %p', (name, expected) => {
    expect(isTrainingSummaryMetric(name)).toBe(expected);
  });
});
