import { z } from 'zod';
import { DATASET_FORMATS } from '../../model/vocabulary.js';
import { ProfileStateError, type ProfileState } from './dataset-profiler.js';
import {
  figuresStateSchema,
  parseFiguresState,
  serializeFiguresState,
  type FiguresState,
} from './figures/dataset-figures.js';

/** A profile state in JSON (see `serializeProfileState`): the profiler's own keys, then each figure's. */
export type SerializedProfileState = Omit<ProfileState, keyof FiguresState> & Record<string, unknown>;

/**
 * Turns a profile state into JSON-ready data: plain values as they are, each figure's typed arrays as
 * base64 (a million-row table takes tens of megabytes this way, several times less than as number
 * arrays). Equal states give equal JSON: tables are sorted by key.
 */
export function serializeProfileState(state: ProfileState): SerializedProfileState {
  return {
    version: state.version,
    settings: state.settings,
    files: state.files,
    bytes: state.bytes,
    rows: state.rows,
    malformedRows: state.malformedRows,
    problems: state.problems,
    ...serializeFiguresState(state),
  };
}

/** The shape of a serialised state; checked before a state is trusted (profiles are files users pass around). */
const stateSchema = z.object({
  version: z.literal(1),
  settings: z.object({
    format: z.enum(DATASET_FORMATS),
    tokenizer: z.string(),
    tokenRate: z.number(),
    nearDuplicateRate: z.number(),
    nearDuplicateThreshold: z.number(),
    ngramBits: z.number().int().min(10).max(31),
  }),
  files: z.array(z.object({ path: z.string(), bytes: z.number(), rows: z.number() })),
  bytes: z.number(),
  rows: z.number(),
  malformedRows: z.number(),
  problems: z.array(z.object({ line: z.number(), reason: z.string(), file: z.number().optional() })),
  // Each figure's own keys (see figures/dataset-figures.ts).
  ...figuresStateSchema.shape,
});

/**
 * Reads a serialised profile state back; throws `ProfileStateError` naming the problem when the data is
 * not a state this version wrote.
 */
export function parseProfileState(data: unknown): ProfileState {
  const parsed = stateSchema.safeParse(data);
  if (!parsed.success) {
    throw new ProfileStateError(`not a tuneguard profile state: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  const state = parsed.data;
  return {
    version: state.version,
    settings: state.settings,
    files: state.files,
    bytes: state.bytes,
    rows: state.rows,
    malformedRows: state.malformedRows,
    problems: state.problems as ProfileState['problems'],
    ...parseFiguresState(state),
  };
}
