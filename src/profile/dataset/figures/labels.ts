import { z } from 'zod';
import type { DatasetProfile } from '../../../model/report-schema.js';
import {
  compareText,
  isPlainObject,
  sortedEntries,
  type Figure,
  type FigureKind,
  type ProfiledRow,
} from './figure.js';

/** The labels figure's state. */
export interface LabelsState {
  labels: [string, number][];
  labelOtherRows: number;
  /** Per column of unlabelled records: its values' rows, or `null` once it is no label column. */
  columns?: [string, [string, number][] | null][];
  /** Unlabelled rows whose columns were looked at. */
  columnRows?: number;
}

const MAX_LABELS = 1000;
/** A label column has at most this many distinct values… */
const MAX_CLASSES = 20;
/** …each at most this long… */
const MAX_CLASS_LENGTH = 32;
/** …over at least this many rows per distinct value… */
const MIN_ROWS_PER_CLASS = 10;
/** …and a value in nearly every row. */
const MIN_FILLED_SHARE = 0.95;

/**
 * Rows per label (classification, preference…): the first thousand labels, the rest counted together.
 * Records without a `label` key (a CSV export's `v1,v2`) may still have a label column: one column of
 * few distinct short values over many rows, the only such column, found by its values.
 */
export class LabelsFigure implements Figure<LabelsState> {
  labels = new Map<string, number>();
  labelOtherRows = 0;
  /** Candidate label columns of unlabelled records; `null` once a column cannot be one. */
  columns = new Map<string, Map<string, number> | null>();
  columnRows = 0;

  add(row: ProfiledRow): void {
    const label = row.view.label;
    if (label === undefined) {
      this.addColumns(row);
      return;
    }
    const count = this.labels.get(label);
    if (count !== undefined) this.labels.set(label, count + 1);
    else if (this.labels.size < MAX_LABELS) this.labels.set(label, 1);
    else this.labelOtherRows += 1;
  }

  /** Tallies the short text values of a tabular or plain record's columns. */
  private addColumns(row: ProfiledRow): void {
    const { record, view } = row;
    if (view.format !== 'other' || !isPlainObject(record)) return;
    this.columnRows += 1;
    for (const name in record) {
      let values = this.columns.get(name);
      if (values === null) continue;
      if (values === undefined) {
        values = new Map();
        this.columns.set(name, values);
      }
      const value = record[name];
      if (value === '' || value === null || value === undefined) continue;
      if (typeof value !== 'string' || value.length > MAX_CLASS_LENGTH) this.columns.set(name, null);
      else {
        values.set(value, (values.get(value) ?? 0) + 1);
        if (values.size > MAX_CLASSES) this.columns.set(name, null);
      }
    }
  }

  merge(other: this): void {
    for (const [label, count] of other.labels) {
      const mine = this.labels.get(label);
      if (mine !== undefined) this.labels.set(label, mine + count);
      else if (this.labels.size < MAX_LABELS) this.labels.set(label, count);
      else this.labelOtherRows += count;
    }
    this.labelOtherRows += other.labelOtherRows;
    for (const [name, values] of other.columns) {
      const mine = this.columns.get(name);
      if (mine === null) continue;
      if (values === null) this.columns.set(name, null);
      else if (mine === undefined) this.columns.set(name, new Map(values));
      else {
        for (const [value, count] of values) mine.set(value, (mine.get(value) ?? 0) + count);
        if (mine.size > MAX_CLASSES) this.columns.set(name, null);
      }
    }
    this.columnRows += other.columnRows;
  }

  mergeState(state: LabelsState): void {
    this.merge(restoreLabels(state) as this);
  }

  toState(): LabelsState {
    return {
      labels: sortedEntries(this.labels),
      labelOtherRows: this.labelOtherRows,
      columns: [...this.columns]
        .sort(([a], [b]) => compareText(a, b))
        .map(([name, values]) => [name, values && sortedEntries(values)]),
      columnRows: this.columnRows,
    };
  }

  transferables(): ArrayBuffer[] {
    return [];
  }

  finish(into: DatasetProfile): void {
    if (into.rows === 0) return;
    if (this.labels.size > 0) {
      into.labels = { classes: toClasses(this.labels), otherRows: this.labelOtherRows };
      return;
    }
    const column = this.findLabelColumn();
    if (column !== undefined)
      into.labels = { classes: toClasses(column[1]), otherRows: 0, column: column[0] };
  }

  /**
   * The one column whose values look like class labels: 2 to 20 distinct values of at most 32
   * characters, at least 10 rows each on average, filled in 95% of rows, beside some other column.
   */
  private findLabelColumn(): [string, Map<string, number>] | undefined {
    if (this.columns.size < 2) return undefined;
    const candidates = [...this.columns].filter((entry): entry is [string, Map<string, number>] => {
      const values = entry[1];
      if (values === null || values.size < 2) return false;
      let filled = 0;
      for (const count of values.values()) filled += count;
      return filled >= MIN_FILLED_SHARE * this.columnRows && filled >= MIN_ROWS_PER_CLASS * values.size;
    });
    return candidates.length === 1 ? candidates[0] : undefined;
  }
}

/** Labels and their rows, most frequent first. */
function toClasses(labels: ReadonlyMap<string, number>): { label: string; rows: number }[] {
  return [...labels]
    .sort(([a, x], [b, y]) => y - x || compareText(a, b))
    .map(([label, rows]) => ({ label, rows }));
}

/** Restores a labels figure from its state. */
export function restoreLabels(state: LabelsState): LabelsFigure {
  const figure = new LabelsFigure();
  figure.labels = new Map(state.labels);
  figure.labelOtherRows = state.labelOtherRows;
  figure.columns = new Map((state.columns ?? []).map(([name, values]) => [name, values && new Map(values)]));
  figure.columnRows = state.columnRows ?? 0;
  return figure;
}

/** The labels figure as registered. */
export const labelsKind: FigureKind<LabelsFigure, LabelsState, LabelsState> = {
  create: () => new LabelsFigure(),
  restore: restoreLabels,
  schema: z.object({
    labels: z.array(z.tuple([z.string(), z.number()])),
    labelOtherRows: z.number(),
    columns: z.array(z.tuple([z.string(), z.array(z.tuple([z.string(), z.number()])).nullable()])).optional(),
    columnRows: z.number().optional(),
  }),
  serialize: (state) => state,
  parse: (json) => json,
};
