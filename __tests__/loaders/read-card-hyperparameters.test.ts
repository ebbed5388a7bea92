import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { readCardHyperparameters } from '../../src/loaders/read-card-hyperparameters.js';
import { readModelCard } from '../../src/loaders/read-model-card.js';

const card = (name: string): string =>
  readFileSync(new URL(`../fixtures/cards/${name}`, import.meta.url), 'utf8');

describe('readCardHyperparameters', () => {
  it("reads a Trainer card's list as the card writes it, with each key's line", () => {
    // whisper-small-hi.README.md lines 56–64, under "### Training hyperparameters" (line 53).
    const list = readCardHyperparameters(card('whisper-small-hi.README.md'));
    expect(list?.format).toBe('model-card');
    expect([...(list?.values ?? [])]).toEqual([
      ['learning_rate', 1e-5],
      ['train_batch_size', 16],
      ['eval_batch_size', 16],
      ['seed', 42],
      ['optimizer', 'Adam with betas=(0.9,0.999) and epsilon=1e-08'],
      ['lr_scheduler_type', 'linear'],
      ['lr_scheduler_warmup_steps', 500],
      ['training_steps', 5000],
      ['mixed_precision_training', 'Native AMP'],
    ]);
    expect([...(list?.lines ?? [])]).toEqual([
      ['learning_rate', 56],
      ['train_batch_size', 57],
      ['eval_batch_size', 58],
      ['seed', 59],
      ['optimizer', 60],
      ['lr_scheduler_type', 61],
      ['lr_scheduler_warmup_steps', 62],
      ['training_steps', 63],
      ['mixed_precision_training', 64],
    ]);
  });

  it('stops at the next heading: the framework versions are no hyperparameters', () => {
    // project_calm.full.README.before.md: the list at lines 37–47, "### Framework versions" at 49.
    const list = readCardHyperparameters(card('project_calm.full.README.before.md'));
    expect([...(list?.values.keys() ?? [])]).toEqual([
      'learning_rate',
      'train_batch_size',
      'eval_batch_size',
      'seed',
      'distributed_type',
      'num_devices',
      'total_train_batch_size',
      'total_eval_batch_size',
      'optimizer',
      'lr_scheduler_type',
      'num_epochs',
    ]);
    expect(list?.values.get('num_epochs')).toBe(3);
    expect(list?.lines.get('num_epochs')).toBe(47);
  });

  it.each([
    ['no such heading', '# Model\n\n- learning_rate: 5e-05\n'],
    ['a heading without a list', '### Training hyperparameters\n\nMore information needed\n'],
    ['a list inside a code block', '### Training hyperparameters\n\n```\n- learning_rate: 5e-05\n```\n'],
    ['an empty card', ''],
  ])('gives undefined for %s', (_name, text) => {
    expect(readCardHyperparameters(text)).toBeUndefined();
  });
});

describe("readModelCard beside the card's hyperparameters", () => {
  it('does not read the list of settings as numbers the card states about its results', () => {
    // The project_calm card states no result: its model-index is `results: []`, and its only
    // `- name: number` lines are its hyperparameters (lines 38–47).
    expect(readModelCard(card('project_calm.full.README.after.md'))).toEqual([]);
    // whisper-small-hi: only the results lines 36–37 and the model-index value at line 25.
    expect(readModelCard(card('whisper-small-hi.README.md')).map((v) => [v.label, v.line])).toEqual([
      ['wer', 25],
      ['Loss', 36],
      ['Wer', 37],
    ]);
  });
});
