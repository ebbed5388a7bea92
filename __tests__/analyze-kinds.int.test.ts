import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { analyze } from '../src/analyze.js';
import { parseConfig } from '../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../src/io/git.js';
import { createTestRepo } from './helpers/git-repo.js';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * What a file is, from its content as well as its name, on real temporary git repositories. The data
 * are real fixtures (SOURCES.md); the numbers below are counted off them with python3.
 */

describe('a dataset outside the folders datasets are looked for', () => {
  // LLaMA-Factory's alpaca_en_demo: a JSON array of 999 instruction/input/output records.
  const alpaca = fixture('datasets/llamafactory_alpaca_en_demo.v2025-10.json').toString('utf8');
  const first = (rows: number) => JSON.stringify((JSON.parse(alpaca) as unknown[]).slice(0, rows), null, 2);

  it('is read when the pull request changes it, and its shrinking is caught', async () => {
    const report = await analyzePair(
      { 'Roleplay/roleplay.json': alpaca },
      { 'Roleplay/roleplay.json': first(600) },
    );
    expect(report.datasets.map((d) => [d.path, d.split, d.status, d.base?.rows, d.head?.rows])).toEqual([
      ['Roleplay/roleplay.json', 'train', 'modified', 999, 600],
    ]);
    // 999 → 600 rows: 399 fewer, 39.9% of the split.
    expect(report.findings.filter((f) => f.check === 'data-shrink').map(summarise)).toEqual([
      {
        check: 'data-shrink',
        severity: 'warning',
        title: 'The train split Roleplay/roleplay.json shrank by 39.9%: 999 → 600 rows',
        location: { path: 'Roleplay/roleplay.json' },
      },
    ]);
  });

  it('is not read when the pull request does not touch it', async () => {
    const report = await analyzePair(
      { 'identity.json': alpaca, 'README.md': 'a' },
      { 'identity.json': alpaca, 'README.md': 'b' },
    );
    expect(report.datasets).toEqual([]);
  });
});

describe('a pull request that changes no data and no hyperparameters', () => {
  it('reads no dataset at all', async () => {
    const train = fixture('datasets/mlx_wikisql_train.base.jsonl');
    const report = await analyzePair(
      { 'data/train.jsonl': train, 'README.md': 'a' },
      { 'data/train.jsonl': train, 'README.md': 'b' },
    );
    expect(report.datasets).toEqual([]);
    expect(report.findings).toEqual([]);
  });
});

describe('a file named like a dataset that is not training data', () => {
  it('a CSV log of steps and losses is a training log', async () => {
    // hand-made_training-log.csv: step, epoch, loss, eval_loss, eval_ood_loss, learning_rate, grad_norm.
    const log = fixture('training/hand-made_training-log.csv');
    // The pull request logs one more step (70); the last logged step of the fixture is 60.
    const more = `${log.toString('utf8').trimEnd()}\n70,0.7,1.20,,,4e-5,1.0\n`;
    const report = await analyzePair({ 'logs/metrics.csv': log }, { 'logs/metrics.csv': more });
    expect(report.datasets).toEqual([]);
    expect(report.training.map((t) => [t.path, t.status, t.base?.lastStep, t.head?.lastStep])).toEqual([
      ['logs/metrics.csv', 'modified', 60, 70],
    ]);
  });

  it("a model's predictions are not profiled as a dataset", async () => {
    const rows = [
      { doc_id: 0, prompt: 'What is 2+2?', prediction: '4', gold: '4' },
      { doc_id: 1, prompt: 'Capital of France?', prediction: 'Lyon', gold: 'Paris' },
    ];
    const text = rows.map((row) => JSON.stringify(row)).join('\n');
    const report = await analyzePair(
      { 'README.md': 'x' },
      { 'README.md': 'x', 'data/predictions_test.jsonl': text },
    );
    expect(report.datasets).toEqual([]);
    expect(report.findings.filter((f) => f.check.startsWith('data-'))).toEqual([]);
  });
});

