import type { DatasetEntry, ParamsEntry } from '../checks/check-context.js';
import { decodeText } from '../loaders/decode-text.js';
import {
  findDatasetLineage,
  parseDatasetRegistry,
  type DatasetRegistry,
} from '../sources/find-dataset-lineage.js';
import type { AnalyzeStepInput } from './read-sides.js';

/**
 * Which head configs train on which dataset (see `findDatasetLineage`), with LLaMA-Factory's
 * `dataset_info.json` registries read from the head commit. A registry that cannot be read gives no
 * links (it is not a file tuneguard reviews, so it is not reported).
 */
export async function analyzeLineage(
  input: Pick<AnalyzeStepInput, 'pair' | 'present'>,
  params: readonly ParamsEntry[],
  datasets: readonly DatasetEntry[],
): Promise<Map<string, string[]>> {
  if (params.length === 0 || datasets.length === 0) return new Map();
  const registries: DatasetRegistry[] = [];
  for (const path of input.present.head) {
    if (!path.endsWith('dataset_info.json')) continue;
    const bytes = await input.pair.head.readFile(path);
    try {
      if (bytes) registries.push(parseDatasetRegistry(path, JSON.parse(decodeText(bytes)) as unknown));
    } catch {
      // An unreadable registry links nothing; the configs naming its entries stay unlinked.
    }
  }
  const configs = params.flatMap((entry) =>
    entry.head ? [{ path: entry.report.path, values: entry.head.values }] : [],
  );
  const paths = datasets.flatMap((entry) => entry.report.files ?? [entry.report.path]);
  const byFile = findDatasetLineage(configs, registries, paths);
  // A sharded dataset is linked when any of its files is.
  const lineage = new Map<string, string[]>();
  for (const entry of datasets) {
    const users = [
      ...new Set((entry.report.files ?? [entry.report.path]).flatMap((file) => byFile.get(file) ?? [])),
    ];
    if (users.length > 0) lineage.set(entry.report.path, users.sort());
  }
  return lineage;
}
