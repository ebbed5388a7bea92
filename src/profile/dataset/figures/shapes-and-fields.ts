import { z } from 'zod';
import type { DatasetProfile, FieldStats, RowRef } from '../../../model/report-schema.js';
import {
  compareText,
  isPlainObject,
  mergeTallies,
  MAX_EXAMPLES,
  sortedEntries,
  tally,
  type Figure,
  type FigureKind,
  type ProfiledRow,
  type Tally,
} from './figure.js';
import { isBlank } from '../hash-record.js';
import { tallySchema } from './state-codec.js';

/** The shapes-and-fields figure's state. */
export interface ShapesAndFieldsState {
  shapes: [string, Tally][];
  fields: [string, { present: number; empty: number }][];
  objectRows: number;
}

/**
 * Record shapes (an object's sorted key set, else the value's kind) with example rows, and per field of
 * object rows how many have it and how many have it empty.
 */
export class ShapesAndFieldsFigure implements Figure<ShapesAndFieldsState> {
  shapes = new Map<string, Tally>();
  fields = new Map<string, { present: number; empty: number }>();
  objectRows = 0;
  /** The keys of the last object row whose shape was computed, in their order, and that shape. */
  private lastKeys: string[] = [];
  private lastShape = '{}';

  add(row: ProfiledRow): void {
    const record = row.record;
    tally(this.shapes, this.shapeOf(record), row.position);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
    this.objectRows += 1;
    const object = record as Record<string, unknown>;
    for (const name in object) {
      let field = this.fields.get(name);
      if (field === undefined) {
        field = { present: 0, empty: 0 };
        this.fields.set(name, field);
      }
      field.present += 1;
      if (isEmptyField(object[name])) field.empty += 1;
    }
  }

  /**
   * `computeShape`, free for a row whose keys come in the same order as the last row's (most rows of a
   * dataset): no sort, and no new string to hash for the lookup.
   */
  private shapeOf(record: unknown): string {
    if (!isPlainObject(record)) return computeShape(record);
    const keys = Object.keys(record);
    const last = this.lastKeys;
    let same = keys.length === last.length;
    for (let index = 0; same && index < keys.length; index += 1) same = keys[index] === last[index];
    if (same) return this.lastShape;
    this.lastShape = keys.length === 0 ? '{}' : [...keys].sort(compareText).join(',');
    this.lastKeys = keys;
    return this.lastShape;
  }

  merge(other: this): void {
    mergeTallies(this.shapes, other.shapes);
    for (const [name, field] of other.fields) {
      const mine = this.fields.get(name);
      if (mine === undefined) this.fields.set(name, { ...field });
      else {
        mine.present += field.present;
        mine.empty += field.empty;
      }
    }
    this.objectRows += other.objectRows;
  }

  mergeState(state: ShapesAndFieldsState): void {
    this.merge(restoreShapesAndFields(state) as this);
  }

  toState(): ShapesAndFieldsState {
    return {
      shapes: sortedEntries(this.shapes),
      fields: sortedEntries(this.fields),
      objectRows: this.objectRows,
    };
  }

  transferables(): ArrayBuffer[] {
    return [];
  }

