import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ParseError } from '../../src/model/errors.js';
import { parseTrainingLog, type TrainingLog } from '../../src/loaders/parse-training-log.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/training/${name}`, import.meta.url), 'utf8');

function parseError(text: string, path: string): ParseError {
  try {
    parseTrainingLog(text, path);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected a ParseError for ${path}`);
}

const count = (log: TrainingLog, test: (entry: TrainingLog['entries'][number]) => boolean): number =>
  log.entries.filter(test).length;

describe('parseTrainingLog on real trainer_state.json files', () => {
  // Expected numbers from python3, e.g. for the tinyllama file:
  //   s = json.load(open(f)); h = s['log_history']
  //   len(h); sum('loss' in e for e in h); sum(any(k.startswith('eval_') and k.endswith('_loss') for k in e) for e in h)
  //   s['global_step'], s['max_steps'], s['num_train_epochs'], [e['train_loss'] for e in h if 'train_loss' in e]
  it.each([
    ['tinyllama-chat-dpo', 321, 291, 29, 2907, 2907, 3, 0.45207962556766157],
    ['multi-evalset-overfit', 216, 30, 186, 12030, 12030, 30, undefined],
    ['qlora-diverging', 11, 10, 0, 100, 100, 100, 15.310873765945434],
    ['alpaca-repro', 1219, 1218, 0, 1218, 1218, 3, 0.7484517011834287],
    ['law-llm-lora', 12, 6, 6, 692, 692, 2, undefined],
  ])(
    '%s: %i entries, %i with a training loss, %i with an eval loss',
    (name, entries, trainEntries, evalEntries, globalStep, maxSteps, numEpochs, summaryTrainLoss) => {
      const log = parseTrainingLog(fixture(`${name}_trainer_state.json`), `${name}/trainer_state.json`);
      expect(log.format).toBe('hf-trainer-state');
      expect(log.problems).toEqual([]);
      expect(log.entries).toHaveLength(entries);
      expect(count(log, (entry) => entry.trainLoss !== undefined)).toBe(trainEntries);
      expect(count(log, (entry) => Object.keys(entry.evalLosses).length > 0)).toBe(evalEntries);
      expect(log.globalStep).toBe(globalStep);
      expect(log.maxSteps).toBe(maxSteps);
      expect(log.numEpochs).toBe(numEpochs);
      expect(log.summaryTrainLoss).toBe(summaryTrainLoss);
      // best_metric and best_model_checkpoint are null in all five files.
      expect(log.bestMetric).toBeUndefined();
      expect(log.bestCheckpoint).toBeUndefined();
    },
  );

  it.each([
    // The first log_history entry of each file, read off the file.
    [
      'tinyllama-chat-dpo',
      0,
      { step: 1, epoch: 0, trainLoss: 0.6931, learningRate: 1.7182130584192438e-9, evalLosses: {} },
    ],
    [
      'law-llm-lora',
      0,
      {
        step: 100,
        epoch: 0.2889651435795557,
        trainLoss: 284.8732,
        learningRate: 1.9389788875895672e-5,
        gradNorm: 197.5111541748047,
        evalLosses: {},
      },
    ],
    ['law-llm-lora', 1, { step: 100, epoch: 0.2889651435795557, evalLosses: { '': 15.438684463500977 } }],
    // Entries 0-5 are eval_g0..g5 at step 0, entry 6 the training loss at step 401, entry 9 eval_g2 at 401.
    ['multi-evalset-overfit', 0, { step: 0, epoch: 0, evalLosses: { g0: 5.741583347320557 } }],
    ['multi-evalset-overfit', 9, { step: 401, epoch: 1, evalLosses: { g2: 1.9145123958587646 } }],
    // The end-of-run summary entry keeps its step and epoch but has no per-step loss.
    ['qlora-diverging', 10, { step: 100, epoch: 80, evalLosses: {} }],
  ])('%s: entry %i is read field by field', (name, index, expected) => {
    const log = parseTrainingLog(fixture(`${name}_trainer_state.json`), 'trainer_state.json');
    expect(log.entries[index]).toEqual(expected);
  });

  it('reads best_metric and best_model_checkpoint when set', () => {
    const text = JSON.stringify({
      best_metric: 0.51,
      best_model_checkpoint: 'out/checkpoint-200',
      log_history: [{ step: 200, eval_loss: 0.51 }],
    });
    const log = parseTrainingLog(text, 'trainer_state.json');
    expect(log.bestMetric).toBe(0.51);
    expect(log.bestCheckpoint).toBe('out/checkpoint-200');
    expect(log.entries).toEqual([{ step: 200, evalLosses: { '': 0.51 } }]);
  });
});

describe('parseTrainingLog on hand-made LLaMA-Factory and CSV logs', () => {
  it('reads trainer_log.jsonl lines in file order', () => {
    const log = parseTrainingLog(fixture('hand-made_trainer_log.jsonl'), 'saves/trainer_log.jsonl');
    // 13 lines: 8 training, 4 eval_loss, 1 end-of-training line; total_steps is 40 on every line.
    expect(log.format).toBe('llamafactory-trainer-log');
    expect(log.problems).toEqual([]);
    expect(log.entries).toHaveLength(13);
    expect(log.maxSteps).toBe(40);
    expect(log.globalStep).toBeUndefined();
    expect(log.entries[0]).toEqual({
      step: 5,
      epoch: 0.25,
      trainLoss: 2.1034,
      learningRate: 4.8e-5,
      evalLosses: {},
    });
    expect(log.entries[2]).toEqual({ step: 10, epoch: 0.5, evalLosses: { '': 1.8012 } });
    expect(log.entries[12]).toEqual({ step: 40, epoch: 2, evalLosses: {} });
    expect(log.entries.map((entry) => entry.evalLosses[''])).toEqual([
      undefined,
      undefined,
      1.8012,
      undefined,
      undefined,
      1.654,
      undefined,
      undefined,
      1.7015,
      undefined,
      undefined,
      1.798,
      undefined,
    ]);
  });

  it('reads CSV rows with empty cells as absent values', () => {
    const log = parseTrainingLog(fixture('hand-made_training-log.csv'), 'logs/train.csv');
    expect(log.format).toBe('csv');
    expect(log.problems).toEqual([]);
    expect(log.entries).toHaveLength(6);
    expect(log.entries[0]).toEqual({
      step: 10,
      epoch: 0.1,
      trainLoss: 2.5,
      learningRate: 1e-4,
      gradNorm: 3.2,
      evalLosses: {},
    });
    expect(log.entries[1]).toEqual({
      step: 20,
      epoch: 0.2,
      trainLoss: 2.1,
      learningRate: 9e-5,
      gradNorm: 2.8,
      evalLosses: { '': 2.2, ood: 2.6 },
    });
  });

  it('maps W&B-style CSV headers (train/global_step, train/loss, eval/loss) and a BOM', () => {
    const text = '\uFEFFtrain/global_step,train/loss,eval/loss,eval/ood_loss\n10,1.5,,\n20,1.25,1.4,2\n';
    const log = parseTrainingLog(text, 'wandb-export.csv');
    expect(log.entries).toEqual([
      { step: 10, trainLoss: 1.5, evalLosses: {} },
      { step: 20, trainLoss: 1.25, evalLosses: { '': 1.4, ood: 2 } },
    ]);
  });

  it('reads a train_loss column as the per-step loss of a CSV log', () => {
    const log = parseTrainingLog('step,train_loss,val\n1,0.75,x\n', 'log.csv');
    expect(log.entries).toEqual([{ step: 1, trainLoss: 0.75, evalLosses: {} }]);
  });
});

describe('parseTrainingLog edge cases', () => {
  it.each([
    ['an empty trainer_state.json', '', 'trainer_state.json'],
    ['a blank trainer_log.jsonl', '  \n\n', 'trainer_log.jsonl'],
    ['an empty CSV', '', 'log.csv'],
    ['a BOM and nothing else', '\uFEFF', 'trainer_state.json'],
  ])('throws a ParseError at line 1 for %s', (_name, text, path) => {
    const error = parseError(text, path);
    expect(error.line).toBe(1);
    expect(error.message).toContain('empty');
  });

  it.each([
    // Line 4 is the entry that follows its predecessor without a comma.
    [
      'a missing comma',
      '{\n  "log_history": [\n    {"step": 1, "loss": 1.0}\n    {"step": 2, "loss": 0.9}\n  ]\n}\n',
      4,
    ],
    // The text stops after the newline that ends line 3, so the input ends on line 4.
    ['a file cut off mid-write', '{\n  "log_history": [\n    {"step": 1, "loss": 1.0},\n', 4],
    ['a stray character on line 3', '{\n  "log_history": [],\n  "global_step": @\n}', 3],
  ])('throws a ParseError with the line for invalid JSON: %s', (_name, text, line) => {
    const error = parseError(text, 'trainer_state.json');
    expect(error.line).toBe(line);
    expect(error.message).toMatch(/^invalid JSON at line \d+/);
  });

  it.each([
    ['an all_results.json object', '{"train_loss": 0.45, "epoch": 3.0}', 'all_results.json', /log_history/],
    ['a JSON array', '[{"step": 1, "loss": 1.0}]', 'trainer_state.json', /log_history/],
    [
      'JSONL lines without current_steps',
      '{"loss": 1.0}\n{"loss": 0.9}\n',
      'trainer_log.jsonl',
      /current_steps/,
    ],
    [
      'JSONL lines that are all broken',
      '{"current_steps": 1,\nnot json\n',
      'trainer_log.jsonl',
      /invalid JSON/,
    ],
    ['a CSV without a step column', 'epoch,loss\n1,0.5\n', 'log.csv', /step column/],
    ['a CSV without a loss column', 'step,learning_rate\n1,0.5\n', 'log.csv', /loss column/],
    ['an unsupported extension', 'step loss\n1 0.5\n', 'train.log', /trainer_state\.json/],
    [
      'a model card without a Training results table',
      '# m\n\n- Loss: 0.5\n',
      'README.md',
      /Training results/,
    ],
  ])('throws a ParseError for %s', (_name, text, path, pattern) => {
    expect(parseError(text, path).message).toMatch(pattern);
  });

  it('gives the first line of a JSONL file that holds no readable entry', () => {
    expect(parseError('\n{"current_steps": "one"}\n', 'trainer_log.jsonl').line).toBe(2);
  });

  it('throws with the line of an unclosed CSV quote', () => {
    // The quote opens on line 3 and is never closed.
    expect(parseError('step,loss\n1,0.5\n2,"0.4\n', 'log.csv').line).toBe(3);
  });

  // Written by python3 -c "import json; print(json.dumps({'log_history': [{'loss': 1.0, 'step': 1},
  //   {'loss': float('nan'), 'step': 2}, {'grad_norm': float('inf'), 'loss': 0.9, 'step': 3},
  //   {'eval_loss': float('-inf'), 'step': 3}, {'loss': 'n/a', 'step': 4}]}, indent=1))"
  const pythonText = [
    '{',
    ' "log_history": [',
    '  {',
    '   "loss": 1.0,',
    '   "step": 1',
    '  },',
    '  {',
    '   "loss": NaN,',
    '   "step": 2',
    '  },',
    '  {',
    '   "grad_norm": Infinity,',
    '   "loss": 0.9,',
    '   "step": 3',
    '  },',
    '  {',
    '   "eval_loss": -Infinity,',
    '   "step": 3',
    '  },',
    '  {',
    '   "loss": "n/a",',
    '   "step": 4',
    '  }',
    ' ]',
    '}',
  ].join('\n');

  it('reads NaN and Infinity written by Python and reports a string loss at its line', () => {
    const log = parseTrainingLog(pythonText, 'trainer_state.json');
    expect(log.entries).toEqual([
      { step: 1, trainLoss: 1, evalLosses: {} },
      { step: 2, trainLoss: Number.NaN, evalLosses: {} },
      { step: 3, trainLoss: 0.9, gradNorm: Number.POSITIVE_INFINITY, evalLosses: {} },
      { step: 3, evalLosses: { '': Number.NEGATIVE_INFINITY } },
    ]);
    // The fifth entry opens on line 20 of the text above.
    expect(log.problems).toEqual([{ line: 20, reason: 'log_history entry: loss is not a number: "n/a"' }]);
  });

  it('reports each unreadable log_history entry and keeps the rest', () => {
    const text =
      '{"log_history": [\n{"step": 1, "loss": 1},\n42,\n{"loss": 0.5},\n{"step": "2"},\n{"step": 3, "loss": 0.25},\n{"step": 3, "train_loss": "?"}\n]}';
    const log = parseTrainingLog(text, 'trainer_state.json');
    expect(log.entries).toEqual([
      { step: 1, trainLoss: 1, evalLosses: {} },
      { step: 3, trainLoss: 0.25, evalLosses: {} },
    ]);
    expect(log.problems).toEqual([
      { line: 3, reason: 'log_history entry: expected an object, found 42' },
      { line: 4, reason: 'log_history entry: no step' },
      { line: 5, reason: 'log_history entry: step is not a number: "2"' },
      { line: 7, reason: 'log_history entry: train_loss is not a number: "?"' },
    ]);
  });

  it('reports a top-level field of the wrong type without dropping the log', () => {
    const log = parseTrainingLog('{"global_step": "ten", "log_history": []}', 'trainer_state.json');
    expect(log.entries).toEqual([]);
    expect(log.globalStep).toBeUndefined();
    expect(log.problems).toEqual([{ reason: 'global_step is not a number: "ten"' }]);
  });

  it('reads null values as absent', () => {
    const log = parseTrainingLog('{"log_history": [{"step": 1, "loss": 0.5, "grad_norm": null}]}', 'a.json');
    expect(log.entries).toEqual([{ step: 1, trainLoss: 0.5, evalLosses: {} }]);
  });

  it.each([
    ['trainer_state.json', '{"log_history": [{"step": 7, "loss": 2.5}]}'],
    ['trainer_log.jsonl', '{"current_steps": 7, "total_steps": 7, "loss": 2.5}'],
    ['log.csv', 'step,loss\n7,2.5'],
  ])('reads a single entry from %s', (path, text) => {
    const log = parseTrainingLog(text, path);
    expect(log.entries).toEqual([{ step: 7, trainLoss: 2.5, evalLosses: {} }]);
    expect(log.problems).toEqual([]);
  });

  it('reads a header-only CSV as a log without entries', () => {
    const log = parseTrainingLog('step,loss,eval_loss\n', 'log.csv');
    expect(log.entries).toEqual([]);
    expect(log.problems).toEqual([]);
  });

  it('reports broken JSONL lines with their line numbers and keeps the rest (CRLF endings)', () => {
    const text = [
      '{"current_steps": 1, "loss": 1.5}',
      '{"current_steps": 2, "loss": ',
      '[1, 2]',
      '',
      '{"current_steps": 3, "loss": NaN, "eval_loss": 1.75}',
      '{"current_steps": 4, "loss": "high"}',
    ].join('\r\n');
    const log = parseTrainingLog(text, 'trainer_log.jsonl');
    expect(log.entries).toEqual([
      { step: 1, trainLoss: 1.5, evalLosses: {} },
      { step: 3, trainLoss: Number.NaN, evalLosses: { '': 1.75 } },
    ]);
    expect(log.problems.map((problem) => problem.line)).toEqual([2, 3, 6]);
    expect(log.problems[0]?.reason).toMatch(/^invalid JSON at line 1, column \d+/);
    expect(log.problems[1]?.reason).toBe('expected an object, found [1,2]');
    expect(log.problems[2]?.reason).toBe('loss is not a number: "high"');
  });

  it('reads nan and inf cells and reports rows it cannot read, with their lines', () => {
    const text = 'step,loss,eval_loss\n1,nan,\n2,-inf,Infinity\n3,0.5,0.6,9\nfour,0.4,\n5,abc,\n6,0.3,\n';
    const log = parseTrainingLog(text, 'log.csv');
    expect(log.entries).toEqual([
      { step: 1, trainLoss: Number.NaN, evalLosses: {} },
      { step: 2, trainLoss: Number.NEGATIVE_INFINITY, evalLosses: { '': Number.POSITIVE_INFINITY } },
      { step: 6, trainLoss: 0.3, evalLosses: {} },
    ]);
    expect(log.problems).toEqual([
      { line: 4, reason: 'expected 3 columns, found 4' },
      { line: 5, reason: 'step is not a number: "four"' },
      { line: 6, reason: 'loss is not a number: "abc"' },
    ]);
  });

  it('loads a file with non-UTF-8 bytes decoded as replacement characters', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"log_history": [{"step": 1, "loss": 0.5, "note": "'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}]}'),
    ]);
    const text = new TextDecoder('utf-8').decode(bytes);
    expect(parseTrainingLog(text, 'trainer_state.json').entries).toEqual([
      { step: 1, trainLoss: 0.5, evalLosses: {} },
    ]);
  });

  it('reports a loss cell holding non-UTF-8 bytes as a problem at its line', () => {
    const bytes = Buffer.concat([
      Buffer.from('step,loss\n1,0.5\n2,'),
      Buffer.from([0xff]),
      Buffer.from('\n'),
    ]);
    const log = parseTrainingLog(new TextDecoder('utf-8').decode(bytes), 'log.csv');
    expect(log.entries).toEqual([{ step: 1, trainLoss: 0.5, evalLosses: {} }]);
    expect(log.problems).toEqual([{ line: 3, reason: 'loss is not a number: "\uFFFD"' }]);
  });

  it('reads a very long line and keeps problem messages short', () => {
    const long = 'x'.repeat(2_000_000);
    const text = `{"current_steps": 1, "loss": 1.0, "note": "${long}"}\n{"current_steps": 2, "loss": "${long}"}\n`;
    const log = parseTrainingLog(text, 'trainer_log.jsonl');
    expect(log.entries).toEqual([{ step: 1, trainLoss: 1, evalLosses: {} }]);
    expect(log.problems).toHaveLength(1);
    expect(log.problems[0]?.line).toBe(2);
    expect(log.problems[0]?.reason.length).toBeLessThan(100);
  });
});

describe('PyTorch Lightning metrics.csv', () => {
  // hand-made_lightning_metrics.csv: CSVLogger's layout (sorted header, one sparse row per logging call),
  // 4 epochs of 100 steps, train_loss_step every 25 steps, val_loss and train_loss_epoch at each epoch's end.
  const log = parseTrainingLog(
    fixture('hand-made_lightning_metrics.csv'),
    'lightning_logs/version_0/metrics.csv',
  );

  it('is read as a Lightning log: per-step train losses and the validation loss, never the epoch means', () => {
    expect(log.format).toBe('lightning-csv');
    expect(log.problems).toEqual([]);
    expect(log.entries.filter((e) => e.trainLoss !== undefined).map((e) => [e.step, e.trainLoss])).toEqual([
      [24, 2.5],
      [49, 2.3],
      [74, 2.2],
      [99, 2.1],
      [124, 1.95],
      [149, 1.9],
      [174, 1.85],
      [199, 1.8],
      [224, 1.7],
      [249, 1.6],
      [274, 1.55],
      [299, 1.5],
      [324, 1.4],
      [349, 1.3],
      [374, 1.25],
      [399, 1.2],
    ]);
    expect(
      log.entries.filter((e) => e.evalLosses[''] !== undefined).map((e) => [e.step, e.evalLosses['']]),
    ).toEqual([
      [99, 2.1],
      [199, 1.95],
      [299, 2.0],
      [399, 2.08],
    ]);
  });

  it('any other CSV stays a plain CSV log', () => {
    expect(parseTrainingLog('epoch,step,train_loss\n0,1,2.0\n', 'logs/training_log.csv').format).toBe('csv');
  });
});

describe('parseTrainingLog on a model card', () => {
  it('reads the "Training results" table of a README.md (whisper-small-hi.README.md, lines 70–74)', () => {
    const text = readFileSync(
      new URL('../fixtures/cards/whisper-small-hi.README.md', import.meta.url),
      'utf8',
    );
    const log = parseTrainingLog(text, 'models/whisper/README.md');
    expect(log.format).toBe('hf-model-card');
    expect(log.entries.map((e) => [e.step, e.trainLoss, e.evalLosses['']])).toEqual([
      [1000, 0.1011, 0.3075],
      [2000, 0.0264, 0.3558],
      [3000, 0.0025, 0.4214],
      [4000, 0.0006, 0.4519],
      [5000, 0.0002, 0.4679],
    ]);
  });
});
