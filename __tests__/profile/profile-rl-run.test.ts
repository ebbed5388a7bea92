import { describe, expect, it } from '@jest/globals';
import { parseTrainingLog } from '../../src/loaders/parse-training-log.js';
import { profileRlRun } from '../../src/profile/profile-rl-run.js';
import { fixtureText } from '../checks/helpers/build-context.js';

/*
 * Expected values computed with python3 from each fixture's `log_history` (h): for a signal's values v in
 * log order, w = min(5, max(1, len(v) // 4)), start = mean(v[:w]), end = mean(v[-w:]); a KL spike is a
 * value >= 0.1 above 3 × the mean of the 10 values before it.
 */

const OPTIONS = { klSpikeFactor: 3, minKl: 0.1 };
const profileOf = (name: string) =>
  profileRlRun(parseTrainingLog(fixtureText(`training/${name}`), 'trainer_state.json'), OPTIONS);

describe('profileRlRun', () => {
  it('a real GRPO run: reward, its spread, completion length, clipped share, KL and zero-variance groups', () => {
    const profile = profileOf('chaos-economy-grpo_trainer_state.json');
    expect(profile?.method).toBe('GRPO');
    expect(profile?.signals).toEqual([
      {
        name: 'reward',
        points: 40,
        start: expect.closeTo(0.390750589966774, 12),
        end: expect.closeTo(0.19665840625762943, 12),
        window: 5,
        min: -0.48682005107402804,
        max: 1.4673092663288116,
      },
      {
        name: 'rewardStd',
        points: 40,
        start: expect.closeTo(0.5148704783618451, 12),
        end: expect.closeTo(0.4621868301928044, 12),
        window: 5,
        min: 0.09324893718585373,
        max: 1.256183683872223,
      },
      {
        name: 'completionLength',
        points: 40,
        start: expect.closeTo(446.88, 9),
        end: expect.closeTo(509.7, 9),
        window: 5,
        min: 385.55,
        max: 512,
      },
      {
        name: 'clippedRatio',
        points: 40,
        start: expect.closeTo(0.76, 12),
        end: expect.closeTo(0.98, 12),
        window: 5,
        min: 0.5,
        max: 1,
      },
      {
        name: 'kl',
        points: 40,
        start: expect.closeTo(0.0009110165396850788, 12),
        end: expect.closeTo(0.036310548428446054, 12),
        window: 5,
        min: 7.837624616513495e-6,
        max: 0.05005733668804169,
      },
      {
        name: 'zeroStdShare',
        points: 40,
        start: 0,
        end: expect.closeTo(0.16, 12),
        window: 5,
        min: 0,
        max: 0.4,
      },
    ]);
    // KL grows from 8e-6 to 0.05 without ever reaching min-kl 0.1: no spike.
    expect(profile?.klSpikes).toEqual([]);
    expect(profile?.rewardCurve).toHaveLength(40);
    expect(profile?.rewardCurve[0]).toEqual({ step: 5, value: -0.09811544418334961 });
  });

  it('the hand-made collapsing run: entropy, held-out reward (a window of 1 over 4 evaluations) and one KL spike', () => {
    const profile = profileOf('hand-made_grpo-collapse_trainer_state.json');
    const byName = Object.fromEntries(
      (profile?.signals ?? []).map((s) => [s.name, [s.start, s.end, s.window]]),
    );
    expect(byName).toEqual({
      reward: [expect.closeTo(0.14102, 12), expect.closeTo(0.85898, 12), 5],
      rewardStd: [expect.closeTo(0.3846, 12), expect.closeTo(0.1154, 12), 5],
      completionLength: [expect.closeTo(110.256, 9), expect.closeTo(289.744, 9), 5],
      clippedRatio: [expect.closeTo(0.0154, 12), expect.closeTo(0.2846, 12), 5],
      entropy: [expect.closeTo(0.5718, 12), expect.closeTo(0.0782, 12), 5],
      kl: [expect.closeTo(0.001974, 12), expect.closeTo(0.019026, 12), 5],
      zeroStdShare: [expect.closeTo(0.02564, 12), expect.closeTo(0.47436, 12), 5],
      evalReward: [0.6, 0.4, 1],
    });
    expect(profile?.klSpikes).toEqual([{ step: 150, value: 0.9, recentMean: expect.closeTo(0.012449, 12) }]);
  });

  it('is undefined for a run without a reward (SFT, DPO)', () => {
    expect(profileOf('tinyllama-chat-dpo_trainer_state.json')).toBeUndefined();
  });

  it('takes the first and last value alone when a signal has fewer than 8 values, and skips NaN', () => {
    const text = JSON.stringify({
      log_history: [
        { step: 1, reward: 0.1, entropy: 0.5 },
        { step: 2, reward: 0.3, entropy: 0.4 },
        { step: 3, reward: 0.2 },
      ],
    }).replace('"entropy":0.4', '"entropy":NaN');
    const profile = profileRlRun(parseTrainingLog(text, 'trainer_state.json'), OPTIONS);
    expect(profile?.method).toBe('RL');
    expect(profile?.signals).toEqual([
      { name: 'reward', points: 3, start: 0.1, end: 0.2, window: 1, min: 0.1, max: 0.3 },
      { name: 'entropy', points: 1, start: 0.5, end: 0.5, window: 1, min: 0.5, max: 0.5 },
    ]);
  });
});
