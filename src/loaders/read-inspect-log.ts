import { createHash } from 'node:crypto';
import { Decompress } from 'fzstd';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ParseError } from '../model/errors.js';
import type { MetricsFile, MetricValue, TaskSettings } from './parse-metrics.js';
import type { SampleLog } from './read-sample-log.js';
import { isRecord } from '../model/is-record.js';

/*
 * Inspect AI's evaluation logs. A `.eval` log is a zip whose members are JSON, compressed with deflate
 * (older versions) or Zstandard (method 93, current versions): `header.json` (the eval spec and results),
 * `summaries.json` (each sample's id, epoch and scores), `samples/<id>_epoch_<n>.json`, `reductions.json`
 * and `_journal/…`. A `.json` log is one document with `eval`, `plan`, `results` and `samples`.
 */

/** One Inspect log: its scores as a results file, and its samples' scores as a per-item log. */
export interface InspectLog {
  file: MetricsFile;
  samples: SampleLog;
}

/** The zip method number of Zstandard, as Python's zipfile (3.14) and `zipfile-zstd` write it. */
const ZIP_ZSTANDARD = 93;
/** Most bytes one member may inflate to, and all the members read together: a log is untrusted input. */
const MAX_MEMBER_BYTES = 256 * 1024 * 1024;
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

/** Metrics Inspect computes about the spread of the scores: never a quality metric themselves. */
const SPREAD_METRICS = new Set(['stderr', 'std', 'var', 'variance']);
/** Metrics that are the mean of the samples' scores, which the per-sample scores pair. */
const MEAN_METRICS = new Set(['accuracy', 'mean']);

/** Inspect's log names: `<ISO time with zone>_<task>_<22-character id>.eval` (or `.json`). */
const LOG_NAME = /^(.*\/)?(\d{4}-\d{2}-\d{2}T[\d:+-]+)_(.+)_([A-Za-z0-9]{22})\.(?:eval|json)$/;

/** Whether a path is an Inspect `.eval` log (a zip, read as bytes). */
export function isInspectEvalPath(path: string): boolean {
  return /\.eval$/i.test(path);
}

/**
 * The series a log belongs to (its folder and task) and the time it ran, from Inspect's file name
 * (`logs/2025-02-11T15-18-04-05-00_popularity_mj7khqpMM4GBCfVQozKgzB.eval`); `undefined` for other names.
 */
export function findInspectRun(path: string): { series: string; time: string } | undefined {
  const match = LOG_NAME.exec(path);
  if (!match?.[2] || !match[3]) return undefined;
  return { series: `${match[1] ?? ''}inspect:${match[3]}`, time: match[2] };
}

/** Whether the top-level keys of a JSON document are an Inspect log's (`eval` and `plan` beside `results` or `status`). */
export function isInspectJsonKeys(keys: readonly string[]): boolean {
  return (
    keys.includes('eval') && keys.includes('plan') && (keys.includes('results') || keys.includes('status'))
  );
}

/**
 * Reads an Inspect `.json` log, or gives `undefined` when the text is not one (not JSON at all
 * included: the results-file reader then says why).
 */
export function parseInspectJsonLog(text: string, path: string): InspectLog | undefined {
  if (!/"plan"\s*:/.test(text)) return undefined;
  let log: unknown;
  try {
    log = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  if (!isRecord(log) || !isInspectJsonKeys(Object.keys(log))) return undefined;
  const samples = Array.isArray(log['samples']) ? log['samples'] : [];
  return buildInspectLog(log, samples, path);
}

/**
 * Reads an Inspect `.eval` log from its bytes: `header.json`, and the samples' scores from
 * `summaries.json` (else from each `samples/*.json`). Members are inflated (deflate) or decoded
 * (Zstandard) with their size counted, so a zip bomb stops early. Throws ParseError when the bytes are
 * no zip, a member cannot be decoded, or `header.json` is missing.
 */
export async function readInspectEvalLog(bytes: Uint8Array, path: string): Promise<InspectLog> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: true });
  } catch (error) {
    throw new ParseError('not a zip file: an Inspect .eval log is a zip of JSON members', undefined, {
      cause: error,
    });
  }
  try {
    const members = await readMembers(zip, (name) =>
      /^(?:header|summaries)\.json$|^samples\/[^/]+\.json$/.test(name),
    );
    const header = members.get('header.json');
    if (header === undefined) throw new ParseError('the zip has no header.json: not an Inspect log');
    const summaries = members.get('summaries.json');
    const samples =
      summaries !== undefined
        ? asArray(parseJson(summaries, `${path}:summaries.json`))
        : [...members]
            .filter(([name]) => name.startsWith('samples/'))
            .map(([name, text]) => parseJson(text, `${path}:${name}`));
    return buildInspectLog(parseJson(header, `${path}:header.json`), samples, path);
  } finally {
    zip.close();
  }
}

