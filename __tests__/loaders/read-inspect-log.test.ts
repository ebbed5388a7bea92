import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ParseError } from '../../src/model/errors.js';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';
import {
  findInspectRun,
  parseInspectJsonLog,
  readInspectEvalLog,
} from '../../src/loaders/read-inspect-log.js';

const bytes = (name: string): Buffer => readFileSync(new URL(`../fixtures/inspect/${name}`, import.meta.url));
const POPULARITY = '2025-02-11T15-18-04-05-00_popularity_mj7khqpMM4GBCfVQozKgzB.eval';
const POPULARITY_ZSTD = '2025-02-11T15-40-00-05-00_popularity_Zq7Hn2VbW4kXp9RtYc3LdE.hand-made-zstd.eval';
const SONNET = 'inspect_arc_easy_claude-sonnet-4.trimmed.json';

/** The per-item scores of one metric as `[id#epoch, score]`, sorted by code unit (`1#1` before `10#1`). */
const items = (scores: Map<string, Map<string, number>>, metric: string): [string, number][] =>
  [...(scores.get(metric) ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('readInspectEvalLog', () => {
  // python3: zipfile on the log; header.json results.scores[0] is `match` with accuracy 0.8 and stderr
  // 0.13333333333333333; eval.task_version 0, config.limit 10, dataset popularity at example://popularity
  // with 100 samples, total_samples 10; summaries.json: samples 3 and 7 scored I, the other eight C.
  it('reads a deflate .eval log: scores with their stderr, settings, samples by id and epoch', async () => {
    const log = await readInspectEvalLog(bytes(POPULARITY), `logs/${POPULARITY}`);
    expect(log.file).toEqual({
      format: 'inspect',
      metrics: [
        {
          key: 'popularity/accuracy[match]',
          task: 'popularity',
          metric: 'accuracy[match]',
          value: 0.8,
          stderr: 0.13333333333333333,
        },
      ],
      tasks: {
        popularity: {
          version: '0',
          limit: 10,
          samples: { original: 100, effective: 10 },
          // sha256 of JSON [1,2,3,4,5,6,7,8,9,10] (python3, separators without spaces), first 8 hex digits
          dataset: 'popularity (example://popularity), sample ids ef58d7c6',
        },
      },
      evaluator: { model: 'openai/gpt-4o-mini' },
      groups: {},
      problems: [],
    });
    expect(log.samples.task).toBe('popularity');
    expect(log.samples.rows).toBe(10);
    expect(items(log.samples.scores, 'accuracy[match]')).toEqual([
      ['1#1', 1],
      ['10#1', 1],
      ['2#1', 1],
      ['3#1', 0],
      ['4#1', 1],
      ['5#1', 1],
      ['6#1', 1],
      ['7#1', 0],
      ['8#1', 1],
      ['9#1', 1],
    ]);
  });

  // The hand-made re-pack: every member Zstandard-compressed (zip method 93), samples 1, 2, 4, 5, 6 and 8
  // turned from C to I, accuracy 0.2 (stderr unchanged: sqrt((2·0.8² + 8·0.2²) / 9 / 10) = 0.1333).
  it('decodes Zstandard members', async () => {
    const log = await readInspectEvalLog(bytes(POPULARITY_ZSTD), `logs/${POPULARITY_ZSTD}`);
    expect(log.file.metrics.map((m) => [m.key, m.value, m.stderr])).toEqual([
      ['popularity/accuracy[match]', 0.2, 0.13333333333333333],
    ]);
    const correct = items(log.samples.scores, 'accuracy[match]').filter(([, score]) => score === 1);
    expect(correct.map(([id]) => id)).toEqual(['10#1', '9#1']);
  });

  // log_streaming.eval: limit 2, epochs 2; summaries: sample 1 I then C, sample 2 C twice; accuracy 0.75.
  it('keys samples by id and epoch', async () => {
    const log = await readInspectEvalLog(bytes('log_streaming.eval'), 'logs/log_streaming.eval');
    expect(log.file.tasks['popularity']).toMatchObject({ limit: 2, epochs: 2 });
    expect(log.file.metrics.map((m) => [m.metric, m.value, m.stderr])).toEqual([
      ['accuracy[match]', 0.75, 0.25],
    ]);
    expect(items(log.samples.scores, 'accuracy[match]')).toEqual([
      ['1#1', 0],
      ['1#2', 1],
      ['2#1', 1],
      ['2#2', 1],
    ]);
  });

  it.each([
    ['bytes that are no zip', Buffer.from('{"eval": {}}'), /not a zip file/],
    ['a .eval log cut short', bytes(POPULARITY).subarray(0, 4096), /not a zip file/],
  ])('throws a ParseError on %s', async (_case, input, message) => {
    const error = await readInspectEvalLog(input, 'logs/x.eval').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('Inspect .json logs', () => {
  // python3: results.scores[0] `choice` with accuracy 1.0 and stderr 0.0; task inspect_evals/arc_easy
  // version 0, config limit 5 and epochs 1; dataset allenai/ai2_arc (2376 samples), total_samples 5; the
  // five samples (ids 1–5, epoch 1) all scored C. Read as generic metrics, the same file gave 13 numbers
  // (version, task_version, dataset.samples, config.limit, token counts…) and no score at all.
  it('reads one score with its stderr and nothing else, through parseMetricsFile too', () => {
    const text = bytes(SONNET).toString('utf8');
    const log = parseInspectJsonLog(text, `logs/${SONNET}`);
    const expected = [
      {
        key: 'inspect_evals/arc_easy/accuracy[choice]',
        task: 'inspect_evals/arc_easy',
        metric: 'accuracy[choice]',
        value: 1,
        stderr: 0,
      },
    ];
    expect(log?.file.metrics).toEqual(expected);
    expect(log?.file.tasks).toEqual({
      'inspect_evals/arc_easy': {
        version: '0',
        epochs: 1,
        limit: 5,
        samples: { original: 2376, effective: 5 },
        // sha256 of [1,2,3,4,5], first 8 hex digits
        dataset: 'allenai/ai2_arc, sample ids f5baf0e4',
      },
    });
    expect(items(log?.samples.scores ?? new Map(), 'accuracy[choice]')).toEqual([
      ['1#1', 1],
      ['2#1', 1],
      ['3#1', 1],
      ['4#1', 1],
      ['5#1', 1],
    ]);
    expect(parseMetricsFile(text, `logs/${SONNET}`).metrics).toEqual(expected);
  });

  it('gives undefined for JSON that is no Inspect log', () => {
    expect(parseInspectJsonLog('{"plan": 1, "results": {}}', 'x.json')).toBeUndefined();
    expect(parseInspectJsonLog('{"plan": NaN', 'x.json')).toBeUndefined();
  });
});

describe('findInspectRun', () => {
  it.each([
    [`logs/${POPULARITY}`, { series: 'logs/inspect:popularity', time: '2025-02-11T15-18-04-05-00' }],
    [
      '2026-02-07T11-26-57+00-00_gaia_4V8zHbbRKpU5Yv2BMoBcjE.json',
      { series: 'inspect:gaia', time: '2026-02-07T11-26-57+00-00' },
    ],
    ['logs/run.eval', undefined],
  ])('%s', (path, expected) => {
    expect(findInspectRun(path)).toEqual(expected);
  });
});
