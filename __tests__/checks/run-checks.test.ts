import { beforeAll, describe, expect, it } from '@jest/globals';
import { CHECK_CATALOGUE } from '../../src/checks/check-catalogue.js';
import type { CheckContext } from '../../src/checks/check-context.js';
import { checkInputs } from '../../src/checks/check-inputs.js';
import { createFinding, formatNumber, formatPercent, isCheckOff } from '../../src/checks/create-finding.js';
import { runChecks } from '../../src/checks/run-checks.js';
import { configSeveritySchema } from '../../src/config/schema.js';
import type { Finding } from '../../src/report/schema.js';
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
const LORA = text('params/llama3-lora-1b.before.yml');
const GOOD = text('metrics/v047_rwkv7-1.5b_lambada_run-good.json');

async function everythingWrong(yaml = ''): Promise<CheckContext> {
  const config = configOf(yaml);
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
    ]),
    params: [paramsEntry('configs/lora.yml', { base: LORA, head: LORA.replace('0.0002', '0.002') })],
    metrics: [
      metricsEntry(
        'results/lambada.json',
        { base: GOOD, head: text('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json') },
        config,
      ),
      metricsEntry('results/old.json', { base: GOOD }, config),
      metricsEntry('results/gsm8k.json', {
        base: text('metrics/harness-legacy_llama-7B_gsm8k_8-shot.json'),
        head: text('metrics/harness-legacy_llama-7B_gsm8k_8-shot.json'),
      }),
    ],
    training: [
      trainingEntry('outputs/overfit/trainer_state.json', {
        head: text('training/multi-evalset-overfit_trainer_state.json'),
      }),
      trainingEntry('outputs/diverged/trainer_state.json', {
        head: text('training/qlora-diverging_trainer_state.json'),
      }),
    ],
    unreadable: [{ path: 'configs/broken.yaml', side: 'head', line: 3, reason: 'invalid YAML' }],
  });
}

describe('runChecks over a context where every check has something to find', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = runChecks(await everythingWrong());
  });

  it('runs every check of the catalogue, each at its default severity', () => {
    const seen = new Map(findings.map((f) => [f.check, f.severity]));
    expect([...seen.keys()].sort()).toEqual(Object.keys(CHECK_CATALOGUE).sort());
    for (const [check, severity] of seen)
      expect(severity).toBe(CHECK_CATALOGUE[check as keyof typeof CHECK_CATALOGUE].severity);
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
    ]);
    expect(findings.filter((f) => f.severity === 'warning').map((f) => f.check)).toEqual([
      'input-unreadable',
      'data-shrink',
      'data-duplicates',
      'data-missing-values',
      'data-format',
      'params-risky-change',
      'params-stale-eval',
      'train-overfitting-gap',
      'train-eval-loss-rising',
      'eval-metric-removed',
    ]);
  });

  it('turns every check off with severity off, and every check into a failure with severity failure', async () => {
    const ids = Object.keys(CHECK_CATALOGUE);
    const all = (severity: string) =>
      `checks:\n${ids.map((id) => `  ${id}: { severity: ${severity} }`).join('\n')}\n`;
    expect(runChecks(await everythingWrong(all('off')))).toEqual([]);
    const failures = runChecks(await everythingWrong(all('failure')));
    expect(new Set(failures.map((f) => f.severity))).toEqual(new Set(['failure']));
    expect(new Set(failures.map((f) => f.check)).size).toBe(ids.length);
  });
});

describe('input-unreadable', () => {
  it('a head-side problem warns, a base-side one is a notice, with path, side and line', () => {
    const context = contextOf({
      unreadable: [
        { path: 'configs/sft.yaml', side: 'head', line: 14, reason: 'invalid YAML: bad indentation' },
        { path: 'results/old.json', side: 'base', reason: 'the file is not valid UTF-8 text' },
      ],
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

  it.each([
    [1000, '1,000'],
    [-410, '-410'],
    [0.41063458179701146, '0.4106'],
    [15.825196740245948, '15.83'],
    [20194.605893659573, '20,195'],
    [0.00002, '2e-5'],
    [0.000123, '0.000123'],
    [2.5e7 + 0.5, '2.5e+7'],
    [0, '0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('formatNumber(%p) is %p', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it.each([
    [0.4505494505494505, '45.1%'],
    [0.05, '5.0%'],
    [0.001, '0.1%'],
    [0.0005, '0.05%'],
    [0.003597, '0.36%'],
    [0, '0.0%'],
    [-0.403, '-40.3%'],
    [-0.001, '-0.1%'],
  ])('formatPercent(%p) is %p', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });
});