async function readMembers(zip: ZipFile, wanted: (name: string) => boolean): Promise<Map<string, string>> {
  const members = new Map<string, string>();
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (!wanted(entry.fileName)) continue;
      const bytes = await readMember(zip, entry, MAX_TOTAL_BYTES - total);
      total += bytes.length;
      members.set(entry.fileName, bytes.toString('utf8'));
    }
  } catch (error) {
    if (error instanceof ParseError) throw error;
    throw new ParseError(`the zip cannot be read: ${errorMessage(error)}`, undefined, { cause: error });
  }
  return members;
}

/** One member's bytes, decoded; at most `budget` bytes (and {@link MAX_MEMBER_BYTES}). */
async function readMember(zip: ZipFile, entry: Entry, budget: number): Promise<Buffer> {
  const limit = Math.min(MAX_MEMBER_BYTES, budget);
  const tooLarge = (): ParseError =>
    new ParseError(`${entry.fileName} decodes to more than ${limit} bytes: not read`);
  if (entry.uncompressedSize > limit) throw tooLarge();
  const zstd = entry.compressionMethod === ZIP_ZSTANDARD;
  const stream = await zip.openReadStreamPromise(entry, zstd ? { decodeFileData: false } : {});
  const chunks: Uint8Array[] = [];
  let size = 0;
  const keep = (chunk: Uint8Array): void => {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  };
  const decoder = zstd ? new Decompress((chunk) => keep(chunk)) : undefined;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (decoder) decoder.push(chunk);
    else keep(chunk);
  }
  decoder?.push(new Uint8Array(0), true);
  return Buffer.concat(chunks);
}

/** Builds the results file and the per-item log of one Inspect log from its header and samples. */
function buildInspectLog(header: unknown, samples: readonly unknown[], path: string): InspectLog {
  const log = isRecord(header) ? header : {};
  const spec = isRecord(log['eval']) ? log['eval'] : {};
  const task = typeof spec['task'] === 'string' && spec['task'] !== '' ? spec['task'] : fileStem(path);
  const results = isRecord(log['results']) ? log['results'] : {};
  const metrics = readScores(task, asArray(results['scores']));
  const scoredBy = new Map(
    metrics.filter((m) => MEAN_METRICS.has(m.name)).map((m) => [m.scorer, m.value.metric] as const),
  );
  const sampleLog = readSamples(task, samples, scoredBy);
  const status = log['status'];
  const file: MetricsFile = {
    format: 'inspect',
    metrics: metrics.map((m) => m.value),
    tasks: { [task]: readSettings(spec, results) },
    evaluator: typeof spec['model'] === 'string' ? { model: spec['model'] } : {},
    groups: {},
    problems: [
      ...(typeof status === 'string' && status !== 'success'
        ? [{ reason: `the run's status is ${status}, not success: its scores may be partial or missing` }]
        : []),
      ...sampleLog.problems.map(({ reason }) => ({ reason })),
    ],
  };
  return { file, samples: { ...sampleLog, problems: [] } };
}

interface ScoredMetric {
  scorer: string;
  name: string;
  value: MetricValue;
}

/**
 * `results.scores[]`: each scorer's metrics, named `metric[scorer]` (`accuracy[choice]`). Its `stderr`
 * is the standard error of each of its mean metrics, never a metric; `std` and `var` are left out too.
 */
function readScores(task: string, scores: readonly unknown[]): ScoredMetric[] {
  const read: ScoredMetric[] = [];
  for (const score of scores) {
    if (!isRecord(score) || !isRecord(score['metrics'])) continue;
    const named = [score['name'], score['scorer']].find((name) => typeof name === 'string' && name !== '');
    const scorer = typeof named === 'string' ? named : 'score';
    const values = new Map<string, number>();
    for (const [name, metric] of Object.entries(score['metrics'])) {
      const value = isRecord(metric) ? metric['value'] : undefined;
      if (typeof value === 'number') values.set(name, value);
    }
    const stderr = values.get('stderr');
    for (const [name, value] of values) {
      if (SPREAD_METRICS.has(name)) continue;
      const metric = `${name}[${scorer}]`;
      const entry: MetricValue = { key: `${task}/${metric}`, task, metric, value };
      if (stderr !== undefined && Number.isFinite(stderr) && stderr >= 0 && MEAN_METRICS.has(name))
        entry.stderr = stderr;
      read.push({ scorer, name, value: entry });
    }
  }
  return read;
}

