import { z } from 'zod';
import type { DatasetProfile } from '../../../model/report-schema.js';
import { compareText, sortedEntries, type Figure, type FigureKind, type ProfiledRow } from './figure.js';

/** The labels figure's state. */
export interface LabelsState {
  labels: [string, number][];
  labelOtherRows: number;
}

const MAX_LABELS = 1000;

/** Rows per label (classification, preference…): the first thousand labels, the rest counted together. */
export class LabelsFigure implements Figure<LabelsState> {
  labels = new Map<string, number>();
  labelOtherRows = 0;

  add(row: ProfiledRow): void {
    const label = row.view.label;
    if (label === undefined) return;
    const count = this.labels.get(label);
    if (count !== undefined) this.labels.set(label, count + 1);
    else if (this.labels.size < MAX_LABELS) this.labels.set(label, 1);
    else this.labelOtherRows += 1;
  }

  merge(other: this): void {
    for (const [label, count] of other.labels) {
      const mine = this.labels.get(label);
      if (mine !== undefined) this.labels.set(label, mine + count);
      else if (this.labels.size < MAX_LABELS) this.labels.set(label, count);
      else this.labelOtherRows += count;
    }
    this.labelOtherRows += other.labelOtherRows;
  }

  mergeState(state: LabelsState): void {
    this.merge(restoreLabels(state) as this);
  }

  toState(): LabelsState {
    return { labels: sortedEntries(this.labels), labelOtherRows: this.labelOtherRows };
  }

  transferables(): ArrayBuffer[] {
    return [];
  }

  finish(into: DatasetProfile): void {
    if (into.rows === 0 || this.labels.size === 0) return;
    into.labels = {
      classes: [...this.labels]
        .sort(([a, x], [b, y]) => y - x || compareText(a, b))
        .map(([label, rows]) => ({ label, rows })),
      otherRows: this.labelOtherRows,
    };
  }
}

/** Restores a labels figure from its state. */
export function restoreLabels(state: LabelsState): LabelsFigure {
  const figure = new LabelsFigure();
  figure.labels = new Map(state.labels);
  figure.labelOtherRows = state.labelOtherRows;
  return figure;
}

/** The labels figure as registered. */
export const labelsKind: FigureKind<LabelsFigure, LabelsState, LabelsState> = {
  create: () => new LabelsFigure(),
  restore: restoreLabels,
  schema: z.object({ labels: z.array(z.tuple([z.string(), z.number()])), labelOtherRows: z.number() }),
  serialize: (state) => state,
  parse: (json) => json,
};
