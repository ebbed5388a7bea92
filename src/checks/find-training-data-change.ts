import type { ParamValue } from '../loaders/parse-params.js';
import type { ParamsEntry } from './check-context.js';

/**
 * Keys whose value names the data a config trains on: Axolotl and generic `datasets[i].path`, LLaMA-Factory
 * `dataset`, TRL `dataset_name`, alignment-handbook `dataset_mixture.datasets[i].id`, HF scripts
 * `train_file`, `data_path`. alignment-handbook's older `dataset_mixer` names its datasets in its keys.
 */
const DATA_KEY =
  /^(?:(?:datasets|dataset_mixture\.datasets)\[\d+\]\.(?:path|id|name|data_files)|dataset|dataset_name|train_file|data_path|train_data)$/;
const MIXER_KEY = /^dataset_mixer\.(.+)$/;

/**
 * For a config compared with a file at another path (a rename with edits), the change of the data it
 * trains on, as `old → new`; undefined when it is compared with itself, when either side names no data,
 * or when both name the same. A config that moved and now trains on other data is another experiment:
 * its epochs, rank or learning rate were chosen for that data, so their jumps are told, not flagged.
 */
export function findTrainingDataChange(entry: ParamsEntry): string | undefined {
  if (entry.report.comparedWith?.reason !== 'renamed' || !entry.base || !entry.head) return undefined;
  const before = trainingData(entry.base.values);
  const after = trainingData(entry.head.values);
  if (before.length === 0 || after.length === 0 || before.join('\n') === after.join('\n')) return undefined;
  return `${before.join(', ')} → ${after.join(', ')}`;
}

function trainingData(values: ReadonlyMap<string, ParamValue>): string[] {
  const names = new Set<string>();
  for (const [key, value] of values) {
    const mixer = MIXER_KEY.exec(key);
    if (mixer?.[1] !== undefined) names.add(mixer[1]);
    else if (DATA_KEY.test(key) && typeof value === 'string') {
      for (const name of value.split(',')) if (name.trim() !== '') names.add(name.trim());
    }
  }
  return [...names].sort();
}