describe("PyTorch Lightning's metrics.csv and a GRPO run's trainer_state.json, end to end", () => {
  it('a Lightning metrics.csv the pull request adds is a training log with its held-out gap, not a dataset', async () => {
    // hand-made_lightning_metrics.csv: val_loss 2.08 at step 399, train losses 1.40, 1.30, 1.25, 1.20 since
    // the previous validation (mean 1.2875): a gap of 0.7925.
    const log = fixture('training/hand-made_lightning_metrics.csv');
    const report = await analyzePair(
      { 'README.md': 'x' },
      { 'README.md': 'x', 'lightning_logs/version_0/metrics.csv': log },
    );
    expect(report.datasets).toEqual([]);
    expect(report.training.map((t) => [t.path, t.head?.format, t.head?.lastStep, t.head?.gap])).toEqual([
      ['lightning_logs/version_0/metrics.csv', 'lightning-csv', 399, expect.closeTo(0.7925, 12)],
    ]);
    expect(report.findings.map((f) => f.check)).toEqual(['train-overfitting-gap', 'train-eval-loss-rising']);
  });

  it('a GRPO run is summarised by its reward, and its clipped completions are caught', async () => {
    // chaos-economy-grpo_trainer_state.json: reward 0.3908 → 0.1967 and clipped share 76% → 98%, means of
    // the first and last 5 of 40 logs (python3).
    const state = fixture('training/chaos-economy-grpo_trainer_state.json');
    const report = await analyzePair(
      { 'README.md': 'x' },
      { 'README.md': 'x', 'outputs/trainer_state.json': state },
    );
    const rl = report.training[0]?.head?.rl;
    expect([rl?.method, rl?.signals.find((s) => s.name === 'reward')?.start]).toEqual([
      'GRPO',
      expect.closeTo(0.390750589966774, 12),
    ]);
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'train-completion-length',
        severity: 'warning',
        title: 'More completions cut at the length limit in outputs/trainer_state.json: 76.0% → 98.0%',
        location: { path: 'outputs/trainer_state.json' },
      },
    ]);
  });
});

describe('a promptfoo results file, end to end', () => {
  it('is read as pass rates, paired test by test: 10 of 20 tests that passed now fail', async () => {
    const real = fixture('metrics/promptfoo_french-greeting_output.json').toString('utf8');
    const withTests = (outcomes: boolean[]): string => {
      const root = JSON.parse(real) as { results: { results: Record<string, unknown>[] } };
      const [result] = root.results.results;
      root.results.results = outcomes.map((success, index) => ({ ...result, vars: { n: index }, success }));
      return JSON.stringify(root, null, 2);
    };
    const passing = Array.from({ length: 20 }, () => true);
    const report = await analyzePair(
      { 'evals/results.json': withTests(passing) },
      { 'evals/results.json': withTests(passing.map((_, index) => index >= 10)) },
    );
    expect(report.metrics.map((m) => [m.path, m.format, m.pairedTasks, m.metrics.map((d) => d.key)])).toEqual(
      [['evals/results.json', 'promptfoo', ['openai:gpt-4o-mini'], ['openai:gpt-4o-mini/pass_rate']]],
    );
    expect(report.findings.map((f) => f.check)).toEqual(['eval-regression']);
  });

  it('is found by its content under any name (promptfoo -o output.json)', async () => {
    const real = fixture('metrics/promptfoo_french-greeting_output.json');
    const report = await analyzePair(
      { 'README.md': 'x' },
      { 'README.md': 'x', 'evals/french/output.json': real },
    );
    expect(report.metrics.map((m) => [m.path, m.format, m.metrics.map((d) => [d.key, d.head])])).toEqual([
      ['evals/french/output.json', 'promptfoo', [['openai:gpt-4o-mini/pass_rate', 0]]],
    ]);
  });
});

describe('a git object missing from the clone', () => {
  it('makes its file unreadable, and the rest of the review still runs', async () => {
    const repo = createTestRepo();
    try {
      const train = '{"text": "a"}\n{"text": "b"}\n';
      repo.commit({ 'data/train.jsonl': train, 'configs/sft.yaml': 'learning_rate: 0.0002\n' }, 'base');
      repo.git('switch', '--quiet', '-c', 'pr');
      repo.commit(
        { 'data/train.jsonl': `${train}{"text": "c"}\n`, 'configs/sft.yaml': 'learning_rate: 0.002\n' },
        'head',
      );
      // As a partial or damaged clone would have it: the head's dataset blob is gone.
      const blob = repo.git('rev-parse', 'pr:data/train.jsonl');
      rmSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      const pair = await openSnapshotPair(await openGitRepository(repo.dir), 'main', 'pr');
      const report = await analyze({
        pair,
        config: parseConfig('', '.github/tuneguard.yml'),
        toolVersion: '0.0.0-test',
      });
      expect(report.unreadable.map((u) => [u.path, u.side])).toEqual([['data/train.jsonl', 'head']]);
      expect(report.findings.map((f) => f.check)).toEqual(
        expect.arrayContaining(['input-unreadable', 'params-risky-change']),
      );
    } finally {
      repo.remove();
    }
  });
});

