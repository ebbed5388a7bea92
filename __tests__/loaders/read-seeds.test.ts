import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');

describe('the seeds of an lm-eval run', () => {
  it('reads the four seeds lm-eval 0.4.7 records in its config', () => {
    // Qwen2.5-1.5B's results (fixtures/metrics/SOURCES.md): "random_seed": 0, "numpy_seed": 1234,
    // "torch_seed": 1234, "fewshot_seed": 1234.
    const file = parseMetricsFile(fixture('v047_qwen2.5-1.5b_results.json'), 'results.json');
    expect(file.evaluator.seeds).toBe('random_seed=0,numpy_seed=1234,torch_seed=1234,fewshot_seed=1234');
  });

  it('records none when the config has none (legacy results) or sets them to null', () => {
    const legacy = parseMetricsFile(fixture('harness-legacy_llama-7B_gsm8k_8-shot.json'), 'results.json');
    expect(legacy.evaluator.seeds).toBeUndefined();
    const unset = fixture('v047_qwen2.5-1.5b_results.json')
      .replace('"random_seed": 0', '"random_seed": null')
      .replace('"numpy_seed": 1234', '"numpy_seed": null')
      .replace('"torch_seed": 1234', '"torch_seed": null')
      .replace('"fewshot_seed": 1234', '"fewshot_seed": null');
    expect(parseMetricsFile(unset, 'results.json').evaluator.seeds).toBeUndefined();
  });
});
