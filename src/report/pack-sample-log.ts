import type { SampleLog } from '../loaders/read-sample-log.js';
import type { PackedIds, PackedSampleLog, PackedScores } from '../model/report-schema.js';

/** Most items one packed log unpacks to: a report is untrusted input, and a range costs two numbers. */
export const MAX_UNPACKED_ITEMS = 1_000_000;

/** Ids that are canonical non-negative integers (`0`, `17`, never `017` or `1e3`) pack as ranges. */
const INTEGER_ID = /^(0|[1-9]\d{0,14})$/;

/**
 * Packs a per-item log for the report: items sorted by id, ids as ranges when they are all integers
 * (lm-eval's `doc_id`: `0..n-1` is two numbers), each metric's outcomes as a base64 bitset when they are
 * all 0 or 1, else as numbers. A metric scored on other items than the task's first metric carries its
 * own ids. {@link unpackSampleLog} gives the same scores back (problems and row count aside).
 * @example packSampleLog(log).ids // { ranges: [0, 1000] }
 */
export function packSampleLog(log: SampleLog): PackedSampleLog {
  let taskIds: PackedIds | undefined;
  const scores: PackedScores[] = [];
  for (const [metric, items] of log.scores) {
    const ids = sortIds([...items.keys()]);
    const packed = packIds(ids);
    const same = taskIds !== undefined && JSON.stringify(taskIds) === JSON.stringify(packed);
    taskIds ??= packed;
    const outcomes = ids.map((id) => items.get(id) as number);
    const own = same || taskIds === packed ? {} : { ids: packed };
    scores.push(
      outcomes.every((score) => score === 0 || score === 1)
        ? { metric, ...own, bits: packBits(outcomes) }
        : { metric, ...own, values: outcomes },
    );
  }
  return { task: log.task, matchedBy: log.matchedBy, ids: taskIds ?? { list: [] }, scores };
}

/**
 * The per-item log a packed one stands for: each metric's scores by item id. A metric whose outcomes
 * and ids disagree in number keeps only the items both cover; ids past {@link MAX_UNPACKED_ITEMS} are
 * dropped. `rows` is the largest metric's item count.
 */
export function unpackSampleLog(packed: PackedSampleLog): SampleLog {
  const taskIds = unpackIds(packed.ids);
  const scores = new Map<string, Map<string, number>>();
  for (const entry of packed.scores) {
    const ids = entry.ids === undefined ? taskIds : unpackIds(entry.ids);
    const outcomes = 'bits' in entry ? unpackBits(entry.bits, ids.length) : entry.values;
    const items = new Map<string, number>();
    const count = Math.min(ids.length, outcomes.length);
    for (let i = 0; i < count; i++) items.set(ids[i] as string, outcomes[i] as number);
    scores.set(entry.metric, items);
  }
  const rows = Math.max(0, ...[...scores.values()].map((items) => items.size));
  return { task: packed.task, scores, matchedBy: packed.matchedBy, rows, problems: [] };
}

function sortIds(ids: string[]): string[] {
  if (ids.every((id) => INTEGER_ID.test(id))) return ids.sort((a, b) => Number(a) - Number(b));
  return ids.sort();
}

function packIds(sorted: readonly string[]): PackedIds {
  if (sorted.length === 0 || !sorted.every((id) => INTEGER_ID.test(id))) return { list: [...sorted] };
  const ranges: number[] = [];
  for (const id of sorted.map(Number)) {
    const last = ranges.length - 2;
    if (last >= 0 && (ranges[last] as number) + (ranges[last + 1] as number) === id) {
      ranges[last + 1] = (ranges[last + 1] as number) + 1;
    } else {
      ranges.push(id, 1);
    }
  }
  return { ranges };
}

function unpackIds(ids: PackedIds): string[] {
  if ('list' in ids) return ids.list.slice(0, MAX_UNPACKED_ITEMS);
  const out: string[] = [];
  for (let i = 0; i + 1 < ids.ranges.length; i += 2) {
    const first = ids.ranges[i] as number;
    const count = ids.ranges[i + 1] as number;
    for (let k = 0; k < count && out.length < MAX_UNPACKED_ITEMS; k++) out.push(String(first + k));
  }
  return out;
}

function packBits(outcomes: readonly number[]): string {
  const bytes = new Uint8Array(Math.ceil(outcomes.length / 8));
  outcomes.forEach((outcome, i) => {
    if (outcome === 1) bytes[i >> 3] = (bytes[i >> 3] as number) | (1 << (i & 7));
  });
  return Buffer.from(bytes).toString('base64');
}

function unpackBits(bits: string, count: number): number[] {
  const bytes = Buffer.from(bits, 'base64');
  const outcomes: number[] = [];
  for (let i = 0; i < Math.min(count, bytes.length * 8); i++)
    outcomes.push(((bytes[i >> 3] as number) >> (i & 7)) & 1);
  return outcomes;
}