/**
 * The task version, epochs, sample limit, sample count and dataset (name, location, a digest of the
 * sample ids, shuffling): what makes two runs comparable.
 */
function readSettings(spec: Record<string, unknown>, results: Record<string, unknown>): TaskSettings {
  const settings: TaskSettings = {};
  const version = spec['task_version'];
  if (typeof version === 'number' || (typeof version === 'string' && version !== ''))
    settings.version = String(version);
  const config = isRecord(spec['config']) ? spec['config'] : {};
  if (typeof config['epochs'] === 'number') settings.epochs = config['epochs'];
  const limit = config['limit'];
  if (typeof limit === 'number') settings.limit = limit;
  else if (Array.isArray(limit)) settings.limit = Number(limit[1]) - Number(limit[0]);
  const dataset = isRecord(spec['dataset']) ? spec['dataset'] : {};
  const original = typeof dataset['samples'] === 'number' ? dataset['samples'] : undefined;
  const effective = typeof results['total_samples'] === 'number' ? results['total_samples'] : undefined;
  if (original !== undefined || effective !== undefined)
    settings.samples = {
      ...(original !== undefined ? { original } : {}),
      ...(effective !== undefined ? { effective } : {}),
    };
  const name = typeof dataset['name'] === 'string' ? dataset['name'] : undefined;
  const location = typeof dataset['location'] === 'string' ? dataset['location'] : undefined;
  const ids = Array.isArray(dataset['sample_ids']) ? dataset['sample_ids'] : undefined;
  const parts = [
    name === location || location === undefined ? name : `${name ?? ''} (${location})`,
    // The samples evaluated: the same count of other samples (a shuffle, another slice) is another test.
    ids && `sample ids ${createHash('sha256').update(JSON.stringify(ids)).digest('hex').slice(0, 8)}`,
    typeof dataset['shuffled'] === 'boolean' && dataset['shuffled'] ? 'shuffled' : undefined,
  ].filter((part): part is string => part !== undefined && part !== '');
  if (parts.length > 0) settings.dataset = parts.join(', ');
  return settings;
}

/**
 * Each sample's score per scorer, under the name of that scorer's mean metric (`accuracy[choice]`),
 * keyed `<id>#<epoch>` so that samples pair by id and epoch. Inspect's letter values count as it counts
 * them: `C` 1, `I` 0, `P` 0.5, `N` 0; booleans 1/0; `yes`/`no` and `true`/`false` too.
 */
function readSamples(task: string, samples: readonly unknown[], scoredBy: Map<string, string>): SampleLog {
  const scores = new Map<string, Map<string, number>>();
  const problems: SampleLog['problems'] = [];
  let rows = 0;
  samples.forEach((sample, index) => {
    if (!isRecord(sample) || (typeof sample['id'] !== 'string' && typeof sample['id'] !== 'number')) {
      problems.push({ line: index + 1, reason: `sample ${index + 1} has no id: it is not paired` });
      return;
    }
    rows++;
    const id = `${String(sample['id'])}#${typeof sample['epoch'] === 'number' ? sample['epoch'] : 1}`;
    const byScorer = isRecord(sample['scores']) ? sample['scores'] : {};
    for (const [scorer, score] of Object.entries(byScorer)) {
      const metric = scoredBy.get(scorer);
      const value = isRecord(score) ? toScore(score['value']) : undefined;
      if (metric === undefined || value === undefined) continue;
      let items = scores.get(metric);
      if (!items) scores.set(metric, (items = new Map<string, number>()));
      items.set(id, value);
    }
  });
  return { task, scores, matchedBy: 'id', rows, problems };
}

const LETTER_SCORES: Record<string, number> = { c: 1, i: 0, p: 0.5, n: 0, yes: 1, no: 0, true: 1, false: 0 };

function toScore(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (text in LETTER_SCORES) return LETTER_SCORES[text];
  const number = Number(text);
  return text !== '' && Number.isFinite(number) ? number : undefined;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ParseError(`${where} is not JSON: ${errorMessage(error)}`, undefined, { cause: error });
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fileStem(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\.(?:eval|json)$/i, '');
}
