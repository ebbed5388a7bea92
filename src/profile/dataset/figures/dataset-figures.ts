import { z } from 'zod';
import type { DatasetProfile, RowRef } from '../../../model/report-schema.js';
import { conflictsKind, type ConflictsFigure, type ConflictsState } from './conflicts.js';
import { duplicatesKind, type DuplicatesFigure, type DuplicatesState } from './duplicates.js';
import type { Figure, FigureContext, FigureKind, ProfiledRow } from './figure.js';
import { formatsKind, type FormatsFigure, type FormatsState } from './formats.js';
import { labelsKind, type LabelsFigure, type LabelsState } from './labels.js';
import {
  nearDuplicatesKind,
  type NearDuplicatesFigure,
  type NearDuplicatesState,
} from './near-duplicates.js';
import { ngramsKind, type NgramsFigure, type NgramsState } from './ngrams.js';
import { outputsKind, type OutputsFigure, type OutputsState } from './outputs.js';
import {
  shapesAndFieldsKind,
  type ShapesAndFieldsFigure,
  type ShapesAndFieldsState,
} from './shapes-and-fields.js';
import { tokensKind, type TokensFigure, type TokensState } from './tokens.js';

/*
 * The registration of the dataset figures. A new figure is its own file (a `Figure` and its
 * `FigureKind`), a line in each of the lists below, and its fields in the report schema.
 */

/** Every figure of a profile, by name. */
export interface DatasetFigures {
  shapesAndFields: ShapesAndFieldsFigure;
  tokens: TokensFigure;
  duplicates: DuplicatesFigure;
  formats: FormatsFigure;
  labels: LabelsFigure;
  outputs: OutputsFigure;
  conflicts: ConflictsFigure;
  nearDuplicates: NearDuplicatesFigure;
  ngrams: NgramsFigure;
}

/** The figures' states together: each figure owns its keys of a profile state. */
export type FiguresState = ShapesAndFieldsState &
  TokensState &
  DuplicatesState &
  FormatsState &
  LabelsState &
  OutputsState &
  ConflictsState &
  NearDuplicatesState &
  NgramsState;

type AnyKind = FigureKind<Figure<never>, never, unknown>;

/** The kinds, in the order of their keys in a saved state. */
const KINDS: Record<keyof DatasetFigures, AnyKind> = {
  shapesAndFields: shapesAndFieldsKind as unknown as AnyKind,
  tokens: tokensKind as unknown as AnyKind,
  duplicates: duplicatesKind as unknown as AnyKind,
  formats: formatsKind as unknown as AnyKind,
  labels: labelsKind as unknown as AnyKind,
  outputs: outputsKind as unknown as AnyKind,
  conflicts: conflictsKind as unknown as AnyKind,
  nearDuplicates: nearDuplicatesKind as unknown as AnyKind,
  ngrams: ngramsKind as unknown as AnyKind,
};
const NAMES = Object.keys(KINDS) as (keyof DatasetFigures)[];

/**
 * Adds one row to every figure. Each call is written out, not looped over a list of figures of
 * different classes: one call site per class stays monomorphic in V8, on the path run once per row.
 */
export function addRowToFigures(figures: DatasetFigures, row: ProfiledRow): void {
  figures.nearDuplicates.add(row);
  figures.ngrams.add(row);
  figures.shapesAndFields.add(row);
  figures.tokens.add(row);
  figures.duplicates.add(row);
  figures.formats.add(row);
  figures.labels.add(row);
  figures.outputs.add(row);
  figures.conflicts.add(row);
}

/** New, empty figures. */
export function createFigures(context: FigureContext): DatasetFigures {
  return mapFigures((name) => KINDS[name].create(context));
}

/** Figures restored from a state's keys. */
export function restoreFigures(state: FiguresState, context: FigureContext): DatasetFigures {
  return mapFigures((name) => KINDS[name].restore(state as never, context));
}

/** The figures as a list, in registration order (for the steps that may loop: merge, save, finish). */
export function listFigures(figures: DatasetFigures): Figure<unknown>[] {
  return NAMES.map((name) => figures[name] as Figure<unknown>);
}

/** Merges another part's figures into `into`, figure by figure. */
export function mergeFigures(into: DatasetFigures, from: DatasetFigures): void {
  for (const name of NAMES) (into[name] as Figure<unknown>).merge(from[name]);
}

/** Merges another part's saved state into `into`, figure by figure. */
export function mergeFigureStates(into: DatasetFigures, state: FiguresState): void {
  for (const figure of listFigures(into)) figure.mergeState(state);
}

/** The figures' states, merged into one object (keys in registration order). */
export function figuresToState(figures: DatasetFigures): FiguresState {
  return Object.assign({}, ...listFigures(figures).map((figure) => figure.toState())) as FiguresState;
}

/** The buffers of a saved state to transfer between threads instead of copying them. */
export function figureTransferables(figures: DatasetFigures, state: FiguresState): ArrayBuffer[] {
  return listFigures(figures).flatMap((figure) => figure.transferables(state));
}

/** Writes every figure's fields of the report. */
export function finishFigures(
  figures: DatasetFigures,
  into: DatasetProfile,
  refOf: (position: number) => RowRef,
): void {
  for (const figure of listFigures(figures)) figure.finish(into, refOf);
}

/** The shape of the figures' serialised keys, each figure's own schema together. */
export const figuresStateSchema = z.object(
  Object.assign({}, ...NAMES.map((name) => KINDS[name].schema.shape)) as z.ZodRawShape,
);

/** The figures' state as JSON-ready data (typed arrays as base64), keys in registration order. */
export function serializeFiguresState(state: FiguresState): Record<string, unknown> {
  return Object.assign(
    {},
    ...NAMES.map((name) => ownKeys(name, KINDS[name].serialize(state as never))),
  ) as Record<string, unknown>;
}

/** Reads what `figuresStateSchema` accepted back into the figures' state. */
export function parseFiguresState(json: Record<string, unknown>): FiguresState {
  return Object.assign(
    {},
    ...NAMES.map((name) => ownKeys(name, KINDS[name].parse(json as never))),
  ) as FiguresState;
}

/** A figure's keys of `data` (a figure whose state is its JSON may return the whole state). */
function ownKeys(name: keyof DatasetFigures, data: unknown): Record<string, unknown> {
  const source = data as Record<string, unknown>;
  return Object.fromEntries(Object.keys(KINDS[name].schema.shape).map((key) => [key, source[key]]));
}

/** One object literal, so every profiler's figures share one hidden class (the per-row calls stay monomorphic). */
function mapFigures(make: (name: keyof DatasetFigures) => unknown): DatasetFigures {
  return {
    shapesAndFields: make('shapesAndFields'),
    tokens: make('tokens'),
    duplicates: make('duplicates'),
    formats: make('formats'),
    labels: make('labels'),
    outputs: make('outputs'),
    conflicts: make('conflicts'),
    nearDuplicates: make('nearDuplicates'),
    ngrams: make('ngrams'),
  } as DatasetFigures;
}
