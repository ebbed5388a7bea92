import type { CheckId } from '../config/schema.js';
import type { Severity } from '../model/report-schema.js';

/** Every check tuneguard runs, with its default severity and what it guards against. */
export const CHECK_CATALOGUE: Record<CheckId, { severity: Severity; summary: string }> = {
  'data-shrink': { severity: 'warning', summary: 'a split lost rows, or a dataset was deleted' },
  'data-duplicates': { severity: 'warning', summary: 'exact duplicate rows were added' },
  'data-missing-values': { severity: 'warning', summary: 'more rows with empty or missing fields' },
  'data-format': { severity: 'warning', summary: 'malformed lines or records off the dataset’s shape' },
  'data-leakage': { severity: 'failure', summary: 'held-out rows also stand in a train split' },
  'data-near-duplicates': { severity: 'warning', summary: 'near-duplicate rows were added (MinHash)' },
  'data-conflicting-labels': {
    severity: 'warning',
    summary: 'the same input with different outputs or labels',
  },
  'data-label-shift': { severity: 'warning', summary: 'the class distribution moved between base and head' },
  'data-placeholder-outputs': { severity: 'warning', summary: 'placeholder or empty outputs' },
  'data-min-size': { severity: 'warning', summary: 'a split below a sane minimum size' },
  'data-truncation': { severity: 'warning', summary: 'examples longer than the max sequence length' },
  'data-lfs-pointer': {
    severity: 'notice',
    summary: 'a Git LFS pointer whose content is not in the checkout',
  },
  'params-changed': { severity: 'notice', summary: 'the hyperparameter diff' },
  'params-risky-change': { severity: 'warning', summary: 'a large jump in a sensitive hyperparameter' },
  'params-stale-eval': { severity: 'warning', summary: 'data or hyperparameters changed, results did not' },
  'params-text-number': {
    severity: 'warning',
    summary: 'a number the trainer gets as a string (PyYAML reads 1e-5 as text)',
  },
  'train-overfitting-gap': { severity: 'warning', summary: 'eval loss far above train loss' },
  'train-eval-loss-rising': { severity: 'warning', summary: 'eval loss rising over the last evaluations' },
  'train-divergence': { severity: 'failure', summary: 'NaN losses or a loss that blew up' },
  'train-reward-hacking': {
    severity: 'warning',
    summary: 'an RL run’s reward rose while its held-out evaluation fell',
  },
  'train-entropy-collapse': { severity: 'warning', summary: 'an RL run’s policy entropy collapsed' },
  'train-completion-length': {
    severity: 'warning',
    summary: 'an RL run’s completions blew up in length, or more were cut at the limit',
  },
  'train-reward-zero-variance': {
    severity: 'warning',
    summary: 'more RL prompt groups whose rewards were all equal (no learning signal)',
  },
  'train-kl-spike': { severity: 'warning', summary: 'an RL run’s KL from the reference model jumped' },
  'eval-regression': { severity: 'failure', summary: 'a metric moved the wrong way beyond tolerance' },
  'eval-metric-removed': { severity: 'warning', summary: 'a metric or results file disappeared' },
  'eval-incomparable': {
    severity: 'warning',
    summary: 'base and head were evaluated with different settings',
  },
  'eval-slice-regression': { severity: 'warning', summary: 'a slice regressed while the aggregate held' },
  'eval-real-world-missing': {
    severity: 'warning',
    summary: 'the real-world evaluation is missing or stale',
  },
  'eval-baseline-missing': {
    severity: 'notice',
    summary: 'results only on head, and no report of a default-branch run to compare them with',
  },
  'eval-card-mismatch': {
    severity: 'warning',
    summary: 'the model card states numbers its results files do not hold',
  },
  'input-unreadable': { severity: 'warning', summary: 'a file could not be read or parsed' },
  'input-not-analysed': {
    severity: 'warning',
    summary: 'files left out: past the review budget, or a path too long to match',
  },
  'config-unmatched': { severity: 'notice', summary: 'a configured path or glob matches no file' },
};
