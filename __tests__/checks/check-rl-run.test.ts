import { describe, expect, it } from '@jest/globals';
import { checkRlRun } from '../../src/checks/check-rl-run.js';
import type { Finding } from '../../src/model/report-schema.js';
import { configOf, contextOf, fixtureText, metricsEntry, trainingEntry } from './helpers/build-context.js';

/*
 * Numbers computed with python3 from each fixture's `log_history` (see profile-rl-run.test.ts): a signal's
 * start and end are the means of its first and last 5 logged values (40 logs); the hand-made run's
 * eval_reward, logged 4 times, is compared first to last.
 */

const CHAOS = fixtureText('training/chaos-economy-grpo_trainer_state.json');
const COLLAPSE = fixtureText('training/hand-made_grpo-collapse_trainer_state.json');
const DPO = fixtureText('training/tinyllama-chat-dpo_trainer_state.json');
const PATH = 'grpo/trainer_state.json';

const check = (sides: { base?: string; head?: string }, yaml = ''): Finding[] => {
  const config = configOf(yaml);
  return checkRlRun(contextOf({ config, training: [trainingEntry(PATH, sides, config)] }));
};

describe('checkRlRun on a real GRPO run', () => {
  it('says more completions hit the length limit (0.76 → 0.98), and nothing else', () => {
    expect(check({ head: CHAOS })).toEqual([
      {
        check: 'train-completion-length',
        severity: 'warning',
        title: `More completions cut at the length limit in ${PATH}: 76.0% → 98.0%`,
        details: [
          // 446.88 → 509.7 is ×1.14, under ×2.
          'mean completion length 446.9 → 509.7 (means of the first and last 5 of 40 logged values); allowed ×2',
          'completions cut at the length limit 76.0% → 98.0% (means of the first and last 5 of 40 logged values); allowed rise 10.0%',
          'Completions that run to the limit are cut before their answer, so their reward says little; a length penalty, or a higher limit, helps.',
        ],
        evidence: {
          base: expect.closeTo(0.76, 12),
          head: expect.closeTo(0.98, 12),
          delta: expect.closeTo(0.22, 12),
        },
        location: { path: PATH },
      },
    ]);
  });

  it('with max-clipped-rise 25% the same run passes', () => {
    expect(
      check({ head: CHAOS }, "checks:\n  train-completion-length: { max-clipped-rise: '25%' }\n"),
    ).toEqual([]);
  });

  it('judges only logs the PR touched: the same run unchanged on both sides gives nothing', () => {
    expect(check({ base: CHAOS, head: CHAOS })).toEqual([]);
  });

  it('a run without a reward (TRL DPO) is not judged', () => {
    expect(check({ head: DPO })).toEqual([]);
  });
});

describe('checkRlRun on the hand-made collapsing run', () => {
  const findings = check({ base: CHAOS, head: COLLAPSE });
  const byCheck = Object.fromEntries(findings.map((f) => [f.check, f]));

  it('finds each of the five, in order', () => {
    expect(findings.map((f) => f.check)).toEqual([
      'train-reward-hacking',
      'train-entropy-collapse',
      'train-completion-length',
      'train-reward-zero-variance',
      'train-kl-spike',
    ]);
  });

  it('train-reward-hacking: reward 0.141 → 0.859 while eval_reward fell 0.6 → 0.4 (a third)', () => {
    expect(byCheck['train-reward-hacking']).toMatchObject({
      severity: 'warning',
      title: `Reward rose from 0.141 to 0.859 in ${PATH} while the held-out reward fell from 0.6 to 0.4`,
      details: [
        'reward: means of the first and last 5 of 40 logged values',
        'the held-out reward (eval_reward): first and last logged values of 4; allowed fall 5.0%',
        expect.stringContaining('reward hacking'),
      ],
      evidence: { base: 0.6, head: 0.4, delta: expect.closeTo(-0.2, 12) },
    });
  });

  it('train-reward-hacking without eval_reward: a metric of the results files that regressed', () => {
    const withoutEvalReward = COLLAPSE.replace(/"eval_reward": [\d.]+,\n\s*/g, '');
    const config = configOf();
    // Qwen2.5-1.5B's lm-eval results with mmlu_stem acc 0.5258 (stderr 0.0086) brought down to 0.40.
    const qwen = fixtureText('metrics/v047_qwen2.5-1.5b_results.json');
    const regressed = metricsEntry(
      'results/qwen.json',
      { base: qwen, head: qwen.replaceAll('0.525848398350777', '0.40') },
      config,
    );
    const context = contextOf({
      config,
      training: [trainingEntry(PATH, { head: withoutEvalReward }, config)],
      metrics: [regressed],
    });
    const [finding] = checkRlRun(context).filter((f) => f.check === 'train-reward-hacking');
    expect(finding?.title).toBe(
      `Reward rose from 0.141 to 0.859 in ${PATH} while mmlu_stem/acc fell from 0.5258 to 0.4`,
    );
    // Without the regressed metric, and without eval_reward, there is nothing held out to judge by:
    // the run's eval_loss (0.012 → 0.018) is its policy objective, not a measure of quality.
    expect(check({ head: withoutEvalReward }).map((f) => f.check)).not.toContain('train-reward-hacking');
  });

  it('train-entropy-collapse: 0.5718 → 0.0782, 13.7% of its start', () => {
    expect(byCheck['train-entropy-collapse']).toMatchObject({
      title: `Policy entropy collapsed in ${PATH}: 0.5718 → 0.0782 (13.7% of its start)`,
      evidence: { base: expect.closeTo(0.5718, 12), head: expect.closeTo(0.0782, 12) },
    });
  });

  it('train-completion-length: 110.3 → 289.7 tokens, ×2.628', () => {
    expect(byCheck['train-completion-length']?.title).toBe(
      `Completions grew from 110.3 to 289.7 tokens on average in ${PATH} (×2.628)`,
    );
  });

  it('train-reward-zero-variance: 2.6% → 47.4% of groups over the run', () => {
    expect(byCheck['train-reward-zero-variance']).toMatchObject({
      title: `More prompt groups with all-equal rewards in ${PATH}: 2.6% → 47.4% of groups over the run`,
      details: [
        'frac_reward_zero_std: means of the first and last 5 of 40 logged values; base run ended at 16.0%; allowed rise 20.0%',
        expect.any(String),
      ],
    });
  });

  it('train-kl-spike: step 150, KL 0.9 against a mean of 0.01245 of the 10 before', () => {
    expect(byCheck['train-kl-spike']).toMatchObject({
      title: `1 KL spike in ${PATH} (first at step 150: 0.9 against a recent mean of 0.01245)`,
      evidence: { base: expect.closeTo(0.012449, 12), head: 0.9 },
    });
  });

  it('each check turns off, and min-kl above the spike hides it', () => {
    const yaml = [
      'checks:',
      '  train-reward-hacking: { severity: off }',
      '  train-entropy-collapse: { severity: off }',
      '  train-completion-length: { severity: off }',
      '  train-reward-zero-variance: { severity: off }',
      '  train-kl-spike: { min-kl: 1 }',
    ].join('\n');
    expect(check({ head: COLLAPSE }, yaml)).toEqual([]);
  });
});
