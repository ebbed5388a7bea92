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

/*
 * The card against lm-eval results in its folder or under it: argilla-io/notus commits notus-7b-v1's
 * card (v1/assets/MODEL_CARD.md, copied here as the model folder's README.md) with the Open LLM
 * Leaderboard's numbers, and its own lm-eval runs of the same tasks (v1/eval/lm_eval_harness/). By hand
 * from the files: ARC-Challenge acc_norm 0.6459044368600683 on the card (line 32) against 0.6424914675767918
 * in arc.json; HellaSwag acc_norm 0.8478390758812986 (line 49) against 0.8490340569607648; Winogrande acc
 * 0.7940015785319653 (line 137) against 0.745067087608524. Its GSM8K `acc` has no lm-eval counterpart
 * (the file holds `exact_match,get-answer`), nor its TruthfulQA `mc2` (the file's truthfulqa_mc2 is `acc`).
 */
const notus = (file: string): Buffer => fixture(`cards/notus.${file}`);
const notusRuns = Object.fromEntries(
  ['arc', 'hellaswag', 'winogrande', 'gsm8k', 'truthfulqa'].map((task) => [
    `notus-7b-v1/eval/lm_eval_harness/${task}.json`,
    notus(`lm_eval_harness.${task}.json`),
  ]),
);
const notusCard = { 'notus-7b-v1/README.md': notus('MODEL_CARD.md') };
const runs = (task: string): string => `notus-7b-v1/eval/lm_eval_harness/${task}.json`;

