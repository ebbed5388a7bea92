import { describe, expect, it } from '@jest/globals';
import { checkTraining } from '../../src/checks/check-training.js';
import type { Finding } from '../../src/model/report-schema.js';
import { configOf, contextOf, fixtureText, trainingEntry } from './helpers/build-context.js';

/*
 * Real training logs (fixtures/training, SOURCES.md there). Numbers read with python3 from `log_history`
 * (h): train = [(e['step'], e['loss']) for e in h if 'loss' in e]; evals likewise for `eval_loss` (or
 * `eval_g0_loss`, the first named set, when there is no plain one); gap = last eval loss - mean of the
 * train losses logged after the previous evaluation up to the last one.
 */

const log = (name: string) => fixtureText(`training/${name}`);
const DPO = log('tinyllama-chat-dpo_trainer_state.json');
const OVERFIT = log('multi-evalset-overfit_trainer_state.json');
const LAW = log('law-llm-lora_trainer_state.json');
const DIVERGING = log('qlora-diverging_trainer_state.json');
const ALPACA = log('alpaca-repro_trainer_state.json');
const RISING_JSONL = log('hand-made_trainer_log.jsonl');
const PATH = 'outputs/trainer_state.json';

const check = (sides: { base?: string; head?: string }, yaml = '', path = PATH): Finding[] => {
  const config = configOf(yaml);
  return checkTraining(contextOf({ config, training: [trainingEntry(path, sides, config)] }));
};

describe('train-overfitting-gap', () => {
  it('the six-eval-set run (train 0.0549, eval_g0 2.749 at the end) is a warning naming the eval set', () => {
    const [gap] = check({ base: DPO, head: OVERFIT });
    expect(gap).toEqual({
      check: 'train-overfitting-gap',
      severity: 'warning',
      // base DPO gap: 0.514167 - mean(0.3418, 0.3617, 0.3322, ... losses logged in (2800, 2900]) = 0.1697.
      title: `Eval loss is 2.694 above train loss at the end of ${PATH} (was 0.1697)`,
      details: [
        'final train loss 0.0549, final eval_g0_loss 2.749; allowed gap 0.3',
        'best eval loss 1.114 at step 401 of 12030',
      ],
      evidence: {
        base: expect.closeTo(0.16971712999343874, 10),
        head: expect.closeTo(2.7486727237701416 - 0.0549, 10),
        delta: expect.closeTo(2.7486727237701416 - 0.0549 - 0.16971712999343874, 10),
      },
      location: { path: PATH },
    });
  });

  it.each([
    ['the DPO run (gap 0.1697) at the default 0.3', DPO, '', []],
    [
      'the DPO run with max-gap 0.1',
      DPO,
      'checks:\n  train-overfitting-gap: { max-gap: 0.1 }\n',
      ['warning'],
    ],
    [
      'the DPO run with max-gap 0.1 as a failure',
      DPO,
      'checks:\n  train-overfitting-gap: { max-gap: 0.1, severity: failure }\n',
      ['failure'],
    ],
    [
      'the six-eval-set run with max-gap 3',
      OVERFIT,
      'checks:\n  train-overfitting-gap: { max-gap: 3 }\n',
      [],
    ],
    [
      'the six-eval-set run with the check off',
      OVERFIT,
      'checks:\n  train-overfitting-gap: { severity: off }\n',
      [],
    ],
    ['a run without evaluations (Alpaca reproduction)', ALPACA, '', []],
  ])('%s', (_name, head, yaml, severities) => {
    const findings = check(
      { head },
      `${yaml}${yaml === '' ? 'checks:\n' : ''}  train-eval-loss-rising: { severity: off }\n`,
    );
    expect(findings.filter((f) => f.check === 'train-overfitting-gap').map((f) => f.severity)).toEqual(
      severities,
    );
  });

  it('the law-llm run logs train loss 16.54× eval loss: a notice that the gap cannot be judged, never a negative gap', () => {
    // step 600: train loss 5.0244, eval_loss 0.303802 → gap -4.7206.
    expect(check({ head: LAW })).toEqual([
      {
        check: 'train-overfitting-gap',
        severity: 'notice',
        title: `Train loss is logged 16.54× above eval loss at the end of ${PATH}: the overfitting gap cannot be judged`,
        details: [
          'train loss 5.024 vs eval loss 0.3038 at step 600',
          'The two losses look logged on different scales (for example a train loss summed over gradient-accumulation steps); compare them only once they are on the same scale.',
        ],
        evidence: { head: expect.closeTo(5.0244 / 0.303802490234375, 10) },
        location: { path: PATH },
      },
    ]);
    expect(check({ head: LAW }, 'checks:\n  train-overfitting-gap: { severity: off }\n')).toEqual([]);
  });

  it('a negative base gap is said in words', () => {
    const [gap] = check({ base: LAW, head: OVERFIT });
    expect(gap?.title).toBe(`Eval loss is 2.694 above train loss at the end of ${PATH} (was 4.721 below it)`);
  });

  it('looks only at logs the pull request added or changed', () => {
    expect(check({ base: OVERFIT, head: OVERFIT })).toEqual([]);
    expect(check({ base: OVERFIT })).toEqual([]);
  });
});

