import { describe, expect, it } from '@jest/globals';
import type { Finding, Report } from '../src/model/report-schema.js';
import { analyzePair, fixture } from './checks/helpers/analyze-pair.js';

/*
 * A model card's "Training hyperparameters" list as the run's hyperparameters, in real git
 * repositories (fixtures/cards, SOURCES.md there). The real change: TomRahav/project_calm's commit
 * bdceca02 ("Good results") re-pushed results/cnndm_t5_large/full/ after training on 2 GPUs instead
 * of 4, its card's lines 42–44 going num_devices 4 → 2, total_train_batch_size 32 → 16 and
 * total_eval_batch_size 4 → 2, the learning rate staying 5e-05 (line 37). By hand: the effective batch
 * is the card's total, 8 per device × 2 devices = 16 (was 8 × 4 = 32), halved with the same learning
 * rate, which the default batch-factor-same-lr of 2 flags.
 */

const PATH = 'results/cnndm_t5_large/full/README.md';
const before = fixture('cards/project_calm.full.README.before.md');
const after = fixture('cards/project_calm.full.README.after.md');
const whisper = fixture('cards/whisper-small-hi.README.md').toString('utf8');
const PARAMS_CHECKS = ['params-changed', 'params-risky-change', 'params-stale-eval'];

function paramsFindings(report: Report): Pick<Finding, 'check' | 'title' | 'location' | 'evidence'>[] {
  return report.findings
    .filter((f) => PARAMS_CHECKS.includes(f.check))
    .map(({ check, title, location, evidence }) => ({
      check,
      title,
      ...(location ? { location } : {}),
      ...(evidence ? { evidence } : {}),
    }));
}

describe("a model card's Training hyperparameters as the run's hyperparameters", () => {
  it('reports a real re-training on half the GPUs: the changed lines and the halved effective batch', async () => {
    const report = await analyzePair({ [PATH]: before }, { [PATH]: after });
    const entry = report.params.find((p) => p.path === PATH);
    expect(entry).toMatchObject({ status: 'modified', format: 'model-card', framework: 'hf-trainer-card' });
    expect(entry?.changes).toEqual([
      { key: 'num_devices', kind: 'changed', base: 4, head: 2, canonical: 'num_gpus', line: 42 },
      {
        key: 'total_train_batch_size',
        kind: 'changed',
        base: 32,
        head: 16,
        canonical: 'global_batch_size',
        line: 43,
      },
      { key: 'total_eval_batch_size', kind: 'changed', base: 4, head: 2, line: 44 },
    ]);
    expect(entry?.canonical.head).toMatchObject({
      learning_rate: 5e-5,
      micro_batch_size: 8,
      num_gpus: 2,
      global_batch_size: 16,
      num_epochs: 3,
      lr_scheduler: 'linear',
      seed: 42,
    });
    expect(entry?.derived.base.effectiveBatchSize).toBe(32);
    expect(entry?.derived.head.effectiveBatchSize).toBe(16);
    expect(paramsFindings(report)).toEqual([
      {
        check: 'params-risky-change',
        title: `Effective batch size went ÷2: 32 → 16 in ${PATH}, learning rate unchanged (5e-5)`,
        location: { path: PATH, line: 42 },
        evidence: { base: 32, head: 16 },
      },
      {
        check: 'params-changed',
        title: `Hyperparameters in ${PATH}: 3 changed`,
        location: { path: PATH, line: 42 },
      },
    ]);
  });

  it('flags a learning rate ×10 written in the card, at its line', async () => {
    // Edited from the real whisper-small-hi card: learning_rate 1e-05 (line 56) → 1e-04.
    const edited = whisper.replace('- learning_rate: 1e-05', '- learning_rate: 1e-04');
    expect(edited).not.toBe(whisper);
    const report = await analyzePair({ 'README.md': whisper }, { 'README.md': edited });
    expect(paramsFindings(report).filter((f) => f.check === 'params-risky-change')).toEqual([
      {
        check: 'params-risky-change',
        // formatNumber writes exponents below 0.0001 only.
        title: 'Learning rate went ×10: 1e-5 → 0.0001 in README.md',
        location: { path: 'README.md', line: 56 },
        evidence: { base: 1e-5, head: 1e-4 },
      },
    ]);
  });

  it("does not link a launcher config's GPU count to a card, whose list names its own devices", async () => {
    // whisper-small-hi trained on one device: its card writes train_batch_size 16 and no num_devices.
    const edited = whisper.replace('- learning_rate: 1e-05', '- learning_rate: 1e-04');
    const launcher = { 'accelerate_config.yaml': 'num_processes: 8\n' };
    const card = 'models/whisper/README.md';
    const report = await analyzePair({ [card]: whisper, ...launcher }, { [card]: edited, ...launcher });
    const entry = report.params.find((p) => p.path === card);
    expect(entry?.derived.head.effectiveBatchSize).toBe(16);
  });

  it('blames only the change: a card edited elsewhere, its list the same, gives nothing', async () => {
    const report = await analyzePair(
      { [PATH]: before },
      { [PATH]: `${before.toString('utf8')}\n## Citation\n\nNone.\n` },
    );
    expect(report.params).toEqual([]);
    expect(paramsFindings(report)).toEqual([]);
  });

  it('leaves out a card that brings or drops its list: a new model pushed, a card rewritten by hand', async () => {
    const added = await analyzePair({}, { [PATH]: after });
    expect(added.params).toEqual([]);
    expect(paramsFindings(added)).toEqual([]);
    const rewritten = '---\nlicense: apache-2.0\n---\n\n# full\n\nA T5 summariser.\n';
    const dropped = await analyzePair({ [PATH]: before }, { [PATH]: rewritten });
    expect(dropped.params).toEqual([]);
    const deleted = await analyzePair({ [PATH]: before, 'other.md': 'x\n' }, { 'other.md': 'y\n' });
    expect(deleted.params).toEqual([]);
  });

  it.each([
    ['in its folder', 'outputs/full/training_args.json'],
    ['in the folder above', 'outputs/training_args.json'],
  ])("lets the run's own config %s win over the card's list", async (_where, config) => {
    // Outside `results/`, whose JSON files are read as results.
    const card = 'outputs/full/README.md';
    const args = '{\n  "learning_rate": 5e-05,\n  "per_device_train_batch_size": 8\n}\n';
    const report = await analyzePair({ [card]: before, [config]: args }, { [card]: after, [config]: args });
    expect(report.params.map((p) => p.path)).toEqual([config]);
    expect(paramsFindings(report)).toEqual([]);
  });

  it("reads a config's farther folders' cards, and follows the config's ignore and params lists", async () => {
    const far = { 'configs/training_args.json': '{\n  "learning_rate": 5e-05\n}\n' };
    const read = await analyzePair({ [PATH]: before, ...far }, { [PATH]: after, ...far });
    expect(read.params.map((p) => p.path)).toEqual(['configs/training_args.json', PATH]);
    const ignored = await analyzePair({ [PATH]: before }, { [PATH]: after }, 'ignore: [results/**]\n');
    expect(ignored.params).toEqual([]);
    const listed = await analyzePair({ [PATH]: before }, { [PATH]: after }, 'params: [configs/*.yaml]\n');
    expect(listed.params).toEqual([]);
  });
});
