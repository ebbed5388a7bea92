import type { ParamValue } from '../loaders/parse-params.js';
import { folderOf } from '../model/paths.js';

/** A hyperparameter file as lineage reads it: its path and flattened values. */
export interface LineageConfig {
  path: string;
  values: ReadonlyMap<string, ParamValue>;
}

/** LLaMA-Factory's `dataset_info.json`: where it sits, and its entries' names and file names. */
export interface DatasetRegistry {
  path: string;
  files: ReadonlyMap<string, string>;
}

/** Axolotl (`datasets[0].path`), TRL/HF scripts and generic configs: keys whose value names local data. */
const PATH_KEYS =
  /^(?:(?:datasets|test_datasets|pretraining_dataset)\[\d+\]\.(?:path|data_files)|train_file|validation_file|test_file|data_files|dataset_path|data_path|train_data|eval_data|data)$/;

/** LLaMA-Factory: comma-separated names of its registry. */
const REGISTRY_KEYS = new Set(['dataset', 'eval_dataset']);

/**
 * Which configs train (or evaluate) on which dataset: dataset path → the configs naming it, sorted.
 * A config names a dataset through a local path in its data keys (Axolotl `datasets[].path`, MLX `data`
 * folders, `train_file`…; a folder names every dataset under it), or through LLaMA-Factory's `dataset:`
 * names resolved in `<dataset_dir>/dataset_info.json` (default `data`). Hub identifiers name no local
 * file and give no link. A dataset no config names is absent from the map.
 * @example findDatasetLineage([{ path: 'sft.yml', values: new Map([['datasets[0].path', 'data/a.jsonl']]) }], [], ['data/a.jsonl'])
 * // Map { 'data/a.jsonl' => ['sft.yml'] }
 */
export function findDatasetLineage(
  configs: readonly LineageConfig[],
  registries: readonly DatasetRegistry[],
  datasets: readonly string[],
): Map<string, string[]> {
  const lineage = new Map<string, string[]>();
  const link = (dataset: string, config: string): void => {
    const users = lineage.get(dataset) ?? [];
    if (!users.includes(config)) lineage.set(dataset, [...users, config].sort());
  };
  for (const config of configs) {
    for (const named of namedPaths(config, registries)) {
      for (const dataset of datasets) if (names(named, dataset)) link(dataset, config.path);
    }
  }
  return lineage;
}

/** The local paths a config names, normalised (no `./`, no trailing `/`). */
function namedPaths(config: LineageConfig, registries: readonly DatasetRegistry[]): string[] {
  const paths: string[] = [];
  const datasetDir = normalise(stringOf(config.values.get('dataset_dir')) ?? 'data');
  for (const [key, value] of config.values) {
    const text = stringOf(value);
    if (text === undefined) continue;
    if (PATH_KEYS.test(key)) paths.push(normalise(text));
    if (REGISTRY_KEYS.has(key)) {
      const registry = registries.find((r) => folderOf(r.path) === datasetDir);
      for (const name of text.split(',').map((part) => part.trim())) {
        const file = registry?.files.get(name);
        if (file !== undefined) paths.push(normalise(datasetDir === '' ? file : `${datasetDir}/${file}`));
      }
    }
  }
  return paths.filter((path) => path !== '');
}

/** Whether a named path is the dataset, or a folder holding it (or a sharded dataset's pattern's folder). */
function names(named: string, dataset: string): boolean {
  return dataset === named || dataset.startsWith(`${named}/`);
}

function normalise(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '');
}

function stringOf(value: ParamValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a LLaMA-Factory `dataset_info.json`: each entry's name and its `file_name` (entries with only a
 * hub or script source name no local file). Anything that is not such an object gives no entries.
 */
export function parseDatasetRegistry(path: string, json: unknown): DatasetRegistry {
  const files = new Map<string, string>();
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    for (const [name, entry] of Object.entries(json)) {
      const file = (entry as { file_name?: unknown } | null)?.file_name;
      if (typeof file === 'string') files.set(name, file);
    }
  }
  return { path, files };
}
