import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';
import { applyHelmRunSpec, isHelmStatsPath } from '../../src/loaders/read-helm.js';

/*
 * HELM's narrative_qa run of openai/gpt2 (fixtures/helm/SOURCES.md): 150 statistics over the test and
 * valid splits, unperturbed and under the robustness and fairness perturbations, one trial each. The
 * values and lines below were read off the file with python3 (`json.load`, and the line of each
 * element's `{`).
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/helm/${name}`, import.meta.url), 'utf8');
const STATS = fixture('narrative_qa_gpt2_stats.json');
const RUN_SPEC = fixture('narrative_qa_gpt2_run_spec.json');
const PATH = 'benchmark_output/runs/v1/narrative_qa:model=openai_gpt2/stats.json';

describe("HELM's stats.json", () => {
  const file = parseMetricsFile(STATS, PATH);

  it('is one metric per statistic and split: the mean, at the line of its entry', () => {
    expect(file.format).toBe('helm');
    expect(file.metrics.filter((m) => m.task === 'test').map((m) => [m.metric, m.value, m.line])).toEqual([
      ['max_prob', 1, 202],
      ['exact_match', 0, 216],
      ['quasi_exact_match', 0, 230],
      ['f1_score', 0.17424242424242425, 244],
      ['rouge_l', 0.05365510777881912, 258],
      ['bleu_1', 0.03568840579710145, 272],
      ['bleu_4', 1.1125369292536313e-308, 286],
      ['logprob', 0, 300],
      ['perplexity', 1, 682],
      ['bits_per_byte', 0, 696],
      ['logprob_per_byte', 0, 710],
    ]);
    // 11 per split unperturbed, 8 per split and perturbation (no perplexity figures): 2 × 11 + 4 × 8.
    expect(file.metrics).toHaveLength(54);
    expect(file.problems).toEqual([]);
  });

  it('never reads counts, tokens, timings, costs or finish reasons as metrics', () => {
    const names = new Set(file.metrics.map((m) => m.metric));
    for (const bookkeeping of [
      'num_references',
      'num_prompt_tokens',
      'num_instances',
      'inference_runtime',
      'training_co2_cost',
      'finish_reason_stop',
      'batch_size',
      'prompt_truncated',
    ])
      expect(names.has(bookkeeping)).toBe(false);
  });

  it('keeps each perturbation apart, as a slice of its split', () => {
    expect(
      file.metrics.filter((m) => m.key.startsWith('test · robustness/')).map((m) => [m.metric, m.value]),
    ).toEqual([
      ['max_prob', 1],
      ['exact_match', 0],
      ['quasi_exact_match', 0],
      ['f1_score', 0.17424242424242425],
      ['rouge_l', 0.05365510777881912],
      ['bleu_1', 0.03568840579710145],
      ['bleu_4', 1.1125369292536313e-308],
      ['logprob', 0],
    ]);
    expect(file.groups).toEqual({
      test: ['test · robustness', 'test · fairness'],
      valid: ['valid · robustness', 'valid · fairness'],
    });
  });

  it('has no standard error for one trial, and the instances as the sample count', () => {
    expect(file.metrics.every((m) => m.stderr === undefined)).toBe(true);
    // num_instances: 4 on test, 1 on valid.
    expect(file.tasks['test']).toEqual({ samples: { effective: 4 } });
    expect(file.tasks['valid']).toEqual({ samples: { effective: 1 } });
  });

  it('gives a mean over several trials the standard error of a mean', () => {
    // Three trials of exact_match scoring 0.5, 0.6 and 0.7 (hand-made): mean 0.6, population variance
    // 0.02/3, sample variance 0.01; standard error sqrt(0.01 / 3) = 0.05773502691896258 (python3).
    const stat = { count: 3, sum: 1.8, sum_squared: 1.1, min: 0.5, max: 0.7, mean: 0.6 };
    const variance = 0.02 / 3;
    const withVariance = [{ name: { name: 'exact_match', split: 'test' }, ...stat, variance }];
    const withSums = [{ name: { name: 'exact_match', split: 'test' }, ...stat }];
    for (const stats of [withVariance, withSums]) {
      const [metric] = parseMetricsFile(JSON.stringify(stats), PATH).metrics;
      expect(metric?.stderr).toBeCloseTo(0.05773502691896258, 12);
    }
  });

  it('says which entries have no name or no mean, and reads the rest', () => {
    const text = JSON.stringify(
      [
        { name: { name: 'exact_match', split: 'test' }, count: 1, sum: 0.5, mean: 0.5 },
        { name: { split: 'test' }, count: 1, sum: 0.5, mean: 0.5 },
        { name: { name: 'f1_score', split: 'test' }, count: 1, sum: 0.5, mean: null },
      ],
      null,
      2,
    );
    const read = parseMetricsFile(text, PATH);
    expect(read.metrics.map((m) => [m.key, m.value])).toEqual([['test/exact_match', 0.5]]);
    expect(read.problems).toEqual([
      { line: 11, reason: 'a statistic without a name: it is left out' },
      { line: 19, reason: 'test/f1_score has no numeric mean: it is left out' },
    ]);
  });

  it("takes the run's settings from run_spec.json: in-context examples, instances, method, outputs, temperature, model", () => {
    const withSpec = applyHelmRunSpec(file, RUN_SPEC);
    // adapter_spec: method generation, max_train_instances 5, max_eval_instances 5, num_outputs 1,
    // temperature 0.0, model openai/gpt2.
    expect(withSpec.tasks['test']).toEqual({
      nShot: 5,
      limit: 5,
      mode: 'generation',
      outputs: 1,
      temperature: 0,
      samples: { effective: 4 },
    });
    expect(withSpec.tasks['test · robustness']).toEqual({
      nShot: 5,
      limit: 5,
      mode: 'generation',
      outputs: 1,
      temperature: 0,
    });
    expect(withSpec.evaluator).toEqual({ model: 'openai/gpt2' });
    expect(applyHelmRunSpec(file, 'not json')).toBe(file);
  });

  it.each([
    [PATH, true],
    ['helm/benchmark_output/runs/my-suite/mmlu:subject=anatomy,model=gpt2/stats.json', true],
    ['benchmark_output/runs/v1/narrative_qa:model=openai_gpt2/per_instance_stats.json', false],
    ['stats.json', false],
  ])('%s is where HELM writes statistics: %s', (path, expected) => {
    expect(isHelmStatsPath(path)).toBe(expected);
  });
});
