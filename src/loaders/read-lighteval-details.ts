import { createHash } from 'node:crypto';
import { readDatasetRows } from './read-dataset-rows.js';
import { splitLightevalKey } from './read-lighteval.js';
import { toScore, type SampleLog } from './read-sample-log.js';

/*
 * lighteval's details files (`--save-details`): `<out>/details/<model>/<time>/details_<key>_<time>.parquet`,
 * one row per evaluated item, beside the run's results file `<out>/results/<model>/results_<time>.json`
 * (the model name may hold slashes: `openrouter/openai/gpt-5.2`). Two row layouts exist:
 * - lighteval ≥ 0.10: `doc` (a struct with the prompt as `query`), `model_response`, and `metric`, a struct
 *   of the item's metric values;
 * - 0.8 and 0.9: `example`, `full_prompt`, `predictions`, `gold`, `metrics` (a dict), `specifics`, …;
 * - up to 0.7 the same columns, each as Python's `str()` of the value: `metrics` is `"{'acc': 1.0}"`.
 * Some writers add the example's hash, `hash_example`.
 */

/** What a details file's name says: the results key, its task and few-shot count, and the run's time. */
export interface LightevalDetailsName {
  /** The results key, `community|lexam-en-idk|0`. */
  key: string;
  /** The task as the results file names it: the key without its few-shot count. */
  task: string;
  nShot?: number;
  /** The run's time as lighteval writes it in file names: `2025-12-12T15-11-59.471879`. */
  time: string;
}

const DETAILS_NAME = /^details_(.+)_(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d+)?)\.parquet$/i;

/** The columns read: the rest (responses, logits, token ids) can be most of a file and is never used. */
const COLUMNS = ['doc', 'metric', 'metrics', 'hash_example', 'full_prompt', 'example'];

/** Hex digits kept of a prompt's SHA-256: 64 bits, unique across any run's items. */
const PROMPT_HASH_CHARS = 16;

/**
 * Reads a lighteval details file name, or `undefined` when it is not `details_<key>_<time>.parquet`.
 * @example parseLightevalDetailsName('d/details_community|lexam-en-idk|0_2025-12-12T15-11-59.471879.parquet')
 * // { key: 'community|lexam-en-idk|0', task: 'community|lexam-en-idk', nShot: 0, time: '2025-12-12T15-11-59.471879' }
 */
export function parseLightevalDetailsName(path: string): LightevalDetailsName | undefined {
  const match = DETAILS_NAME.exec(path.split('/').pop() ?? path);
  if (!match?.[1] || !match[2]) return undefined;
  const split = splitLightevalKey(match[1]);
  return { key: match[1], ...split, time: match[2] };
}

/**
 * The results file of the run a details file belongs to: `X/details/<model>/<time>/details_…_<time>.parquet`
 * → `X/results/<model>/results_<time>.json`; `undefined` when the path is not laid out so. The last
 * `details` folder before the time folder is the output directory's.
 * @example findLightevalResultsPath('out/details/org/m/2024-01-01T00-00-00/details_gsm8k|0_2024-01-01T00-00-00.parquet')
 * // 'out/results/org/m/results_2024-01-01T00-00-00.json'
 */
export function findLightevalResultsPath(path: string): string | undefined {
  const name = parseLightevalDetailsName(path);
  const folders = path.split('/').slice(0, -1);
  if (!name || folders.at(-1) !== name.time) return undefined;
  const at = folders.slice(0, -1).lastIndexOf('details');
  if (at < 0 || at === folders.length - 2) return undefined;
  const model = folders.slice(at + 1, -1);
  return [...folders.slice(0, at), 'results', ...model, `results_${name.time}.json`].join('/');
}

/**
 * Reads a lighteval details file as a per-item log of its task (the results key without its few-shot
 * count, as {@link readLighteval} names tasks). Each row's metric values (`metric`, or `metrics` as a
 * dict or JSON text) are its scores; booleans count 1/0 and other values are skipped. Items are matched
 * across runs by the example's hash (`hash_example`) when every row has one, else by a SHA-256 of the
 * prompt text (`doc.query`, else `full_prompt`, else `example`), so that two runs of the same prompts
 * pair up whatever their row order. A row without scores or a prompt is a problem with its row number;
 * a file that is not Parquet is one problem. The file is read as datasets are (`readDatasetRows`: held in
 * memory up to 32 MiB, spooled to disk beyond), and only the columns used are decoded.
 */
