import { z } from 'zod';
import type { DatasetProfile, RowRef } from '../../../model/report-schema.js';
import { RECORD_FORMATS, type RecordErrorKind, type RecordFormat } from '../../../model/vocabulary.js';
import {
  cloneTallies,
  compareText,
  mergeTallies,
  sortedEntries,
  tally,
  type Figure,
  type FigureKind,
  type ProfiledRow,
  type Tally,
} from './figure.js';
import { tallySchema } from './state-codec.js';

interface FormatTally {
  rows: number;
  errors: Map<RecordErrorKind, Tally>;
}

/** The formats figure's state: rows per record format, and the rule errors of each with example rows. */
export interface FormatsState {
  formats: [RecordFormat, { rows: number; errors: [RecordErrorKind, Tally][] }][];
}

/** Record formats (chat, Alpaca, preference…) and the rows breaking each format's rules, by kind. */
export class FormatsFigure implements Figure<FormatsState> {
  formats = new Map<RecordFormat, FormatTally>();

  add(row: ProfiledRow): void {
    const { format, errors } = row.view;
    let counted = this.formats.get(format);
    if (counted === undefined) {
      counted = { rows: 0, errors: new Map() };
      this.formats.set(format, counted);
    }
    counted.rows += 1;
    for (const kind of errors) tally(counted.errors, kind, row.position);
  }

  merge(other: this): void {
    for (const [format, counted] of other.formats) {
      const mine = this.formats.get(format);
      if (mine === undefined)
        this.formats.set(format, { rows: counted.rows, errors: cloneTallies(counted.errors) });
      else {
        mine.rows += counted.rows;
        mergeTallies(mine.errors, counted.errors);
      }
    }
  }

  mergeState(state: FormatsState): void {
    this.merge(restoreFormats(state) as this);
  }

  toState(): FormatsState {
    return {
      formats: [...this.formats]
        .sort(([a], [b]) => RECORD_FORMATS.indexOf(a) - RECORD_FORMATS.indexOf(b))
        .map(([format, counted]) => [format, { rows: counted.rows, errors: sortedEntries(counted.errors) }]),
    };
  }

  transferables(): ArrayBuffer[] {
    return [];
  }

  finish(into: DatasetProfile, refOf: (position: number) => RowRef): void {
    if (into.rows === 0) return;
    const formats = [...this.formats].sort(
      ([a, x], [b, y]) => y.rows - x.rows || RECORD_FORMATS.indexOf(a) - RECORD_FORMATS.indexOf(b),
    );
    const [format, counted] = formats[0] as [RecordFormat, FormatTally];
    into.recordFormat = {
      format,
      rows: counted.rows,
      formats: formats.map(([name, { rows }]) => ({ format: name, rows })),
      errors: [...counted.errors]
        .sort(([a, x], [b, y]) => y.rows - x.rows || compareText(a, b))
        .map(([kind, error]) => ({ kind, rows: error.rows, examples: error.positions.map(refOf) })),
    };
  }
}

/** Restores a formats figure from its state. */
export function restoreFormats(state: FormatsState): FormatsFigure {
  const figure = new FormatsFigure();
  figure.formats = new Map(
    state.formats.map(([format, counted]) => [
      format,
      {
        rows: counted.rows,
        errors: new Map(counted.errors.map(([kind, t]) => [kind, { ...t, positions: [...t.positions] }])),
      },
    ]),
  );
  return figure;
}

/** The formats figure as registered. */
export const formatsKind: FigureKind<FormatsFigure, FormatsState, FormatsState> = {
  create: () => new FormatsFigure(),
  restore: restoreFormats,
  schema: z.object({
    formats: z.array(
      z.tuple([
        z.string(),
        z.object({ rows: z.number(), errors: z.array(z.tuple([z.string(), tallySchema])) }),
      ]),
    ),
  }),
  serialize: (state) => state,
  parse: (json) => json,
};
