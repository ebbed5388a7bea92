import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Files } from './pull-request-repo.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const read = (path: string): Buffer => readFileSync(fixtures + path);
const text = (path: string): string => read(path).toString('utf8');

/*
 * A small fine-tuning project built from the real fixture files (see __tests__/fixtures/*\/SOURCES.md):
 *   data/train.jsonl      mlx-examples WikiSQL train split, 1,000 rows
 *   data/valid.jsonl      its validation split, 100 rows
 *   configs/lora.yml      axolotl llama3-lora-1b config (before: warmup_steps 10; after: warmup_ratio 0.1)
 *   results/lambada.json  lm-eval lambada_openai results of rwkv7-1.5b: the good run, then the regressed one
 */
const train = text('datasets/mlx_wikisql_train.base.jsonl');

/** The base commit of every scenario. */
export const BASE_PROJECT: Files = {
  'data/train.jsonl': train,
  'data/valid.jsonl': read('datasets/mlx_wikisql_valid.jsonl'),
  'configs/lora.yml': read('params/llama3-lora-1b.before.yml'),
  'results/lambada.json': read('metrics/v047_rwkv7-1.5b_lambada_run-good.json'),
  'README.md': '# A fine-tuning project\n',
};

const good = JSON.parse(text('metrics/v047_rwkv7-1.5b_lambada_run-good.json')) as LambadaResults;
const regressed = JSON.parse(text('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json')) as LambadaResults;
interface LambadaResults {
  results: { lambada_openai: { 'acc,none': number; 'perplexity,none': number } };
}

/**
 * The PR of a regression: train drops to its first 900 rows, the config's warmup changes, and the
 * results are those of the regressed run. Expected, from the files themselves:
 * - 2 failures (`eval-regression`): lambada acc falls 0.688 → 0.411 (higher is better; −27.7 points, far
 *   beyond the 1-point tolerance) and perplexity rises 4.26 → 20.09 (lower is better);
 * - 1 warning (`data-shrink`): train 1,000 → 900 rows, −10%, beyond the 5% default;
 * - 1 notice (`params-changed`) for the warmup keys; verdict `failure`.
 */
export const REGRESSION_PR: Files = {
  'data/train.jsonl': train.split('\n').slice(0, 900).join('\n') + '\n',
  'configs/lora.yml': read('params/llama3-lora-1b.after.yml'),
  'results/lambada.json': read('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json'),
};

/**
 * A push on {@link REGRESSION_PR} that puts the train split and the results back as on the base: only the
 * config still differs. Expected: 1 warning (`params-stale-eval`), 1 notice (`params-changed`); verdict
 * `warning`.
 */
export const RESTORING_PUSH: Files = {
  'data/train.jsonl': BASE_PROJECT['data/train.jsonl'] ?? null,
  'results/lambada.json': BASE_PROJECT['results/lambada.json'] ?? null,
};

/** Lambada figures of both runs, read from the fixtures. */
export const LAMBADA = {
  base: good.results.lambada_openai,
  head: regressed.results.lambada_openai,
};

/** 1-based line of `key` in the regressed results file (where the annotation must point). */
export function lineInRegressedResults(key: string): number {
  const lines = text('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json').split('\n');
  return lines.findIndex((line) => line.includes(`"${key}"`)) + 1;
}

/**
 * The PR of a config change only: warmup_steps 10 → warmup_ratio 0.1, results untouched. Expected:
 * 1 warning (`params-stale-eval`: hyperparameters changed, results/lambada.json byte-identical), 1 notice
 * (`params-changed`); verdict `warning`.
 */
export const PARAMS_ONLY_PR: Files = {
  'configs/lora.yml': read('params/llama3-lora-1b.after.yml'),
};

/** The PR of a documentation change: nothing tuneguard tracks changes; verdict `pass`. */
export const DOCS_ONLY_PR: Files = {
  'README.md': '# A fine-tuning project\n\nHow to run the training.\n',
};

/** Puts every path of `files` under `folder` (a monorepo's project folder). */
export function inFolder(folder: string, files: Files): Files {
  return Object.fromEntries(Object.entries(files).map(([path, content]) => [`${folder}/${path}`, content]));
}
