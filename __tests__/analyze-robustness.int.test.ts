import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Report } from '../src/model/report-schema.js';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * One pull request that breaks files in every way a user can, on top of real files (fixtures/*). The
 * broken variants are made here, in code, from the real files (truncated, a line inserted, a byte
 * changed), so the fixtures stay byte-for-byte copies. Each problem must become a finding with its file
 * (and its line where the file has one), the verdict must still come out, and the good change in the same
 * pull request (a learning rate ×10) must still be found.
 */

const text = (path: string): string => fixture(path).toString('utf8');
const firstLines = (path: string, count: number): string =>
  `${text(path).split('\n').slice(0, count).join('\n')}\n`;

/** The Axolotl lora-1b example with its learning rate (line 44) ×10. */
const loraLrTimesTen = text('params/llama3-lora-1b.before.yml').replace(
  'learning_rate: 0.0002\n',
  'learning_rate: 0.002\n',
);
/** Line 14 of the Mistral QLoRA example made into invalid YAML (a mapping inside a compact mapping). */
const brokenYaml = text('params/mistral-qlora.after.yml').replace(
  'val_set_size: 0.1\n',
  'val_set_size: 0.1: oops\n',
);
/** WikiSQL train (PR #632) with a line that is not JSON inserted as line 5. */
const trainWithBadLine = (() => {
  const lines = text('pairs/mlx_wikisql_train.pr632.jsonl').split('\n');
  lines.splice(4, 0, '{"text": "an unterminated row');
  return lines.join('\n');
})();
/** "café" in Latin-1 on line 2: the byte 0xE9 is not UTF-8. */
const latin1Row = Buffer.concat([
  Buffer.from('{"text": "plain row"}\n{"text": "caf'),
  Buffer.from([0xe9]),
  Buffer.from('"}\n'),
]);
const latin1Yaml = Buffer.concat([Buffer.from('base_model: x\nnote: caf'), Buffer.from([0xe9, 0x0a])]);

describe('analyze on a pull request full of broken files', () => {
  let report: Report;

  beforeAll(async () => {
    report = await analyzePair(
      {
        'configs/lora-1b.yml': fixture('params/llama3-lora-1b.before.yml'),
        'configs/qlora.yml': fixture('params/mistral-qlora.before.yml'),
        'results/lambada_openai.json': fixture('metrics/v047_rwkv7-1.5b_lambada_run-good.json'),
        'results/gsm8k_8-shot.json': fixture('metrics/harness-legacy_llama-7B_gsm8k_8-shot.json'),
        'outputs/trainer_state.json': fixture('training/tinyllama-chat-dpo_trainer_state.json'),
        'data/train.jsonl': fixture('datasets/mlx_wikisql_train.base.jsonl'),
        'data/valid.jsonl': fixture('datasets/mlx_wikisql_valid.jsonl'),
        'data/old_train.jsonl': fixture('pairs/mlx_wikisql_test.jsonl'),
      },
      {
        'configs/lora-1b.yml': loraLrTimesTen,
        'configs/qlora.yml': brokenYaml,
        'configs/latin1.yaml': latin1Yaml,
        // Cut after line 10 (`},` closing `results`): the JSON ends where a property name is expected.
        'results/lambada_openai.json': firstLines('metrics/v047_rwkv7-1.5b_lambada_run-good.json', 10),
        // Cut after line 40, inside `log_history`.
        'outputs/trainer_state.json': firstLines('training/tinyllama-chat-dpo_trainer_state.json', 40),
        'data/train.jsonl': trainWithBadLine,
        'data/valid.jsonl': '',
        'data/old_train.jsonl': null,
        'data/extra_train.jsonl': latin1Row,
        'data/notes.jsonl': '',
        'data/new_eval.json': fixture('datasets/axolotl_fixture_alpaca_alpaca.json'),
      },
    );
  });

  it('turns every problem into a finding with its file and line, and still finds the real change', () => {
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'input-unreadable',
        severity: 'warning',
        title: 'Could not read configs/latin1.yaml at line 2 (head): the file is not valid UTF-8 text',
        location: { path: 'configs/latin1.yaml', side: 'head', line: 2 },
      },
      {
        check: 'input-unreadable',
        severity: 'warning',
        // The YAML library's message goes on with its own position, which the params loader keeps.
        title: expect.stringMatching(
          /^Could not read configs\/qlora\.yml at line 14 \(head\): invalid YAML: Nested mappings are not allowed in compact mappings/,
        ),
        location: { path: 'configs/qlora.yml', side: 'head', line: 14 },
      },
      {
        check: 'input-unreadable',
        severity: 'warning',
        title:
          'Could not read results/lambada_openai.json at line 11 (head): invalid JSON: PropertyNameExpected',
        location: { path: 'results/lambada_openai.json', side: 'head', line: 11 },
      },
      {
        check: 'input-unreadable',
        severity: 'warning',
        title:
          'Could not read outputs/trainer_state.json at line 41 (head): invalid JSON at line 41, column 1: invalid end of input',
        location: { path: 'outputs/trainer_state.json', side: 'head', line: 41 },
      },
      {
        check: 'data-format',
        severity: 'warning',
        title: '1 malformed row in data/extra_train.jsonl (was 0)',
        location: { path: 'data/extra_train.jsonl', line: 2 },
      },
      {
        check: 'data-format',
        severity: 'warning',
        title: 'The new train dataset data/notes.jsonl holds no record',
        location: { path: 'data/notes.jsonl' },
      },
      {
        check: 'data-format',
        severity: 'warning',
        title: '1 malformed row in data/train.jsonl (was 0)',
        location: { path: 'data/train.jsonl', line: 5 },
      },
      {
        check: 'data-shrink',
        severity: 'warning',
        title: 'The validation split data/valid.jsonl shrank by 100.0%: 100 → 0 rows',
        location: { path: 'data/valid.jsonl' },
      },
      // The new files are far below a sane size for their splits (100 train rows, 50 eval rows), but no
      // config trains on them: demo or scratch files, nothing to blame on the change.
      {
        check: 'params-risky-change',
        severity: 'warning',
        title: 'Learning rate went ×10: 0.0002 → 0.002 in configs/lora-1b.yml',
        location: { path: 'configs/lora-1b.yml', line: 44 },
      },
      {
        check: 'params-stale-eval',
        severity: 'warning',
        // configs/lora-1b.yml trains on a hub dataset: the data files are no cause of these results.
        title: 'results/gsm8k_8-shot.json not re-run though hyperparameters changed',
        location: { path: 'results/gsm8k_8-shot.json' },
      },
      // No config trains on the deleted file: a deliberate deletion, a notice.
      {
        check: 'data-shrink',
        severity: 'notice',
        title: 'The train dataset data/old_train.jsonl was deleted (100 rows)',
        location: { path: 'data/old_train.jsonl', side: 'base' },
      },
      {
        check: 'params-changed',
        severity: 'notice',
        title: 'Hyperparameters in configs/lora-1b.yml: 1 changed',
        location: { path: 'configs/lora-1b.yml', line: 44 },
      },
    ]);
    expect(report.verdict).toBe('warning');
    expect(report.counts).toEqual({ failure: 0, warning: 10, notice: 2 });
  });

  it('gives the reason of each malformed row', () => {
    const details = (path: string) => report.findings.find((f) => f.location?.path === path)?.details;
    expect(details('data/extra_train.jsonl')).toEqual(['line 2: not valid UTF-8']);
    expect(details('data/train.jsonl')?.[0]).toMatch(/^line 5: invalid JSON/);
  });

  it('lists every unreadable file in the report, and never diffs a file whose head could not be read', () => {
    expect(report.unreadable.map((u) => [u.path, u.side, u.line])).toEqual([
      ['configs/latin1.yaml', 'head', 2],
      ['configs/qlora.yml', 'head', 14],
      ['results/lambada_openai.json', 'head', 11],
      ['outputs/trainer_state.json', 'head', 41],
    ]);
    // A broken head is not "every key removed" nor "every metric removed".
    expect(report.params.map((p) => p.path)).toEqual(['configs/lora-1b.yml']);
    expect(report.metrics.map((m) => m.path)).toEqual(['results/gsm8k_8-shot.json']);
    expect(report.findings.some((f) => f.check === 'eval-metric-removed')).toBe(false);
    expect(report.training).toEqual([]);
  });

  it('still profiles every dataset on the sides where it exists', () => {
    expect(
      report.datasets.map((d) => [
        d.path,
        d.split,
        d.status,
        d.base?.rows,
        d.head?.rows,
        d.head?.malformedRows,
      ]),
    ).toEqual([
      ['data/extra_train.jsonl', 'train', 'added', undefined, 1, 1],
      ['data/new_eval.json', 'eval', 'added', undefined, 2, 0],
      ['data/notes.jsonl', 'train', 'added', undefined, 0, 0],
      ['data/old_train.jsonl', 'train', 'removed', 100, undefined, undefined],
      ['data/train.jsonl', 'train', 'modified', 1000, 1000, 1],
      ['data/valid.jsonl', 'validation', 'modified', 100, 0, 0],
    ]);
  });
});

