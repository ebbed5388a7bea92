import type { Readable } from 'node:stream';
import { readDatasetRows } from './read-dataset-rows.js';

/** Per-item scores of one evaluation run: item id → metric → score. */
export interface SampleLog {
  /** The task the log belongs to: from lm-eval's `samples_<task>_<timestamp>.jsonl` name, else the file stem. */
  task: string;
  /** `metric` (filter `none`) or `metric[filter]`, as in the results files' keys, → item id → score. */
  scores: Map<string, Map<string, number>>;
  /**
   * How items are matched across runs: lm-eval's `doc_hash` (lighteval's `hash_example`) when present,
   * else the item id; lighteval details without `hash_example` by a hash of the prompt text.
   */
  matchedBy: 'doc_hash' | 'prompt_hash' | 'id';
  rows: number;
  problems: { line: number; reason: string }[];
}

const ID_KEYS = ['doc_hash', 'doc_id', 'id', 'example_id', 'idx', 'index'] as const;
const GENERIC_SCORES = [
  'score',
  'correct',
  'is_correct',
  'acc',
  'accuracy',
  'exact_match',
  'em',
  'pass',
] as const;

/**
 * Whether a path is a per-item evaluation log: lm-eval's `--log_samples` output
 * (`samples_<task>_<timestamp>.jsonl`) or a file named `*per_example*` / `*per_sample*` / `*predictions*.jsonl`.
 */
export function isSampleLogPath(path: string): boolean {
  const name = (path.split('/').pop() ?? path).toLowerCase();
  return (
    /^samples_.+\.jsonl$/.test(name) || /(per[_-]?(example|sample|item)|predictions).*\.jsonl$/.test(name)
  );
}

/** The task of a sample log from its file name: `samples_arc_easy_2025-01-01T00-00-00.123.jsonl` → `arc_easy`. */
export function findSampleLogTask(path: string): string {
  const name = (path.split('/').pop() ?? path).replace(/\.jsonl$/i, '');
  const lmEval = /^samples_(.+?)_(\d{4}-\d{2}-\d{2}T[\d.:-]+)$/.exec(name);
  if (lmEval?.[1]) return lmEval[1];
  return name.replace(/^samples_/, '');
}

/**
 * Reads a per-item evaluation log (JSONL) as a stream. lm-eval lines carry `doc_id`, `doc_hash`,
 * `filter`, `metrics` (the names of the metric fields) and one numeric field per metric; a generic
 * line carries an id (`id`, `example_id`, …) and a score (`score`, `correct`, …; booleans count 1/0).
 * Items are matched by `doc_hash` when every line has one, else by id. A line without an id or score
 * is a problem; metric values that are not numbers (perplexity's log-likelihood pairs) are skipped.
 */
export async function readSampleLog(source: Readable, path: string): Promise<SampleLog> {
  const byHash = new Map<string, Map<string, number>>();
  const byId = new Map<string, Map<string, number>>();
  let everyLineHashed = true;
  let rows = 0;
  const problems: SampleLog['problems'] = [];
  for await (const item of readDatasetRows(source, 'jsonl')) {
    if (!('record' in item)) {
      problems.push(item);
      continue;
    }
    const record = item.record;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problems.push({ line: item.line, reason: 'expected a JSON object per line' });
      continue;
    }
    const fields = record as Record<string, unknown>;
    const idKey = ID_KEYS.find((key) => key !== 'doc_hash' && isId(fields[key]));
    const hash = isId(fields['doc_hash']) ? String(fields['doc_hash']) : undefined;
    if (hash === undefined) everyLineHashed = false;
    if (idKey === undefined && hash === undefined) {
      problems.push({ line: item.line, reason: 'no item id (doc_id, doc_hash, id, example_id)' });
      continue;
    }
    const filter =
      typeof fields['filter'] === 'string' && fields['filter'] !== 'none' ? `[${fields['filter']}]` : '';
    const names = Array.isArray(fields['metrics'])
      ? fields['metrics'].filter((m): m is string => typeof m === 'string')
      : GENERIC_SCORES.filter((key) => key in fields);
    let scored = 0;
    for (const name of names) {
      const value = toScore(fields[name]);
      if (value === undefined) continue;
      scored++;
      const metric = `${name}${filter}`;
      const id = idKey === undefined ? undefined : String(fields[idKey]);
      if (hash !== undefined) put(byHash, metric, hash, value);
      if (id !== undefined) put(byId, metric, id, value);
    }
    if (scored === 0 && !Array.isArray(fields['metrics'])) {
      problems.push({ line: item.line, reason: `no numeric score (${GENERIC_SCORES.join(', ')})` });
      continue;
    }
    rows++;
  }
  const matchedBy = everyLineHashed && byHash.size > 0 ? 'doc_hash' : 'id';
  return {
    task: findSampleLogTask(path),
    scores: matchedBy === 'doc_hash' ? byHash : byId,
    matchedBy,
    rows,
    problems,
  };
}

function put(target: Map<string, Map<string, number>>, metric: string, id: string, value: number): void {
  let items = target.get(metric);
  if (!items) target.set(metric, (items = new Map<string, number>()));
  items.set(id, value);
}

function isId(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/** A per-item score as a number: `true`/`false` as 1/0, a finite number as it is, anything else none. */
export function toScore(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}
