import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import type { DatasetProfile } from '../../../../src/model/report-schema.js';
import type { DatasetProfiler } from '../../../../src/profile/dataset/dataset-profiler.js';
import {
  listFigures,
  restoreFigures,
  type DatasetFigures,
} from '../../../../src/profile/dataset/figures/dataset-figures.js';
import { createDatasetProfiler } from '../../../../src/profile/dataset/profile-dataset.js';

const path = (name: string): string =>
  new URL(`../../../fixtures/datasets/${name}`, import.meta.url).pathname;

/*
 * Real datasets (fixtures/datasets/SOURCES.md) that between them feed every figure: KTO's chat rows with
 * a boolean label, Alpaca's instruction/input/output rows, the identity data's {{name}} templates, and
 * WikiSQL's text rows. Half the rows are sampled for tokens and words (the options below), so the
 * sampled paths are merged too.
 */
const DATASETS = [
  'llamafactory_kto_en_demo.json',
  'llamafactory_alpaca_en_demo.v2024-05.json',
  'llamafactory_identity.base.json',
  'mlx_wikisql_train.base.jsonl',
] as const;
const NAMES: (keyof DatasetFigures)[] = [
  'shapesAndFields',
  'tokens',
  'duplicates',
  'formats',
  'labels',
  'outputs',
  'conflicts',
  'nearDuplicates',
  'ngrams',
];

function recordsOf(name: string): unknown[] {
  const text = readFileSync(path(name), 'utf8');
  return name.endsWith('.jsonl')
    ? text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown)
    : (JSON.parse(text) as unknown[]);
}

/** A profiler fed `records` as lines `from + 1`… of one file, sampling as for a dataset twice this size. */
async function profileRows(name: string, records: unknown[], from: number): Promise<DatasetProfiler> {
  const bytes = statSync(path(name)).size;
  const profiler = await createDatasetProfiler(name.endsWith('.jsonl') ? 'jsonl' : 'json', {
    tokenizer: { encoding: 'cl100k_base' },
    expectedBytes: bytes,
    exactTokenBytes: bytes / 2,
    exactNearDuplicateBytes: bytes / 2,
  });
  records.forEach((record, index) => profiler.addRecord(from + index + 1, record));
  return profiler;
}

/** One figure's report fields, written on a profile that has only the common fields. */
function finishOne(profiler: DatasetProfiler, name: keyof DatasetFigures): Partial<DatasetProfile> {
  const into = { format: 'json', bytes: 0, rows: profiler.rows, malformedRows: 0 } as DatasetProfile;
  profiler.figures[name].finish(into, (position) => profiler.rowRef(position));
  return JSON.parse(JSON.stringify(into)) as Partial<DatasetProfile>;
}

/** Three profilers of consecutive thirds of the rows. */
async function thirds(name: string, records: unknown[]): Promise<DatasetProfiler[]> {
  const cut = (part: number): number => Math.floor((records.length * part) / 3);
  return Promise.all(
    [0, 1, 2].map((part) => profileRows(name, records.slice(cut(part), cut(part + 1)), cut(part))),
  );
}

describe.each(DATASETS)('the figures of %s', (name) => {
  const records = recordsOf(name);
  // Profiled once per dataset: one pass, thirds merged live, thirds merged from their saved states.
  let whole: DatasetProfiler;
  let merged: DatasetProfiler;
  let mergedStates: DatasetProfiler;
  beforeAll(async () => {
    whole = await profileRows(name, records, 0);
    const [first, ...rest] = await thirds(name, records);
    merged = first as DatasetProfiler;
    for (const part of rest) merged.merge(part);
    const [firstSaved, ...restSaved] = await thirds(name, records);
    mergedStates = firstSaved as DatasetProfiler;
    for (const part of restSaved) mergedStates.mergeState(part.toState());
  });

  it.each(NAMES)('%s: merging thirds equals one pass, in state and in the report', (figure) => {
    expect(merged.figures[figure].toState()).toEqual(whole.figures[figure].toState());
    expect(finishOne(merged, figure)).toEqual(finishOne(whole, figure));
  });

  it.each(NAMES)('%s: merging saved thirds (mergeState) equals one pass', (figure) => {
    expect(mergedStates.figures[figure].toState()).toEqual(whole.figures[figure].toState());
  });

  it('restores every figure from its state: restore(toState()) saves the same state', () => {
    const restored = restoreFigures(whole.toState(), {
      settings: whole.settings,
      banding: whole.banding,
      tokenCounter: undefined,
    });
    for (const figure of NAMES) expect(restored[figure].toState()).toEqual(whole.figures[figure].toState());
    expect(listFigures(restored)).toHaveLength(NAMES.length);
  });
});

describe('the figures of a profile', () => {
  it('fill the report: one pass over KTO gives labels, formats, outputs and token figures', async () => {
    const records = recordsOf('llamafactory_kto_en_demo.json');
    const profile = (await profileRows('llamafactory_kto_en_demo.json', records, 0)).finish();
    // python3: the file holds 300 rows, 150 labelled true and 150 false.
    expect(profile.rows).toBe(300);
    expect(profile.labels?.classes).toEqual([
      { label: 'false', rows: 150 },
      { label: 'true', rows: 150 },
    ]);
    expect(profile.tokenizer).toMatchObject({ name: 'cl100k_base', estimated: true });
  });
});
