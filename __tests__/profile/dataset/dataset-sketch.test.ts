import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import {
  addDatasetStream,
  createDatasetProfiler,
  finishDatasetProfile,
} from '../../../src/profile/dataset/profile-dataset.js';
import type { DatasetSketch } from '../../../src/profile/dataset/index.js';

const text = (name: string): string =>
  readFileSync(new URL(`../../fixtures/datasets/${name}`, import.meta.url), 'utf8');
const rowsOf = (name: string): string[] =>
  text(name)
    .split('\n')
    .filter((line) => line !== '');
const thanks = (line: string): string =>
  JSON.stringify({ text: `${(JSON.parse(line) as { text: string }).text} Thanks!` });

/** The sketch of a dataset made of `files` (path → lines), read as shards of one split. */
async function sketchOf(files: Record<string, string[]>, tokenizer = false as const): Promise<DatasetSketch> {
  const paths = Object.keys(files);
  const profiler = await createDatasetProfiler('jsonl', {
    tokenizer,
    ...(paths.length > 1 ? { files: paths } : {}),
  });
  for (const [index, path] of paths.entries()) {
    profiler.startFile(index);
    await addDatasetStream(profiler, Readable.from([`${(files[path] ?? []).join('\n')}\n`]), 'jsonl');
  }
  return finishDatasetProfile(profiler).sketch;
}

// MLX's WikiSQL splits (fixtures/datasets/SOURCES.md); python3: no test row stands in train after
// lowercasing and collapsing whitespace.
const train = rowsOf('mlx_wikisql_train.base.jsonl').slice(0, 1000);
const test = rowsOf('mlx_wikisql_test.jsonl');

describe('DatasetSketch', () => {
  it('names exact overlaps by file and line on both sides', async () => {
    const held = await sketchOf({
      'test-0.jsonl': test.slice(0, 50),
      'test-1.jsonl': [...test.slice(50, 60), train[10] as string, ...test.slice(60, 100)],
    });
    const trainSketch = await sketchOf({ 'train.jsonl': train });
    expect(held.findExactOverlap(trainSketch)).toEqual([[{ file: 'test-1.jsonl', line: 11 }, { line: 11 }]]);
    expect(trainSketch.findExactOverlap(held)).toEqual([[{ line: 11 }, { file: 'test-1.jsonl', line: 11 }]]);
  });

  it('finds rows most of whose passages stand in train, first row by file and line', async () => {
    const held = await sketchOf({
      'test-0.jsonl': test.slice(0, 50),
      'test-1.jsonl': [...test.slice(50, 100), thanks(train[99] as string), thanks(train[199] as string)],
    });
    const trainSketch = await sketchOf({ 'train.jsonl': train });
    expect(held.findPassageOverlap(trainSketch, 0.7)).toEqual({
      rows: 2,
      prompts: 0,
      exact: 0,
      estimated: false,
      first: { file: 'test-1.jsonl', line: 51 },
    });
    // No held-out row reaches a share above 1.
    expect(held.findPassageOverlap(trainSketch, 1.01)).toEqual({
      rows: 0,
      prompts: 0,
      exact: 0,
      estimated: false,
    });
  });

  it('counts rows over a token length only when tokens were counted', async () => {
    expect((await sketchOf({ 'train.jsonl': train })).rowsOver(8)).toBeUndefined();
    const profiler = await createDatasetProfiler('jsonl', { tokenizer: { encoding: 'cl100k_base' } });
    await addDatasetStream(
      profiler,
      Readable.from(['{"text":"a b c d e f g h i j"}\n{"text":"a"}\n']),
      'jsonl',
    );
    const sketch = finishDatasetProfile(profiler).sketch;
    // "a b c d e f g h i j" is 10 tokens in cl100k_base; "a" is 1.
    expect(sketch.rowsOver(5)).toEqual({ rows: 1, share: 0.5 });
    expect(sketch.rowsOver(10)).toEqual({ rows: 0, share: 0 });
  });
});
