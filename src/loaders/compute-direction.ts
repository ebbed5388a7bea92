import picomatch from 'picomatch';
import type { Direction } from '../model/report-schema.js';

type Matcher = (input: string) => boolean;

/** Compiled override globs; patterns come from one configuration file, so the cache stays small. */
const matchers = new Map<string, Matcher>();

function matcherFor(pattern: string): Matcher {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true });
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/**
 * Which way is better for a metric: user overrides win (keys are picomatch globs over `task/metric` or
 * plain metric names: the user knows their custom metrics best), then the results file's own hint
 * (lm-eval's `higher_is_better`), then naming conventions; 'unknown' when none applies.
 *
 * Overrides are tried in insertion order, first against `task/metric`, then against the metric name alone;
 * both forms are also tried without an lm-eval filter suffix (`exact_match[strict-match]` → `exact_match`),
 * so `gsm8k/exact_match: higher` covers every filter. An override of `'unknown'` is a deliberate answer.
 * Naming conventions ignore prefixes such as `eval_`, `test_`, `train/` and suffixes such as `_norm`:
 * losses, perplexities, error rates and run times are lower-is-better; accuracies, F1, BLEU/ROUGE,
 * pass@k, rewards and throughputs (`*_per_second`) are higher-is-better; counts, epochs, steps and
 * learning rates are unknown.
 * @example computeDirection('eval', 'eval_loss', undefined, {}) // 'lower'
 * @example computeDirection('gsm8k', 'exact_match[strict-match]', undefined, {}) // 'higher'
 */
export function computeDirection(
  task: string,
  metric: string,
  hint: boolean | undefined,
  overrides: Record<string, 'higher' | 'lower' | 'unknown'>,
): 'higher' | 'lower' | 'unknown' {
  const fromOverride = findOverride(task, metric, overrides);
  if (fromOverride !== undefined) return fromOverride;
  if (hint !== undefined) return hint ? 'higher' : 'lower';
  return findDirectionByName(metric) ?? 'unknown';
}

function findOverride(
  task: string,
  metric: string,
  overrides: Record<string, 'higher' | 'lower' | 'unknown'>,
): Direction | undefined {
  const entries = Object.entries(overrides);
  if (entries.length === 0) return undefined;
  const bare = stripFilter(metric);
  const qualified = unique([`${task}/${metric}`, `${task}/${bare}`]);
  const names = unique([metric, bare]);
  for (const candidates of [qualified, names]) {
    for (const [pattern, direction] of entries) {
      const match = matcherFor(pattern);
      if (candidates.some((candidate) => match(candidate))) return direction;
    }
  }
  return undefined;
}

/** Removes the filter a loader appends (`[strict-match]`) or lm-eval's raw `,filter` form. */
function stripFilter(metric: string): string {
  return metric.replace(/\[[^\]]*\]$/, '').replace(/,.*$/, '');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

const THROUGHPUT = /(^|_)per_(second|sec|s)(_|$)|(^|_)(throughput|it_s)(_|$)/;
// DPO logs implicit rewards of each side: their level says nothing about quality on its own.
const PREFERENCE_SIDE = /(^|_)(rewards?|logps|logits)_(chosen|rejected)(_|$)/;

/** Bookkeeping values that have no better side; checked before the lower/higher vocabularies. */
const UNKNOWN_TOKENS = new Set([
  'epoch',
  'epochs',
  'step',
  'steps',
  'flos',
  'lr',
  'learning',
  'seed',
  'timestamp',
  'logits',
  'logps',
  'grad',
  'samples',
  'sample',
  'count',
  'num',
  'tokens',
  'len',
  'length',
  'batch',
  'kl',
  'entropy',
  // Spreads and standard errors (`acc_stderr`, `reward_std`): how sure a value is, not how good.
  'stderr',
  'std',
  'stdev',
  'stddev',
  'sem',
  'se',
  'var',
  'variance',
]);

const LOWER_TOKENS = new Set([
  'loss',
  'losses',
  'nll',
  'perplexity',
  'ppl',
  'bpb',
  'bpc',
  'error',
  'errors',
  'err',
  'wer',
  'cer',
  'ter',
  'mse',
  'mae',
  'rmse',
  'msle',
  'mape',
  'brier',
  'ece',
  'runtime',
  'latency',
  'seconds',
  'secs',
  'duration',
  'time',
]);

const HIGHER_TOKENS = new Set([
  'acc',
  'accuracy',
  'accuracies',
  'f1',
  'em',
  'exact',
  'match',
  'bleu',
  'sacrebleu',
  'meteor',
  'mcc',
  'auc',
  'auroc',
  'precision',
  'recall',
  'pass',
  'score',
  'scores',
  'reward',
  'rewards',
  'margin',
  'margins',
  'win',
  'winrate',
  'mc1',
  'mc2',
  'correct',
  'hits',
  'mrr',
  'ndcg',
  'bertscore',
  'spearman',
  'pearson',
  'kappa',
]);

const HIGHER_PREFIXES = ['rouge', 'chrf'];

/** The direction by the metric's name alone, or undefined when the name says nothing. */
function findDirectionByName(metric: string): Direction | undefined {
  const tokens = stripFilter(metric)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '');
  const joined = tokens.join('_');
  if (THROUGHPUT.test(joined)) return 'higher';
  if (PREFERENCE_SIDE.test(joined)) return 'unknown';
  if (/(^|_)bits_per_(byte|char|token)(_|$)/.test(joined)) return 'lower';
  if (tokens.some((token) => UNKNOWN_TOKENS.has(token))) return 'unknown';
  if (tokens.some((token) => LOWER_TOKENS.has(token))) return 'lower';
  if (tokens.some((token) => HIGHER_TOKENS.has(token) || HIGHER_PREFIXES.some((p) => token.startsWith(p)))) {
    return 'higher';
  }
  return undefined;
}
