import { describe, expect, it } from '@jest/globals';
import { computeDirection } from '../../src/loaders/compute-direction.js';

describe('computeDirection by naming conventions', () => {
  // Metric names as the loader reports them for the fixtures in __tests__/fixtures/metrics
  // (lm-eval keys without their `,none` filter, HF and W&B keys as written).
  it.each([
    // lm-eval ≥0.4 and legacy
    ['lambada_openai', 'acc', 'higher'],
    ['hellaswag', 'acc_norm', 'higher'],
    ['lambada_openai', 'perplexity', 'lower'],
    ['cola', 'mcc', 'higher'],
    ['mrpc', 'f1', 'higher'],
    ['mc_taco', 'em', 'higher'],
    ['gsm8k', 'exact_match[strict-match]', 'higher'],
    ['gsm8k', 'exact_match[flexible-extract]', 'higher'],
    ['wikitext', 'word_perplexity', 'lower'],
    ['wikitext', 'byte_perplexity', 'lower'],
    ['wikitext', 'bits_per_byte', 'lower'],
    // HF all_results.json (tinyllama-chat-dpo, qlora-diverging)
    ['all', 'epoch', 'unknown'],
    ['all', 'eval_loss', 'lower'],
    ['all', 'eval_rewards/accuracies', 'higher'],
    ['all', 'eval_rewards/margins', 'higher'],
    ['all', 'eval_rewards/chosen', 'unknown'],
    ['all', 'eval_rewards/rejected', 'unknown'],
    ['all', 'eval_logits/chosen', 'unknown'],
    ['all', 'eval_logps/rejected', 'unknown'],
    ['all', 'eval_runtime', 'lower'],
    ['all', 'eval_samples', 'unknown'],
    ['all', 'eval_samples_per_second', 'higher'],
    ['all', 'eval_steps_per_second', 'higher'],
    ['all', 'train_loss', 'lower'],
    ['all', 'train_runtime', 'lower'],
    ['all', 'train_samples', 'unknown'],
    ['all', 'train_samples_per_second', 'higher'],
    // Spreads and standard errors: how sure a value is, never better or worse
    ['arc_easy', 'acc_stderr,none', 'unknown'],
    ['arc_easy', 'acc_stderr', 'unknown'],
    ['train', 'reward_std', 'unknown'],
    ['arc_easy', 'sample_len', 'unknown'],
    // W&B summary (alpaca-repro)
    ['wandb-summary', 'train/loss', 'lower'],
    ['wandb-summary', 'train/learning_rate', 'unknown'],
    ['wandb-summary', 'train/epoch', 'unknown'],
    ['wandb-summary', 'train/global_step', 'unknown'],
    ['wandb-summary', 'train/train_runtime', 'lower'],
    ['wandb-summary', 'train/train_steps_per_second', 'higher'],
    ['wandb-summary', 'train/total_flos', 'unknown'],
    ['wandb-summary', 'train/train_loss', 'lower'],
    // multi-evalset-overfit trainer_state.json eval keys, lm-eval's run time
    ['eval', 'eval_g0_loss', 'lower'],
    ['eval', 'eval_g0_accuracy', 'higher'],
    ['lm-eval', 'total_evaluation_time_seconds', 'lower'],
  ] as const)('%s/%s is %s', (task, metric, expected) => {
    expect(computeDirection(task, metric, undefined, {})).toBe(expected);
  });

  it.each([
    ['test_accuracy', 'higher'],
    ['validation/acc', 'higher'],
    ['rouge1', 'higher'],
    ['rougeLsum', 'higher'],
    ['bleu', 'higher'],
    ['chrf++', 'higher'],
    ['pass@1', 'higher'],
    ['pass@10', 'higher'],
    ['precision', 'higher'],
    ['recall@5', 'higher'],
    ['roc_auc', 'higher'],
    ['score', 'higher'],
    ['reward', 'higher'],
    ['win_rate', 'higher'],
    ['tokens_per_second', 'higher'],
    ['wer', 'lower'],
    ['cer', 'lower'],
    ['ter', 'lower'],
    ['mse', 'lower'],
    ['MAE', 'lower'],
    ['rmse', 'lower'],
    ['brier_score', 'lower'],
    ['ece', 'lower'],
    ['error_rate', 'lower'],
    ['err', 'lower'],
    ['ppl', 'lower'],
    ['bpb', 'lower'],
    ['latency_ms', 'lower'],
    ['grad_norm', 'unknown'],
    ['num_tokens', 'unknown'],
    ['max_steps', 'unknown'],
    ['lr', 'unknown'],
    ['temperature', 'unknown'],
    ['', 'unknown'],
  ] as const)('%s is %s', (metric, expected) => {
    expect(computeDirection('task', metric, undefined, {})).toBe(expected);
  });
});

describe('computeDirection with a hint and overrides', () => {
  it.each([
    ['the hint over the name', 'eval_loss', true, {}, 'higher'],
    ['a false hint over the name', 'acc', false, {}, 'lower'],
    ['an override over the hint', 'acc', true, { acc: 'lower' }, 'lower'],
  ] as const)('prefers %s', (_name, metric, hint, overrides, expected) => {
    expect(computeDirection('task', metric, hint, overrides)).toBe(expected);
  });

  it.each([
    ['a task glob', 'mmlu_stem', 'acc', { 'mmlu_*/acc': 'lower' }, 'lower'],
    ['a task glob that does not match', 'arc_easy', 'acc', { 'mmlu_*/acc': 'lower' }, 'higher'],
    [
      'a plain metric name with a slash',
      'all',
      'eval_rewards/chosen',
      { 'eval_rewards/chosen': 'higher' },
      'higher',
    ],
    ['a metric glob', 'all', 'eval_logps/chosen', { 'eval_logps/*': 'higher' }, 'higher'],
    ['a globstar over task and metric', 'wandb-summary', 'train/loss', { '**/loss': 'higher' }, 'higher'],
    [
      'a task/metric key without the filter',
      'gsm8k',
      'exact_match[strict-match]',
      { 'gsm8k/exact_match': 'lower' },
      'lower',
    ],
    ['a name the conventions do not know', 'custom', 'judge_pref', { judge_pref: 'higher' }, 'higher'],
    ['an explicit unknown', 'lambada_openai', 'perplexity', { perplexity: 'unknown' }, 'unknown'],
    ['no override at all', 'lambada_openai', 'perplexity', {}, 'lower'],
  ] as const)('applies %s', (_name, task, metric, overrides, expected) => {
    expect(computeDirection(task, metric, undefined, overrides)).toBe(expected);
  });

  it('tries task/metric patterns before plain metric names, then insertion order', () => {
    const overrides = { acc: 'lower', 'hellaswag/acc': 'higher', 'hella*/acc': 'unknown' } as const;
    expect(computeDirection('hellaswag', 'acc', undefined, overrides)).toBe('higher');
    expect(computeDirection('arc_easy', 'acc', undefined, overrides)).toBe('lower');
  });
});
