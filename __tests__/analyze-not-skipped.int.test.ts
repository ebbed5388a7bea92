import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Report } from '../src/model/report-schema.js';
import { UNCLAIMED_REASON } from '../src/sources/list-not-reviewed.js';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Files that used to be reviewed by nobody, on real temporary git repositories: names in upper case, a
 * hyperparameter file under a broad dataset glob, and changed files no rule claims. The data are real
 * fixtures (SOURCES.md); the numbers are counted off them.
 */

const text = (path: string): string => fixture(path).toString('utf8');
/** MLX's WikiSQL train split: 1,000 JSON lines; its first 600 make a 40% shrink. */
const train = text('datasets/mlx_wikisql_train.base.jsonl');
const first600 = `${train.split('\n').slice(0, 600).join('\n')}\n`;
/** The Axolotl lora-1b example; its learning rate is `0.0002` on line 44. */
const lora = text('params/llama3-lora-1b.before.yml');
const loraLrTimesTen = lora.replace('learning_rate: 0.0002\n', 'learning_rate: 0.002\n');

describe('files with upper-case extensions', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyzePair(
      {
        'data/TRAIN.JSONL': train,
        'results/Results.JSON': fixture('metrics/v047_rwkv7-1.5b_lambada_run-good.json'),
      },
      {
        'data/TRAIN.JSONL': first600,
        'results/Results.JSON': fixture('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json'),
      },
    );
  });

  it('reviews TRAIN.JSONL as a dataset: its shrink from 1,000 to 600 rows is found', () => {
    expect(report.findings.filter((f) => f.check === 'data-shrink').map(summarise)).toEqual([
      {
        check: 'data-shrink',
        severity: 'warning',
        title: 'The train split data/TRAIN.JSONL shrank by 40.0%: 1,000 → 600 rows',
        location: { path: 'data/TRAIN.JSONL' },
      },
    ]);
  });

  it('reviews Results.JSON as results: lambada accuracy 0.6881 → 0.4106 (line 7) is a regression', () => {
    const acc = report.findings.find((f) => f.check === 'eval-regression' && f.title.includes('/ acc '));
    expect(acc && summarise(acc)).toEqual({
      check: 'eval-regression',
      severity: 'failure',
      title: 'lambada_openai / acc regressed: 0.6881 → 0.4106 (-0.2775, -40.3%)',
      location: { path: 'results/Results.JSON', line: 7 },
    });
    expect(report.notReviewed).toEqual([]);
  });
});

describe('a dataset in a folder whose name holds control characters', () => {
  it('is reviewed like any other: its shrink from 1,000 to 600 rows is found', async () => {
    const path = 'data\u0001\tv2/train.jsonl';
    const report = await analyzePair({ [path]: train }, { [path]: first600 });
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'data-shrink',
        severity: 'warning',
        title: `The train split ${path} shrank by 40.0%: 1,000 → 600 rows`,
        location: { path },
      },
    ]);
    expect(report.notReviewed).toEqual([]);
  });
});

describe('a hyperparameter file under a data/** dataset glob', () => {
  let report: Report;
  beforeAll(async () => {
    const args = (rate: number): string =>
      `${JSON.stringify({ learning_rate: rate, num_train_epochs: 3, per_device_train_batch_size: 8 }, null, 2)}\n`;
    report = await analyzePair(
      { 'data/train.jsonl': train, 'data/lora.yml': lora, 'data/trainer_args.json': args(2e-5) },
      { 'data/train.jsonl': train, 'data/lora.yml': loraLrTimesTen, 'data/trainer_args.json': args(2e-4) },
      'datasets: ["data/**"]\n',
    );
  });

  it('is still a hyperparameter file, and its learning rate ×10 is found', () => {
    expect(report.findings.filter((f) => f.check === 'params-risky-change').map(summarise)).toEqual([
      {
        check: 'params-risky-change',
        severity: 'warning',
        title: 'Learning rate went ×10: 0.0002 → 0.002 in data/lora.yml',
        location: { path: 'data/lora.yml', line: 44 },
      },
      {
        check: 'params-risky-change',
        severity: 'warning',
        title: 'Learning rate went ×10: 2e-5 → 0.0002 in data/trainer_args.json',
        location: { path: 'data/trainer_args.json', line: 2 },
      },
    ]);
  });

  it('says why each file was taken for what it is', () => {
    expect(report.kinds?.map((kind) => [kind.path, kind.kind, kind.by, kind.reason])).toEqual([
      [
        'data/lora.yml',
        'params',
        'name',
        "a settings file (YAML or TOML) under the config's datasets glob data/**, which claims only dataset files",
      ],
      [
        'data/trainer_args.json',
        'params',
        'content',
        'it holds one object of settings (learning_rate, num_train_epochs, per_device_train_batch_size), not records of a dataset',
      ],
    ]);
    // The data beside them is still a dataset (unchanged here, so the pull request's kinds leave it out).
    expect(report.datasets.map((dataset) => [dataset.path, dataset.status])).toEqual([
      ['data/train.jsonl', 'unchanged'],
    ]);
  });
});

describe('changed files that no rule claims', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyzePair(
      { 'data/train.jsonl': train, 'train.py': 'lr = 1\n', 'README.md': 'a\n' },
      {
        'data/train.jsonl': train,
        'extra/more_train.jsonl': first600,
        'data/train.jsonl.gz': Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
        'sweeps/lr.yaml': 'learning_rate: 0.001\n',
        'train.py': 'lr = 2\n',
        'README.md': 'b\n',
        'pyproject.toml': '[project]\nname = "x"\n',
      },
      'datasets: ["data/*.jsonl"]\n',
    );
  });

  it('lists those that may hold data or settings as not reviewed, with why, and not code or docs', () => {
    expect(report.notReviewed).toEqual([
      { path: 'data/train.jsonl.gz', reason: 'compressed (gzip): not read' },
      { path: 'extra/more_train.jsonl', reason: UNCLAIMED_REASON },
      { path: 'sweeps/lr.yaml', reason: UNCLAIMED_REASON },
    ]);
    expect(report.findings).toEqual([]);
  });
});
