import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Training logs: real HF `trainer_state.json` files (fixtures/training and its SOURCES.md) committed as
 * base and head of a pull request in a real temporary git repository. Numbers were read with python3 from
 * `log_history` (h): tr = [(e['step'], e['loss']) for e in h if 'loss' in e], ev likewise for the eval
 * loss (`eval_loss`, else the first named set `eval_g0_loss`); gap = ev[-1] - mean(train losses logged
 * after the previous evaluation up to the last one).
 */

const LOG = 'outputs/trainer_state.json';
const training = (name: string) => fixture(`training/${name}_trainer_state.json`);

describe('analyze on real training logs', () => {
  it('healthy (law-llm LoRA, eval falling) → overfitting (six eval sets rising): gap and rising warnings', async () => {
    // head: train loss at 12030 is 0.0549, eval_g0_loss 2.748673 → gap 2.6938; best eval_g0_loss 1.113751 at
    // step 401 of 12030, final 2.748673 / 1.113751 - 1 = 146.8% above it.
    // base: eval_loss 0.303802 at step 600, train loss 5.0244 logged at 600 → gap -4.7206 (eval below train).
    const report = await analyzePair(
      { [LOG]: training('law-llm-lora') },
      { [LOG]: training('multi-evalset-overfit') },
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'train-overfitting-gap',
        severity: 'warning',
        title: `Eval loss is 2.694 above train loss at the end of ${LOG} (was 4.721 below it)`,
        location: { path: LOG },
      },
      {
        check: 'train-eval-loss-rising',
        severity: 'warning',
        title: `Eval loss ended 146.8% above its best in ${LOG}: the best checkpoint is at step 401 of 12030`,
        location: { path: LOG },
      },
    ]);
    expect(report.findings[0]?.details).toEqual([
      'final train loss 0.0549, final eval_g0_loss 2.749; allowed gap 0.3',
      'best eval loss 1.114 at step 401 of 12030',
    ]);
    expect(report.findings[1]?.details).toEqual([
      'last evaluations of eval_g0_loss: 2.55 @11228 → 2.4 @11629 → 2.749 @12030',
      'best eval loss 1.114 at step 401 of 12030; later training made the model worse on held-out data',
      'no early stopping is configured in the hyperparameter files (early_stopping_patience, load_best_model_at_end): consider it, or fewer epochs',
    ]);
    expect(report.findings[0]?.evidence?.head).toBeCloseTo(2.7486727237701416 - 0.0549, 10);
    expect(report.findings[0]?.evidence?.base).toBeCloseTo(0.303802490234375 - 5.0244, 10);
    expect(report.verdict).toBe('warning');
    expect(report.training[0]?.head).toMatchObject({
      evalSets: ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'],
      bestEvalStep: 401,
      lastStep: 12030,
    });
  });

  it('healthy (Alpaca reproduction) → diverging (QLoRA, lr 0.005): a train-divergence failure', async () => {
    // head losses every 10 steps: 0.9974, 4.3459, 8.8061, 13.5352, 15.6576, 15.0001, 18.7846, 20.8277,
    // 25.5949, 29.559: mean of the last 5 = 21.953 = 2.533 × the lowest 5-log mean 8.668 (the first five).
    const report = await analyzePair(
      { [LOG]: training('alpaca-repro') },
      { [LOG]: training('qlora-diverging') },
    );
    expect(report.findings).toEqual([
      {
        check: 'train-divergence',
        severity: 'failure',
        title: `Training diverged in ${LOG}: train loss rose from 0.9974 to 29.56`,
        details: [
          'training loss rose to 21.95 (mean of the last 5 logged), 2.533x its lowest 5-log mean 8.668 and above the first logged loss 0.9974',
        ],
        evidence: { base: 0.9974, head: 29.559 },
        location: { path: LOG },
      },
    ]);
    expect(report.verdict).toBe('failure');
    // Neither run logged an evaluation: no gap, no eval trend, nothing said about them.
    expect(report.training[0]?.base).toMatchObject({ evalTrend: 'n/a', diverged: false, lastStep: 1218 });
    expect(report.training[0]?.head?.gap).toBeUndefined();
  });

  it('the DPO plateau (eval loss flat at ~0.512 from step 2100, 0.36% above its best at the end): nothing fires', async () => {
    // eval_loss best 0.512324 at step 2100 of 2907; last four 0.513677, 0.513951, 0.514596, 0.514167 (the
    // last one dipped, so no run of rises); final train loss 0.3322 and the gap 0.1697 stays under 0.3.
    const report = await analyzePair({ 'README.md': 'dpo\n' }, { [LOG]: training('tinyllama-chat-dpo') });
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.training[0]).toMatchObject({
      path: LOG,
      status: 'added',
      head: { evalTrend: 'flat', risingEvals: 0, bestEvalStep: 2100, finalTrainLoss: 0.3322 },
    });
  });

  it('the DPO plateau with above-best lowered to 0.2%: the late creep becomes a rising warning', async () => {
    // 0.5141671299934387 / 0.5123242139816284 - 1 = 0.3597%; 2100 / 2907 = 72% of the run (≤ 75%).
    const report = await analyzePair(
      { 'README.md': 'dpo\n' },
      { [LOG]: training('tinyllama-chat-dpo') },
      'checks:\n  train-eval-loss-rising: { above-best: 0.2% }\n',
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'train-eval-loss-rising',
        severity: 'warning',
        title: `Eval loss ended 0.36% above its best in ${LOG}: the best checkpoint is at step 2100 of 2907`,
        location: { path: LOG },
      },
    ]);
  });

  it('law-llm LoRA (train loss logged ~16× eval loss): a notice that the gap cannot be judged, no overfitting claim', async () => {
    // train loss 5.0244 at step 600 vs eval_loss 0.303802 at step 600: 16.54×; eval_loss falls at every
    // evaluation (15.44, 2.384, 0.3468, 0.3185, 0.3077, 0.3038), so nothing else is wrong with the run.
    const report = await analyzePair({ 'README.md': 'law\n' }, { [LOG]: training('law-llm-lora') });
    expect(report.findings).toEqual([
      {
        check: 'train-overfitting-gap',
        severity: 'notice',
        title: `Train loss is logged 16.54× above eval loss at the end of ${LOG}: the overfitting gap cannot be judged`,
        details: [
          'train loss 5.024 vs eval loss 0.3038 at step 600',
          'The two losses look logged on different scales (for example a train loss summed over gradient-accumulation steps); compare them only once they are on the same scale.',
        ],
        evidence: { head: 5.0244 / 0.303802490234375 },
        location: { path: LOG },
      },
    ]);
    expect(report.verdict).toBe('pass');
    expect(report.training[0]?.head).toMatchObject({ evalTrend: 'falling', diverged: false });
  });
});
