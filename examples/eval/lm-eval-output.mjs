/**
 * Writes an evaluation as lm-evaluation-harness 0.4 does with `--output_path <dir> --log_samples`:
 * `<dir>/<model>/results_<time>.json` and `<dir>/<model>/samples_<task>_<time>.jsonl`, field for field
 * (lm_eval/evaluator.py, lm_eval/loggers/evaluation_tracker.py), so any reader of lm-eval output reads
 * it: tuneguard pairs the items of two runs by `doc_hash`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dumpsPython, float } from './python-json.mjs';

/**
 * @typedef {{ doc: Record<string, unknown>, context: string, choices: string[], target: string,
 *   scores: number[] }} ScoredDoc one test item: the prompt, the choices' log-likelihoods, the gold choice
 * @typedef {{ task: string, modelName: string, modelArgs: string, parameters: number, seed: number,
 *   limit: number | null, originalDocs: number, dataPath: string, choices: string[], startTime: number }} RunInfo
 */

/** SHA-256 in hex, as lm-eval's `hash_string`. @param {string} text */
function hashString(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** lm-eval's folder name for a model: `org/model` → `org__model`. @param {string} name */
export function sanitizeModelName(name) {
  return name.replace(/["<>:/|\\?*[\]]+/g, '__');
}

/** `datetime.now().isoformat().replace(":", "-")`, the time in lm-eval's file names. @param {Date} date */
export function dateId(date) {
  const pad = (/** @type {number} */ n, width = 2) => String(n).padStart(width, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`
  );
}

/**
 * One line of the samples file, as `multiple_choice` tasks log it: each choice is a log-likelihood
 * request `(context, " choice")` answered `(log-likelihood, is_greedy)`; `acc` is 1.0 when the most
 * likely choice is the gold one. Responses are written as text, as lm-eval's `sanitize_list` does.
 * @param {ScoredDoc} item
 * @param {number} docId
 */
export function toSample(item, docId) {
  const best = item.scores.indexOf(Math.max(...item.scores));
  const gold = item.choices.indexOf(item.target);
  const responses = item.scores.map((score, index) => [String(score), index === best ? 'True' : 'False']);
  return {
    doc_id: docId,
    doc: item.doc,
    target: item.target,
    arguments: Object.fromEntries(
      item.choices.map((choice, index) => [
        `gen_args_${index}`,
        { arg_0: item.context, arg_1: ` ${choice}` },
      ]),
    ),
    resps: responses.map((response) => [response]),
    filtered_resps: responses,
    filter: 'none',
    metrics: ['acc'],
    doc_hash: hashString(dumpsPython(item.doc, 2)),
    prompt_hash: hashString(item.context),
    target_hash: hashString(item.target),
    acc: float(best === gold ? 1 : 0),
  };
}

/**
 * The mean of 0/1 scores and its standard error as lm-eval's `mean_stderr` gives it (sample standard
 * deviation over √n); "N/A" for fewer than two items.
 * @param {readonly number[]} values
 */
export function meanWithStderr(values) {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n < 2) return { mean, stderr: 'N/A' };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  return { mean, stderr: Math.sqrt(variance) / Math.sqrt(n) };
}

/**
 * The aggregated results document, in lm-eval 0.4's key order.
 * @param {RunInfo} run
 * @param {ReturnType<typeof toSample>[]} samples
 * @param {Date} end
 */
export function toResults(run, samples, end) {
  const { mean, stderr } = meanWithStderr(samples.map((sample) => sample.acc.value));
  const task = run.task;
  const seconds = (end.getTime() - run.startTime) / 1000;
  return {
    results: {
      [task]: {
        alias: task,
        'acc,none': float(mean),
        'acc_stderr,none': typeof stderr === 'number' ? float(stderr) : stderr,
      },
    },
    group_subtasks: { [task]: [] },
    configs: {
      [task]: {
        task,
        dataset_path: 'json',
        dataset_kwargs: { data_files: { test: run.dataPath } },
        test_split: 'test',
        doc_to_text: 'Question: {{text}}\nAnswer:',
        doc_to_target: '{{label}}',
        doc_to_choice: run.choices,
        unsafe_code: false,
        description: '',
        target_delimiter: ' ',
        fewshot_delimiter: '\n\n',
        num_fewshot: 0,
        metric_list: [{ metric: 'acc', aggregation: 'mean', higher_is_better: true }],
        output_type: 'multiple_choice',
        repeats: 1,
        should_decontaminate: false,
        metadata: { version: float(1) },
      },
    },
    versions: { [task]: float(1) },
    'n-shot': { [task]: 0 },
    higher_is_better: { [task]: { acc: true } },
    'n-samples': { [task]: { original: run.originalDocs, effective: samples.length } },
    config: {
      model: 'naive-bayes',
      model_args: run.modelArgs,
      model_num_parameters: run.parameters,
      model_dtype: 'float64',
      batch_size: '1',
      batch_sizes: [],
      device: 'cpu',
      use_cache: null,
      limit: run.limit,
      bootstrap_iters: 100000,
      gen_kwargs: null,
      random_seed: run.seed,
      numpy_seed: run.seed,
      torch_seed: run.seed,
      fewshot_seed: run.seed,
    },
    git_hash: null,
    date: float(run.startTime / 1000),
    pretty_env_info: `Node.js ${process.version} on ${process.platform}-${process.arch}`,
    transformers_version: null,
    upper_git_hash: null,
    task_hashes: {
      [task]: hashString(samples.map((s) => s.doc_hash + s.prompt_hash + s.target_hash).join('')),
    },
    model_source: 'naive-bayes',
    model_name: run.modelName,
    model_name_sanitized: sanitizeModelName(run.modelName),
    system_instruction: null,
    system_instruction_sha: null,
    fewshot_as_multiturn: false,
    chat_template: null,
    chat_template_sha: null,
    start_time: float(run.startTime / 1000),
    end_time: float(end.getTime() / 1000),
    total_evaluation_time_seconds: String(seconds),
  };
}

/**
 * Writes the results and the per-item log into `<output>/<sanitized model name>/`; returns their paths.
 * @param {string} output
 * @param {RunInfo} run
 * @param {readonly ScoredDoc[]} items
 */
export function writeLmEvalOutput(output, run, items) {
  const samples = items.map((item, index) => toSample(item, index));
  const end = new Date();
  const folder = join(output, sanitizeModelName(run.modelName));
  mkdirSync(folder, { recursive: true });
  const id = dateId(new Date(run.startTime));
  const results = join(folder, `results_${id}.json`);
  const log = join(folder, `samples_${run.task}_${id}.jsonl`);
  writeFileSync(results, dumpsPython(toResults(run, samples, end), 2));
  writeFileSync(log, samples.map((sample) => `${dumpsPython(sample)}\n`).join(''));
  return { results, samples: log, accuracy: meanWithStderr(samples.map((s) => s.acc.value)) };
}
