import type { RlSignal, TrainingProfile } from '../model/report-schema.js';
import { formatNumber } from '../text/format-number.js';
import { formatPercent } from '../text/format-percent.js';
import { ABSENT } from './markdown-parts.js';

type Both = (render: (profile: TrainingProfile) => string) => [string, string];

/** Row labels of the RL signals, and whether each is a share (shown as a percentage). */
const LABELS: Record<RlSignal, { label: string; share: boolean }> = {
  reward: { label: 'Reward', share: false },
  rewardStd: { label: 'Reward std within groups', share: false },
  completionLength: { label: 'Mean completion length', share: false },
  clippedRatio: { label: 'Completions cut at the limit', share: true },
  entropy: { label: 'Entropy', share: false },
  kl: { label: 'KL from the reference', share: false },
  zeroStdShare: { label: 'Groups with all-equal rewards', share: true },
  evalReward: { label: 'Held-out reward', share: false },
};

/**
 * The training table's rows of a reinforcement-learning run: first "Run" (`GRPO run: reward 0.1 → 0.7`,
 * the means of the first and last logs), then each signal either side logged as `start → end`, and the
 * KL spikes. No rows when neither side is an RL run.
 */
export function renderRlRows(
  base: TrainingProfile | undefined,
  head: TrainingProfile | undefined,
  both: Both,
): { first: [string, string, string][]; last: [string, string, string][] } {
  if (!base?.rl && !head?.rl) return { first: [], last: [] };
  const first: [string, string, string][] = [['Run', ...both(renderRun)]];
  const names = new Set([...(base?.rl?.signals ?? []), ...(head?.rl?.signals ?? [])].map((s) => s.name));
  const last: [string, string, string][] = [...names].map((name) => [
    LABELS[name].label,
    ...both((profile) => renderSignal(profile, name)),
  ]);
  if ((base?.rl?.klSpikes.length ?? 0) > 0 || (head?.rl?.klSpikes.length ?? 0) > 0) {
    last.push([
      'KL spikes',
      ...both((p) => {
        const spikes = p.rl?.klSpikes ?? [];
        return spikes.length === 0
          ? 'none'
          : `${spikes.length} (first at step ${formatNumber(spikes[0]?.step ?? 0)})`;
      }),
    ]);
  }
  return { first, last };
}

function renderRun(profile: TrainingProfile): string {
  const rl = profile.rl;
  if (!rl) return 'not an RL run';
  const reward = rl.signals.find((signal) => signal.name === 'reward');
  return reward
    ? `${rl.method} run: reward ${formatNumber(reward.start)} → ${formatNumber(reward.end)}`
    : `${rl.method} run`;
}

function renderSignal(profile: TrainingProfile, name: RlSignal): string {
  const signal = profile.rl?.signals.find((s) => s.name === name);
  if (!signal) return ABSENT;
  const format = LABELS[name].share ? formatPercent : formatNumber;
  return `${format(signal.start)} → ${format(signal.end)}`;
}
