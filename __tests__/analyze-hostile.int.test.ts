import { describe, expect, it } from '@jest/globals';
import { MAX_ALIAS_EXPANSION } from '../src/loaders/measure-aliases.js';
import { analyzePair, summarise } from './checks/helpers/analyze-pair.js';
import { BILLION_LAUGHS, findBillionLaughsExcess } from './helpers/billion-laughs.js';

describe('analyze on hostile inputs', () => {
  it('turns a billion-laughs metrics file into one finding at its alias, and still compares the others', async () => {
    const report = await analyzePair(
      { 'eval/metrics.yaml': 'arc: { acc: 0.5 }\n', 'eval/metrics_mmlu.yaml': 'mmlu: { acc: 0.5 }\n' },
      { 'eval/metrics.yaml': BILLION_LAUGHS, 'eval/metrics_mmlu.yaml': 'mmlu: { acc: 0.25 }\n' },
    );
    const { line } = findBillionLaughsExcess(MAX_ALIAS_EXPANSION);
    const unreadable = report.findings.filter((finding) => finding.check === 'input-unreadable');
    expect(unreadable.map(summarise)).toEqual([
      {
        check: 'input-unreadable',
        severity: 'warning',
        title: expect.stringMatching(
          new RegExp(`^Could not read eval/metrics\\.yaml at line ${line} \\(head\\): too many aliases: `),
        ),
        location: { path: 'eval/metrics.yaml', side: 'head', line },
      },
    ]);
    expect(report.findings.some((finding) => finding.location?.path === 'eval/metrics_mmlu.yaml')).toBe(true);
  });
});
