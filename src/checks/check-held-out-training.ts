import type { ParamValue } from '../loaders/parse-params.js';
import type { Finding } from '../model/report-schema.js';
import { guessSplit, isHeldOutSplit } from '../model/splits.js';
import type { CheckContext, ParamsEntry } from './check-context.js';
import { createFinding } from './create-finding.js';

/** One dataset a training config trains on, by a split that names held-out data. */
interface TrainedSplit {
  /** The dataset's identifier (hub id or path), or `?` when the config does not name it. */
  dataset: string;
  split: string;
  /** The flattened key holding the split (`dataset_mixture.datasets[1].split`). */
  key: string;
}

/**
 * Keys whose value is the split a config trains on: an entry of alignment-handbook's `dataset_mixture`
 * (`dataset_mixture.datasets[1].split: test_prefs`), of Axolotl's `datasets` (`datasets[0].split`), or
 * TRL's `dataset_train_split`. Axolotl's `test_datasets` and alignment-handbook's older `dataset_splits`
 * (train and test splits, the test one evaluated) name evaluation data and are not read.
 */
const TRAINED_SPLIT_KEY = /^(?:(dataset_mixture\.datasets|datasets)\[(\d+)\]\.split|dataset_train_split)$/;

/** Sibling keys naming the dataset of a list entry. */
const DATASET_NAME_KEYS = ['id', 'path', 'name'] as const;

/**
 * `params-risky-change`: a training config that now trains on a held-out split (`test`, `test_prefs`,
 * `validation`…) it did not train on before: the rows every evaluation of that dataset uses are learnt,
 * so scores on it no longer measure generalisation. Only what the pull request adds is reported.
 */
export function checkHeldOutTraining(entry: ParamsEntry, context: CheckContext): (Finding | undefined)[] {
  if (entry.report.status === 'removed' || entry.report.status === 'unchanged' || !entry.head) return [];
  const before = new Set((entry.base ? findTrainedHeldOutSplits(entry.base.values) : []).map(describe));
  const added = findTrainedHeldOutSplits(entry.head.values).filter(
    (trained) => !before.has(describe(trained)),
  );
  const [first] = added;
  if (first === undefined) return [];
  const line = entry.report.changes.find((change) => change.key === first.key)?.line;
  return [
    createFinding('params-risky-change', context.config, {
      // The same title for every config, so that one migration across many recipes is one finding.
      title: `Held-out split in the training data of ${entry.report.path}`,
      details: [
        ...added.map((trained) => `${trained.key}: ${trained.split} (${trained.dataset})`),
        'A split named for evaluation is trained on: any evaluation on it, the dataset’s published benchmark numbers included, now scores rows the model has learnt.',
      ],
      evidence: { head: added.map((trained) => `${trained.dataset}:${trained.split}`).join(', ') },
      location: { path: entry.report.path, ...(line !== undefined ? { line } : {}) },
    }),
  ];
}

/** The held-out splits a config's values train on, in key order. */
export function findTrainedHeldOutSplits(values: ReadonlyMap<string, ParamValue>): TrainedSplit[] {
  const trained: TrainedSplit[] = [];
  for (const [key, value] of values) {
    const match = TRAINED_SPLIT_KEY.exec(key);
    if (!match || typeof value !== 'string' || !isHeldOutSplit(guessSplit(value))) continue;
    const [, list, index] = match;
    const dataset =
      list === undefined
        ? values.get('dataset_name')
        : DATASET_NAME_KEYS.map((name) => values.get(`${list}[${index ?? ''}].${name}`)).find(
            (named) => typeof named === 'string',
          );
    trained.push({ dataset: typeof dataset === 'string' ? dataset : '?', split: value, key });
  }
  return trained;
}

function describe(trained: TrainedSplit): string {
  return `${trained.dataset}\u0000${trained.split}`;
}
