import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { compareSampleLogs } from '../../src/diff/compare-samples.js';
import { findSampleLogTask, isSampleLogPath, readSampleLog } from '../../src/loaders/read-sample-log.js';

const BASE = 'samples_lambada_openai_2025-02-24T21-42-51.190683.jsonl';
const HEAD = 'samples_lambada_openai_2025-02-25T08-00-00.000000.jsonl';
const open = (name: string) => createReadStream(new URL(`../fixtures/samples/${name}`, import.meta.url));
const fromLines = (lines: unknown[]) =>
  Readable.from([lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')]);

describe('readSampleLog', () => {
  it('reads lm-eval samples, keyed by doc_hash, skipping non-numeric metrics', async () => {
    const log = await readSampleLog(open(BASE), `results/${BASE}`);
    expect(log.task).toBe('lambada_openai');
    expect(log.matchedBy).toBe('doc_hash');
    expect(log.rows).toBe(6);
    expect([...log.scores.keys()]).toEqual(['acc']);
    // The fixture's base run is right on items 0, 1, 3 and 5 (see SOURCES.md).
    expect([...(log.scores.get('acc')?.values() ?? [])]).toEqual([1, 1, 0, 1, 0, 1]);
    expect(log.problems).toEqual([]);
  });

  it('reads generic per-example files and reports lines it cannot use', async () => {
    const log = await readSampleLog(
      fromLines([
        { id: 'a', correct: true },
        { id: 'b', correct: false, filter: 'strict' },
        { id: 'c', score: 0.25 },
        { text: 'no id', score: 1 },
        { id: 'd', label: 'no score' },
        'not json',
      ]),
      'eval/per_example_scores.jsonl',
    );
    expect(log.matchedBy).toBe('id');
    expect(log.rows).toBe(3);
    expect(Object.fromEntries(log.scores.get('correct') ?? [])).toEqual({ a: 1 });
    expect(Object.fromEntries(log.scores.get('correct[strict]') ?? [])).toEqual({ b: 0 });
    expect(Object.fromEntries(log.scores.get('score') ?? [])).toEqual({ c: 0.25 });
    expect(log.problems.map((p) => p.line)).toEqual([4, 5, 6]);
  });

  it.each([
    ['results/samples_arc_easy_2025-03-03T00-05-19.750676.jsonl', true, 'arc_easy'],
    ['out/samples_mmlu_high_school_physics_2024-01-01T10-00-00.jsonl', true, 'mmlu_high_school_physics'],
    ['eval/per_example.jsonl', true, 'per_example'],
    ['eval/predictions_test.jsonl', true, 'predictions_test'],
    ['data/train.jsonl', false, 'train'],
  ])('%s: sample log %p, task %p', (path, isLog, task) => {
    expect(isSampleLogPath(path)).toBe(isLog);
    expect(findSampleLogTask(path)).toBe(task);
  });
});

describe('compareSampleLogs', () => {
  it('pairs items by doc_hash although doc_ids differ, and runs McNemar on binary scores', async () => {
    const base = await readSampleLog(open(BASE), BASE);
    const head = await readSampleLog(open(HEAD), HEAD);
    const acc = compareSampleLogs(base, head).get('acc');
    // Items lost: 0 and 3 (b = 2); gained: 2 (c = 1); exact two-sided binomial p for 1 of 3 = 1.0.
    expect(acc).toMatchObject({ method: 'McNemar', paired: 6, onlyBase: 0, onlyHead: 0, pValue: 1 });
    expect(acc?.delta).toBeCloseTo(-1 / 6, 12);
  });

  it('uses the paired bootstrap for graded scores and skips metrics with no common item', async () => {
    const lines = (scores: number[], prefix: string) =>
      scores.map((score, i) => ({ id: `${prefix}${i}`, score }));
    const base = await readSampleLog(fromLines(lines([0.2, 0.4, 0.6, 0.8], 'x')), 'a.jsonl');
    const head = await readSampleLog(fromLines(lines([0.3, 0.5, 0.7, 0.9], 'x')), 'b.jsonl');
    const other = await readSampleLog(fromLines(lines([0.3, 0.5], 'y')), 'c.jsonl');
    const score = compareSampleLogs(base, head).get('score');
    expect(score?.method).toBe('paired bootstrap');
    expect(score?.delta).toBeCloseTo(0.1, 12);
    expect(score?.low).toBeCloseTo(0.1, 12);
    expect(compareSampleLogs(base, other).size).toBe(0);
  });
});
