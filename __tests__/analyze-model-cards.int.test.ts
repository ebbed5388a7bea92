import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Model cards against the Trainer's results beside them, in real git repositories (fixtures/cards,
 * SOURCES.md there). The t5 card states ROUGE-1 41.49, ROUGE-2 13.62 and ROUGE-L 29.42 (lines 12–14)
 * where its all_results.json holds 41.6324, 19.1949 and 29.4531; its "Eval loss: 1.63" agrees with
 * eval_loss 1.6339 at two decimals, and its "Training loss" is no evaluation result. The whisper card
 * agrees with its results everywhere.
 */

const t5 = (file: string): Buffer => fixture(`cards/t5-summarization-demo.${file}`);
const whisper = (file: string): Buffer => fixture(`cards/whisper-small-hi.${file}`);
const t5Results = {
  'all_results.json': t5('all_results.json'),
  'eval_results.json': t5('eval_results.json'),
};

describe('eval-card-mismatch', () => {
  it('warns when the pull request adds a card whose numbers the results do not hold, with the numbers', async () => {
    const report = await analyzePair(t5Results, { ...t5Results, 'README.md': t5('README.md') });
    const findings = report.findings.filter((f) => f.check === 'eval-card-mismatch');
    expect(findings.map(summarise)).toEqual([
      {
        check: 'eval-card-mismatch',
        severity: 'warning',
        title: 'README.md states 3 numbers that all_results.json does not hold',
        location: { path: 'README.md', line: 12 },
      },
    ]);
    expect(findings[0]?.details.slice(0, 3)).toEqual([
      'line 12: ROUGE-1 41.49; all_results.json has eval_rouge1 = 41.6324',
      'line 13: ROUGE-2 13.62; all_results.json has eval_rouge2 = 19.1949',
      'line 14: ROUGE-L 29.42; all_results.json has eval_rougeL = 29.4531',
    ]);
  });

  it('warns when new results leave an unchanged card behind, in a model folder', async () => {
    // The card as base had it, in models/t5/, with results of another run; head's results are the real ones.
    const stale = { 'models/t5/README.md': t5('README.md') };
    const older = JSON.stringify({
      eval_rouge1: 41.49,
      eval_rouge2: 13.62,
      eval_rougeL: 29.42,
      eval_loss: 1.63,
    });
    const report = await analyzePair(
      { ...stale, 'models/t5/all_results.json': older },
      { ...stale, 'models/t5/all_results.json': t5('all_results.json') },
    );
    const finding = report.findings.find((f) => f.check === 'eval-card-mismatch');
    expect(finding?.title).toBe(
      'models/t5/README.md states 3 numbers that models/t5/all_results.json does not hold',
    );
  });

  it('is silent when the disagreement predates the pull request', async () => {
    const both = { ...t5Results, 'README.md': t5('README.md') };
    const edited = { ...both, 'README.md': `${t5('README.md').toString('utf8')}\n## Citation\n\nNone.\n` };
    const report = await analyzePair(both, edited);
    expect(report.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
  });

  it('is silent for a card that agrees with its results, in model-index and in its text', async () => {
    const results = {
      'all_results.json': whisper('all_results.json'),
      'eval_results.json': whisper('eval_results.json'),
    };
    const report = await analyzePair(results, { ...results, 'README.md': whisper('README.md') });
    expect(report.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
  });

  it('reads a percentage of a fraction as the same number, and follows the config', async () => {
    const results = { 'eval_results.json': JSON.stringify({ eval_accuracy: 0.9123 }) };
    const card = { 'README.md': '# m\n\n- Accuracy: 91.2%\n' };
    const agreeing = await analyzePair(results, { ...results, ...card });
    expect(agreeing.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
    const inflated = { 'README.md': '# m\n\n- Accuracy: 93.5\n' };
    const off = await analyzePair(
      results,
      { ...results, ...inflated },
      'checks:\n  eval-card-mismatch: { severity: off }\n',
    );
    expect(off.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
    const on = await analyzePair(results, { ...results, ...inflated });
    expect(on.findings.find((f) => f.check === 'eval-card-mismatch')?.details[0]).toBe(
      'line 3: Accuracy 93.5; eval_results.json has eval_accuracy = 0.9123',
    );
  });
});