describe('analyze on partly unreadable files', () => {
  it('reports the unreadable part with its line and still analyses the rest of the file', async () => {
    const results = fixture('metrics/v047_rwkv7-1.5b_lambada_run-good.json');
    const log = fixture('training/tinyllama-chat-dpo_trainer_state.json');
    const report = await analyzePair(
      { 'results/lambada_openai.json': results, 'outputs/trainer_state.json': log },
      {
        // Line 5 holds `"perplexity,none": 4.263...`; the log entry of step 2900 starts on line 4519.
        'results/lambada_openai.json': results.toString('utf8').replace('4.263079441956042', '"broken"'),
        'outputs/trainer_state.json': log.toString('utf8').replace('"loss": 0.3322,', '"loss": "oops",'),
      },
    );
    expect(report.unreadable).toEqual([
      {
        path: 'results/lambada_openai.json',
        side: 'head',
        line: 5,
        reason: 'results.lambada_openai."perplexity,none" is the string "broken", not a number',
      },
      {
        path: 'outputs/trainer_state.json',
        side: 'head',
        line: 4519,
        reason: 'log_history entry: loss is not a number: "oops"',
      },
    ]);
    expect(report.findings.map((f) => [f.check, f.severity, f.location?.line])).toEqual([
      ['input-unreadable', 'warning', 5],
      ['input-unreadable', 'warning', 4519],
      ['eval-metric-removed', 'warning', undefined],
    ]);
    // acc is still compared; the log still profiled, its last train loss now the one of step 2890.
    expect(report.metrics[0]?.metrics.map((m) => [m.metric, m.change])).toEqual([
      ['perplexity', 'removed'],
      ['acc', 'unchanged'],
    ]);
    expect(report.training[0]?.head?.finalTrainLoss).toBe(0.3617);
  });
});

