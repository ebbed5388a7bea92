import type { Finding, TrainingReport } from '../model/report-schema.js';
import { isTouched, type CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';
import { formatNumber } from '../text/format-number.js';
import { formatPercent } from '../text/format-percent.js';

/**
 * Training-log checks on logs the PR added or changed: `train-overfitting-gap` (final eval loss far
 * above train loss), `train-eval-loss-rising` (eval loss rose over the last evaluations) and
 * `train-divergence` (NaN losses, or a loss that blew up). Of a reinforcement-learning run only NaN losses
 * are judged here. Of a model card's "Training results" table (format `hf-model-card`), a check that its
 * base table already failed is not reported again.
 */
export function checkTraining(context: CheckContext): Finding[] {
  return context.training
    .filter((entry) => isTouched(entry.status) && entry.head)
    .flatMap((entry) => {
      const found = checkEntry(entry, context);
      if (entry.head?.format !== 'hf-model-card' || !entry.base) return found;
      // A card's table is edited with the card: what its base table already showed is not the change's.
      const before = new Set(checkEntry({ ...entry, head: entry.base }, context).map((f) => f.check));
      return found.filter((finding) => !before.has(finding.check));
    });
}

function checkEntry(entry: TrainingReport, context: CheckContext): Finding[] {
  // An RL run's losses are policy objectives, not likelihoods of held-out data: `checkRlRun` judges it.
  const findings = entry.head?.rl
    ? [checkDivergence(entry, context)]
    : [checkGap(entry, context), checkRising(entry, context), checkDivergence(entry, context)];
  return findings.filter((f): f is Finding => f !== undefined);
}

/**
 * Train loss this many times the eval loss at the same point is no regularisation effect: the two are
 * logged on different scales (a loss summed over gradient-accumulation steps, say), so their gap says
 * nothing about overfitting.
 */
const LOSS_SCALE_MISMATCH = 3;

/**
 * The gap is absolute, in loss units: for cross-entropy losses a difference of losses is the log of a
 * perplexity ratio, so the same `max-gap` means the same thing at any loss level. A negative gap (eval
 * below train) is never overfitting; when train loss is logged many times above eval loss the gap is
 * meaningless, and a notice says so instead of a number that would mislead.
 */
function checkGap(entry: TrainingReport, context: CheckContext): Finding | undefined {
  const head = entry.head;
  const maxGap = context.config.checks['train-overfitting-gap']['max-gap'];
  if (head?.gap === undefined || head.finalEvalLoss === undefined) return undefined;
  // `gap` is the final eval loss minus the train loss logged since the previous evaluation.
  const trainLoss = head.finalEvalLoss - head.gap;
  if (head.finalEvalLoss > 0 && trainLoss >= LOSS_SCALE_MISMATCH * head.finalEvalLoss) {
    const finding = createFinding('train-overfitting-gap', context.config, {
      title: `Train loss is logged ${formatNumber(trainLoss / head.finalEvalLoss)}× above eval loss at the end of ${entry.path}: the overfitting gap cannot be judged`,
      details: [
        `train loss ${formatNumber(trainLoss)} vs ${describeEvalSet(head.evalSets)} ${formatNumber(head.finalEvalLoss)} at step ${finalEvalStep(head)}`,
        'The two losses look logged on different scales (for example a train loss summed over gradient-accumulation steps); compare them only once they are on the same scale.',
      ],
      evidence: { head: trainLoss / head.finalEvalLoss },
      location: { path: entry.path },
    });
    return finding && { ...finding, severity: 'notice' };
  }
  if (head.gap <= maxGap) return undefined;
  const baseGap = entry.base?.gap;
  const was =
    baseGap === undefined
      ? ''
      : baseGap >= 0
        ? ` (was ${formatNumber(baseGap)})`
        : ` (was ${formatNumber(-baseGap)} below it)`;
  return createFinding('train-overfitting-gap', context.config, {
    title: `Eval loss is ${formatNumber(head.gap)} above train loss at the end of ${entry.path}${was}`,
    details: [
      `final train loss ${formatNumber(head.finalTrainLoss ?? NaN)}, final ${describeEvalSet(head.evalSets)} ${formatNumber(head.finalEvalLoss)}; allowed gap ${formatNumber(maxGap)}`,
      ...(head.bestEvalStep !== undefined && head.bestEvalLoss !== undefined
        ? [
            `best eval loss ${formatNumber(head.bestEvalLoss)} at step ${head.bestEvalStep} of ${head.lastStep}`,
          ]
        : []),
    ],
    evidence: {
      ...(baseGap === undefined ? {} : { base: baseGap }),
      head: head.gap,
      ...(baseGap === undefined ? {} : { delta: head.gap - baseGap }),
    },
    location: { path: entry.path },
  });
}

/**
 * Rising eval loss, seen two ways: a run of rises at the end of the curve (`evaluations` points rising
 * one after another), or the best checkpoint far before the end with the final eval loss well above it.
 */
function checkRising(entry: TrainingReport, context: CheckContext): Finding | undefined {
  const head = entry.head;
  if (!head) return undefined;
  const settings = context.config.checks['train-eval-loss-rising'];
  const risingRun = head.risingEvals >= settings.evaluations - 1;
  const { bestEvalLoss, bestEvalStep, finalEvalLoss } = head;
  const pastBest =
    bestEvalLoss !== undefined &&
    bestEvalStep !== undefined &&
    finalEvalLoss !== undefined &&
    bestEvalLoss > 0
      ? { above: finalEvalLoss / bestEvalLoss - 1, at: bestEvalStep / Math.max(head.lastStep, 1) }
      : undefined;
  const farPastBest =
    pastBest !== undefined &&
    pastBest.at <= settings['best-before'] &&
    pastBest.above > settings['above-best'];
  if (!risingRun && !farPastBest) return undefined;
  const tail = head.evalCurve.slice(-Math.max(head.risingEvals + 1, 3));
  const title = risingRun
    ? `Eval loss rose over the last ${head.risingEvals + 1} evaluations of ${entry.path}`
    : `Eval loss ended ${formatPercent(pastBest?.above ?? 0)} above its best in ${entry.path}: the best checkpoint is at step ${bestEvalStep} of ${head.lastStep}`;
  return createFinding('train-eval-loss-rising', context.config, {
    title,
    details: [
      `last evaluations of ${describeEvalSet(head.evalSets)}: ${tail.map((p) => `${formatNumber(p.value)} @${p.step}`).join(' → ')}`,
      ...(bestEvalStep !== undefined && bestEvalLoss !== undefined
        ? [
            `best eval loss ${formatNumber(bestEvalLoss)} at step ${bestEvalStep} of ${head.lastStep}; later training made the model worse on held-out data`,
          ]
        : []),
      describeEarlyStopping(context),
    ],
    evidence: {
      ...(bestEvalLoss !== undefined ? { base: bestEvalLoss } : {}),
      ...(finalEvalLoss !== undefined ? { head: finalEvalLoss } : {}),
    },
    location: { path: entry.path },
  });
}

/** Whether any hyperparameter file on head sets up early stopping, said in one line. */
function describeEarlyStopping(context: CheckContext): string {
  for (const entry of context.params) {
    const { early_stopping_patience: patience, load_best_model_at_end: loadBest } =
      entry.report.canonical.head;
    if (patience !== undefined && patience !== null) {
      return `early stopping is configured (early_stopping_patience ${JSON.stringify(patience)} in ${entry.report.path}), yet the run went on past its best`;
    }
    if (loadBest === true) {
      return `load_best_model_at_end is set in ${entry.report.path}: the saved model is the best checkpoint, but the time spent after it was wasted`;
    }
  }
  return 'no early stopping is configured in the hyperparameter files (early_stopping_patience, load_best_model_at_end): consider it, or fewer epochs';
}

function checkDivergence(entry: TrainingReport, context: CheckContext): Finding | undefined {
  const head = entry.head;
  if (head && !head.diverged && head.spikes.length > 0) return checkSpikes(entry, context);
  if (!head?.diverged) return undefined;
  const first = head.trainCurve[0];
  const firstNan = head.nanSteps[0];
  const how =
    firstNan !== undefined
      ? `a loss is NaN or infinite from step ${firstNan}`
      : first !== undefined && head.finalTrainLoss !== undefined
        ? `train loss rose from ${formatNumber(first.value)} to ${formatNumber(head.finalTrainLoss)}`
        : 'the loss blew up';
  return createFinding('train-divergence', context.config, {
    title: `Training diverged in ${entry.path}: ${how}`,
    details: [
      ...(head.divergenceNote ? [head.divergenceNote] : []),
      ...(head.nanSteps.length > 0
        ? [`non-finite loss at steps ${head.nanSteps.slice(0, 10).join(', ')}`]
        : []),
    ],
    evidence: {
      ...(first !== undefined && firstNan === undefined ? { base: first.value } : {}),
      ...(head.finalTrainLoss !== undefined ? { head: head.finalTrainLoss } : {}),
    },
    location: { path: entry.path },
  });
}

/**
 * Loss spikes in a run that recovered: instability worth a look (learning rate, warmup, bad batches),
 * so a warning even when `train-divergence` fails the PR for a run that blew up.
 */
function checkSpikes(entry: TrainingReport, context: CheckContext): Finding | undefined {
  const spikes = entry.head?.spikes ?? [];
  const first = spikes[0];
  if (!first) return undefined;
  const finding = createFinding('train-divergence', context.config, {
    title: `${spikes.length} training-loss spike${spikes.length === 1 ? '' : 's'} in ${entry.path} (first at step ${first.step}: ${formatNumber(first.value)} against a recent mean of ${formatNumber(first.recentMean)})`,
    details: [
      ...spikes
        .slice(0, 5)
        .map(
          (s) =>
            `step ${s.step}: ${formatNumber(s.value)} (×${formatNumber(s.value / s.recentMean)} the 10 losses before)`,
        ),
      'The run recovered, but spikes point at a learning rate too high for the batch size, too little warmup, or bad batches.',
    ],
    evidence: { head: spikes.length },
    location: { path: entry.path },
  });
  return finding && finding.severity === 'failure' ? { ...finding, severity: 'warning' } : finding;
}

/** "eval loss", or `eval_g0_loss` when the primary eval set is a named one (the profile's choice). */
function describeEvalSet(evalSets: readonly string[]): string {
  const primary = evalSets.includes('') ? '' : evalSets[0];
  return primary === undefined || primary === '' ? 'eval loss' : `eval_${primary}_loss`;
}

function finalEvalStep(profile: NonNullable<TrainingReport['head']>): number {
  return profile.evalCurve.at(-1)?.step ?? profile.lastStep;
}
