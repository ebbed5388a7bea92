import { describe, expect, it } from '@jest/globals';
import { findFirstKeys, sniffKeys } from '../../src/sources/sniff-artifacts.js';

describe('findFirstKeys', () => {
  it.each([
    ['log.csv', 'step,epoch,loss\n10,0.1,2.5\n', ['step', 'epoch', 'loss']],
    ['log.tsv', 'step\tloss\n1\t2\n', ['step', 'loss']],
    ['a.jsonl', '\n{"prompt": "p", "completion": "c"}\n{"x": 1}', ['prompt', 'completion']],
    [
      'a.json',
      '[\n  {"instruction": "i", "input": "", "output": {"nested": 1}},\n  {"other": 2}\n]',
      ['instruction', 'input', 'output'],
    ],
    // A prefix cut inside the first record still names the keys read so far.
    ['a.json', '[{"messages": [{"role": "user", "content": "hi"}], "id": 3, "tex', ['messages', 'id', 'tex']],
    ['a.json', '{"results": {"arc": {"acc": 0.5}}}', undefined],
    ['a.jsonl', 'version https://git-lfs.github.com/spec/v1\n', undefined],
    ['a.parquet', 'PAR1', undefined],
  ])('%s: %p', (path, prefix, keys) => {
    expect(findFirstKeys(prefix, path)).toEqual(keys);
  });
});

describe('sniffKeys', () => {
  it.each([
    [['step', 'epoch', 'loss', 'eval_loss', 'learning_rate'], 'training-log'],
    [['epoch', 'step', 'train_loss', 'val_loss'], 'training-log'],
    // PyTorch Lightning with on_step and on_epoch, without validation; NeMo's averaged loss.
    [['epoch', 'step', 'train_loss_epoch', 'train_loss_step'], 'training-log'],
    [['epoch', 'global_step', 'lr', 'reduced_train_loss', 'step'], 'training-log'],
    [['doc_id', 'prompt', 'prediction', 'gold'], 'eval-output'],
    [['question_id', 'answer_id', 'model_id', 'choices', 'tstamp'], 'eval-output'],
    // FastChat's GPT-4 review files and LLM-judge prompts.
    [
      ['review_id', 'question_id', 'answer1_id', 'answer2_id', 'reviewer_id', 'metadata', 'text', 'score'],
      'eval-output',
    ],
    [
      ['name', 'type', 'system_prompt', 'prompt_template', 'description', 'category', 'output_format'],
      'eval-output',
    ],
    [['instruction', 'input', 'output'], 'dataset'],
    [['conversations'], 'dataset'],
    [['text', 'loss', 'step'], 'dataset'],
    [['id', 'value'], undefined],
  ])('%p → %p', (keys, kind) => {
    expect(sniffKeys(keys)).toBe(kind);
  });
});