describe('analyze on files broken before the pull request', () => {
  it('reports a file broken on base and unchanged once, as a notice: the change did not cause it', async () => {
    const broken = firstLines('metrics/v047_rwkv7-1.5b_lambada_run-good.json', 10);
    const report = await analyzePair(
      { 'results/lambada_openai.json': broken, 'configs/sft.yaml': 'learning_rate: 0.0002\n' },
      { 'configs/sft.yaml': 'learning_rate: 0.0003\n' },
    );
    expect(report.unreadable).toEqual([
      {
        path: 'results/lambada_openai.json',
        side: 'base',
        line: 11,
        reason: 'invalid JSON: PropertyNameExpected',
      },
    ]);
    expect(report.findings.map((f) => [f.check, f.severity])).toEqual([
      ['input-unreadable', 'notice'],
      ['params-changed', 'notice'],
    ]);
    expect(report.verdict).toBe('pass');
  });

  it('compares a file fixed by the pull request as new on head', async () => {
    const report = await analyzePair(
      { 'configs/sft.yaml': 'learning_rate: [0.0002\n' },
      { 'configs/sft.yaml': 'learning_rate: 0.0002\n' },
    );
    expect(report.unreadable.map((u) => [u.path, u.side])).toEqual([['configs/sft.yaml', 'base']]);
    expect(report.params[0]?.changes).toEqual([
      { key: 'learning_rate', kind: 'added', head: 0.0002, line: 1 },
    ]);
    expect(report.findings.map((f) => [f.check, f.severity])).toEqual([
      ['input-unreadable', 'notice'],
      ['params-changed', 'notice'],
    ]);
  });

  it('fails a dataset the pull request leaves with no readable record once, with the reason, not as a shrink', async () => {
    const report = await analyzePair(
      { 'data/identity.json': fixture('pairs/llamafactory_identity.base.json') },
      { 'data/identity.json': text('pairs/llamafactory_identity.base.json').slice(0, 500) },
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'data-format',
        severity: 'failure',
        title: 'No row of data/identity.json can be read: 1 malformed row and none other',
        // The first 500 characters end inside a string on line 18.
        location: { path: 'data/identity.json', line: 18 },
      },
    ]);
    expect(report.findings[0]?.details[0]).toMatch(/^line 18: invalid JSON/);
    expect(report.unreadable).toEqual([]);
  });
});
