/**
 * Keys a training run writes about itself (Hugging Face Trainer's `train_results.json` and the train half
 * of `all_results.json`, W&B's `train/*`): its loss on the training data, its speed and its progress.
 */
const TRAINING_SUMMARY =
  /^(?:train(?:ing)?[/_].+|epoch|total_flos|(?:global_)?step|num_input_tokens_seen|.+_samples|.+_runtime|.+_(?:samples|steps|tokens)_per_second)$/i;

/**
 * Whether a metric is a training run's bookkeeping rather than an evaluation metric: `train_*` and
 * `train/*` values, `epoch`, `total_flos`, steps, sample counts (`eval_samples`), run times and throughputs (`eval_runtime` too: it
 * measures the hardware, not the model). `eval_loss`, `eval_accuracy` and task metrics are not.
 * @example isTrainingSummaryMetric('train_samples_per_second') // true
 * @example isTrainingSummaryMetric('eval_loss') // false
 */
export function isTrainingSummaryMetric(name: string): boolean {
  return TRAINING_SUMMARY.test(name);
}
