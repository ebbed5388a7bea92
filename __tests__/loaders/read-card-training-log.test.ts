import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { readCardTrainingLog } from '../../src/loaders/read-card-training-log.js';

const card = (name: string): string =>
  readFileSync(new URL(`../fixtures/cards/${name}`, import.meta.url), 'utf8');

const TABLE_HEAD =
  '### Training results\n\n| Training Loss | Epoch | Step | Validation Loss |\n|:-:|:-:|:-:|:-:|\n';

describe('readCardTrainingLog', () => {
  it("reads a Trainer card's Training results table, row by row (whisper-small-hi.README.md, lines 70–74)", () => {
    const log = readCardTrainingLog(card('whisper-small-hi.README.md'));
    expect(log).toEqual({
      format: 'hf-model-card',
      problems: [],
      entries: [
        { step: 1000, epoch: 2.44, trainLoss: 0.1011, evalLosses: { '': 0.3075 } },
        { step: 2000, epoch: 4.89, trainLoss: 0.0264, evalLosses: { '': 0.3558 } },
        { step: 3000, epoch: 7.33, trainLoss: 0.0025, evalLosses: { '': 0.4214 } },
        { step: 4000, epoch: 9.78, trainLoss: 0.0006, evalLosses: { '': 0.4519 } },
        { step: 5000, epoch: 12.22, trainLoss: 0.0002, evalLosses: { '': 0.4679 } },
      ],
    });
  });

  it('reads "No log" as no training loss, and a loss repeated from the row above as the same logged loss', () => {
    // The translado card: "No log" at steps 100–400, 0.0134 at steps 500–900 (logged once, at step 500
    // with logging_steps 500), 0.0 at step 1000; eval loss from 0.0244 up to 0.0307.
    const log = readCardTrainingLog(card('CS577-NLP.Jyotiyadav_translado_README.md'));
    expect(log?.problems).toEqual([]);
    expect(log?.entries.map((e) => e.step)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(log?.entries.filter((e) => e.trainLoss !== undefined).map((e) => [e.step, e.trainLoss])).toEqual([
      [500, 0.0134],
      [1000, 0],
    ]);
    expect(log?.entries.map((e) => e.evalLosses[''])).toEqual([
      0.0244, 0.0265, 0.0277, 0.0286, 0.0293, 0.0298, 0.0302, 0.0305, 0.0306, 0.0307,
    ]);
  });

  it('reads nan as Python writes it, and makes a row whose loss is no number a problem at its line', () => {
    const log = readCardTrainingLog(
      `# m\n\n${TABLE_HEAD}| 2.1 | 1.0 | 10 | 1.9 |\n| nan | 2.0 | 20 | nan |\n| 1.8 | 3.0 | 30 | n/a |\n| 1.7 | 4.0 | x | 1.6 |\n`,
    );
    expect(log?.entries.map((e) => [e.step, e.trainLoss, e.evalLosses['']])).toEqual([
      [10, 2.1, 1.9],
      [20, Number.NaN, Number.NaN],
    ]);
    expect(log?.problems).toEqual([
      { line: 9, reason: 'Validation Loss is not a number: "n/a"' },
      { line: 10, reason: 'Step is not a number: "x"' },
    ]);
  });

  it.each([
    ['a card without the heading', '# m\n\n| Training Loss | Step |\n|---|---|\n| 1.0 | 10 |\n'],
    ['a heading without a table', '### Training results\n\nSee the logs.\n'],
    ['a table without a step column', '### Training results\n\n| Epoch | Loss |\n|---|---|\n| 1 | 0.5 |\n'],
    ['a table in a code block', `\`\`\`\n${TABLE_HEAD}| 1.0 | 1.0 | 10 | 1.1 |\n\`\`\`\n`],
  ])('gives undefined for %s', (_name, text) => {
    expect(readCardTrainingLog(text)).toBeUndefined();
  });
});