describe('lm-eval results saved under a task name', () => {
  // The harness's legacy results of LLaMA-7B and LLaMA-13B on gsm8k 8-shot (acc 0.0804 and 0.1357), kept
  // as `<task>.json` in a folder no name rule knows, as saucam/model_evals keeps its runs.
  const llama7b = fixture('metrics/harness-legacy_llama-7B_gsm8k_8-shot.json').toString('utf8');
  const llama13b = fixture('pairs/harness-legacy_llama-13B_gsm8k_8-shot.json').toString('utf8');

  it('are results by their content: a re-run in place is compared', async () => {
    const report = await analyzePair({ 'nous/gsm8k.json': llama7b }, { 'nous/gsm8k.json': llama13b });
    expect(report.metrics.map((m) => [m.path, m.status, m.format])).toEqual([
      ['nous/gsm8k.json', 'modified', 'lm-eval-legacy'],
    ]);
    expect(report.metrics[0]?.metrics.map((m) => [m.key, m.base, m.head])).toEqual([
      ['gsm8k/acc', 0.0803639120545868, 0.13570887035633056],
    ]);
    expect(report.kinds).toEqual([
      {
        path: 'nous/gsm8k.json',
        kind: 'metrics',
        by: 'content',
        reason: "it holds lm-eval results (results of tasks' metrics, with versions, config)",
      },
    ]);
  });

  it('moved, they are the same results: compared across the move, nothing removed', async () => {
    const report = await analyzePair(
      { 'nous/gsm8k.json': llama7b },
      { 'nous/gsm8k.json': null, 'llama-7B/nous/gsm8k.json': llama7b },
    );
    expect(report.metrics.map((m) => [m.path, m.status, m.comparedWith?.path])).toEqual([
      ['llama-7B/nous/gsm8k.json', 'unchanged', 'nous/gsm8k.json'],
    ]);
    expect(report.findings).toEqual([]);
  });
});

describe('JSON Lines under a .json name', () => {
  // JustinBStrong/qlora data/mmlu/zero_shot_mmlu_val.json (its first 40 lines): one MMLU record per line,
  // which Hugging Face `datasets` loads as JSON Lines.
  const mmlu = fixture('datasets/qlora_zero_shot_mmlu_val.head40.json').toString('utf8');

  it('is read as JSON Lines, record by record', async () => {
    const first30 = `${mmlu.split('\n').slice(0, 30).join('\n')}\n`;
    const report = await analyzePair(
      { 'data/mmlu/zero_shot_mmlu_val.json': mmlu },
      { 'data/mmlu/zero_shot_mmlu_val.json': first30 },
    );
    expect(report.unreadable).toEqual([]);
    expect(
      report.datasets.map((d) => [
        d.path,
        d.split,
        d.base?.format,
        d.base?.rows,
        d.head?.rows,
        d.head?.recordShape,
      ]),
    ).toEqual([['data/mmlu/zero_shot_mmlu_val.json', 'validation', 'jsonl', 40, 30, 'input,output,subject']]);
  });
});

describe("a dataset card's declared splits", () => {
  // A Hugging Face dataset card declares which file is which split; here the names say nothing (part-a,
  // part-b), the card says train and test. The rows are mlx-examples' WikiSQL train and test splits.
  const card = [
    '---',
    'license: mit',
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    '    path: data/part-a.jsonl',
    '  - split: test',
    '    path: data/part-b.jsonl',
    '---',
    '# WikiSQL',
    '',
  ].join('\n');
  const train = fixture('datasets/mlx_wikisql_train.base.jsonl');
  const test = fixture('datasets/mlx_wikisql_test.jsonl');

  it('win over what the names would say', async () => {
    const files = { 'data/part-a.jsonl': train, 'data/part-b.jsonl': test };
    const report = await analyzePair({ 'README.md': card }, { 'README.md': card, ...files });
    expect(report.datasets.map((d) => [d.path, d.split, d.head?.rows])).toEqual([
      ['data/part-a.jsonl', 'train', 1000],
      ['data/part-b.jsonl', 'test', 100],
    ]);
    expect(report.kinds?.map((k) => [k.path, k.split, k.by, k.reason])).toEqual([
      ['data/part-a.jsonl', 'train', 'dataset-card', 'README.md declares it split train (config default)'],
      ['data/part-b.jsonl', 'test', 'dataset-card', 'README.md declares it split test (config default)'],
    ]);
    // Without the card, both files are train splits by their names.
    const unnamed = await analyzePair(
      { 'README.md': '# WikiSQL\n' },
      { 'README.md': '# WikiSQL\n', ...files },
    );
    expect(unnamed.datasets.map((d) => [d.path, d.split])).toEqual([
      ['data/part-a.jsonl', 'train'],
      ['data/part-b.jsonl', 'train'],
    ]);
  });
});
