import type { RowRef } from '../../model/report-schema.js';
import type { DatasetProfiler } from './dataset-profiler.js';

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
   * sampled 13-word passages do: how many, how many distinct records are exact copies, whether sampling
   * makes it an estimate, and the first such row.
   */
  findPassageOverlap(
    train: DatasetSketch,
    minShare: number,
  ): { rows: number; exact: number; estimated: boolean; first?: RowRef };
}

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

  findPassageOverlap(
    train: DatasetSketch,
    minShare: number,
  ): { rows: number; exact: number; estimated: boolean; first?: RowRef } {
    const held = this.profiler;
    const other = profilerOf(train);
    const contaminated = new Set<number>();
    const inputs = held.figures.conflicts.table;
    const trainInputs = other.figures.conflicts.table;
    inputs.forEachSlot((slot) => {
      const key = inputs.keys[slot] as number;
      if (trainInputs.accepts(key) && trainInputs.find(key) !== -1) contaminated.add(inputs.f64(0, slot));
    });
    const { positions, ends, hashes } = held.figures.ngrams.rows;
    const ngrams = other.figures.ngrams.filter;
    let start = 0;
    positions.forEach((position, index) => {
      const end = ends[index] as number;
      let found = 0;
      for (let at = start; at < end; at += 1) if (ngrams.has(hashes[at] as number)) found += 1;
      if (end > start && found / (end - start) >= minShare) contaminated.add(position);
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

function profilerOf(sketch: DatasetSketch): DatasetProfiler {
  if (!(sketch instanceof ProfilerSketch)) throw new TypeError('not a sketch made by the dataset engine');
  return sketch.profiler;
}
