import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { compareSampleLogs } from '../../src/diff/compare-samples.js';
import {
  findLightevalResultsPath,
  parseLightevalDetailsName,
  readLightevalDetails,
} from '../../src/loaders/read-lighteval-details.js';

/*
 * The first 40 rows of two real lighteval details files of the same LEXam task (evaluate-idk;
 * fixtures/lighteval/SOURCES.md). Expected figures were counted with pyarrow over the same rows.
 */

const DETAILS =
  'results/details/openrouter/openai/gpt-5.2/2025-12-12T15-11-59.471879/details_community|lexam-en-idk|0_2025-12-12T15-11-59.471879.parquet';
const read = (name: string) =>
  readLightevalDetails(createReadStream(new URL(`../fixtures/lighteval/${name}`, import.meta.url)), DETAILS);
const GPT = 'lexam-en-idk_gpt-5.2.first40.parquet';
const MISTRAL = 'lexam-en-idk_mistral-large-2512.first40.parquet';
const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

describe('parseLightevalDetailsName', () => {
  it.each([
    [
      DETAILS,
      {
        key: 'community|lexam-en-idk|0',
        task: 'community|lexam-en-idk',
        nShot: 0,
        time: '2025-12-12T15-11-59.471879',
      },
    ],
    [
      'details_leaderboard|arc:challenge|25_2024-06-01T12-00-00.000000.parquet',
      {
        key: 'leaderboard|arc:challenge|25',
        task: 'leaderboard|arc:challenge',
        nShot: 25,
        time: '2024-06-01T12-00-00.000000',
      },
    ],
    ['details/gpt2/2024/train.parquet', undefined],
    ['details_gsm8k|0.parquet', undefined],
  ])('%s', (path, expected) => {
    expect(parseLightevalDetailsName(path)).toEqual(expected);
  });
});

describe('findLightevalResultsPath', () => {
  it.each([
    [DETAILS, 'results/results/openrouter/openai/gpt-5.2/results_2025-12-12T15-11-59.471879.json'],
    [
      'details/gpt2/2024-01-01T00-00-00/details_gsm8k|0_2024-01-01T00-00-00.parquet',
      'results/gpt2/results_2024-01-01T00-00-00.json',
    ],
    // The folder must be the run's time, and a model must sit between it and `details`.
    ['details/gpt2/other/details_gsm8k|0_2024-01-01T00-00-00.parquet', undefined],
    ['details/2024-01-01T00-00-00/details_gsm8k|0_2024-01-01T00-00-00.parquet', undefined],
    ['evals/gpt2/2024-01-01T00-00-00/details_gsm8k|0_2024-01-01T00-00-00.parquet', undefined],
  ])('%s', (path, expected) => {
    expect(findLightevalResultsPath(path)).toBe(expected);
  });
});

describe('readLightevalDetails', () => {
  it('reads each row’s metric struct as its scores, items named by a hash of the prompt', async () => {
    const log = await read(GPT);
    expect(log.task).toBe('community|lexam-en-idk');
    expect(log.matchedBy).toBe('prompt_hash');
    expect(log.rows).toBe(40);
    expect(log.problems).toEqual([]);
    expect([...log.scores.keys()]).toEqual(['extract_fail', 'idk_freq', 'idk_score', 'trad_score']);
    const trad = log.scores.get('trad_score') ?? new Map<string, number>();
    expect(trad.size).toBe(40);
    expect(sum(trad.values())).toBe(37);
    expect(sum(log.scores.get('idk_score')?.values() ?? [])).toBe(34);
    // The first row (doc id 463): sha256 of its doc.query starts 8e4e4359e7d5c994; right on both scores.
    expect(trad.get('8e4e4359e7d5c994')).toBe(1);
    expect(log.scores.get('idk_score')?.get('8e4e4359e7d5c994')).toBe(1);
  });

  it('pairs two runs of the same prompts: McNemar on trad_score, a bootstrap on idk_score (1, 0 or -1)', async () => {
    const base = await read(GPT);
    const head = await read(MISTRAL);
    expect(sum(head.scores.get('trad_score')?.values() ?? [])).toBe(31);
    const tests = compareSampleLogs(base, head);
    // Of the 40 items, 8 right on base are wrong on head and 2 the other way: the exact two-sided
    // binomial p is 2 · (C(10,0) + C(10,1) + C(10,2)) / 2^10 = 112 / 1024.
    const trad = tests.get('trad_score');
    expect(trad).toMatchObject({
      method: 'McNemar',
      paired: 40,
      onlyBase: 0,
      onlyHead: 0,
      delta: (2 - 8) / 40,
    });
    expect(trad?.pValue).toBeCloseTo(112 / 1024, 12);
    expect(tests.get('idk_score')).toMatchObject({ method: 'paired bootstrap', paired: 40 });
  });

  it('reads the layout of lighteval up to 0.7, each cell Python’s str() of the value', async () => {
    // Hand-made (fixtures/lighteval/SOURCES.md): metrics cells "{'qem': 1, 'maj@8': 1.0}", …, "{}".
    const log = await read('details_lighteval-v0.6-layout.hand-made.parquet');
    expect(log.matchedBy).toBe('prompt_hash');
    expect(log.rows).toBe(3);
    expect(log.problems).toEqual([{ line: 4, reason: 'no numeric metric value (metric, metrics)' }]);
    // sha256 of each full_prompt, first 16 hex digits (Python's hashlib).
    expect([...(log.scores.get('qem') ?? [])]).toEqual([
      ['f4415ac4fa0cd192', 1],
      ['320de8c88076740f', 0],
      ['433d0b6499d8ce77', 1],
    ]);
    expect([...(log.scores.get('maj@8')?.values() ?? [])]).toEqual([1, 0, 0.5]);
  });

  it('a file that is not Parquet is one problem, and no item', async () => {
    const log = await readLightevalDetails(
      Readable.from([Buffer.from('version https://git-lfs\n')]),
      DETAILS,
    );
    expect(log.rows).toBe(0);
    expect(log.scores.size).toBe(0);
    expect(log.problems).toEqual([
      { line: 1, reason: expect.stringMatching(/^not a readable Parquet file/) },
    ]);
  });

  it('a Parquet file without prompts or metric values gives a problem per row', async () => {
    // A real Parquet dataset (fixtures/datasets/SOURCES.md) named as a details file: no doc, no metric.
    const bytes = createReadStream(
      new URL('../fixtures/datasets/mlx_wikisql_valid.parquet', import.meta.url),
    );
    const log = await readLightevalDetails(bytes, DETAILS);
    expect(log.rows).toBe(0);
    expect(log.problems[0]).toEqual({
      line: 1,
      reason: 'no prompt (doc.query, full_prompt, example) nor hash_example',
    });
  });
});
