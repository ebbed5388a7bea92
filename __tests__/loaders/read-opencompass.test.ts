import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';
import {
  findOpenCompassRun,
  isOpenCompassHeader,
  isOpenCompassSummaryPath,
} from '../../src/loaders/read-opencompass.js';

/*
 * OpenCompass summary tables from its documentation (fixtures/opencompass/SOURCES.md). Expected values
 * are the file's own cells over 100 (python3: 76.23 / 100 == 0.7623000000000001), each on the line of its
 * row (the header is line 1).
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/opencompass/${name}`, import.meta.url), 'utf8');
const RACE = fixture('summarizer-guide_race_internlm-7b.csv');
const OPT = fixture('quick-start_siqa-winograd_opt.csv');
const PATH = 'outputs/default/20240923_083857/summary/summary_20240923_083857.csv';

describe('an OpenCompass summary table', () => {
  it('reads one model: scores as fractions, the group without a version, settings per dataset', () => {
    const file = parseMetricsFile(RACE, PATH);
    expect(file.format).toBe('opencompass');
    expect(file.metrics).toEqual([
      // The group's naive_average has no direction of its own: it takes its datasets' (accuracy: higher).
      {
        key: 'race/naive_average',
        task: 'race',
        metric: 'naive_average',
        value: 0.7623000000000001,
        higherIsBetter: true,
        line: 2,
      },
      {
        key: 'race-high/accuracy',
        task: 'race-high',
        metric: 'accuracy',
        value: 0.7453,
        higherIsBetter: true,
        line: 3,
      },
      {
        key: 'race-middle/accuracy',
        task: 'race-middle',
        metric: 'accuracy',
        value: 0.7792,
        higherIsBetter: true,
        line: 4,
      },
    ]);
    expect(file.tasks).toEqual({
      race: { mode: 'ppl' },
      'race-high': { version: '0c332f', mode: 'ppl' },
      'race-middle': { version: '0c332f', mode: 'ppl' },
    });
    expect(file.evaluator).toEqual({ model: 'internlm-7b-hf' });
    expect(file.problems).toEqual([]);
  });

  it('reads several models as one metric per model column', () => {
    const file = parseMetricsFile(OPT, 'outputs/demo/20240101_120000/summary/summary_20240101_120000.csv');
    expect(file.metrics.map((m) => [m.key, m.value, m.line])).toEqual([
      ['siqa/accuracy[opt350m]', 0.2155, 2],
      ['siqa/accuracy[opt125m]', 0.1244, 2],
      ['winograd/accuracy[opt350m]', 0.5123, 3],
      ['winograd/accuracy[opt125m]', 0.4982, 3],
    ]);
    expect(file.tasks).toEqual({
      siqa: { version: 'e78df3', mode: 'gen' },
      winograd: { version: 'b6c7ed', mode: 'ppl' },
    });
    // Two model columns: no one model names the run, so none is recorded as the evaluator's.
    expect(file.evaluator).not.toHaveProperty('model');
    expect(Object.keys(file.evaluator)).toHaveLength(0);
  });

  it('has no standard error without item counts, so nothing of it is tested for noise', () => {
    expect(parseMetricsFile(RACE, PATH).metrics.map((m) => m.stderr)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('takes the items from `(correct/total)` or a total_count column: a Wilson standard error, and the sample count', () => {
    // An AISBench-style table (hand-made from the race fixture): a total_count column, and one score with
    // its answers. 41 of 50: Wilson 95% half-width / 1.96 = 0.05363838613851049 (python3); 74.53% of 200:
    // 149.06 of 200 gives 0.030607444671082933. The group gets none.
    const text = RACE.replace('mode,internlm-7b-hf', 'mode,total_count,internlm-7b-hf')
      .replace('ppl,76.23', 'ppl,-,76.23')
      .replace('ppl,74.53', 'ppl,200,74.53')
      .replace('ppl,77.92', 'ppl,50,82.00 (41/50)');
    const file = parseMetricsFile(text, PATH);
    expect(file.metrics.map((m) => [m.key, m.value, m.stderr])).toEqual([
      ['race/naive_average', 0.7623000000000001, undefined],
      ['race-high/accuracy', 0.7453, expect.closeTo(0.030607444671082933, 12)],
      ['race-middle/accuracy', 0.82, expect.closeTo(0.05363838613851049, 12)],
    ]);
    expect(file.tasks['race-high']?.samples).toEqual({ effective: 200 });
    expect(file.tasks['race-middle']?.samples).toEqual({ effective: 50 });
  });

  it('skips missing scores and section dividers, and says which cells are not numbers', () => {
    const text = [
      'dataset,version,metric,mode,internlm-7b-hf',
      '--------- Exam ---------,-,-,-,-',
      '--------- Reading ---------,-,-,-,76.23',
      'race-high,0c332f,accuracy,ppl,-',
      'race-middle,0c332f,accuracy,ppl,error',
      'race,-,naive_average,ppl,76.23',
      '',
    ].join('\n');
    const file = parseMetricsFile(text, PATH);
    expect(file.metrics.map((m) => [m.key, m.value])).toEqual([['race/naive_average', 0.7623000000000001]]);
    expect(file.problems).toEqual([{ line: 5, reason: 'race-middle / accuracy is "error", not a number' }]);
  });

  it('reads a metric that is not a percentage as written (average_ppl, lower is better)', () => {
    const text = 'dataset,version,metric,mode,qwen-7b-hf\ngsm8k-test-ppl,0b8e46,average_ppl,unknown,1.33\n';
    expect(parseMetricsFile(text, PATH).metrics).toEqual([
      {
        key: 'gsm8k-test-ppl/average_ppl',
        task: 'gsm8k-test-ppl',
        metric: 'average_ppl',
        value: 1.33,
        higherIsBetter: false,
        line: 2,
      },
    ]);
  });

  it('is refused when the CSV file is not a summary table', () => {
    expect(() => parseMetricsFile('text,label\nhello,1\n', 'data/summary_20240101_000000.csv')).toThrow(
      'not an OpenCompass summary table',
    );
  });

  it.each([
    [PATH, true],
    ['summary/summary_20240923_083857.csv', true],
    ['outputs/default/20240923_083857/summary/summary_20240923_083857.txt', false],
    ['data/summary_stats.csv', false],
  ])('%s is named as a summary table: %s', (path, expected) => {
    expect(isOpenCompassSummaryPath(path)).toBe(expected);
  });

  it('puts the runs of one config in one series, whatever their run folder (summaries and per-dataset results)', () => {
    expect(findOpenCompassRun(PATH)).toEqual({
      series: 'outputs/default/opencompass:summary',
      time: '20240923_083857',
    });
    expect(
      findOpenCompassRun('outputs/default/20241001_090000/summary/summary_20241001_090000.csv')?.series,
    ).toBe('outputs/default/opencompass:summary');
    expect(findOpenCompassRun('data/train.csv')).toBeUndefined();
    expect(
      findOpenCompassRun('outputs/default/20241001_090000/results/internlm-7b-hf/race-high.json'),
    ).toEqual({
      series: 'outputs/default/opencompass:results/internlm-7b-hf/race-high.json',
      time: '20241001_090000',
    });
  });

  it.each([
    [['dataset', 'version', 'metric', 'mode', 'internlm-7b-hf'], true],
    [['dataset', 'version', 'metric', 'mode'], false],
    [['text', 'label'], false],
  ])('%j is a summary header: %s', (cells, expected) => {
    expect(isOpenCompassHeader(cells)).toBe(expected);
  });
});
