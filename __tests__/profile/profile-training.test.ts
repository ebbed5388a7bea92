import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { type LogEntry, parseTrainingLog, type TrainingLog } from '../../src/loaders/parse-training-log.js';
import { trainingProfileOptions } from '../../src/analyze/analyze-training.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { profileTraining } from '../../src/profile/profile-training.js';
import { trainingProfileSchema, type TrainingProfile } from '../../src/model/report-schema.js';

/** The thresholds a repository without a config gets, from the config schema's defaults. */
const DEFAULTS = trainingProfileOptions(parseConfig('', '.github/tuneguard.yml'));

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/training/${name}`, import.meta.url), 'utf8');

const load = (name: string): TrainingLog => parseTrainingLog(fixture(name), name);

type Row = [number, (number | undefined)?, Record<string, number>?];

/** A hand-built log: `[step, trainLoss?, evalLosses?]` per entry. */
function logOf(rows: Row[], extra: Partial<TrainingLog> = {}): TrainingLog {
  const entries = rows.map(([step, trainLoss, evalLosses]): LogEntry => {
    const entry: LogEntry = { step, evalLosses: evalLosses ?? {} };
    if (trainLoss !== undefined) entry.trainLoss = trainLoss;
    return entry;
  });
  return { format: 'csv', entries, problems: [], ...extra };
}

const evalsOf = (values: number[]): TrainingLog =>
  logOf(values.map((value, index): Row => [index, undefined, { '': value }]));

function summary(profile: TrainingProfile) {
  const {
    trainCurve,
    evalCurve,
    divergenceNote: _note,
    gap: _gap,
    evalSetSummaries: _sets,
    spikes: _spikes,
    ...rest
  } = profile;
  return { ...rest, trainPoints: trainCurve.length, evalPoints: evalCurve.length };
}

describe('profileTraining on real trainer_state.json files', () => {
  // All numbers from python3 over the file's log_history (h), e.g.:
  //   tr = [(e['step'], e['loss']) for e in h if 'loss' in e]; ev = [(e['step'], e['eval_loss']) for e in h if 'eval_loss' in e]
  //   ev[-1]; min(ev, key=lambda p: p[1]); epochs = [e['epoch'] for e in h if 'epoch' in e][-1]
  //   risingEvals: consecutive ev[i] > ev[i-1] counted back from the end
  //   gap = ev[-1][1] - mean(l for s, l in tr if ev[-2][0] < s <= ev[-1][0])
  //   trend over ev[-3:]: rising if strictly increasing, falling if first - last > 0.01 * first
  //   curve points: min(100, len(tr)), min(100, len(ev))
  it.each([
    [
      'tinyllama-chat-dpo',
      {
        format: 'hf-trainer-state',
        lastStep: 2907,
        epochs: 3,
        finalTrainLoss: 0.3322,
        finalEvalLoss: 0.5141671299934387,
        bestEvalLoss: 0.5123242139816284,
        bestEvalStep: 2100,
        // ev[-3:] = 0.51395, 0.51460, 0.51417: the plateau creeps up but the last evaluation dipped.
        evalTrend: 'flat',
        risingEvals: 0,
        nanSteps: [],
        diverged: false,
        evalSets: [''],
        trainPoints: 100,
        evalPoints: 29,
      },
      0.16971712999343874,
    ],
    [
      'multi-evalset-overfit',
      {
        format: 'hf-trainer-state',
        lastStep: 12030,
        epochs: 30,
        finalTrainLoss: 0.0549,
        finalEvalLoss: 2.7486727237701416,
        bestEvalLoss: 1.113750696182251,
        bestEvalStep: 401,
        // eval_g0_loss ev[-3:] = 2.5498, 2.4002, 2.7487: neither strictly rising nor falling.
        evalTrend: 'flat',
        risingEvals: 1,
        nanSteps: [],
        diverged: false,
        evalSets: ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'],
        trainPoints: 30,
        evalPoints: 31,
      },
      2.6937727237701417,
    ],
    [
      'qlora-diverging',
      {
        format: 'hf-trainer-state',
        lastStep: 100,
        epochs: 80,
        finalTrainLoss: 29.559,
        evalTrend: 'n/a',
        risingEvals: 0,
        nanSteps: [],
        diverged: true,
        evalSets: [],
        trainPoints: 10,
        evalPoints: 0,
      },
      undefined,
    ],
    [
      'alpaca-repro',
      {
        format: 'hf-trainer-state',
        lastStep: 1218,
        epochs: 3,
        finalTrainLoss: 0.4774,
        evalTrend: 'n/a',
        risingEvals: 0,
        nanSteps: [],
        diverged: false,
        evalSets: [],
        trainPoints: 100,
        evalPoints: 0,
      },
      undefined,
    ],
    [
      'law-llm-lora',
      {
        format: 'hf-trainer-state',
        lastStep: 692,
        epochs: 1.731081813256276,
        finalTrainLoss: 5.0244,
        finalEvalLoss: 0.303802490234375,
        bestEvalLoss: 0.303802490234375,
        bestEvalStep: 600,
        evalTrend: 'falling',
        risingEvals: 0,
        nanSteps: [],
        diverged: false,
        evalSets: [''],
        trainPoints: 6,
        evalPoints: 6,
      },
      -4.720597509765625,
    ],
  ])('%s', (name, expected, gap) => {
    const profile = profileTraining(load(`${name}_trainer_state.json`), DEFAULTS);
    expect(summary(profile)).toEqual(expected);
    if (gap === undefined) expect('gap' in profile).toBe(false);
    else expect(profile.gap).toBeCloseTo(gap, 12);
    expect(trainingProfileSchema.parse(profile)).toEqual(profile);
  });

  it('explains the divergence of qlora-diverging with its numbers', () => {
    // python3: L = losses; mean(L[-5:]) = 21.95326, min 5-log mean = 8.66844 (steps 10-50), L[0] = 0.9974
    const profile = profileTraining(load('qlora-diverging_trainer_state.json'), DEFAULTS);
    expect(profile.divergenceNote).toBe(
      'training loss rose to 21.95 (mean of the last 5 logged), 2.533x its lowest 5-log mean 8.668 ' +
        'and above the first logged loss 0.9974',
    );
  });

  it('has no divergence note for a run that converged', () => {
    expect('divergenceNote' in profileTraining(load('alpaca-repro_trainer_state.json'), DEFAULTS)).toBe(
      false,
    );
  });

  it('downsamples 1218 training losses to 100 evenly spaced points, keeping the first and last', () => {
    const log = load('alpaca-repro_trainer_state.json');
    const profile = profileTraining(log, DEFAULTS);
    // Steps 1..1218 are logged once each, so the loss at a step is the file's own number.
    const lossAt = new Map(
      JSON.parse(fixture('alpaca-repro_trainer_state.json'))
        .log_history.filter((e: { loss?: number }) => e.loss !== undefined)
        .map((e: { step: number; loss: number }) => [e.step, e.loss]),
    );
    const curve = profile.trainCurve;
    expect(curve).toHaveLength(100);
    expect(curve[0]).toEqual({ step: 1, value: 1.5021 });
    expect(curve.at(-1)).toEqual({ step: 1218, value: 0.4774 });
    for (const point of curve) expect(lossAt.get(point.step)).toBe(point.value);
    // 1217 index steps over 99 gaps: every gap is 12 or 13 indices.
    const gaps = new Set(curve.slice(1).map((point, index) => point.step - (curve[index]?.step ?? 0)));
    expect([...gaps].sort()).toEqual([12, 13]);
  });

  it.each([
    // python3: eval_g0_loss ev[-2:] = 2.4002 → 2.7487 rises.
    ['multi-evalset-overfit', { risingEvaluations: 2 }, 'rising'],
    // ev[-2:] = 0.514596 → 0.514167 drops by 0.08%, under the 1% margin.
    ['tinyllama-chat-dpo', { risingEvaluations: 2 }, 'flat'],
    // All six eval losses 15.44 → 0.3038.
    ['law-llm-lora', { risingEvaluations: 6 }, 'falling'],
    ['law-llm-lora', { risingEvaluations: 7 }, 'n/a'],
  ])('%s with %p has eval trend %s', (name, options, trend) => {
    expect(profileTraining(load(`${name}_trainer_state.json`), { ...DEFAULTS, ...options }).evalTrend).toBe(
      trend,
    );
  });

  it('does not call qlora-diverging diverged with a factor of 3', () => {
    // python3: 21.95326 > 3 * 8.66844 = 26.005 is False.
    expect(
      profileTraining(load('qlora-diverging_trainer_state.json'), { ...DEFAULTS, divergenceFactor: 3 })
        .diverged,
    ).toBe(false);
  });
});

describe('profileTraining on hand-made LLaMA-Factory and CSV logs', () => {
  // python3 over the fixture's lines/rows as for the real files above.
  it.each([
    [
      'hand-made_trainer_log.jsonl',
      {
        format: 'llamafactory-trainer-log',
        lastStep: 40,
        epochs: 2,
        finalTrainLoss: 0.5967,
        finalEvalLoss: 1.798,
        bestEvalLoss: 1.654,
        bestEvalStep: 20,
        evalTrend: 'rising',
        risingEvals: 2,
        nanSteps: [],
        diverged: false,
        evalSets: [''],
        trainPoints: 8,
        evalPoints: 4,
      },
      // 1.798 - mean(0.7104, 0.5967) for the training losses at steps 35 and 40.
      1.14445,
    ],
    [
      'hand-made_training-log.csv',
      {
        format: 'csv',
        lastStep: 60,
        epochs: 0.6,
        finalTrainLoss: 1.3,
        finalEvalLoss: 1.8,
        bestEvalLoss: 1.8,
        bestEvalStep: 60,
        evalTrend: 'falling',
        risingEvals: 0,
        nanSteps: [],
        diverged: false,
        evalSets: ['', 'ood'],
        trainPoints: 6,
        evalPoints: 3,
      },
      // 1.80 - mean(1.45, 1.30) for the training losses at steps 50 and 60.
      0.425,
    ],
  ])('%s', (name, expected, gap) => {
    const profile = profileTraining(load(name), DEFAULTS);
    expect(summary(profile)).toEqual(expected);
    expect(profile.gap).toBeCloseTo(gap, 12);
  });
});

describe('profileTraining edge cases', () => {
  it('profiles an empty log', () => {
    expect(profileTraining(logOf([]), DEFAULTS)).toEqual({
      format: 'csv',
      lastStep: 0,
      evalTrend: 'n/a',
      risingEvals: 0,
      nanSteps: [],
      diverged: false,
      evalSets: [],
      evalSetSummaries: [],
      spikes: [],
      trainCurve: [],
      evalCurve: [],
    });
  });

  it('profiles a single training entry', () => {
    expect(profileTraining(logOf([[7, 2.5]]), DEFAULTS)).toEqual({
      format: 'csv',
      lastStep: 7,
      finalTrainLoss: 2.5,
      evalTrend: 'n/a',
      risingEvals: 0,
      nanSteps: [],
      diverged: false,
      evalSets: [],
      evalSetSummaries: [],
      spikes: [],
      trainCurve: [{ step: 7, value: 2.5 }],
      evalCurve: [],
    });
  });

  it('lists NaN and infinite losses, calls the run diverged and keeps them out of the numbers', () => {
    const log = logOf([
      [1, 1],
      [2, Number.NaN],
      [3, 0.9, { '': Number.NEGATIVE_INFINITY }],
      [4, undefined, { '': 1.2 }],
    ]);
    const profile = profileTraining(log, DEFAULTS);
    expect(profile.nanSteps).toEqual([2, 3]);
    expect(profile.diverged).toBe(true);
    expect(profile.divergenceNote).toBe('a loss is NaN or infinite at 2 steps (first at step 2)');
    expect(profile.trainCurve).toEqual([
      { step: 1, value: 1 },
      { step: 3, value: 0.9 },
    ]);
    expect(profile.evalCurve).toEqual([{ step: 4, value: 1.2 }]);
    expect(profile.finalTrainLoss).toBe(0.9);
    // 1.2 minus the training losses after no earlier evaluation up to step 4: mean(1, 0.9) = 0.95.
    expect(profile.gap).toBeCloseTo(0.25, 12);
    expect(trainingProfileSchema.parse(profile)).toEqual(profile);
  });

  it('reads the NaN that Python writes into trainer_state.json', () => {
    const log = parseTrainingLog(
      '{"log_history": [{"loss": 1.0, "step": 1}, {"loss": NaN, "step": 2}]}',
      'a.json',
    );
    const profile = profileTraining(log, DEFAULTS);
    expect(profile.nanSteps).toEqual([2]);
    expect(profile.divergenceNote).toBe('a loss is NaN or infinite at 1 step (first at step 2)');
  });

  it.each([
    // Hand-computed 5-log means: lowest 1 (steps 1-5), final 3; 3 > 2 x 1 but not above the first loss 10.
    ['a loss that never returns to its start', [10, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3], false],
    ['a loss that ends above its start', [2, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3], true],
    // A ratio to a negative level is meaningless: judged by NaN/Infinity only.
    ['negative losses', [-1, -2, -3, -4, -5, -1, 5, 5, 5, 5, 5], false],
    ['fewer than five losses', [1, 2, 4, 8], false],
  ])('divergence for %s: %p', (_name, losses, diverged) => {
    const profile = profileTraining(
      logOf(losses.map((loss, step): [number, number] => [step, loss])),
      DEFAULTS,
    );
    expect(profile.diverged).toBe(diverged);
  });

  it.each([
    // 1% of the window's first value is 0.01.
    [[1, 0.995, 0.991], 'flat', 0],
    [[1, 0.995, 0.985], 'falling', 0],
    [[1, 1.1, 1.1], 'flat', 0],
    [[1, 0.9, 1, 1.1], 'rising', 2],
    [[1.2, 1.1], 'n/a', 0],
  ])('eval losses %p give trend %s and %i rises at the end', (values, trend, rises) => {
    const profile = profileTraining(evalsOf(values), DEFAULTS);
    expect(profile.evalTrend).toBe(trend);
    expect(profile.risingEvals).toBe(rises);
  });

  it('takes the first occurrence of the best eval loss', () => {
    const profile = profileTraining(evalsOf([2, 1, 3, 1]), DEFAULTS);
    expect([profile.bestEvalLoss, profile.bestEvalStep]).toEqual([1, 1]);
  });

  it('falls back to the last training loss at or before the final evaluation for the gap', () => {
    // No training loss between the evaluations at steps 10 and 20: 1.6 - 1.0.
    const profile = profileTraining(
      logOf([
        [10, 1],
        [10, undefined, { '': 1.5 }],
        [20, undefined, { '': 1.6 }],
      ]),
      DEFAULTS,
    );
    expect(profile.gap).toBeCloseTo(0.6, 12);
  });

  it('has no gap when no training loss precedes the final evaluation', () => {
    const profile = profileTraining(
      logOf([
        [0, undefined, { '': 2 }],
        [10, 1],
      ]),
      DEFAULTS,
    );
    expect(profile.finalEvalLoss).toBe(2);
    expect('gap' in profile).toBe(false);
  });

  it('prefers the plain eval set and falls back to num_train_epochs and the max step', () => {
    const log = logOf(
      [
        [5, 1, { zeta: 3, '': 2, alpha: 4 }],
        [3, 0.5],
      ],
      { numEpochs: 3 },
    );
    const profile = profileTraining(log, DEFAULTS);
    expect(profile.evalSets).toEqual(['', 'alpha', 'zeta']);
    expect(profile.evalCurve).toEqual([{ step: 5, value: 2 }]);
    expect(profile.epochs).toBe(3);
    expect(profile.lastStep).toBe(5);
  });

  it('caps the eval curve at 100 points too', () => {
    const values = Array.from({ length: 250 }, (_, index) => 3 - index / 100);
    const profile = profileTraining(evalsOf(values), DEFAULTS);
    expect(profile.evalCurve).toHaveLength(100);
    expect(profile.evalCurve[0]).toEqual({ step: 0, value: 3 });
    expect(profile.evalCurve.at(-1)).toEqual({ step: 249, value: values[249] });
    // The best and final values come from all 250 evaluations, not the downsampled curve.
    expect(profile.bestEvalStep).toBe(249);
  });
});

describe('profileTraining per eval set and spikes', () => {
  it('summarises every named eval set of the multi-evalset run', () => {
    // python3 over log_history: per set, ev[-1], min(ev), gap = ev[-1] - mean(train losses since the
    // previous evaluation), and the rises counted back from the end.
    const profile = profileTraining(load('multi-evalset-overfit_trainer_state.json'), DEFAULTS);
    expect(profile.evalSetSummaries.map((s) => s.name)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
    const g0 = profile.evalSetSummaries[0];
    expect(g0).toMatchObject({
      name: 'g0',
      finalLoss: 2.7486727237701416,
      bestLoss: 1.113750696182251,
      bestStep: 401,
      risingEvals: 1,
    });
    expect(g0?.gap).toBeCloseTo(2.6937727237701417, 10);
    const g3 = profile.evalSetSummaries[3];
    expect(g3).toMatchObject({
      name: 'g3',
      finalLoss: 4.682476043701172,
      bestLoss: 2.025405168533325,
      bestStep: 401,
    });
    expect(g3?.gap).toBeCloseTo(4.627576043701172, 10);
  });

  it('finds spikes against the recent mean, and none in steady runs', () => {
    const steady = Array.from({ length: 30 }, (_, i): Row => [i + 1, 1 - i * 0.01]);
    const withSpike: Row[] = steady.map(([step, loss]) => [step, step === 20 ? 9 : loss]);
    // Mean of the 10 losses before step 20 (steps 10..19): 1 - 0.01 * mean(9..18) = 0.865.
    expect(profileTraining(logOf(withSpike), DEFAULTS).spikes).toEqual([
      { step: 20, value: 9, recentMean: expect.closeTo(0.865, 10) as unknown as number },
    ]);
    expect(profileTraining(logOf(steady), DEFAULTS).spikes).toEqual([]);
    // The qlora run climbs steadily rather than spiking: no single loss is 3x the 10 before it.
    expect(profileTraining(load('qlora-diverging_trainer_state.json'), DEFAULTS).spikes).toEqual([]);
    expect(profileTraining(logOf(withSpike), { ...DEFAULTS, spikeFactor: 20 }).spikes).toEqual([]);
  });
});

describe('an RL run', () => {
  // chaos-economy-grpo: the GRPO loss hovers around 0 with either sign; by python3 its step-155 loss
  // 0.03068 is above 3 × 0.0007215, the mean of the 10 before it, a "spike" that means nothing.
  const state = fixture('chaos-economy-grpo_trainer_state.json');

  it('has no loss spikes and no divergence by loss level: its loss is a policy objective', () => {
    const profile = profileTraining(parseTrainingLog(state, 'trainer_state.json'), DEFAULTS);
    expect([profile.spikes, profile.diverged, profile.rl?.method]).toEqual([[], false, 'GRPO']);
  });

  it('the same losses without the reward keys are an ordinary run, with that spike', () => {
    const withoutReward = state
      .replace(/\n\s*"reward": [^\n]*,/g, '')
      .replace(/\n\s*"reward_std": [^\n]*,/g, '')
      .replace(/\n\s*"frac_reward_zero_std": [^\n]*,/g, '');
    const profile = profileTraining(parseTrainingLog(withoutReward, 'trainer_state.json'), DEFAULTS);
    expect(profile.rl).toBeUndefined();
    expect(profile.spikes).toEqual([
      { step: 155, value: 0.03067682683467865, recentMean: expect.closeTo(0.0007214723079232497, 15) },
    ]);
  });
});
