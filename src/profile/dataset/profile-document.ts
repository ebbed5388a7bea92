import { z } from 'zod';
import { describeError, TuneguardError } from '../../model/errors.js';
import { DatasetProfiler } from './dataset-profiler.js';
import {
  parseProfileState,
  serializeProfileState,
  type SerializedProfileState,
} from './serialize-profile-state.js';
import { datasetProfileSchema, type DatasetProfile } from '../../model/report-schema.js';

/** What `tuneguard profile --output` writes: the profile, and the state that merges with other shards'. */
export interface ProfileDocument {
  kind: 'tuneguard-dataset-profile';
  version: 1;
  /** The dataset path as given to `tuneguard profile`. */
  dataset: string;
  /** Set on a shard's profile; absent on a whole dataset's (one pass, or merged). */
  shard?: { index: number; count: number };
  profile: DatasetProfile;
  state: SerializedProfileState;
}

/** A profile document could not be used: not one, or shards that do not make a whole. */
export class ProfileDocumentError extends TuneguardError {}

/** The document of a profiler. */
export function createProfileDocument(
  dataset: string,
  profiler: DatasetProfiler,
  shard?: { index: number; count: number },
): ProfileDocument {
  return {
    kind: 'tuneguard-dataset-profile',
    version: 1,
    dataset,
    ...(shard && shard.count > 1 ? { shard } : {}),
    profile: profiler.finish(),
    state: serializeProfileState(profiler.toState()),
  };
}

const documentSchema = z.object({
  kind: z.literal('tuneguard-dataset-profile'),
  version: z.literal(1),
  dataset: z.string(),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  profile: datasetProfileSchema,
  state: z.unknown(),
});

/** Reads a profile document (a parsed JSON file), naming `source` in errors. */
export function parseProfileDocument(
  data: unknown,
  source: string,
): { document: ProfileDocument; profiler: DatasetProfiler } {
  const parsed = documentSchema.safeParse(data);
  if (!parsed.success) {
    throw new ProfileDocumentError(
      `${source} is not a tuneguard profile (write one with tuneguard profile --output): ${z.prettifyError(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  const profiler = DatasetProfiler.fromState(parseProfileState(parsed.data.state));
  return { document: parsed.data as ProfileDocument, profiler };
}

/**
 * Merges the profiles of every shard of one dataset (in any order) into the whole dataset's document.
 * Throws `ProfileDocumentError` when they are of different datasets or settings, or a shard is missing
 * or given twice.
 */
export function mergeProfileDocuments(
  parts: { document: ProfileDocument; profiler: DatasetProfiler; source: string }[],
): ProfileDocument {
  const first = parts[0];
  if (!first)
    throw new ProfileDocumentError(
      'name the profiles to merge: tuneguard merge shard-1.json shard-2.json ...',
    );
  const count = first.document.shard?.count ?? 1;
  for (const part of parts) {
    if (part.document.dataset !== first.document.dataset) {
      throw new ProfileDocumentError(
        `${part.source} profiles ${part.document.dataset}, not ${first.document.dataset}: merge the shards of one dataset at a time`,
      );
    }
    if ((part.document.shard?.count ?? 1) !== count) {
      throw new ProfileDocumentError(
        `${part.source} is a shard of ${part.document.shard?.count ?? 1}, not of ${count}`,
      );
    }
  }
  const ordered = [...parts].sort((a, b) => (a.document.shard?.index ?? 1) - (b.document.shard?.index ?? 1));
  const indexes = ordered.map((part) => part.document.shard?.index ?? 1);
  const expected = Array.from({ length: count }, (_, index) => index + 1);
  if (indexes.join(',') !== expected.join(',')) {
    const missing = expected.filter((index) => !indexes.includes(index));
    const twice = indexes.filter((index, position) => indexes.indexOf(index) !== position);
    throw new ProfileDocumentError(
      `the shards of ${first.document.dataset} do not make a whole: ${[
        ...(missing.length > 0 ? [`missing ${missing.map((i) => `${i}/${count}`).join(', ')}`] : []),
        ...(twice.length > 0 ? [`given twice ${twice.map((i) => `${i}/${count}`).join(', ')}`] : []),
      ].join('; ')}`,
    );
  }
  const [head, ...rest] = ordered;
  const profiler = (head as (typeof ordered)[number]).profiler;
  for (const part of rest) profiler.merge(part.profiler);
  return createProfileDocument(first.document.dataset, profiler);
}

/** Parses the text of a profile document file (`tuneguard profile --output`); throws when it is not one. */
export function parseProfileDocumentText(
  text: string,
  source: string,
): ReturnType<typeof parseProfileDocument> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ProfileDocumentError(`${source} is not JSON: ${describeError(error)}`, { cause: error });
  }
  return parseProfileDocument(data, source);
}
