import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { readEvalResultsYaml, readModelCard } from '../../src/loaders/read-model-card.js';

const card = (name: string): string =>
  readFileSync(new URL(`../fixtures/cards/${name}`, import.meta.url), 'utf8');

describe('readModelCard', () => {
  it("reads a Trainer card's model-index and its results lines, at their lines and precision", () => {
    // whisper-small-hi.README.md: model-index wer at line 25; "- Loss: 0.4519" and "- Wer: 32.0113" at
    // lines 36 and 37. Its hyperparameter lines hold no plain number but the batch sizes, seed and steps.
    const values = readModelCard(card('whisper-small-hi.README.md'));
    expect(values.filter((v) => /wer|loss/i.test(v.label))).toEqual([
      {
        label: 'wer',
        value: 32.011343435198505,
        decimals: 15,
        line: 25,
        from: 'model-index',
        // Its result's dataset, lines 20–21.
        dataset: { name: 'Common Voice 11.0', type: 'mozilla-foundation/common_voice_11_0' },
      },
      { label: 'Loss', value: 0.4519, decimals: 4, line: 36, from: 'list' },
      { label: 'Wer', value: 32.0113, decimals: 4, line: 37, from: 'list' },
    ]);
  });

  it('reads a hand-written card, and skips numbers in code blocks', () => {
    const values = readModelCard(card('t5-summarization-demo.README.md'));
    expect(values.map((v) => [v.label, v.value, v.line])).toEqual([
      ['Epochs', 3, 9],
      ['Training loss', 1.8, 10],
      ['Eval loss', 1.63, 11],
      ['ROUGE-1', 41.49, 12],
      ['ROUGE-2', 13.62, 13],
      ['ROUGE-L', 29.42, 14],
    ]);
    expect(readModelCard('```python\n- x: 1\n```\n- y: 2.5\n')).toEqual([
      { label: 'y', value: 2.5, decimals: 1, line: 4, from: 'list' },
    ]);
  });

  it('still reads the text of a card whose front matter is not YAML', () => {
    expect(readModelCard('---\nmodel-index: [\n---\n- Accuracy: 0.91\n')).toEqual([
      { label: 'Accuracy', value: 0.91, decimals: 2, line: 4, from: 'list' },
    ]);
  });
});

describe('readEvalResultsYaml', () => {
  it("reads the Hub's .eval_results entries by dataset and task", () => {
    const yaml = [
      '- dataset:',
      '    id: cais/hle',
      '    task_id: default',
      '  value: 20.90',
      '- dataset:',
      '    id: TIGER-Lab/MMLU-Pro',
      '    task_id: math',
      '  value: 61.5',
      '',
    ].join('\n');
    expect(readEvalResultsYaml(yaml)).toEqual([
      {
        label: 'hle',
        value: 20.9,
        decimals: 2,
        line: 4,
        from: 'eval-results',
        dataset: { type: 'cais/hle', config: 'default' },
      },
      {
        label: 'MMLU-Pro math',
        value: 61.5,
        decimals: 1,
        line: 8,
        from: 'eval-results',
        dataset: { type: 'TIGER-Lab/MMLU-Pro', config: 'math' },
      },
    ]);
  });
});
