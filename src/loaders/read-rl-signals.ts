import { RL_SIGNALS, type RlSignal } from '../model/report-schema.js';

/**
 * Each signal's keys, most specific first: TRL's GRPO and RLOO (`reward`, `reward_std`,
 * `completions/mean_length`, the older `completion_length`, `completions/clipped_ratio`, `entropy`, `kl`,
 * `frac_reward_zero_std`, `eval_reward`), TRL's PPO, RLOO (before 0.20) and online DPO (`objective/*`), and
 * verl (`critic/score/mean`, `response_length/*`, `actor/entropy`, `actor/kl_loss`).
 */
const KEYS: Record<RlSignal, readonly string[]> = {
  reward: ['reward', 'objective/rlhf_reward', 'critic/score/mean'],
  rewardStd: ['reward_std'],
  completionLength: ['completions/mean_length', 'completion_length', 'response_length/mean'],
  clippedRatio: ['completions/clipped_ratio', 'response_length/clip_ratio'],
  entropy: ['entropy', 'objective/entropy', 'actor/entropy'],
  kl: ['kl', 'objective/kl', 'actor/kl_loss'],
  zeroStdShare: ['frac_reward_zero_std'],
  evalReward: ['eval_reward'],
};

/** Values of one logged record, by signal; `invalid` names the first key whose value is not a number. */
export interface RlReading {
  values: Partial<Record<RlSignal, number>>;
  invalid?: { key: string; value: unknown };
}

/**
 * Reads the RL signals of one logged record: for each signal the value of its most specific key present
 * (TRL writes both `completions/mean_length` and `completion_length`; the first wins). `null` values are
 * skipped, as the Trainer writes them for metrics it could not compute; any other non-number is `invalid`.
 * @example readRlSignals({ step: 5, reward: 0.72, kl: 0.0001 }).values // { reward: 0.72, kl: 0.0001 }
 */
export function readRlSignals(item: Readonly<Record<string, unknown>>): RlReading {
  const reading: RlReading = { values: {} };
  for (const signal of RL_SIGNALS) {
    for (const key of KEYS[signal]) {
      const value = item[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'number') {
        reading.invalid ??= { key, value };
        break;
      }
      reading.values[signal] = value;
      break;
    }
  }
  return reading;
}

/**
 * The kind of RL run a log's keys show, for people: `GRPO` when it logs the spread of rewards within
 * groups (`reward_std`, `frac_reward_zero_std`: GRPO, and RLOO from TRL 0.20, which logs the same keys),
 * `PPO` for TRL's `objective/*` keys (PPO, older RLOO, online DPO), `verl` for verl's `critic/score/mean`;
 * `undefined` when none is there.
 * @example findRlMethod(['loss', 'reward', 'reward_std']) // 'GRPO'
 */
export function findRlMethod(keys: Iterable<string>): string | undefined {
  const seen = new Set(keys);
  if (seen.has('reward_std') || seen.has('frac_reward_zero_std')) return 'GRPO';
  if (seen.has('objective/rlhf_reward') || seen.has('objective/kl')) return 'PPO';
  if (seen.has('critic/score/mean')) return 'verl';
  return seen.has('reward') ? 'RL' : undefined;
}
