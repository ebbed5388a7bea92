import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { compareSampleLogs } from '../../src/diff/compare-samples.js';
import { readSampleLog, type SampleLog } from '../../src/loaders/read-sample-log.js';
import { MAX_UNPACKED_ITEMS, packSampleLog, unpackSampleLog } from '../../src/report/pack-sample-log.js';

const BASE = 'samples_lambada_openai_2025-02-24T21-42-51.190683.jsonl';
const HEAD = 'samples_lambada_openai_2025-02-25T08-00-00.000000.jsonl';
const open = (name: string) => createReadStream(new URL(`../fixtures/samples/${name}`, import.meta.url));
const fromLines = (lines: object[]) => Readable.from([lines.map((l) => JSON.stringify(l)).join('\n')]);
const log = (task: string, scores: Record<string, Record<string, number>>): SampleLog => ({
  task,
  matchedBy: 'id',
  rows: 0,
  problems: [],
  scores: new Map(Object.entries(scores).map(([metric, items]) => [metric, new Map(Object.entries(items))])),
});

describe('packSampleLog', () => {
  it('packs an lm-eval log by doc_hash: ids sorted, acc as a bitset (base right on items 0, 1, 3, 5)', async () => {
    const packed = packSampleLog(await readSampleLog(open(BASE), BASE));
    // The doc_hashes sorted are those of doc_id 1, 2, 3, 5, 4, 0 (computed with python from the fixture);
    // acc on them is 1, 0, 1, 1, 0, 1: bits 0b101101 = 45, base64 "LQ==".
    expect(packed.task).toBe('lambada_openai');
    expect(packed.matchedBy).toBe('doc_hash');
    expect('list' in packed.ids && packed.ids.list.map((id) => id.slice(0, 8))).toEqual([
      '555dda71',
      '62e800af',
      '746994eb',
      '99a78159',
      'a5705223',
      'ec5d9ea4',
    ]);
    expect(packed.scores).toEqual([{ metric: 'acc', bits: 'LQ==' }]);
  });

  it.each([
    [
      'consecutive integer ids',
      { acc: { '2': 1, '0': 0, '1': 1 } },
      { ranges: [0, 3] },
      [{ metric: 'acc', bits: 'Bg==' }],
    ],
    [
      'integer ids with gaps',
      { acc: { '7': 1, '3': 1, '4': 0, '10': 1 } },
      { ranges: [3, 2, 7, 1, 10, 1] },
      [{ metric: 'acc', bits: 'DQ==' }],
    ],
    [
      'ids that only look like integers',
      { acc: { '01': 1, '2': 0 } },
      { list: ['01', '2'] },
      [{ metric: 'acc', bits: 'AQ==' }],
    ],
    [
      'continuous scores',
      { f1: { '0': 0.5, '1': 1 } },
      { ranges: [0, 2] },
      [{ metric: 'f1', values: [0.5, 1] }],
    ],
    ['an empty log', {}, { list: [] }, []],
  ])('packs %s', (_name, scores, ids, packedScores) => {
    const packed = packSampleLog(log('t', scores));
    expect(packed.ids).toEqual(ids);
    expect(packed.scores).toEqual(packedScores);
  });

  it('gives a metric scored on other items than the first metric its own ids', () => {
    const packed = packSampleLog(
      log('t', { acc: { '0': 1, '1': 0 }, em: { '0': 1, '1': 1 }, f1: { '5': 0.25 } }),
    );
    expect(packed.scores).toEqual([
      { metric: 'acc', bits: 'AQ==' },
      { metric: 'em', bits: 'Aw==' },
      { metric: 'f1', ids: { ranges: [5, 1] }, values: [0.25] },
    ]);
  });
});

describe('unpackSampleLog', () => {
  it('gives back the scores of an lm-eval log, so the paired test across runs is the same', async () => {
    const base = await readSampleLog(open(BASE), BASE);
    const head = await readSampleLog(open(HEAD), HEAD);
    const unpacked = unpackSampleLog(packSampleLog(base));
    expect(unpacked.scores).toEqual(base.scores);
    const test = compareSampleLogs(unpacked, head).get('acc');
    expect(test).toMatchObject({ paired: 6, onlyBase: 0, onlyHead: 0 });
    expect(test).toEqual(compareSampleLogs(base, head).get('acc'));
  });

  it('reads ids from generic lines back as strings', async () => {
    const read = await readSampleLog(
      fromLines([
        { id: 3, correct: true },
        { id: 1, correct: false },
        { id: 2, score: 0.5 },
      ]),
      'per_example.jsonl',
    );
    expect(unpackSampleLog(packSampleLog(read)).scores).toEqual(read.scores);
  });

  it(`stops at ${MAX_UNPACKED_ITEMS} items however large a range claims to be`, () => {
    const unpacked = unpackSampleLog({
      task: 't',
      matchedBy: 'id',
      ids: { ranges: [0, 1e12] },
      scores: [{ metric: 'acc', values: [1, 0] }],
    });
    expect(unpacked.scores.get('acc')).toEqual(
      new Map([
        ['0', 1],
        ['1', 0],
      ]),
    );
  });
});
