import type { Finding, TrainingReport } from '../report/schema.js';
import { isTouched, type CheckContext } from './check-context.js';
import { createFinding, formatNumber, formatPercent } from './create-finding.js';

/**
 * Training-log checks on logs the PR added or changed: `train-overfitting-gap` (final eval loss far
 * above train loss), `train-eval-loss-rising` (eval loss rose over the last evaluations) and
 * `train-divergence` (NaN losses, or a loss that blew up).
 */
export function checkTraining(context: CheckContext): Finding[] {
  return context.training
    .filter((entry) => isTouched(entry.status) && entry.head)
    .flatMap((entry) => [
      checkGap(entry, context),
      checkRising(entry, context),
      checkDivergence(entry, context),
    ])
    .filter((f): f is Finding => f !== undefined);
}

function checkGap(entry: TrainingReport, context: CheckContext): Finding | undefined {
  const head = entry.head;
  const maxGap = context.config.checks['train-overfitting-gap']['max-gap'];
  if (head?.gap === undefined || head.gap <= maxGap) return undefined;
  const baseGap = entry.base?.gap;
  return createFinding('train-overfitting-gap', context.config, {
    title: `Eval loss is ${formatNumber(head.gap)} above train loss at the end of ${entry.path}${baseGap === undefined ? '' : ` (was ${formatNumber(baseGap)})`}`,
    details: [
      `final train loss ${formatNumber(head.finalTrainLoss ?? NaN)}, final eval loss ${formatNumber(head.finalEvalLoss ?? NaN)}; allowed gap ${formatNumber(maxGap)}`,
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
      `last evaluations: ${tail.map((p) => `${formatNumber(p.value)} @${p.step}`).join(' → ')}`,
      ...(bestEvalStep !== undefined && bestEvalLoss !== undefined
        ? [
            `best eval loss ${formatNumber(bestEvalLoss)} at step ${bestEvalStep} of ${head.lastStep}; later training made the model worse on held-out data (consider early stopping or fewer epochs)`,
          ]
        : []),
    ],
    evidence: {
      ...(bestEvalLoss !== undefined ? { base: bestEvalLoss } : {}),
      ...(finalEvalLoss !== undefined ? { head: finalEvalLoss } : {}),
    },
    location: { path: entry.path },
  });
}

function checkDivergence(entry: TrainingReport, context: CheckContext): Finding | undefined {
  const head = entry.head;
  if (!head?.diverged) return undefined;
  return createFinding('train-divergence', context.config, {
    title: `Training diverged in ${entry.path}`,
    details: [
      ...(head.divergenceNote ? [head.divergenceNote] : []),
      ...(head.nanSteps.length > 0
        ? [`non-finite loss at steps ${head.nanSteps.slice(0, 10).join(', ')}`]
        : []),
    ],
    evidence: { ...(head.finalTrainLoss !== undefined ? { head: head.finalTrainLoss } : {}) },
    location: { path: entry.path },
  });
}