export async function readLightevalDetails(source: AsyncIterable<unknown>, path: string): Promise<SampleLog> {
  const byHash = new Map<string, Map<string, number>>();
  const byPrompt = new Map<string, Map<string, number>>();
  let everyRowHashed = true;
  let rows = 0;
  const problems: SampleLog['problems'] = [];
  for await (const item of readDatasetRows(source, 'parquet', { parquetColumns: COLUMNS })) {
    if (!('record' in item)) {
      problems.push(item);
      continue;
    }
    const fields = asRecord(item.record) ?? {};
    const hash = readText(fields['hash_example']);
    if (hash === undefined) everyRowHashed = false;
    const prompt = readPrompt(fields);
    if (hash === undefined && prompt === undefined) {
      problems.push({
        line: item.line,
        reason: 'no prompt (doc.query, full_prompt, example) nor hash_example',
      });
      continue;
    }
    const scores = readScores(fields);
    if (scores.length === 0) {
      problems.push({ line: item.line, reason: 'no numeric metric value (metric, metrics)' });
      continue;
    }
    const promptId = prompt === undefined ? undefined : hashPrompt(prompt);
    for (const [metric, value] of scores) {
      if (hash !== undefined) put(byHash, metric, hash, value);
      if (promptId !== undefined) put(byPrompt, metric, promptId, value);
    }
    rows++;
  }
  const matchedBy = everyRowHashed && byHash.size > 0 ? 'doc_hash' : 'prompt_hash';
  return {
    task: parseLightevalDetailsName(path)?.task ?? (path.split('/').pop() ?? path).replace(/\.parquet$/i, ''),
    scores: matchedBy === 'doc_hash' ? byHash : byPrompt,
    matchedBy,
    rows,
    problems,
  };
}

function readPrompt(fields: Record<string, unknown>): string | undefined {
  return (
    readText(asRecord(fields['doc'])?.['query']) ??
    readText(fields['full_prompt']) ??
    readText(fields['example'])
  );
}

/**
 * The row's metric values: lighteval ≥ 0.10's `metric` struct, the `metrics` dict of 0.8–0.9, or its
 * text up to 0.7 (JSON, or Python's repr of a dict of numbers).
 */
function readScores(fields: Record<string, unknown>): [string, number][] {
  const metrics = fields['metrics'];
  const values = asRecord(fields['metric']) ?? asRecord(metrics);
  const entries =
    values !== undefined
      ? Object.entries(values)
      : typeof metrics === 'string'
        ? readMetricsText(metrics)
        : [];
  const scores: [string, number][] = [];
  for (const [metric, value] of entries) {
    const score = toScore(value);
    if (score !== undefined) scores.push([metric, score]);
  }
  return scores;
}

/**
 * One entry of Python's repr of a dict of numbers: `'acc': 1.0`, `"it's": 0`, `'em': True`, and numpy 2's
 * `'acc': np.float64(1.0)`. `nan` and `inf` are left out: they are no score.
 */
const PYTHON_ENTRY =
  /(['"])((?:(?!\1)[^\\]|\\.)*)\1\s*:\s*(?:np\.float(?:16|32|64)\()?(True|False|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\)?/g;

/** The metric values of a `metrics` cell written as text: JSON, else Python's repr of the dict. */
function readMetricsText(text: string): [string, unknown][] {
  try {
    return Object.entries(asRecord(JSON.parse(text)) ?? {});
  } catch {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return [];
    return [...trimmed.matchAll(PYTHON_ENTRY)].map((match) => {
      const value = match[3] ?? '';
      return [match[2] ?? '', value === 'True' ? true : value === 'False' ? false : Number(value)];
    });
  }
}

function hashPrompt(prompt: string): string {
  return createHash('sha256').update(prompt).digest('hex').slice(0, PROMPT_HASH_CHARS);
}

function put(target: Map<string, Map<string, number>>, metric: string, id: string, value: number): void {
  let items = target.get(metric);
  if (!items) target.set(metric, (items = new Map<string, number>()));
  items.set(id, value);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function readText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