  /**
   * The record shape is the fields (nearly) every record has, so optional fields (a `reference` on some
   * rows) are no shape of their own; a row is off shape when it lacks one of them or is no record. When
   * records are not most rows, or no field is that common (a mix of formats), the most frequent shape is
   * the dataset's and every other shape is off it.
   */
  finish(into: DatasetProfile, refOf: (position: number) => RowRef): void {
    let recordShape = '';
    let dominant: Tally | undefined;
    for (const [shape, counted] of this.shapes) {
      // On a tie the shape seen first wins (by position, so shards agree).
      if (
        dominant === undefined ||
        counted.rows > dominant.rows ||
        (counted.rows === dominant.rows && (counted.positions[0] ?? 0) < (dominant.positions[0] ?? 0))
      ) {
        recordShape = shape;
        dominant = counted;
      }
    }
    const common =
      this.objectRows * 2 > into.rows
        ? [...this.fields]
            .filter(([, field]) => field.present >= COMMON_FIELD_SHARE * this.objectRows)
            .map(([name]) => name)
            .sort(compareText)
        : [];
    if (common.length > 0) recordShape = common.join(',');
    const onShape = (shape: string): boolean =>
      common.length === 0 ? shape === recordShape : hasFields(shape, common);
    const off = [...this.shapes].filter(([shape]) => !onShape(shape));
    const offShape = off
      .flatMap(([, counted]) => counted.positions)
      .sort((a, b) => a - b)
      .slice(0, MAX_EXAMPLES)
      .map(refOf);
    into.recordShape = recordShape;
    into.offShapeRows = off.reduce((sum, [, counted]) => sum + counted.rows, 0);
    into.offShapeExamples = offShape.map((row) => row.line);
    // `refOf` names the file only in a dataset of several: there every example has one, even none.
    if (refOf(0).file !== undefined) into.offShapeFiles = offShape.map((row) => row.file ?? '');
    const fields: FieldStats[] = [...this.fields]
      .sort(([a], [b]) => compareText(a, b))
      .map(([name, { present, empty }]) => ({ name, present, missing: this.objectRows - present, empty }));
    into.fields = fields;
  }
}

/** Restores a shapes-and-fields figure from its state. */
export function restoreShapesAndFields(state: ShapesAndFieldsState): ShapesAndFieldsFigure {
  const figure = new ShapesAndFieldsFigure();
  figure.shapes = new Map(
    state.shapes.map(([key, counted]) => [key, { ...counted, positions: [...counted.positions] }]),
  );
  figure.fields = new Map(state.fields.map(([key, field]) => [key, { ...field }]));
  figure.objectRows = state.objectRows;
  return figure;
}

/** The shapes-and-fields figure as registered. */
export const shapesAndFieldsKind: FigureKind<
  ShapesAndFieldsFigure,
  ShapesAndFieldsState,
  ShapesAndFieldsState
> = {
  create: () => new ShapesAndFieldsFigure(),
  restore: restoreShapesAndFields,
  schema: z.object({
    shapes: z.array(z.tuple([z.string(), tallySchema])),
    fields: z.array(z.tuple([z.string(), z.object({ present: z.number(), empty: z.number() })])),
    objectRows: z.number(),
  }),
  serialize: (state) => state,
  parse: (json) => json,
};

/** Share of records a field must stand in to be part of the record shape (optional fields are not). */
const COMMON_FIELD_SHARE = 0.95;

/** Whether a shape (`computeShape`) is a record holding every one of `fields` (sorted). */
function hasFields(shape: string, fields: readonly string[]): boolean {
  const keys = new Set(shape.split(','));
  return fields.every((field) => keys.has(field));
}

/** An object's sorted key set joined by `,` (`{}` when it has none), else the value's kind. */
function computeShape(record: unknown): string {
  if (isPlainObject(record)) {
    const keys = Object.keys(record);
    return keys.length === 0 ? '{}' : keys.sort(compareText).join(',');
  }
  if (Array.isArray(record)) return 'array';
  if (record === null) return 'null';
  return typeof record;
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return isBlank(value);
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) {
    for (const _ in value) return false;
    return true;
  }
  return false;
}

/**
 * Empty itself, or a chat list (OpenAI `messages` with `content`, ShareGPT `conversations` with `value`)
 * holding a turn whose text is empty. An assistant turn that carries a tool call instead of text is not empty.
 */
function isEmptyField(value: unknown): boolean {
  if (isEmptyValue(value)) return true;
  if (!Array.isArray(value)) return false;
  for (const turn of value) {
    if (!isPlainObject(turn) || 'tool_calls' in turn || 'function_call' in turn) continue;
    if (
      ('content' in turn && isEmptyValue(turn['content'])) ||
      ('value' in turn && isEmptyValue(turn['value']))
    )
      return true;
  }
  return false;
}
