import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ParseError } from '../../src/model/errors.js';
import { type MetricsFile, type MetricValue, parseMetricsFile } from '../../src/loaders/parse-metrics.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'metrics');
const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const load = (name: string, path = name): MetricsFile => parseMetricsFile(fixture(name), path);
const byKey = (file: MetricsFile, key: string): MetricValue | undefined =>
  file.metrics.find((m) => m.key === key);

/** Runs `fn` and returns what it threw, so that the error's fields can be asserted. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseMetricsFile on lm-eval ≥0.4 results', () => {
  // Values copied from the three files (python3 -c "import json; print(json.load(open(f))['results'])");
  // lines from `grep -n '"acc,none"\|"perplexity,none"' v047_rwkv7-*.json` (5 and 7 in all three).
  it.each([
    ['good', 0.6881428294197555, 0.006454004061618767, 4.263079441956042, 0.09183391036272597, '218557fd'],
    [
      'regressed',
      0.41063458179701146,
      0.006853811533501994,
      20.08827618270199,
      0.7332036317112425,
      '7b4efb48',
    ],
    ['broken', 0.06287599456627208, 0.0033818398563458135, 20194.605893659573, 1599.570920350795, '0b3e9a43'],
  ])('reads the rwkv7 %s run: acc %p, perplexity', (run, acc, accStderr, ppl, pplStderr, gitHash) => {
    const file = load(`v047_rwkv7-1.5b_lambada_run-${run}.json`);
    expect(file.format).toBe('lm-eval');
    expect(file.problems).toEqual([]);
    expect(file.metrics).toEqual([
      {
        key: 'lambada_openai/perplexity',
        task: 'lambada_openai',
        metric: 'perplexity',
        value: ppl,
        stderr: pplStderr,
        higherIsBetter: false,
        line: 5,
      },
      {
        key: 'lambada_openai/acc',
        task: 'lambada_openai',
        metric: 'acc',
        value: acc,
        stderr: accStderr,
        higherIsBetter: true,
        line: 7,
      },
    ]);
    // n-shot 0, versions 1.0, n-samples 5153/5153, task_hashes {}, config.limit null.
    expect(file.tasks).toEqual({
      lambada_openai: { nShot: 0, version: '1', samples: { original: 5153, effective: 5153 } },
    });
    expect(file.evaluator).toEqual({
      model: 'hf',
      modelArgs: 'pretrained=fla-hub/rwkv7-1.5B-world,trust_remote_code=True',
      gitHash,
      // fewshot_as_multiturn is false in the file; chat template and system instruction are null.
      fewshotAsMultiturn: false,
      // config: "random_seed": 0, "numpy_seed": 1234, "torch_seed": 1234, "fewshot_seed": 1234.
      seeds: 'random_seed=0,numpy_seed=1234,torch_seed=1234,fewshot_seed=1234',
    });
    // group_subtasks is {"lambada_openai": []}: a task with no subtasks is no group.
    expect(Object.keys(file.groups)).toEqual([]);
  });

  const qwen = load('v047_qwen2.5-1.5b_results.json');

  it('reads every metric of the Qwen2.5 file once, group aggregates deduplicated', () => {
    // python3: keys = {task/metric for results and groups, skipping alias and *_stderr}; len(keys) == 86
    // (77 acc + 5 acc_norm + 2 f1 + 1 mcc + 1 perplexity; the 5 mmlu groups repeat results entries).
    expect(qwen.metrics).toHaveLength(86);
    expect(new Set(qwen.metrics.map((m) => m.key)).size).toBe(86);
    expect(qwen.problems).toEqual([]);
    expect(qwen.evaluator).toEqual({
      model: 'hf',
      modelArgs: 'pretrained=Qwen/Qwen2.5-1.5B,trust_remote_code=True',
      gitHash: '82b812f',
      fewshotAsMultiturn: false,
      seeds: 'random_seed=0,numpy_seed=1234,torch_seed=1234,fewshot_seed=1234',
    });
    // python3: {g: s for g, s in d['group_subtasks'].items() if s} — the five mmlu groups.
    expect(Object.keys(qwen.groups)).toEqual([
      'mmlu_humanities',
      'mmlu_social_sciences',
      'mmlu_other',
      'mmlu_stem',
      'mmlu',
    ]);
    expect(qwen.groups['mmlu']).toEqual([
      'mmlu_stem',
      'mmlu_other',
      'mmlu_social_sciences',
      'mmlu_humanities',
    ]);
    expect(qwen.groups['mmlu_stem']).toHaveLength(19);
    expect(qwen.groups['mmlu_humanities']?.[0]).toBe('mmlu_formal_logic');
  });

  it.each([
    // [key, value, stderr, higherIsBetter, line]: values from the file, lines from `grep -n`.
    ['mmlu/acc', 0.5961401509756445, 0.003908188894751123, true, 37],
    ['lambada_openai/perplexity', 5.677708211264297, 0.14485002284129517, false, 31],
    ['cola/mcc', -0.0005447969648709635, 0.030953502151482442, true, 19],
  ])('reads %s from the Qwen2.5 file', (key, value, stderr, higherIsBetter, line) => {
    expect(byKey(qwen, key)).toMatchObject({ value, stderr, higherIsBetter, line });
  });

  it('reads the task settings of the Qwen2.5 file', () => {
    // python3: len(set(results) | set(groups) | set(versions) | set(n-shot) | set(n-samples)) == 78
    expect(Object.keys(qwen.tasks)).toHaveLength(78);
    // mmlu is a group: version 2, no n-shot and no n-samples entry.
    expect(qwen.tasks['mmlu']).toEqual({ version: '2' });
    expect(qwen.tasks['lambada_openai']).toEqual({
      nShot: 0,
      version: '1',
      samples: { original: 5153, effective: 5153 },
    });
  });

  const nanFile = load('hand-made_lm-eval-python-nan.json');

  it('keeps NaN and Infinity values written by Python, with exact lines', () => {
    expect(nanFile.format).toBe('lm-eval');
    expect(nanFile.problems).toEqual([]);
    const perplexity = byKey(nanFile, 'wikitext/word_perplexity');
    expect(perplexity?.value).toBeNaN();
    // "N/A" stderr → absent; line from `grep -n word_perplexity,none` → 12.
    expect(perplexity).toEqual({
      key: 'wikitext/word_perplexity',
      task: 'wikitext',
      metric: 'word_perplexity',
      value: Number.NaN,
      higherIsBetter: false,
      line: 12,
    });
    // A NaN stderr is no stderr.
    expect(byKey(nanFile, 'wikitext/bits_per_byte')).toEqual({
      key: 'wikitext/bits_per_byte',
      task: 'wikitext',
      metric: 'bits_per_byte',
      value: Number.POSITIVE_INFINITY,
      higherIsBetter: false,
      line: 14,
    });
  });

  it('keeps non-"none" filters in the metric name and pairs each with its own stderr', () => {
    expect(nanFile.metrics.filter((m) => m.task === 'gsm8k')).toEqual([
      {
        key: 'gsm8k/exact_match[strict-match]',
        task: 'gsm8k',
        metric: 'exact_match[strict-match]',
        value: 0.35,
        stderr: 0.013,
        higherIsBetter: true,
        line: 5,
      },
      {
        key: 'gsm8k/exact_match[flexible-extract]',
        task: 'gsm8k',
        metric: 'exact_match[flexible-extract]',
        value: 0.36,
        higherIsBetter: true,
        line: 7,
      },
    ]);
  });

  it('reads limit, hashes and the harness version', () => {
    expect(nanFile.tasks).toEqual({
      gsm8k: { nShot: 5, version: '3', limit: 100, hash: '5f1c0e1a' },
      wikitext: { nShot: 0, version: '2', limit: 100 },
    });
    expect(nanFile.evaluator).toEqual({
      model: 'hf',
      modelArgs: 'pretrained=example/tiny',
      version: '0.4.8',
    });
  });
});

describe('parseMetricsFile on lm-eval layout variants', () => {
  const text = [
    '{',
    '  "results": {',
    '    "arc_easy": { "alias": "arc_easy", "acc,none": 0.7, "acc_stderr,none": 0.01 },',
    '    "broken_task": "failed"',
    '  },',
    '  "groups": {',
    '    "arc_easy": { "acc,none": 0.1 },',
    '    "ai2_arc": { "alias": "ai2_arc", "acc,none": 0.6, "acc_stderr,none": "N/A" }',
    '  },',
    '  "versions": { "arc_easy": "1.0.2", "ai2_arc": "N/A" },',
    '  "config": { "model": "vllm", "model_args": { "pretrained": "org/model", "dtype": "auto" } },',
    '  "model_name": "org/model",',
    '  "git_hash": "abc1234"',
    '}',
  ].join('\n');
  const file = parseMetricsFile(text, 'results_2025-01-01.json');

  it('adds group-only aggregates and keeps the first of a repeated key', () => {
    expect(file.metrics.map((m) => [m.key, m.value, m.stderr, m.line])).toEqual([
      ['arc_easy/acc', 0.7, 0.01, 3],
      ['ai2_arc/acc', 0.6, undefined, 8],
    ]);
  });

  it('reports a task entry that is not an object of metrics', () => {
    expect(file.problems).toEqual([
      { line: 4, reason: 'results.broken_task is the string "failed", not an object of metrics' },
    ]);
  });

  it('reads string versions and model_args written as an object', () => {
    expect(file.tasks).toEqual({ arc_easy: { version: '1.0.2' }, broken_task: {}, ai2_arc: {} });
    expect(file.evaluator).toEqual({
      model: 'vllm',
      modelArgs: 'pretrained=org/model,dtype=auto',
      gitHash: 'abc1234',
    });
  });

  it('falls back to model_name when config.model is missing', () => {
    const minimal = '{"results": {"t": {"acc,none": 1}}, "model_name": "org/model"}';
    expect(parseMetricsFile(minimal, 'r.json').evaluator).toEqual({ model: 'org/model' });
  });
});

describe('parseMetricsFile on legacy lm-eval results', () => {
  it('reads the llama-7B gsm8k 8-shot file', () => {
    const file = load('harness-legacy_llama-7B_gsm8k_8-shot.json');
    expect(file.format).toBe('lm-eval-legacy');
    // acc/acc_stderr from the file; `grep -n '"acc"'` → line 4; versions.gsm8k 0; config.num_fewshot 8.
    expect(file.metrics).toEqual([
      {
        key: 'gsm8k/acc',
        task: 'gsm8k',
        metric: 'acc',
        value: 0.0803639120545868,
        stderr: 0.007488258573239077,
        line: 4,
      },
    ]);
    expect(file.tasks).toEqual({ gsm8k: { nShot: 8, version: '0' } });
    expect(file.evaluator).toEqual({
      model: 'hf-causal-experimental',
      modelArgs: 'pretrained=/gaueko1/hizkuntza-ereduak/LLaMA/lm/huggingface/7B,use_accelerate=True',
    });
  });

  const commonSense = load('harness-legacy_llama-7B_common_sense_reasoning_0-shot.json');

  it('reads all 12 common-sense tasks', () => {
    // python3: sum of non-*_stderr keys over results == 20 (11 acc + 7 acc_norm + mc_taco em and f1).
    expect(commonSense.metrics).toHaveLength(20);
    expect(Object.keys(commonSense.tasks).sort()).toEqual(
      [
        'arc_challenge',
        'arc_easy',
        'boolq',
        'copa',
        'hellaswag',
        'mc_taco',
        'openbookqa',
        'piqa',
        'prost',
        'swag',
        'winogrande',
        'wsc273',
      ].sort(),
    );
    expect(commonSense.tasks['boolq']).toEqual({ nShot: 0, version: '1' });
    expect(commonSense.tasks['piqa']).toEqual({ nShot: 0, version: '0' });
  });

  it.each([
    // [key, value, stderr (undefined when the file has none), line from `grep -n`]
    ['hellaswag/acc_norm', 0.7298346942840072, 0.004431375549911366, 22],
    ['copa/acc', 0.84, 0.036845294917747094, 56],
    ['mc_taco/em', 0.11261261261261261, undefined, 52],
    ['mc_taco/f1', 0.4827075067316446, undefined, 53],
  ])('reads %s', (key, value, stderr, line) => {
    const metric = byKey(commonSense, key);
    expect(metric?.value).toBe(value);
    expect(metric?.stderr).toBe(stderr);
    expect(metric?.line).toBe(line);
    expect(metric?.higherIsBetter).toBeUndefined();
  });
});

describe('parseMetricsFile on Hugging Face *_results.json', () => {
  it('names the task after the file stem without _results', () => {
    const file = load('tinyllama-chat-dpo_all_results.json', 'outputs/all_results.json');
    expect(file.format).toBe('hf-results');
    // python3: len(json.load(f)) == 19, all numbers.
    expect(file.metrics).toHaveLength(19);
    expect(file.metrics.every((m) => m.task === 'all')).toBe(true);
    // Values from the file, lines from `grep -n`.
    expect(byKey(file, 'all/eval_loss')).toEqual({
      key: 'all/eval_loss',
      task: 'all',
      metric: 'eval_loss',
      value: 0.513750433921814,
      line: 7,
    });
    expect(byKey(file, 'all/eval_rewards/accuracies')).toMatchObject({ value: 0.738095223903656, line: 8 });
    // An HF results file records no per-task settings and no evaluator.
    expect(Object.keys(file.tasks)).toEqual([]);
    expect(Object.keys(file.evaluator)).toEqual([]);
  });

  it.each([
    ['tinyllama-chat-dpo_eval_results.json', 'tinyllama-chat-dpo_eval', 14, 'eval_samples', 2000],
    ['qlora-diverging_all_results.json', 'qlora-diverging_all', 5, 'train_loss', 15.310873765945434],
    ['qlora-diverging_all_results.json', 'qlora-diverging_all', 5, 'epoch', 80],
  ])('reads %s (task %s, %i metrics, %s = %p)', (name, task, count, metric, value) => {
    const file = load(name);
    expect(file.format).toBe('hf-results');
    expect(file.metrics).toHaveLength(count);
    expect(byKey(file, `${task}/${metric}`)?.value).toBe(value);
  });
});

describe('parseMetricsFile on generic metrics', () => {
  it('reads a W&B summary, skipping its _-prefixed bookkeeping', () => {
    const file = load('alpaca-repro_wandb-summary.run1-complete.json', 'wandb/files/wandb-summary.json');
    expect(file.format).toBe('generic');
    // 12 keys, minus _timestamp, _runtime and _step.
    expect(file.metrics.map((m) => m.metric)).toEqual([
      'train/loss',
      'train/learning_rate',
      'train/epoch',
      'train/global_step',
      'train/train_runtime',
      'train/train_samples_per_second',
      'train/train_steps_per_second',
      'train/total_flos',
      'train/train_loss',
    ]);
    expect(byKey(file, 'wandb-summary/train/train_loss')).toEqual({
      key: 'wandb-summary/train/train_loss',
      task: 'wandb-summary',
      metric: 'train/train_loss',
      value: 0.7484517011834287,
      line: 1,
    });
  });

  it('reads nested DVC-style YAML with lines, numeric strings and .nan', () => {
    const file = load('hand-made_dvc-metrics.yaml', 'metrics/eval.yaml');
    expect(file.format).toBe('generic');
    expect(file.problems).toEqual([]);
    expect(file.metrics.map((m) => [m.key, m.value, m.line])).toEqual([
      ['eval/loss', 0.4213, 3],
      ['eval/accuracy', 0.871, 4],
      ['eval/f1', 0.8, 5],
      ['eval/per_class/positive/precision', 0.9, 8],
      ['eval/per_class/positive/recall', 0.85, 8],
      ['train/loss', Number.NaN, 10],
      ['train/epochs', 3, 11],
    ]);
    // Texts and booleans under names that are no metric's are text metrics, as DVC keeps them.
    expect(file.texts?.map((m) => [m.key, m.text, m.line])).toEqual([
      ['train/converged', 'true', 12],
      ['eval/model', 'tinyllama', 13],
    ]);
  });

  it('reads a one-metric file under the file stem', () => {
    const file = parseMetricsFile('{"accuracy": 0.9}', 'reports/holdout.json');
    expect(file.metrics).toEqual([
      { key: 'holdout/accuracy', task: 'holdout', metric: 'accuracy', value: 0.9, line: 1 },
    ]);
  });

  it('reports a key reached twice, once nested and once with a slash in the key', () => {
    const file = parseMetricsFile('{\n  "a": { "b/c": 1 },\n  "a/b": { "c": 2 }\n}', 'm.json');
    expect(file.metrics.map((m) => [m.key, m.value])).toEqual([['a/b/c', 1]]);
    expect(file.problems).toEqual([{ line: 3, reason: 'metric a/b/c appears twice (first at line 2)' }]);
  });
});

describe("parseMetricsFile on standard errors outside lm-eval's wrapper", () => {
  // The `results` block of v047_qwen2.5-1.5b_results.json saved on its own, as some scripts do:
  // arc_easy acc,none 0.7542087542087542 ± 0.00883480936639149, acc_norm,none 0.7201178451178452 ±
  // 0.009212077524656536 (values from the file).
  const results = (JSON.parse(fixture('v047_qwen2.5-1.5b_results.json')) as { results: object }).results;
  const file = parseMetricsFile(
    JSON.stringify({ arc_easy: (results as Record<string, object>)['arc_easy'] }),
    'scores.json',
  );

  it('reads X_stderr,filter as the standard error of X, not as a metric', () => {
    expect(file.metrics.map((metric) => [metric.metric, metric.value, metric.stderr])).toEqual([
      ['acc,none', 0.7542087542087542, 0.00883480936639149],
      ['acc_norm,none', 0.7201178451178452, 0.009212077524656536],
    ]);
  });

  it('keeps a standard error without its metric as a value of unknown direction, and drops a negative one', () => {
    const text = JSON.stringify({ eval_acc: 0.5, eval_acc_stderr: -0.01, f1_stderr: 0.02 });
    const read = parseMetricsFile(text, 'metrics.json');
    expect(read.metrics.map((metric) => [metric.metric, metric.value, metric.stderr])).toEqual([
      ['eval_acc', 0.5, undefined],
      ['f1_stderr', 0.02, undefined],
    ]);
  });
});

describe('parseMetricsFile on a repeated key', () => {
  it('reads the first value of a metric given twice in an lm-eval task, and says so at the second', () => {
    // v047_rwkv7-1.5b_lambada_run-good.json with its acc (0.6881428294197555, line 7) given again as 0.2.
    const good = fixture('v047_rwkv7-1.5b_lambada_run-good.json');
    const text = good.replace(
      '"acc,none": 0.6881428294197555,',
      '"acc,none": 0.6881428294197555,\n      "acc,none": 0.2,',
    );
    const file = parseMetricsFile(text, 'results.json');
    expect(byKey(file, 'lambada_openai/acc')?.value).toBe(0.6881428294197555);
    expect(file.problems).toEqual([
      { line: 8, reason: 'results.lambada_openai."acc,none" appears twice: only the first value is read' },
    ]);
  });
});

describe('parseMetricsFile on broken input', () => {
  it.each([
    ['an empty JSON file', '', 'm.json'],
    ['a JSON file of blank lines', '\n  \n', 'm.json'],
    ['an empty YAML file', '', 'm.yaml'],
    ['a YAML file of comments', '# nothing yet\n', 'm.yml'],
  ])('throws a ParseError for %s', (_name, text, path) => {
    const error = thrown(() => parseMetricsFile(text, path));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/empty/);
  });

  it.each([
    [
      'JSON with a doubled comma',
      '{\n  "results": {\n    "a": {"acc,none": 0.5,,}\n  }\n}',
      'r.json',
      3,
      /invalid JSON/,
    ],
    ['JSON with trailing content', '{"acc": 1}\n{"acc": 2}\n', 'r.json', 2, /invalid JSON/],
    ['YAML with a misaligned key', 'eval:\n  loss: 1\n  acc: 0.5\n bad: 2\n', 'r.yaml', 4, /invalid YAML/],
    ['bytes that are not UTF-8 outside a string', '{\n"acc": 0.5,\n\uFFFD\n}', 'r.json', 3, /invalid JSON/],
    ['a list at the top level', '\n[0.5, 0.6]', 'r.json', 2, /top level, found a list/],
  ])('throws a ParseError with the line for %s', (_name, text, path, line, pattern) => {
    const error = thrown(() => parseMetricsFile(text, path));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(line);
    expect((error as ParseError).message).toMatch(pattern);
  });

  it('throws a ParseError when no value is a number, a text or a boolean (lists and nulls are none)', () => {
    const error = thrown(() => parseMetricsFile('{"tags": [1, 2], "model": null}', 'm.json'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toBe('the file holds no numeric metric');
  });

  it('reads texts and booleans beside a number as text metrics, as DVC does', () => {
    const file = parseMetricsFile('{"model": "tiny", "done": true, "tags": [1, 2], "acc": 0.5}', 'm.json');
    expect(file.metrics).toEqual([{ key: 'm/acc', task: 'm', metric: 'acc', value: 0.5, line: 1 }]);
    expect(file.texts).toEqual([
      { key: 'm/model', task: 'm', metric: 'model', text: 'tiny', line: 1 },
      { key: 'm/done', task: 'm', metric: 'done', text: 'true', line: 1 },
    ]);
  });

  it('throws a ParseError for texts alone (DVC would show them; a prompt template is no results file)', () => {
    const error = thrown(() => parseMetricsFile('{"model": "tiny", "done": true}', 'm.json'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toBe('the file holds no numeric metric');
  });

  it.each([
    ['m.yaml', '1', { key: 'm/m', task: 'm', metric: 'm', value: 1, line: 1 }],
    ['eval/acc.json', '0.93\n', { key: 'acc/acc', task: 'acc', metric: 'acc', value: 0.93, line: 1 }],
    ['m.yaml', "'0.5'", { key: 'm/m', task: 'm', metric: 'm', value: 0.5, line: 1 }],
  ])('reads a file holding one number (%s: %s) as one metric named after the file', (path, text, metric) => {
    expect(parseMetricsFile(text, path).metrics).toEqual([metric]);
  });

  it('throws a ParseError for a file holding one text', () => {
    const error = thrown(() => parseMetricsFile('"converged"', 'status.json'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toBe('the file holds the string "converged", no numeric metric');
  });

  it('reads TOML metrics with the lines of their keys (DVC test_show_toml, and a nested table)', () => {
    const file = parseMetricsFile(
      '[foo]\nbar = 1.2\n\n[eval.test]\nacc = 0.8\nstatus = "ok"\n',
      'metrics.toml',
    );
    expect(file.metrics).toEqual([
      { key: 'foo/bar', task: 'foo', metric: 'bar', value: 1.2, line: 2 },
      { key: 'eval/test/acc', task: 'eval/test', metric: 'acc', value: 0.8, line: 5 },
    ]);
    expect(file.texts).toEqual([
      { key: 'eval/test/status', task: 'eval/test', metric: 'status', text: 'ok', line: 6 },
    ]);
  });

  it('reports invalid TOML with its line', () => {
    const error = thrown(() => parseMetricsFile('[foo]\nbar = = 1\n', 'metrics.toml'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(2);
  });

  it('throws a ParseError naming the first unreadable value when nothing else is left', () => {
    const text = '{\n  "results": { "gsm8k": {\n    "acc": "high"\n  } },\n  "versions": { "gsm8k": 0 }\n}';
    const error = thrown(() => parseMetricsFile(text, 'legacy.json'));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(3);
    expect((error as ParseError).message).toMatch(/results\.gsm8k\."acc" is the string "high", not a number/);
  });

  it('throws a ParseError for an extension it does not read', () => {
    expect(thrown(() => parseMetricsFile('acc,0.5\n', 'metrics.csv'))).toBeInstanceOf(ParseError);
  });

  it('reports a string where a number was expected, with its line, and loads the rest', () => {
    const text = [
      '{',
      '  "results": {',
      '    "arc_easy": {',
      '      "alias": "arc_easy",',
      '      "acc,none": "0.75",',
      '      "acc_norm,none": "not computed",',
      '      "acc_norm_stderr,none": "N/A"',
      '    },',
      '    "piqa": { "acc,none": true, "acc_norm,none": 0.7 }',
      '  },',
      '  "n-shot": { "arc_easy": 0, "piqa": 0 }',
      '}',
    ].join('\n');
    const file = parseMetricsFile(text, 'results.json');
    expect(file.metrics.map((m) => [m.key, m.value, m.line])).toEqual([
      ['arc_easy/acc', 0.75, 5],
      ['piqa/acc_norm', 0.7, 9],
    ]);
    expect(file.problems).toEqual([
      { line: 6, reason: 'results.arc_easy."acc_norm,none" is the string "not computed", not a number' },
      { line: 9, reason: 'results.piqa."acc,none" is boolean true, not a number' },
    ]);
  });

  it('reports a non-numeric string under a metric-like key in generic files, quietly skips N/A and labels', () => {
    const text = 'eval:\n  accuracy: pending\n  bleu: N/A\n  model: tiny\n  loss: 0.3\n';
    const file = parseMetricsFile(text, 'metrics.yaml');
    expect(file.metrics.map((m) => m.key)).toEqual(['eval/loss']);
    expect(file.problems).toEqual([{ line: 2, reason: '"accuracy" is the string "pending", not a number' }]);
  });

  it('reads a file whose strings hold bytes that were not UTF-8', () => {
    // 0xFF is not UTF-8: decoding turns it into U+FFFD inside the alias string.
    const bytes = Buffer.concat([
      Buffer.from('{"results": {"copa": {"alias": "co'),
      Buffer.from([0xff]),
      Buffer.from('pa", "acc,none": 0.84}}}'),
    ]);
    const file = parseMetricsFile(bytes.toString('utf8'), 'r.json');
    expect(file.metrics.map((m) => [m.key, m.value])).toEqual([['copa/acc', 0.84]]);
  });

  it('keeps lines after a byte-order mark and leaves NaN inside strings alone', () => {
    const text = '\uFEFF{\n  "NaN Infinity": {\n    "acc": NaN,\n    "f1": -Infinity\n  }\n}';
    const file = parseMetricsFile(text, 'm.json');
    expect(file.metrics.map((m) => [m.key, m.value, m.line])).toEqual([
      ['NaN Infinity/acc', Number.NaN, 3],
      ['NaN Infinity/f1', Number.NEGATIVE_INFINITY, 4],
    ]);
  });

  it.each([
    ['JSON nested 100 levels deep', `${'{"a":'.repeat(100)}{"acc": 1}${'}'.repeat(100)}`, 'd.json', 1],
    [
      'JSON nested 100,000 levels deep',
      `${'{"a":'.repeat(100_000)}{"acc": 1}${'}'.repeat(100_000)}`,
      'd.json',
      undefined,
    ],
    [
      'YAML nested 100 levels deep',
      Array.from({ length: 101 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n',
      'd.yaml',
      66,
    ],
  ])('throws a ParseError for %s', (_name, text, path, line) => {
    const error = thrown(() => parseMetricsFile(text, path));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(line);
  });

  it('reads YAML aliases once and leaves out an alias to its own ancestor', () => {
    const file = parseMetricsFile('base: &b\n  acc: 0.5\n  self: *b\nother: *b\n', 'm.yaml');
    expect(file.metrics.map((m) => [m.key, m.value, m.line])).toEqual([
      ['base/acc', 0.5, 2],
      ['other/acc', 0.5, 2],
    ]);
  });

  it('reads a very long single line', () => {
    // 20,000 metrics on one line of about 600 KB.
    const values = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`acc_${i}`, i / 20_000]));
    const file = parseMetricsFile(JSON.stringify({ eval: values }), 'long.json');
    expect(file.metrics).toHaveLength(20_000);
    expect(file.metrics[19_999]).toEqual({
      key: 'eval/acc_19999',
      task: 'eval',
      metric: 'acc_19999',
      value: 19_999 / 20_000,
      line: 1,
    });
  });
});

describe('parseMetricsFile: what it cannot use, said with its line', () => {
  const good = fixture('v047_rwkv7-1.5b_lambada_run-good.json');

  it('reports a negative standard error at its line (8), and keeps the metric without it', () => {
    const text = good.replace(
      '"acc_stderr,none": 0.006454004061618767',
      '"acc_stderr,none": -0.006454004061618767',
    );
    const file = parseMetricsFile(text, 'results.json');
    expect(file.problems).toEqual([
      {
        line: 8,
        reason:
          'results.lambada_openai."acc_stderr,none" is number -0.006454004061618767: a standard error cannot be negative or infinite, so acc\'s change is not tested for noise',
      },
    ]);
    const acc = file.metrics.find((metric) => metric.key === 'lambada_openai/acc');
    expect(acc).toEqual({
      key: 'lambada_openai/acc',
      task: 'lambada_openai',
      metric: 'acc',
      value: 0.6881428294197555,
      line: 7,
      higherIsBetter: true,
    });
  });

  it('reports lm-eval sections that are no object (versions at line 54, then n-shot at line 55)', () => {
    const text = good
      .replace('"n-shot": {\n    "lambada_openai": 0\n  }', '"n-shot": 0')
      .replace('"versions": {\n    "lambada_openai": 1.0\n  }', '"versions": ["1.0"]');
    const file = parseMetricsFile(text, 'results.json');
    expect(file.problems).toEqual([
      { line: 55, reason: 'n-shot is number 0, not an object: it is not read' },
      { line: 54, reason: 'versions is a list, not an object: it is not read' },
    ]);
    expect(file.metrics.map((metric) => metric.key)).toEqual([
      'lambada_openai/perplexity',
      'lambada_openai/acc',
    ]);
  });

  it('takes a null section as an empty one, without a problem', () => {
    const text = good.replace('"n-shot": {\n    "lambada_openai": 0\n  }', '"n-shot": null');
    expect(parseMetricsFile(text, 'results.json').problems).toEqual([]);
  });
});