describe('train-eval-loss-rising', () => {
  it('LLaMA-Factory trainer_log.jsonl: eval loss 1.654 → 1.7015 → 1.798 over the last three evaluations', () => {
    const findings = check({ head: RISING_JSONL }, '', 'saves/trainer_log.jsonl');
    expect(findings.find((f) => f.check === 'train-eval-loss-rising')).toEqual({
      check: 'train-eval-loss-rising',
      severity: 'warning',
      title: 'Eval loss rose over the last 3 evaluations of saves/trainer_log.jsonl',
      details: [
        'last evaluations of eval loss: 1.654 @20 → 1.702 @30 → 1.798 @40',
        'best eval loss 1.654 at step 20 of 40; later training made the model worse on held-out data',
        'no early stopping is configured in the hyperparameter files (early_stopping_patience, load_best_model_at_end): consider it, or fewer epochs',
      ],
      evidence: { base: 1.654, head: 1.798 },
      location: { path: 'saves/trainer_log.jsonl' },
    });
  });

  it('the six-eval-set run: best at step 401 of 12030, final 146.8% above it', () => {
    const findings = check({ head: OVERFIT });
    expect(findings.find((f) => f.check === 'train-eval-loss-rising')?.title).toBe(
      `Eval loss ended 146.8% above its best in ${PATH}: the best checkpoint is at step 401 of 12030`,
    );
  });

  it.each([
    // trainer_log.jsonl: 2 rises at the end, 1.798 / 1.654 - 1 = 8.7% above the best at step 20 of 40.
    ['three rises needed', RISING_JSONL, 'checks:\n  train-eval-loss-rising: { evaluations: 4 }\n', []],
    [
      '8.7% above best with above-best 5%',
      RISING_JSONL,
      'checks:\n  train-eval-loss-rising: { evaluations: 4, above-best: 5% }\n',
      ['warning'],
    ],
    // DPO: 0.514167 / 0.512324 - 1 = 0.36% above the best, at step 2100 of 2907 (72%).
    ['the DPO plateau', DPO, '', []],
    [
      'the DPO plateau with above-best 0.2%',
      DPO,
      'checks:\n  train-eval-loss-rising: { above-best: 0.2% }\n',
      ['warning'],
    ],
    [
      'the DPO plateau with above-best 0.2% and best-before 70%',
      DPO,
      'checks:\n  train-eval-loss-rising: { above-best: 0.2%, best-before: 70% }\n',
      [],
    ],
    ['the law-llm run, eval loss falling', LAW, '', []],
    [
      'the six-eval-set run with the check off',
      OVERFIT,
      'checks:\n  train-eval-loss-rising: { severity: off }\n',
      [],
    ],
  ])('%s', (_name, head, yaml, severities) => {
    const path = head === RISING_JSONL ? 'saves/trainer_log.jsonl' : PATH;
    const findings = check({ head }, yaml, path).filter((f) => f.check === 'train-eval-loss-rising');
    expect(findings.map((f) => f.severity)).toEqual(severities);
  });
});

describe('train-divergence', () => {
  it('the QLoRA run with lr 0.005: train loss 0.9974 → 29.56 is a failure with the smoothed figures', () => {
    expect(check({ base: ALPACA, head: DIVERGING })).toEqual([
      {
        check: 'train-divergence',
        severity: 'failure',
        title: `Training diverged in ${PATH}: train loss rose from 0.9974 to 29.56`,
        // mean of the last 5 losses 21.953 = 2.533 × the mean of the first five, 8.668.
        details: [
          'training loss rose to 21.95 (mean of the last 5 logged), 2.533x its lowest 5-log mean 8.668 and above the first logged loss 0.9974',
        ],
        evidence: { base: 0.9974, head: 29.559 },
        location: { path: PATH },
      },
    ]);
  });

  it('a NaN loss (the DPO log with its first loss written as NaN) is a failure from that step', () => {
    const withNan = DPO.replace('"loss": 0.6931,', '"loss": NaN,');
    expect(check({ base: DPO, head: withNan })).toEqual([
      {
        check: 'train-divergence',
        severity: 'failure',
        title: `Training diverged in ${PATH}: a loss is NaN or infinite from step 1`,
        details: ['a loss is NaN or infinite at 1 step (first at step 1)', 'non-finite loss at steps 1'],
        evidence: { head: 0.3322 },
        location: { path: PATH },
      },
    ]);
  });

  it.each([
    ['a healthy run (Alpaca reproduction, 1.50 → 0.48)', ALPACA, ''],
    ['the QLoRA run at factor 3 (it rose 2.533×)', DIVERGING, 'checks:\n  train-divergence: { factor: 3 }\n'],
    ['the QLoRA run with the check off', DIVERGING, 'checks:\n  train-divergence: { severity: off }\n'],
  ])('is silent for %s', (_name, head, yaml) => {
    expect(check({ head }, yaml).filter((f) => f.check === 'train-divergence')).toEqual([]);
  });
});

describe('a PyTorch Lightning metrics.csv', () => {
  // hand-made_lightning_metrics.csv: val_loss 2.10, 1.95, 2.00, 2.08 at steps 99, 199, 299, 399; the train
  // losses logged in (299, 399] are 1.40, 1.30, 1.25, 1.20 (mean 1.2875), so the gap is 2.08 - 1.2875.
  const LIGHTNING = log('hand-made_lightning_metrics.csv');
  const findings = check({ head: LIGHTNING }, '', 'lightning_logs/version_0/metrics.csv');

  it('gets the held-out gap and the rising validation loss of a trainer_state.json', () => {
    expect(findings.map((f) => [f.check, f.title])).toEqual([
      [
        'train-overfitting-gap',
        'Eval loss is 0.7925 above train loss at the end of lightning_logs/version_0/metrics.csv',
      ],
      [
        'train-eval-loss-rising',
        'Eval loss rose over the last 3 evaluations of lightning_logs/version_0/metrics.csv',
      ],
    ]);
    expect(findings[0]?.details).toEqual([
      'final train loss 1.2, final eval loss 2.08; allowed gap 0.3',
      'best eval loss 1.95 at step 199 of 399',
    ]);
    expect(findings[0]?.evidence).toEqual({ head: expect.closeTo(0.7925, 12) });
  });
});