describe('eval-card-mismatch against lm-eval results', () => {
  it('warns when the pull request adds lm-eval runs under a card that states other numbers for the same tasks', async () => {
    const report = await analyzePair(notusCard, { ...notusCard, ...notusRuns });
    const findings = report.findings.filter((f) => f.check === 'eval-card-mismatch');
    expect(findings.map(summarise)).toEqual([
      {
        check: 'eval-card-mismatch',
        severity: 'warning',
        title: `notus-7b-v1/README.md states 3 numbers that ${runs('arc')} and ${runs('hellaswag')} and ${runs('winogrande')} do not hold`,
        location: { path: 'notus-7b-v1/README.md', line: 32 },
      },
    ]);
    expect(findings[0]?.details.slice(0, 3)).toEqual([
      `line 32: acc_norm 0.6459044368600683; ${runs('arc')} has arc_challenge/acc_norm = 0.642491`,
      `line 49: acc_norm 0.8478390758812986; ${runs('hellaswag')} has hellaswag/acc_norm = 0.849034`,
      `line 137: acc 0.7940015785319653; ${runs('winogrande')} has winogrande/acc = 0.745067`,
    ]);
  });

  it('is silent when the card agrees at its precision, as a percentage, and when the disagreement predates the pull request', async () => {
    // The card edited to state the runs' own numbers as percentages at two decimals (64.25, 84.90, 74.51).
    const text = notus('MODEL_CARD.md')
      .toString('utf8')
      .replace('value: 0.6459044368600683', 'value: 64.25')
      .replace('value: 0.8478390758812986', 'value: 84.90')
      .replace('value: 0.7940015785319653', 'value: 74.51');
    const agreeing = await analyzePair(notusRuns, { ...notusRuns, 'notus-7b-v1/README.md': text });
    expect(agreeing.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
    const both = { ...notusCard, ...notusRuns };
    const edited = {
      ...both,
      'notus-7b-v1/README.md': `${notus('MODEL_CARD.md').toString('utf8')}\n## Citation\n\nNone.\n`,
    };
    const old = await analyzePair(both, edited);
    expect(old.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
  });

  it('is silent when the pairing is not clear: another n-shot, or two runs that disagree', async () => {
    // The card edited to claim ARC-Challenge at 0-shot where the runs' file has 25; then a second run of
    // ARC (arc.json edited to acc_norm 0.65) beside the first, so the card's number pairs with two values.
    const zeroShot = notus('MODEL_CARD.md').toString('utf8').replace('num_few_shot: 25', 'num_few_shot: 0');
    const arcOnly = { [runs('arc')]: notus('lm_eval_harness.arc.json') };
    const arcFile = JSON.parse(notus('lm_eval_harness.arc.json').toString('utf8')) as {
      'n-shot'?: Record<string, number>;
    };
    const withShots = JSON.stringify({ ...arcFile, 'n-shot': { arc_challenge: 25 } });
    const shots = await analyzePair({}, { 'notus-7b-v1/README.md': zeroShot, [runs('arc')]: withShots });
    expect(shots.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
    const sameShots = await analyzePair({}, { ...notusCard, [runs('arc')]: withShots });
    expect(sameShots.findings.filter((f) => f.check === 'eval-card-mismatch').map((f) => f.evidence)).toEqual(
      [{ head: 1 }],
    );
    const rerun = notus('lm_eval_harness.arc.json')
      .toString('utf8')
      .replace('"acc_norm,none": 0.6424914675767918', '"acc_norm,none": 0.65');
    const two = await analyzePair({}, { ...notusCard, ...arcOnly, 'notus-7b-v1/eval/rerun/arc.json': rerun });
    expect(two.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
  });
});

/*
 * The Hub's `.eval_results/*.yaml` entries against lm-eval results. The entries below are the notus-7b-v1
 * card's own Open LLM Leaderboard numbers (notus.MODEL_CARD.md: Winogrande winogrande_xl acc
 * 0.7940015785319653 at line 137, ARC-Challenge acc_norm 0.6459044368600683 at line 32) written in the
 * `.eval_results` format for this test, beside the repository's real lm-eval runs. An entry names no
 * metric: by hand, winogrande.json holds one metric of winogrande (acc 0.745067087608524), so the
 * pairing is clear and 0.7940 disagrees; arc.json holds two of arc_challenge (acc 0.6075085324232082,
 * acc_norm 0.6424914675767918), so the ARC entry pairs with neither.
 */
const evalResults = (winogrande: string): string =>
  [
    "# notus.MODEL_CARD.md's leaderboard numbers as .eval_results entries (a test's transcription).",
    '- dataset:',
    '    id: allenai/winogrande',
    '    task_id: winogrande_xl',
    `  value: ${winogrande}`,
    '- dataset:',
    '    id: allenai/ai2_arc',
    '    task_id: ARC-Challenge',
    '  value: 0.6459044368600683',
    '',
  ].join('\n');
const EVAL_RESULTS = 'notus-7b-v1/.eval_results/open-llm-leaderboard.yaml';

describe('eval-card-mismatch: .eval_results entries against lm-eval results', () => {
  it("warns about an entry whose benchmark's only lm-eval metric says otherwise, at its line", async () => {
    const lmEval = {
      [runs('winogrande')]: notus('lm_eval_harness.winogrande.json'),
      [runs('arc')]: notus('lm_eval_harness.arc.json'),
    };
    const report = await analyzePair(lmEval, {
      ...lmEval,
      [EVAL_RESULTS]: evalResults('0.7940015785319653'),
    });
    const findings = report.findings.filter((f) => f.check === 'eval-card-mismatch');
    expect(findings.map(summarise)).toEqual([
      {
        check: 'eval-card-mismatch',
        severity: 'warning',
        title: `${EVAL_RESULTS} states 1 number that ${runs('winogrande')} does not hold`,
        location: { path: EVAL_RESULTS, line: 5 },
      },
    ]);
    expect(findings[0]?.details[0]).toBe(
      `line 5: winogrande winogrande_xl 0.7940015785319653; ${runs('winogrande')} has winogrande/acc = 0.745067`,
    );
  });

  it('is silent for an entry that agrees as a percentage, and for one the pull request did not bring', async () => {
    const lmEval = { [runs('winogrande')]: notus('lm_eval_harness.winogrande.json') };
    // 0.745067087608524 as a percentage at two decimals.
    const agreeing = await analyzePair(lmEval, { ...lmEval, [EVAL_RESULTS]: evalResults('74.51') });
    expect(agreeing.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
    const both = { ...lmEval, [EVAL_RESULTS]: evalResults('0.7940015785319653') };
    const old = await analyzePair(both, { ...both, 'notus-7b-v1/README.md': '# notus-7b-v1\n' });
    expect(old.findings.filter((f) => f.check === 'eval-card-mismatch')).toEqual([]);
  });
});
