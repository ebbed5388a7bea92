import { describe, expect, it } from '@jest/globals';
import { findRlMethod, readRlSignals } from '../../src/loaders/read-rl-signals.js';
import { parseTrainingLog } from '../../src/loaders/parse-training-log.js';
import { fixtureText } from '../checks/helpers/build-context.js';

describe('readRlSignals', () => {
  it.each([
    [
      'TRL GRPO (the first entry of chaos-economy-grpo_trainer_state.json)',
      {
        completion_length: 472.05,
        'completions/clipped_ratio': 0.9,
        'completions/mean_length': 472.05,
        frac_reward_zero_std: 0.0,
        kl: 7.837624616513495e-6,
        loss: -0.007858997583389283,
        reward: -0.09811544418334961,
        reward_std: 1.0972516268491745,
        step: 5,
      },
      {
        reward: -0.09811544418334961,
        rewardStd: 1.0972516268491745,
        completionLength: 472.05,
        clippedRatio: 0.9,
        kl: 7.837624616513495e-6,
        zeroStdShare: 0,
      },
    ],
    [
      'TRL PPO / online DPO objective/* keys',
      { 'objective/rlhf_reward': 1.5, 'objective/kl': 0.2, 'objective/entropy': 3.1, step: 1 },
      { reward: 1.5, kl: 0.2, entropy: 3.1 },
    ],
    [
      'verl keys',
      {
        'critic/score/mean': 0.4,
        'response_length/mean': 812,
        'response_length/clip_ratio': 0.05,
        'actor/entropy': 0.7,
      },
      { reward: 0.4, completionLength: 812, clippedRatio: 0.05, entropy: 0.7 },
    ],
    ['a TRL GRPO eval entry', { eval_reward: 0.55, eval_loss: 0.01, step: 50 }, { evalReward: 0.55 }],
    ['null values the Trainer writes for what it could not compute', { reward: null, kl: 0.1 }, { kl: 0.1 }],
    ['an SFT entry', { loss: 1.2, entropy: 0.9, mean_token_accuracy: 0.7 }, { entropy: 0.9 }],
  ])('%s', (_name, item, values) => {
    expect(readRlSignals(item)).toEqual({ values });
  });

  it('names the first key whose value is not a number', () => {
    expect(readRlSignals({ reward: 0.5, kl: 'nan?' })).toEqual({
      values: { reward: 0.5 },
      invalid: { key: 'kl', value: 'nan?' },
    });
  });
});

describe('findRlMethod', () => {
  it.each([
    [['loss', 'reward', 'reward_std', 'frac_reward_zero_std'], 'GRPO'],
    [['objective/rlhf_reward', 'objective/kl'], 'PPO'],
    [['critic/score/mean'], 'verl'],
    [['reward', 'loss'], 'RL'],
    // An SFT run logs entropy, a KTO run kl: neither is an RL run.
    [['loss', 'entropy', 'mean_token_accuracy'], undefined],
    [['loss', 'kl', 'rewards/chosen'], undefined],
  ])('%j is %s', (keys, method) => {
    expect(findRlMethod(keys)).toBe(method);
  });
});

describe('parseTrainingLog on RL runs', () => {
  it('reads every entry of a real GRPO run with its signals and names the run GRPO', () => {
    const log = parseTrainingLog(
      fixtureText('training/chaos-economy-grpo_trainer_state.json'),
      'trainer_state.json',
    );
    expect(log.rlMethod).toBe('GRPO');
    expect(log.problems).toEqual([]);
    expect(log.entries).toHaveLength(40);
    // The last entry, step 200, as python3's json.load reads it.
    expect(log.entries.at(-1)).toEqual({
      step: 200,
      epoch: 1.0,
      trainLoss: 4.723668098449707e-5,
      learningRate: 2.777777777777778e-7,
      gradNorm: 0.2919619679450989,
      evalLosses: {},
      rl: {
        reward: -0.48682005107402804,
        rewardStd: 0.33417927622795107,
        completionLength: 512,
        clippedRatio: 1,
        kl: 0.047279800102114675,
        zeroStdShare: 0,
      },
    });
  });

  it('an SFT run that logs entropy is no RL run', () => {
    const log = parseTrainingLog('step,loss,entropy\n1,2.0,0.9\n2,1.5,0.8\n', 'training_log.csv');
    expect(log.rlMethod).toBeUndefined();
  });

  it('a reward that is not a number is a problem at its entry, and the other entries load', () => {
    const text = JSON.stringify(
      {
        log_history: [
          { step: 1, loss: 0.1, reward: 0.2 },
          { step: 2, loss: 0.1, reward: 'high' },
        ],
      },
      null,
      2,
    );
    const log = parseTrainingLog(text, 'trainer_state.json');
    expect(log.entries.map((entry) => entry.step)).toEqual([1]);
    expect(log.problems).toEqual([{ line: 8, reason: 'log_history entry: reward is not a number: "high"' }]);
  });
});
