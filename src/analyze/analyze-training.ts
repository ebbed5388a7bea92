import type { Config } from '../config/schema.js';
import { parseTrainingLog, type TrainingLog } from '../loaders/parse-training-log.js';
import type { TrainingProfile, TrainingReport } from '../model/report-schema.js';
import { profileTraining, type TrainingProfileOptions } from '../profile/profile-training.js';
import { isComparable, loadSides, parseWith, type AnalyzeStepInput } from './read-sides.js';

/** Reads and profiles every training log on both sides with the thresholds of the config. */
export async function analyzeTraining(input: AnalyzeStepInput): Promise<TrainingReport[]> {
  const { config, log } = input;
  const training: TrainingReport[] = [];
  const parse = parseWith(parseTrainingLog, log);
  for (const change of input.changes) {
    const { artifact, status } = change;
    if (artifact.kind !== 'training-log') continue;
    const { base, head } = await loadSides({ ...input, change }, async (snapshot, side, paths) => {
      const parsed = await parse(snapshot, side, paths);
      if (!parsed) return undefined;
      log.addProblems(artifact.path, side, parsed.problems);
      return profileTrainingLog(parsed, config);
    });
    if (!isComparable(status, base, head)) continue;
    training.push({
      path: artifact.path,
      status,
      ...(artifact.comparedWith ? { comparedWith: artifact.comparedWith } : {}),
      ...(base ? { base } : {}),
      ...(head ? { head } : {}),
    });
  }
  return training;
}

/** A training log's profile with the config's thresholds; non-finite optional figures are dropped. */
export function profileTrainingLog(log: TrainingLog, config: Config): TrainingProfile {
  return finiteProfile(profileTraining(log, trainingProfileOptions(config)));
}

/** The training profile's thresholds, as the config sets them (its schema holds the defaults). */
export function trainingProfileOptions(config: Config): TrainingProfileOptions {
  return {
    risingEvaluations: config.checks['train-eval-loss-rising'].evaluations,
    divergenceFactor: config.checks['train-divergence'].factor,
    spikeFactor: config.checks['train-divergence']['spike-factor'],
    klSpikeFactor: config.checks['train-kl-spike']['spike-factor'],
    minKl: config.checks['train-kl-spike']['min-kl'],
  };
}

const OPTIONAL_NUMBERS = [
  'epochs',
  'finalTrainLoss',
  'finalEvalLoss',
  'bestEvalLoss',
  'bestEvalStep',
  'gap',
] as const;

/** JSON has no NaN: a non-finite optional figure is dropped (`nanSteps` and `diverged` keep the fact). */
function finiteProfile(profile: TrainingProfile): TrainingProfile {
  const copy: TrainingProfile = {
    ...profile,
    trainCurve: profile.trainCurve.filter((p) => Number.isFinite(p.value)),
    evalCurve: profile.evalCurve.filter((p) => Number.isFinite(p.value)),
  };
  const dropped = new Set<string>(
    OPTIONAL_NUMBERS.filter((key) => copy[key] !== undefined && !Number.isFinite(copy[key])),
  );
  return Object.fromEntries(Object.entries(copy).filter(([key]) => !dropped.has(key))) as TrainingProfile;
}
