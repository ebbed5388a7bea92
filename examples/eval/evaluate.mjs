#!/usr/bin/env node
/**
 * A small, real evaluation for CI, in plain Node (no dependencies): trains a naive Bayes text
 * classifier on `--train` (JSON Lines of `{"text", "label"}`), scores it on the held-out `--test`, and
 * writes lm-eval 0.4's output with per-item logs into `--output`.
 *
 *   node evaluate.mjs --output results --model-name org/classifier --seed 1 [--limit 200]
 *
 * `--seed` picks which share of the training rows (`--train-fraction`, 0.9 by default) the model is
 * trained on, as a seed changes a fine-tuning run: repeats with several seeds show how much the score
 * moves with the seed alone. `--limit` scores the first N test items, as lm-eval's `--limit` does, so
 * every seed and both sides of a pull request score the same items and stay paired.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeLmEvalOutput } from './lm-eval-output.mjs';
import { scoreLabels, trainNaiveBayes } from './naive-bayes.mjs';
import { sampleIndexes } from './seeded-random.mjs';

const USAGE =
  'usage: evaluate.mjs --output <dir> [--train data/train.jsonl] [--test data/test.jsonl] [--model-name <name>] [--task <name>] [--seed <n>] [--limit <n>] [--train-fraction <0-1>]';

/**
 * The rows of a JSON Lines file of `{"text": string, "label": string}`; a line that is not one stops
 * the evaluation with its file and line.
 * @param {string} path
 */
function readRows(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const rows = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let row;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new Error(
        `${path}:${index + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (typeof row?.text !== 'string' || typeof row?.label !== 'string') {
      throw new Error(`${path}:${index + 1}: expected {"text": string, "label": string}`);
    }
    rows.push({ text: row.text, label: row.label });
  }
  return rows;
}

/** @param {string | undefined} text @param {string} name */
function readCount(text, name) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`--${name} takes a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

function main() {
  const { values } = parseArgs({
    options: {
      train: { type: 'string', default: 'data/train.jsonl' },
      test: { type: 'string', default: 'data/test.jsonl' },
      output: { type: 'string' },
      'model-name': { type: 'string', default: 'naive-bayes' },
      task: { type: 'string', default: 'text_classification' },
      seed: { type: 'string', default: '0' },
      limit: { type: 'string' },
      'train-fraction': { type: 'string', default: '0.9' },
    },
    strict: true,
  });
  if (values.output === undefined) throw new Error(`--output is required\n${USAGE}`);
  if (!/^\w+$/.test(values.task)) throw new Error('--task takes letters, digits and _ only');
  const seed = readCount(values.seed, 'seed') ?? 0;
  const limit = readCount(values.limit, 'limit') ?? null;
  const fraction = Number(values['train-fraction']);
  if (!(fraction > 0 && fraction <= 1)) throw new Error('--train-fraction takes a number in (0, 1]');
  const startTime = Date.now();

  const train = readRows(values.train);
  const picked = sampleIndexes(train.length, Math.round(train.length * fraction), seed);
  if (picked.length === 0) throw new Error(`${values.train}: no training rows to learn from`);
  const model = trainNaiveBayes(picked.map((index) => train[index]));
  const test = readRows(values.test);
  const docs = limit === null ? test : test.slice(0, limit);
  if (docs.length === 0) throw new Error(`${values.test}: no test rows to score`);
  const items = docs.map((doc) => ({
    doc,
    context: `Question: ${doc.text}\nAnswer:`,
    choices: model.labels,
    target: doc.label,
    scores: scoreLabels(model, doc.text),
  }));
  const written = writeLmEvalOutput(
    values.output,
    {
      task: values.task,
      modelName: values['model-name'],
      modelArgs: `pretrained=${values['model-name']},train=${values.train},train_fraction=${fraction}`,
      parameters: model.labels.length * (model.vocabulary.size + 1),
      seed,
      limit,
      originalDocs: test.length,
      dataPath: values.test,
      choices: model.labels,
      startTime,
    },
    items,
  );
  const { mean, stderr } = written.accuracy;
  process.stdout.write(
    `${values.task}: acc ${mean.toFixed(4)} ± ${typeof stderr === 'number' ? stderr.toFixed(4) : stderr} on ${docs.length} items (seed ${seed}, trained on ${picked.length} of ${train.length} rows)\n${written.results}\n${written.samples}\n`,
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`evaluate.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
