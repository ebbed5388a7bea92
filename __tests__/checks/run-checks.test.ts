import { beforeAll, describe, expect, it } from '@jest/globals';
import { CHECK_CATALOGUE } from '../../src/checks/check-catalogue.js';
import type { CheckContext } from '../../src/checks/check-context.js';
import { checkInputs } from '../../src/checks/check-inputs.js';
import { createFinding, isCheckOff } from '../../src/checks/create-finding.js';
import { runChecks } from '../../src/checks/run-checks.js';
import { configSeveritySchema } from '../../src/config/schema.js';
import type { Finding } from '../../src/model/report-schema.js';
import {
  configOf,
  contextOf,
  datasetEntry,
  fixtureText,
  metricsEntry,
  paramsEntry,
  trainingEntry,
} from './helpers/build-context.js';

/*
 * One context built from real files (fixtures/*, see their SOURCES.md) in which every check of the
 * catalogue has something to find: it proves each check id is wired into runChecks, with its default
 * severity, and that findings come out failures first.
 */

const text = fixtureText;
const TRAIN = text('datasets/mlx_wikisql_train.base.jsonl');
const VALID = text('datasets/mlx_wikisql_valid.jsonl');
const IDENTITY = text('pairs/llamafactory_identity.base.json');
const IDENTITY_7077 = text('pairs/llamafactory_identity.pr7077.json');
// A labelled set: 200 rows, half positive on base; on head 180 positive and one input given both labels.
const labelled = (labels: string[]): string =>
  `text,label\n${labels.map((label, i) => `"review number ${i} of the product",${label}`).join('\n')}\n`;
const CLASSES_BASE = labelled(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'positive' : 'negative')));
const CLASSES_HEAD = `${labelled(Array.from({ length: 200 }, (_, i) => (i < 180 ? 'positive' : 'negative')))}"review number 0 of the product",negative\n`;
const TEST = text('datasets/mlx_wikisql_test.jsonl');
/** The first `count` rows of a {text} JSONL file again, each with " Thanks!" appended. */
const thanks = (jsonl: string, count: number): string =>
  jsonl
    .split('\n')
    .slice(0, count)
    .map((line) => `${JSON.stringify({ text: `${(JSON.parse(line) as { text: string }).text} Thanks!` })}\n`)
    .join('');
const LFS_POINTER =
  'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
const LORA = text('params/llama3-lora-1b.before.yml');
const PLAIN_HF = text('params/zephyr-7b-beta_sft_config_full.before-pr182.yaml').replace(
  'dataset_mixer:\n  HuggingFaceH4/ultrachat_200k: 1.0\n',
  '#\n#\n',
);
const GOOD = text('metrics/v047_rwkv7-1.5b_lambada_run-good.json');
const QWEN = text('metrics/v047_qwen2.5-1.5b_results.json');
const GSM8K = text('metrics/harness-legacy_llama-7B_gsm8k_8-shot.json');

