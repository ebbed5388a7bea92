import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { findLmEvalMismatches, type LmEvalFile } from '../../src/analyze/find-lm-eval-mismatches.js';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';
import type { CardDataset, CardValue } from '../../src/loaders/read-model-card.js';

/*
 * Real lm-eval results (fixtures/metrics, SOURCES.md there), read by hand with python3:
 * - v047_qwen2.5-1.5b_results.json (lm-eval 0.4): arc_challenge acc_norm 0.45307167235494883 at n-shot 0,
 *   hellaswag acc_norm 0.678550089623581, mmlu (a group of mmlu_stem, mmlu_other...) acc 0.5961401509756445;
 * - harness-legacy_llama-7B_common_sense_reasoning_0-shot.json (pre-0.4, num_fewshot 0): arc_challenge
 *   acc_norm 0.4138225255972696, hellaswag acc_norm 0.7298346942840072.
 * The card numbers are written here as model-index entries of the Open LLM Leaderboard's shape.
 */
const read = (name: string): LmEvalFile => {
  const path = `eval/${name}`;
  const text = readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8');
  return { path, results: parseMetricsFile(text, path) };
};
const QWEN = read('v047_qwen2.5-1.5b_results.json');
const LLAMA = read('harness-legacy_llama-7B_common_sense_reasoning_0-shot.json');

const ARC: CardDataset = { name: 'AI2 Reasoning Challenge', type: 'ai2_arc', config: 'ARC-Challenge' };
const HELLASWAG: CardDataset = { name: 'HellaSwag', type: 'hellaswag' };
const MMLU: CardDataset = { name: 'MMLU', type: 'cais/mmlu', config: 'all' };

function stated(label: string, source: string, dataset?: CardDataset): CardValue {
  const decimals = source.split('.')[1]?.length ?? 0;
  return {
    label,
    value: Number(source),
    decimals,
    line: 10,
    from: 'model-index',
    ...(dataset ? { dataset } : {}),
  };
}

describe('findLmEvalMismatches', () => {
  it.each([
    [
      'ARC-Challenge acc_norm 0.4600 against 0.45307',
      [QWEN],
      stated('acc_norm', '0.4600', ARC),
      'eval/v047_qwen2.5-1.5b_results.json',
      'arc_challenge/acc_norm',
      0.45307167235494883,
    ],
    [
      'ARC-Challenge acc_norm 0.50 against a legacy file',
      [LLAMA],
      stated('acc_norm', '0.50', { ...ARC, fewShot: 0 }),
      'eval/harness-legacy_llama-7B_common_sense_reasoning_0-shot.json',
      'arc_challenge/acc_norm',
      0.4138225255972696,
    ],
    [
      'HellaSwag acc_norm 70.1 (a percentage) against 0.67855',
      [QWEN],
      stated('acc_norm', '70.1', HELLASWAG),
      'eval/v047_qwen2.5-1.5b_results.json',
      'hellaswag/acc_norm',
      0.678550089623581,
    ],
  ])('finds %s', (_name, files, value, results, key, actual) => {
    expect(findLmEvalMismatches('README.md', [value], files)).toEqual([
      { card: 'README.md', stated: value, results, key, actual },
    ]);
  });

  it.each([
    ['the same number as a percentage at two decimals', [QWEN], stated('acc_norm', '45.31', ARC)],
    ['the same number cut to four decimals', [LLAMA], stated('acc_norm', '0.7298', HELLASWAG)],
    [
      'another n-shot than the file (25 against 0)',
      [QWEN],
      stated('acc_norm', '0.4600', { ...ARC, fewShot: 25 }),
    ],
    ['a group (mmlu), whose aggregate is weighted in more than one way', [QWEN], stated('acc', '0.70', MMLU)],
    ['a metric the task does not have', [QWEN], stated('f1', '0.70', ARC)],
    ['a dataset no task is named after', [QWEN], stated('acc', '0.70', { type: 'cais/hle' })],
    ['a number without a dataset', [QWEN], stated('acc_norm', '0.70')],
    ['two runs that disagree among themselves', [QWEN, LLAMA], stated('acc_norm', '0.50', ARC)],
    ['two runs, one of which agrees', [QWEN, LLAMA], stated('acc_norm', '0.4138', ARC)],
  ])('is silent for %s', (_name, files, value) => {
    expect(findLmEvalMismatches('README.md', [value], files)).toEqual([]);
  });

  it('leaves the numbers of a card list alone: they name no dataset', () => {
    const listed: CardValue = { ...stated('acc_norm', '0.4600', ARC), from: 'list' };
    expect(findLmEvalMismatches('README.md', [listed], [QWEN])).toEqual([]);
  });
});
