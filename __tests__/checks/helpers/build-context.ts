import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type {
  CheckContext,
  DatasetEntry,
  MetricsEntry,
  ParamsEntry,
} from '../../../src/checks/check-context.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import type { Config } from '../../../src/config/schema.js';
import { buildDatasetEntry } from '../../../src/analyze/analyze-datasets.js';
import { buildMetricsEntries } from '../../../src/analyze/analyze-metrics.js';
import { addGpuCounts, buildParamsEntry } from '../../../src/analyze/analyze-params.js';
import { profileTrainingLog } from '../../../src/analyze/analyze-training.js';
import type { DatasetFormat } from '../../../src/model/vocabulary.js';
import { parseMetricsFile } from '../../../src/loaders/parse-metrics.js';
import { parseParamsFile } from '../../../src/loaders/parse-params.js';
import { parseTrainingLog } from '../../../src/loaders/parse-training-log.js';
import { profileDataset } from '../../../src/profile/dataset/profile-dataset.js';
import type { FileStatus, TrainingReport } from '../../../src/model/report-schema.js';

/** The text of a fixture under `__tests__/fixtures/` (`datasets/...`, `pairs/...`). */
export function fixtureText(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
}

/** A config as `.github/tuneguard.yml` would give it; empty text gives every default. */
export function configOf(yaml = ''): Config {
  return parseConfig(yaml, '.github/tuneguard.yml');
}

/** A context with nothing in it but the config: each test adds the artifacts it needs. */
export function contextOf(parts: Partial<CheckContext> = {}): CheckContext {
  return {
    config: configOf(),
    datasets: [],
    params: [],
    metrics: [],
    training: [],
    unreadable: [],
    changedFiles: new Set(),
    lineage: new Map(),
    ...parts,
  };
}

interface Sides {
  base?: string;
  head?: string;
}

/** Which sides a file has for a status; an unchanged file has the same content on both. */
function statusOf(sides: Sides): FileStatus {
  if (sides.base === undefined) return 'added';
  if (sides.head === undefined) return 'removed';
  return sides.base === sides.head ? 'unchanged' : 'modified';
}

function formatOf(path: string): DatasetFormat {
  if (path.endsWith('.jsonl')) return 'jsonl';
  if (path.endsWith('.csv')) return 'csv';
  return 'json';
}

/** A dataset entry profiled from real text, as the orchestrator builds it. */
export async function datasetEntry(path: string, split: string, sides: Sides): Promise<DatasetEntry> {
  const profile = (text: string | undefined) =>
    text === undefined ? undefined : profileDataset(Readable.from([Buffer.from(text)]), formatOf(path));
  const [base, head] = await Promise.all([profile(sides.base), profile(sides.head)]);
  return buildDatasetEntry({ path, split }, statusOf(sides), base, head);
}

/** A hyperparameter entry from real text: flattened, diffed, with canonical names and effective batch. */
export function paramsEntry(path: string, sides: Sides): ParamsEntry {
  const base = sides.base === undefined ? undefined : parseParamsFile(sides.base, path);
  const head = sides.head === undefined ? undefined : parseParamsFile(sides.head, path);
  const entry = buildParamsEntry(path, statusOf(sides), base, head);
  addGpuCounts([entry]);
  return entry;
}

/** A metrics entry from real text, diffed with the tolerance of `config` (no per-item logs). */
export function metricsEntry(path: string, sides: Sides, config: Config = configOf()): MetricsEntry {
  const base = sides.base === undefined ? undefined : parseMetricsFile(sides.base, path);
  const head = sides.head === undefined ? undefined : parseMetricsFile(sides.head, path);
  const file = { path, status: statusOf(sides), ...(base ? { base } : {}), ...(head ? { head } : {}) };
  return buildMetricsEntries([file], { base: new Map(), head: new Map() }, config)[0] as MetricsEntry;
}

/** A training-log entry profiled from real text with the thresholds of `config`. */
export function trainingEntry(path: string, sides: Sides, config: Config = configOf()): TrainingReport {
  const profile = (text: string | undefined) =>
    text === undefined ? undefined : profileTrainingLog(parseTrainingLog(text, path), config);
  const base = profile(sides.base);
  const head = profile(sides.head);
  return {
    path,
    status: statusOf(sides),
    ...(base ? { base } : {}),
    ...(head ? { head } : {}),
  };
}