async function everythingWrong(yaml = ''): Promise<CheckContext> {
  // Real-world metrics that no results file reports.
  const config = configOf(`real-world: { metrics: ["support_tickets/*"] }\n${yaml}`);
  const trainLines = TRAIN.split('\n');
  return contextOf({
    config,
    datasets: await Promise.all([
      datasetEntry('data/dummy.json', 'train', {
        base: text('datasets/fastchat_dummy_conversation.before-pr2498.json'),
        head: text('pairs/fastchat_dummy_conversation.after-pr2498.json'),
      }),
      // A duplicate of line 1 and a copy of validation line 3 appended to train.
      datasetEntry('data/train.jsonl', 'train', {
        base: TRAIN,
        head: `${TRAIN}${trainLines[0]}\n${VALID.split('\n')[2]}\n`,
      }),
      datasetEntry('data/valid.jsonl', 'validation', { base: VALID, head: VALID }),
      datasetEntry('data/identity.json', 'train', {
        base: IDENTITY,
        head: IDENTITY.replace(/\]\s*$/, ',{"instruction":"Who?","input":""}]'),
      }),
      // {{author}} replaced in 59 of its 60 rows: the one left reaches training as text.
      datasetEntry('data/identity_7077.json', 'train', { base: IDENTITY, head: IDENTITY_7077 }),
      datasetEntry('data/classes.csv', 'train', { base: CLASSES_BASE, head: CLASSES_HEAD }),
      // 60 eval rows cut to 2, below the 50 of a held-out split.
      datasetEntry('data/tiny_eval.jsonl', 'eval', {
        base: `${VALID.split('\n').slice(0, 60).join('\n')}\n`,
        head: `${VALID.split('\n').slice(0, 2).join('\n')}\n`,
      }),
      // The WikiSQL test split and its first 15 rows again with " Thanks!": 15 near-duplicates of 115 rows.
      datasetEntry('data/near_test.jsonl', 'test', { base: TEST, head: `${TEST}${thanks(TEST, 15)}` }),
      datasetEntry('data/big.jsonl', 'train', { base: `${trainLines[0]}\n`, head: LFS_POINTER }),
    ]),
    // Learning rate ×10, and a max sequence length of 16 tokens that most rows exceed.
    params: [
      paramsEntry('configs/lora.yml', {
        base: LORA,
        head: LORA.replace('0.0002', '0.002').replace('sequence_len: 2048', 'sequence_len: 16'),
      }),
      // A plain TrainingArguments file (the zephyr SFT recipe without its dataset_mixer lines) whose
      // learning rate is rewritten as 2e-05, a string to PyYAML.
      paramsEntry('configs/sft.yaml', { base: PLAIN_HF, head: PLAIN_HF.replace('2.0e-05', '2e-05') }),
    ],
    metrics: [
      metricsEntry(
        'results/lambada.json',
        { base: GOOD, head: text('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json') },
        config,
      ),
      metricsEntry('results/old.json', { base: GOOD }, config),
      metricsEntry('results/gsm8k.json', { base: GSM8K, head: GSM8K }, config),
      // The same gsm8k results re-run 5-shot instead of 8-shot: not comparable.
      metricsEntry(
        'results/gsm8k-5shot.json',
        { base: GSM8K, head: GSM8K.replace('"num_fewshot": 8', '"num_fewshot": 5') },
        config,
      ),
      // mmlu_stem (acc 0.5258, stderr 0.0086, in results and groups) falls to 0.40 while mmlu holds.
      metricsEntry(
        'results/mmlu.json',
        { base: QWEN, head: QWEN.replaceAll('0.525848398350777', '0.40') },
        config,
      ),
      // Results written by CI on head only, with no earlier run's report to compare them with.
      metricsEntry('results/ci.json', { head: GOOD }, config),
    ],
    baseline: { missing: 'no report artifact of a run on main for the last 50 commits' },
    training: [
      trainingEntry('outputs/overfit/trainer_state.json', {
        head: text('training/multi-evalset-overfit_trainer_state.json'),
      }),
      trainingEntry('outputs/diverged/trainer_state.json', {
        head: text('training/qlora-diverging_trainer_state.json'),
      }),
      // A GRPO run whose reward rises while everything else goes wrong (the five RL run-health checks).
      trainingEntry('outputs/grpo/trainer_state.json', {
        head: text('training/hand-made_grpo-collapse_trainer_state.json'),
      }),
    ],
    unreadable: [{ path: 'configs/broken.yaml', side: 'head', line: 3, reason: 'invalid YAML' }],
    // A params path in the config that names no file (config-unmatched).
    unmatchedConfigPaths: [
      {
        key: 'params',
        glob: 'configs/lroa.yml',
        location: { path: '.github/tuneguard.yml', line: 2, side: 'base' },
      },
    ],
    // The t5 card's ROUGE-2 against its results (fixtures/cards): eval-card-mismatch.
    modelCards: [
      {
        folder: '.',
        base: [],
        head: [
          {
            card: 'README.md',
            stated: { label: 'ROUGE-2', value: 13.62, decimals: 2, line: 13, from: 'list' },
            results: 'all_results.json',
            key: 'eval_rouge2',
            actual: 19.1949,
          },
        ],
      },
    ],
    // Two datasets past the review's budget (input-not-analysed).
    overBudget: { files: 2, bytes: 3 * 2 ** 20, paths: ['data/extra_a.jsonl', 'data/extra_b.jsonl'] },
    // configs/lora.yml trains on every dataset, so each is judged against its max sequence length.
    lineage: new Map(
      [
        'dummy.json',
        'train.jsonl',
        'valid.jsonl',
        'identity.json',
        'identity_7077.json',
        'classes.csv',
        'tiny_eval.jsonl',
        'near_test.jsonl',
        'big.jsonl',
      ].map((name) => [`data/${name}`, ['configs/lora.yml']]),
    ),
  });
}

