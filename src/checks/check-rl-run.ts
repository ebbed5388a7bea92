import type { Finding, RlSignal, RlSignalSummary, TrainingReport } from '../model/report-schema.js';
import { formatNumber } from '../text/format-number.js';
import { formatPercent } from '../text/format-percent.js';
import { isTouched, type CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';

type Profile = NonNullable<TrainingReport['head']>;
type RlEntry = TrainingReport & { head: Profile & { rl: NonNullable<Profile['rl']> } };

/**
 * Run-health checks of reinforcement-learning logs the PR added or changed (GRPO, PPO, RLOO, online DPO,
 * verl): `train-reward-hacking` (reward up while the held-out evaluation falls), `train-entropy-collapse`,
 * `train-completion-length` (completions blow up, or more are cut at the limit),
 * `train-reward-zero-variance` (more groups with no learning signal) and `train-kl-spike`.
 */
export function checkRlRun(context: CheckContext): Finding[] {
  return context.training
    .filter((entry): entry is RlEntry => isTouched(entry.status) && entry.head?.rl !== undefined)
    .flatMap((entry) => [
      checkRewardHacking(entry, context),
      checkEntropy(entry, context),
      checkCompletionLength(entry, context),
      checkZeroVariance(entry, context),
      checkKlSpikes(entry, context),
    ])
    .filter((finding): finding is Finding => finding !== undefined);
}

function findSignal(profile: Profile | undefined, name: RlSignal): RlSignalSummary | undefined {
  return profile?.rl?.signals.find((signal) => signal.name === name);
}

/** "the mean of the first 5 and last 5 logs", said once per finding so its numbers can be checked. */
function describeWindow(signal: RlSignalSummary): string {
  return signal.window === 1
    ? `first and last logged values of ${signal.points}`
    : `means of the first and last ${signal.window} of ${signal.points} logged values`;
}

/**
 * The reward rose while the held-out evaluation fell: the run's own held-out reward (`eval_reward`) when it
 * logs one, else a metric of the pull request's results files that regressed. (An RL run's `eval_loss` is
 * its policy objective on held-out prompts, not a measure of quality, so it is not used.)
 */
function checkRewardHacking(entry: RlEntry, context: CheckContext): Finding | undefined {
  const reward = findSignal(entry.head, 'reward');
  if (!reward || reward.end <= reward.start) return undefined;
  const maxDrop = context.config.checks['train-reward-hacking']['max-eval-drop'];
  const held = findHeldOutFall(entry.head, maxDrop) ?? findRegressedMetric(context);
  if (!held) return undefined;
  return createFinding('train-reward-hacking', context.config, {
    title: `Reward rose from ${formatNumber(reward.start)} to ${formatNumber(reward.end)} in ${entry.path} while ${held.what} fell from ${formatNumber(held.from)} to ${formatNumber(held.to)}`,
    details: [
      `reward: ${describeWindow(reward)}`,
      held.detail,
      'A reward that rises while held-out results fall is the mark of reward hacking: check the reward function against what the completions now say.',
    ],
    evidence: { base: held.from, head: held.to, delta: held.to - held.from },
    location: { path: entry.path },
  });
}

interface HeldOutFall {
  what: string;
  detail: string;
  from: number;
  to: number;
}

/** The run's held-out reward, when it fell by more than `maxDrop` of its start. */
function findHeldOutFall(head: Profile, maxDrop: number): HeldOutFall | undefined {
  const evalReward = findSignal(head, 'evalReward');
  if (!evalReward || evalReward.points < 2) return undefined;
  const { start: from, end: to } = evalReward;
  if ((from - to) / Math.max(Math.abs(from), Number.EPSILON) <= maxDrop) return undefined;
  return {
    what: 'the held-out reward',
    detail: `the held-out reward (eval_reward): ${describeWindow(evalReward)}; allowed fall ${formatPercent(maxDrop)}`,
    from,
    to,
  };
}

/** The first metric of the pull request's results files that regressed (beyond tolerance and noise). */
function findRegressedMetric(context: CheckContext): HeldOutFall | undefined {
  for (const { report } of context.metrics) {
    const metric = report.metrics.find(
      (m) => m.change === 'regressed' && typeof m.base === 'number' && typeof m.head === 'number',
    );
    if (metric && typeof metric.base === 'number' && typeof metric.head === 'number') {
      return {
        what: `${metric.task}/${metric.metric}`,
        detail: `${metric.task}/${metric.metric} regressed in ${report.path} (see eval-regression)`,
        from: metric.base,
        to: metric.head,
      };
    }
  }
  return undefined;
}

function checkEntropy(entry: RlEntry, context: CheckContext): Finding | undefined {
  const entropy = findSignal(entry.head, 'entropy');
  const minShare = context.config.checks['train-entropy-collapse']['min-share'];
  if (!entropy || entropy.start <= 0 || entropy.end >= minShare * entropy.start) return undefined;
  return createFinding('train-entropy-collapse', context.config, {
    title: `Policy entropy collapsed in ${entry.path}: ${formatNumber(entropy.start)} → ${formatNumber(entropy.end)} (${formatPercent(entropy.end / entropy.start)} of its start)`,
    details: [
      `entropy: ${describeWindow(entropy)}; allowed ${formatPercent(minShare)} of its start`,
      'A policy whose entropy collapses stops exploring: every completion of a group looks alike and rewards stop telling them apart. A higher temperature, a smaller learning rate or a KL penalty keep it up.',
    ],
    evidence: { base: entropy.start, head: entropy.end, delta: entropy.end - entropy.start },
    location: { path: entry.path },
  });
}

function checkCompletionLength(entry: RlEntry, context: CheckContext): Finding | undefined {
  const settings = context.config.checks['train-completion-length'];
  const length = findSignal(entry.head, 'completionLength');
  const clipped = findSignal(entry.head, 'clippedRatio');
  const blewUp =
    length !== undefined && length.start > 0 && length.end > settings['length-factor'] * length.start;
  const clippedRise = clipped === undefined ? 0 : clipped.end - clipped.start;
  const moreClipped = clipped !== undefined && clippedRise > settings['max-clipped-rise'];
  if (!blewUp && !moreClipped) return undefined;
  const details = [
    ...(length
      ? [
          `mean completion length ${formatNumber(length.start)} → ${formatNumber(length.end)} (${describeWindow(length)}); allowed ×${formatNumber(settings['length-factor'])}`,
        ]
      : []),
    ...(clipped
      ? [
          `completions cut at the length limit ${formatPercent(clipped.start)} → ${formatPercent(clipped.end)} (${describeWindow(clipped)}); allowed rise ${formatPercent(settings['max-clipped-rise'])}`,
        ]
      : []),
    'Completions that run to the limit are cut before their answer, so their reward says little; a length penalty, or a higher limit, helps.',
  ];
  const title =
    blewUp && length
      ? `Completions grew from ${formatNumber(length.start)} to ${formatNumber(length.end)} tokens on average in ${entry.path} (×${formatNumber(length.end / length.start)})`
      : `More completions cut at the length limit in ${entry.path}: ${formatPercent(clipped?.start ?? 0)} → ${formatPercent(clipped?.end ?? 0)}`;
  const judged = blewUp && length ? length : clipped;
  return createFinding('train-completion-length', context.config, {
    title,
    details,
    evidence: judged ? { base: judged.start, head: judged.end, delta: judged.end - judged.start } : {},
    location: { path: entry.path },
  });
}

function checkZeroVariance(entry: RlEntry, context: CheckContext): Finding | undefined {
  const share = findSignal(entry.head, 'zeroStdShare');
  if (!share) return undefined;
  const maxRise = context.config.checks['train-reward-zero-variance']['max-rise'];
  const base = findSignal(entry.base, 'zeroStdShare');
  const overRun = share.end - share.start > maxRise;
  const overBase = base !== undefined && share.end - base.end > maxRise;
  if (!overRun && !overBase) return undefined;
  const from = overRun || !base ? share.start : base.end;
  return createFinding('train-reward-zero-variance', context.config, {
    title: overRun
      ? `More prompt groups with all-equal rewards in ${entry.path}: ${formatPercent(share.start)} → ${formatPercent(share.end)} of groups over the run`
      : `More prompt groups with all-equal rewards in ${entry.path}: ${formatPercent(share.end)} at the end of the run, against ${formatPercent(from)} on base`,
    details: [
      `frac_reward_zero_std: ${describeWindow(share)}${base ? `; base run ended at ${formatPercent(base.end)}` : ''}; allowed rise ${formatPercent(maxRise)}`,
      'A group whose completions all get the same reward gives no gradient: the prompts became too easy or too hard for the policy, or the reward saturated.',
    ],
    evidence: { base: from, head: share.end, delta: share.end - from },
    location: { path: entry.path },
  });
}

function checkKlSpikes(entry: RlEntry, context: CheckContext): Finding | undefined {
  const spikes = entry.head.rl.klSpikes;
  const first = spikes[0];
  if (!first) return undefined;
  const settings = context.config.checks['train-kl-spike'];
  return createFinding('train-kl-spike', context.config, {
    title: `${spikes.length} KL spike${spikes.length === 1 ? '' : 's'} in ${entry.path} (first at step ${first.step}: ${formatNumber(first.value)} against a recent mean of ${formatNumber(first.recentMean)})`,
    details: [
      ...spikes
        .slice(0, 5)
        .map(
          (spike) =>
            `step ${spike.step}: KL ${formatNumber(spike.value)} (×${formatNumber(spike.value / Math.max(spike.recentMean, Number.EPSILON))} the 10 values before)`,
        ),
      `a spike is a KL above ×${formatNumber(settings['spike-factor'])} the mean of the 10 values before it and at least ${formatNumber(settings['min-kl'])}`,
      'A jump in KL means the policy moved far from the reference model in a few steps: a learning rate too high, a KL coefficient too low, or a reward the policy found a shortcut to.',
    ],
    evidence: { base: first.recentMean, head: first.value },
    location: { path: entry.path },
  });
}
