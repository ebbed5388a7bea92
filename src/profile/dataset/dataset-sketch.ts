import type { RowRef } from '../../model/report-schema.js';
import type { DatasetProfiler } from './dataset-profiler.js';
import type { RowNgrams } from './figures/ngrams.js';

/**
 * What the checks may ask of a profiled dataset beyond its report figures: questions answered from the
 * engine's tables, with rows named by file and line (`RowRef`), never by the engine's positions.
 */
export interface DatasetSketch {
  /**
   * Rows longer than `tokens` tokens and their share of all rows (scaled from the tokenised sample when
   * tokens were sampled); undefined when no row was tokenised.
   */
  rowsOver(tokens: number): { rows: number; share: number } | undefined;
  /**
   * Rows of this (held-out) dataset whose normalised record stands in `train`: [held-out row, train row]
   * pairs, in held-out order (each record once, at its first row on either side).
   */
  findExactOverlap(train: DatasetSketch): [held: RowRef, train: RowRef][];
  /**
   * Rows of this (held-out) dataset whose prompt stands in `train`, or at least `minShare` of whose
   * sampled 13-word passages do: how many, how many of them by their prompt, how many distinct records
   * are exact copies, whether sampling makes it an estimate, and the first such row. Passages that recur
   * in many held-out rows are the dataset's template (a system prompt, few-shot examples), not a row's
   * own text, and are left out; a row needs at least `MIN_SHARED_NGRAMS` of its own passages in `train`.
   */
  findPassageOverlap(train: DatasetSketch, minShare: number): PassageOverlap;
}

/** What `findPassageOverlap` found. */
export interface PassageOverlap {
  rows: number;
  /** Rows whose prompt stands in the train set (the rest share passages only). */
  prompts: number;
  exact: number;
  estimated: boolean;
  first?: RowRef;
}

/**
 * Sampled passages a row must share with the train set before its share counts. A short row has one or
 * two sampled 13-grams (a 12-word question is a single n-gram of all its words), and the train set's
 * Bloom filter answers "present" for a few in a thousand n-grams it never saw: on their own, one or two
 * hits are noise, not a copied passage.
 */
export const MIN_SHARED_NGRAMS = 3;

/**
 * A passage in at least this share of the (distinct) held-out rows, and in at least `MIN_TEMPLATE_ROWS`,
 * is the dataset's template: a tool description, a system prompt, a few-shot example. A share, not a
 * count, so that a reading passage asked about in a handful of rows of a large set stays its rows' text.
 */
const TEMPLATE_SHARE = 0.05;
const MIN_TEMPLATE_ROWS = 3;

/** The sketch of a profiler's tables (read when asked, so it follows later merges). */
export function createDatasetSketch(profiler: DatasetProfiler): DatasetSketch {
  return new ProfilerSketch(profiler);
}

class ProfilerSketch implements DatasetSketch {
  constructor(readonly profiler: DatasetProfiler) {}

  rowsOver(tokens: number): { rows: number; share: number } | undefined {
    const profiler = this.profiler;
    if (profiler.rows === 0 || profiler.figures.tokens.tokenizedRows === 0) return undefined;
    const rows = profiler.rowsOver(tokens);
    return { rows, share: rows / profiler.rows };
  }

  findExactOverlap(train: DatasetSketch): [held: RowRef, train: RowRef][] {
    const held = this.profiler;
    const other = profilerOf(train);
    const heldTable = held.figures.duplicates.table;
    const trainTable = other.figures.duplicates.table;
    const pairs: [number, number][] = [];
    heldTable.forEachSlot((slot) => {
      const key = heldTable.keys[slot] as number;
      if (!trainTable.accepts(key)) return;
      const found = trainTable.find(key);
      if (found !== -1) pairs.push([heldTable.f64(0, slot), trainTable.f64(0, found)]);
    });
    return pairs.sort((a, b) => a[0] - b[0]).map(([a, b]) => [held.rowRef(a), other.rowRef(b)]);
  }

  findPassageOverlap(train: DatasetSketch, minShare: number): PassageOverlap {
    const held = this.profiler;
    const other = profilerOf(train);
    const contaminated = new Set<number>();
    const inputs = held.figures.conflicts.table;
    const trainInputs = other.figures.conflicts.table;
    inputs.forEachSlot((slot) => {
      const key = inputs.keys[slot] as number;
      if (trainInputs.accepts(key) && trainInputs.find(key) !== -1) contaminated.add(inputs.f64(0, slot));
    });
    const prompts = contaminated.size;
    const { positions, ends, hashes } = held.figures.ngrams.rows;
    const template = findTemplateNgrams(held.figures.ngrams.rows);
    const ngrams = other.figures.ngrams.filter;
    let start = 0;
    positions.forEach((position, index) => {
      const end = ends[index] as number;
      let own = 0;
      let found = 0;
      for (let at = start; at < end; at += 1) {
        const hash = hashes[at] as number;
        if (template.has(hash)) continue;
        own += 1;
        if (ngrams.has(hash)) found += 1;
      }
      if (found >= MIN_SHARED_NGRAMS && found / own >= minShare) contaminated.add(position);
      start = end;
    });
    let exact = 0;
    const prints = held.figures.duplicates.table;
    const trainPrints = other.figures.duplicates.table;
    prints.forEachSlot((slot) => {
      const key = prints.keys[slot] as number;
      if (trainPrints.accepts(key) && trainPrints.find(key) !== -1) exact += 1;
    });
    let first: number | undefined;
    for (const position of contaminated) if (first === undefined || position < first) first = position;
    return {
      rows: contaminated.size,
      prompts,
      exact,
      estimated:
        held.figures.ngrams.rows.full ||
        held.settings.nearDuplicateRate < 1 ||
        other.settings.nearDuplicateRate < 1 ||
        ngrams.falsePositiveRate() > 0.01 ||
        trainInputs.level > 0,
      ...(first === undefined ? {} : { first: held.rowRef(first) }),
    };
  }
}

/**
 * The passages that stand in so many different listed rows that they are the dataset's template. Rows
 * repeated word for word count once: a row copied five times is still one row's own text.
 */
function findTemplateNgrams(rows: RowNgrams): Set<number> {
  const rowsOf = new Map<number, number>();
  const distinct = new Set<string>();
  let start = 0;
  for (const end of rows.ends) {
    const own = rows.hashes.slice(start, end);
    start = end;
    const key = own.join(',');
    if (distinct.has(key)) continue;
    distinct.add(key);
    // A passage repeated within one row counts once for it.
    for (const hash of new Set(own)) rowsOf.set(hash, (rowsOf.get(hash) ?? 0) + 1);
  }
  const minRows = Math.max(MIN_TEMPLATE_ROWS, Math.ceil(TEMPLATE_SHARE * distinct.size));
  const template = new Set<number>();
  for (const [hash, count] of rowsOf) if (count >= minRows) template.add(hash);
  return template;
}

function profilerOf(sketch: DatasetSketch): DatasetProfiler {
  if (!(sketch instanceof ProfilerSketch)) throw new TypeError('not a sketch made by the dataset engine');
  return sketch.profiler;
}