/** The minor cases of `everythingWrong`: notices whatever their check's severity. */
const MINOR = [
  ['data-near-duplicates', 'notice'],
  ['data-near-duplicates', 'notice'],
];

describe('runChecks over a context where every check has something to find', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = runChecks(await everythingWrong());
  });

  it('runs every check of the catalogue, each at its default severity but for its minor cases', () => {
    const atDefault = findings.filter(
      (f) => f.severity === CHECK_CATALOGUE[f.check as keyof typeof CHECK_CATALOGUE].severity,
    );
    expect([...new Set(atDefault.map((f) => f.check))].sort()).toEqual(Object.keys(CHECK_CATALOGUE).sort());
    // Near-duplicates under a tenth of the rows (FastChat's 31 of 500, one of the 201 labelled rows).
    expect(findings.filter((f) => !atDefault.includes(f)).map((f) => [f.check, f.severity])).toEqual(MINOR);
  });

  it('orders failures, then warnings, then notices, keeping the order of the families within each', () => {
    const rank = { failure: 0, warning: 1, notice: 2 };
    const ranks = findings.map((f) => rank[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(findings.filter((f) => f.severity === 'failure').map((f) => f.check)).toEqual([
      'data-leakage',
      'train-divergence',
      'eval-regression',
      'eval-regression',
      // mmlu_stem itself, beyond its noise (z = -10.3 over stderr 0.0086 on both sides).
      'eval-regression',
    ]);
    expect(findings.filter((f) => f.severity === 'warning').map((f) => f.check)).toEqual([
      'input-unreadable',
      'input-not-analysed',
      'data-shrink',
      'data-duplicates',
      'data-missing-values',
      'data-format',
      'data-shrink',
      // The data-quality family: a dataset at a time, then the next.
      'data-truncation',
      'data-truncation',
      'data-truncation',
      'data-truncation',
      'data-placeholder-outputs',
      'data-truncation',
      'data-conflicting-labels',
      'data-label-shift',
      'data-min-size',
      'data-truncation',
      'data-near-duplicates',
      'data-truncation',
      'params-risky-change',
      'params-risky-change',
      'params-text-number',
      'params-stale-eval',
      'train-overfitting-gap',
      'train-eval-loss-rising',
      'train-reward-hacking',
      'train-entropy-collapse',
      'train-completion-length',
      'train-reward-zero-variance',
      'train-kl-spike',
      'eval-real-world-missing',
      'eval-metric-removed',
      'eval-incomparable',
      'eval-slice-regression',
      'eval-card-mismatch',
    ]);
  });

  it('says only that an LFS pointer was not fetched: no shrink or format finding for its zero rows', () => {
    expect(
      findings.filter((f) => f.location?.path === 'data/big.jsonl').map((f) => [f.check, f.severity]),
    ).toEqual([['data-lfs-pointer', 'notice']]);
  });

  it('turns every check off with severity off, and every check into a failure with severity failure', async () => {
    const ids = Object.keys(CHECK_CATALOGUE);
    const all = (severity: string) =>
      `checks:\n${ids.map((id) => `  ${id}: { severity: ${severity} }`).join('\n')}\n`;
    expect(runChecks(await everythingWrong(all('off')))).toEqual([]);
    const failures = runChecks(await everythingWrong(all('failure')));
    // Minor cases stay notices whatever the check's severity.
    expect(failures.filter((f) => f.severity !== 'failure').map((f) => [f.check, f.severity])).toEqual(MINOR);
    expect(new Set(failures.filter((f) => f.severity === 'failure').map((f) => f.check)).size).toBe(
      ids.length,
    );
  });
});

