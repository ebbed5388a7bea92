import { describe, expect, it } from '@jest/globals';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { DatasetProfiler, ProfileStateError } from '../../../src/profile/dataset/dataset-profiler.js';
import { addDatasetStream, createDatasetProfiler } from '../../../src/profile/dataset/profile-dataset.js';
import {
  parseProfileState,
  serializeProfileState,
} from '../../../src/profile/dataset/serialize-profile-state.js';

const FIXTURES = new URL('../../fixtures/datasets/', import.meta.url);
const path = (name: string): string => new URL(name, FIXTURES).pathname;

/** The document a profiler would write: its figures and its serialised state, through JSON. */
function documentOf(profiler: DatasetProfiler): unknown {
  return JSON.parse(
    JSON.stringify({ profile: profiler.finish(), state: serializeProfileState(profiler.toState()) }),
  );
}

/** Line starts of a JSONL file, to cut it into shards at line boundaries as the CLI does. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (
    let index = bytes.indexOf(10);
    index !== -1 && index + 1 < bytes.length;
    index = bytes.indexOf(10, index + 1)
  ) {
    starts.push(index + 1);
  }
  return starts;
}

describe('DatasetProfiler: shards merge into one pass', () => {
  it.each([
    ['llamafactory_v1_sft_demo.jsonl', 3],
    ['mlx_wikisql_train.base.jsonl', 4],
    ['fastchat_dummy_conversation.after-pr2498.json', 1],
  ])('gives the same profile and state for %s whole and in %p shards', async (name, shards) => {
    const bytes = readFileSync(path(name));
    const format = name.endsWith('.jsonl') ? 'jsonl' : 'json';
    const options = { expectedBytes: bytes.length };
    const whole = await createDatasetProfiler(format, options);
    await addDatasetStream(whole, createReadStream(path(name)), format);

    const starts = lineStarts(bytes);
    const cuts = Array.from({ length: shards + 1 }, (_, index) =>
      index === shards
        ? bytes.length
        : (starts[Math.floor((starts.length * index) / shards)] ?? bytes.length),
    );
    const parts: DatasetProfiler[] = [];
    for (let index = 0; index < shards; index += 1) {
      const part = await createDatasetProfiler(format, options);
      const start = cuts[index] as number;
      const firstLine = 1 + bytes.subarray(0, start).filter((byte) => byte === 10).length;
      await addDatasetStream(part, Readable.from([bytes.subarray(start, cuts[index + 1])]), format, {
        firstLine,
      });
      // Each shard goes through a JSON file, as with `tuneguard profile --shard`.
      parts.push(
        DatasetProfiler.fromState(
          parseProfileState(JSON.parse(JSON.stringify(serializeProfileState(part.toState())))),
        ),
      );
    }
    const merged = parts[0] as DatasetProfiler;
    for (const part of parts.slice(1)) merged.merge(part);
    expect(documentOf(merged)).toEqual(documentOf(whole));
    expect(merged.rows).toBe(whole.rows);
  });

  it('profiles a folder of shards as one dataset, rows located in their files', async () => {
    // Two real files as the shards of one split: 100 + 100 rows; python3: no row repeats within or across them.
    const files = ['mlx_wikisql_valid.jsonl', 'mlx_wikisql_test.jsonl'];
    const profiler = await createDatasetProfiler('jsonl', { files });
    for (const [index, name] of files.entries()) {
      profiler.startFile(index);
      await addDatasetStream(profiler, createReadStream(path(name)), 'jsonl');
    }
    const profile = profiler.finish();
    expect(profile.rows).toBe(200);
    expect(profile.files).toEqual(
      files.map((file) => ({ path: file, bytes: statSync(path(file)).size, rows: 100 })),
    );
    expect(profile.duplicateRows).toBe(0);
  });

  it('refuses to merge profiles made with other settings', async () => {
    const a = await createDatasetProfiler('jsonl', { tokenizer: false });
    const b = await createDatasetProfiler('jsonl', { tokenizer: false, nearDuplicateThreshold: 0.9 });
    expect(() => a.merge(b)).toThrow(ProfileStateError);
  });

  it('refuses a state that is not one', () => {
    expect(() => parseProfileState({ version: 1 })).toThrow(ProfileStateError);
  });
});