describe('input-unreadable', () => {
  it('a head-side problem warns, a base-side one is a notice, with path, side and line', () => {
    const context = contextOf({
      unreadable: [
        { path: 'configs/sft.yaml', side: 'head', line: 14, reason: 'invalid YAML: bad indentation' },
        { path: 'results/old.json', side: 'base', reason: 'the file is not valid UTF-8 text' },
      ],
      changedFiles: new Set(['configs/sft.yaml', 'results/old.json']),
    });
    expect(checkInputs(context)).toEqual([
      {
        check: 'input-unreadable',
        severity: 'warning',
        title: 'Could not read configs/sft.yaml at line 14 (head): invalid YAML: bad indentation',
        details: [],
        location: { path: 'configs/sft.yaml', side: 'head', line: 14 },
      },
      {
        check: 'input-unreadable',
        severity: 'notice',
        title: 'Could not read results/old.json (base): the file is not valid UTF-8 text',
        details: [],
        location: { path: 'results/old.json', side: 'base' },
      },
    ]);
  });

  it('collapses the problems of files the pull request did not touch into one notice', () => {
    const context = contextOf({
      unreadable: [
        { path: 'configs/b.yaml', side: 'base', line: 3, reason: 'invalid YAML: bad indentation' },
        {
          path: 'configs/a.yaml',
          side: 'base',
          reason: 'expected a mapping of hyperparameters at the top level',
        },
        { path: 'configs/b.yaml', side: 'base', line: 9, reason: 'invalid YAML: duplicate key' },
        { path: 'configs/new.yaml', side: 'head', reason: 'invalid YAML: tab indentation' },
      ],
      changedFiles: new Set(['configs/new.yaml']),
    });
    expect(checkInputs(context)).toEqual([
      {
        check: 'input-unreadable',
        severity: 'warning',
        title: 'Could not read configs/new.yaml (head): invalid YAML: tab indentation',
        details: [],
        location: { path: 'configs/new.yaml', side: 'head' },
      },
      {
        check: 'input-unreadable',
        severity: 'notice',
        title: '2 files the pull request did not touch could not be read (not its doing)',
        details: [
          'configs/b.yaml line 3: invalid YAML: bad indentation',
          'configs/a.yaml: expected a mapping of hyperparameters at the top level',
          'configs/b.yaml line 9: invalid YAML: duplicate key',
        ],
      },
    ]);
  });

  it('follows the configured severity for the head side, and can be turned off', () => {
    const unreadable = [{ path: 'a.yaml', side: 'head' as const, reason: 'x' }];
    const failing = configOf('checks:\n  input-unreadable: { severity: failure }\n');
    expect(checkInputs(contextOf({ config: failing, unreadable })).map((f) => f.severity)).toEqual([
      'failure',
    ]);
    const off = configOf('checks:\n  input-unreadable: { severity: off }\n');
    expect(checkInputs(contextOf({ config: off, unreadable }))).toEqual([]);
  });
});

describe('createFinding and the number formats of titles', () => {
  it.each(configSeveritySchema.options)('severity %s from the config', (severity) => {
    const config = configOf(`checks:\n  data-shrink: { severity: ${severity} }\n`);
    const finding = createFinding('data-shrink', config, { title: 't' });
    expect(finding).toEqual(
      severity === 'off' ? undefined : { check: 'data-shrink', severity, title: 't', details: [] },
    );
    expect(isCheckOff('data-shrink', config)).toBe(severity === 'off');
  });

  it('uses the catalogue default when the config says nothing, and keeps given details', () => {
    expect(createFinding('data-leakage', configOf(), { title: 't', details: ['d'] })).toEqual({
      check: 'data-leakage',
      severity: 'failure',
      title: 't',
      details: ['d'],
    });
  });
});

describe('input-not-analysed', () => {
  const base = {
    datasets: [],
    params: [],
    metrics: [],
    training: [],
    unreadable: [],
    changedFiles: new Set<string>(),
    lineage: new Map(),
  };
  const paths = Array.from({ length: 12 }, (_, i) => `data/part${String(i).padStart(2, '0')}_train.jsonl`);

  it.each([
    [2 ** 20 - 1, '1,024 KiB'],
    [2 ** 20, '1 MiB'],
    [5 * 2 ** 30 + 1, '5,121 MiB'],
    [900, '900 bytes'],
  ])('says how many files and bytes (%p bytes: %p) it left out, and names the first ten', (bytes, size) => {
    const config = configOf('budget: { max-files: 100, max-gb: 5 }\n');
    const findings = runChecks({ ...base, config, overBudget: { files: 12, bytes, paths } });
    expect(findings.map((f) => [f.check, f.severity, f.title, f.details])).toEqual([
      [
        'input-not-analysed',
        'warning',
        `12 files (${size}) not analysed: past the review budget of 100 files and 5 GiB`,
        [...paths.slice(0, 10), 'and 2 more files', expect.stringContaining('`budget.max-files`')],
      ],
    ]);
  });
});
