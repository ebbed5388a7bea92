import { describe, expect, it } from '@jest/globals';
import type { Finding, Report } from '../src/model/report-schema.js';
import { analyzePair, fixture } from './checks/helpers/analyze-pair.js';

/*
 * A model card's "Training results" table as the run's training log, in real git repositories
 * (fixtures/cards, SOURCES.md there). The whisper-small-hi card's table (lines 70–74) is a real case of
 * overfitting: train loss falls 0.1011 → 0.0264 → 0.0025 → 0.0006 → 0.0002 while validation loss
 * rises 0.3075 → 0.3558 → 0.4214 → 0.4519 → 0.4679 over steps 1000–5000. By hand: 4 rises in a row,
 * so 5 evaluations rising; final gap 0.4679 − 0.0002 = 0.4677 (default max-gap 0.3); after the first
 * row alone the gap was 0.3075 − 0.1011 = 0.2064. Its repository commits the Trainer's
 * trainer_state.json beside the card (same commit), which holds the same run in full.
 */

const whisper = (file: string): Buffer => fixture(`cards/whisper-small-hi.${file}`);
const translado = fixture('cards/CS577-NLP.Jyotiyadav_translado_README.md');
const TRAINING_CHECKS = ['train-overfitting-gap', 'train-eval-loss-rising', 'train-divergence'];

function trainingFindings(report: Report): Pick<Finding, 'check' | 'title' | 'location'>[] {
  return report.findings
    .filter((f) => TRAINING_CHECKS.includes(f.check))
    .map(({ check, title, location }) => ({ check, title, ...(location ? { location } : {}) }));
}

/** The whisper card with its table cut to the first `rows` rows (the card as an earlier checkpoint wrote it). */
function whisperCardWithRows(rows: number): string {
  const lines = whisper('README.md').toString('utf8').split('\n');
  // Table rows are lines 70–74 (1-based).
  return [...lines.slice(0, 69 + rows), ...lines.slice(74)].join('\n');
}

describe("a model card's Training results table as a training log", () => {
  it('warns about the overfitting a card the pull request adds shows, at the card', async () => {
    const report = await analyzePair({}, { 'models/whisper/README.md': whisper('README.md') });
    expect(trainingFindings(report)).toEqual([
      {
        check: 'train-overfitting-gap',
        title: 'Eval loss is 0.4677 above train loss at the end of models/whisper/README.md',
        location: { path: 'models/whisper/README.md' },
      },
      {
        check: 'train-eval-loss-rising',
        title: 'Eval loss rose over the last 5 evaluations of models/whisper/README.md',
        location: { path: 'models/whisper/README.md' },
      },
    ]);
    const entry = report.training.find((t) => t.path === 'models/whisper/README.md');
    expect(entry?.status).toBe('added');
    expect(entry?.head?.format).toBe('hf-model-card');
    expect(entry?.head?.evalCurve).toEqual([
      { step: 1000, value: 0.3075 },
      { step: 2000, value: 0.3558 },
      { step: 3000, value: 0.4214 },
      { step: 4000, value: 0.4519 },
      { step: 5000, value: 0.4679 },
    ]);
  });

  it("compares with the base card's table when the pull request brings the rows that show it", async () => {
    const report = await analyzePair(
      { 'README.md': whisperCardWithRows(1) },
      { 'README.md': whisper('README.md') },
    );
    expect(trainingFindings(report).map((f) => f.title)).toEqual([
      'Eval loss is 0.4677 above train loss at the end of README.md (was 0.2064)',
      'Eval loss rose over the last 5 evaluations of README.md',
    ]);
  });

  it('does not blame the pull request for a problem the base card already showed', async () => {
    // Base: the whole table (gap 0.4677, 4 rises). Head: cut to its first 4 rows (gap 0.4519 − 0.0006
    // = 0.4513, 3 rises): the table changed, but both problems were already on base.
    const report = await analyzePair(
      { 'README.md': whisper('README.md') },
      { 'README.md': whisperCardWithRows(4) },
    );
    expect(report.training.find((t) => t.path === 'README.md')?.status).toBe('modified');
    expect(trainingFindings(report)).toEqual([]);
  });

  it('leaves out a card whose table the pull request did not change', async () => {
    const card = whisper('README.md').toString('utf8');
    const report = await analyzePair(
      { 'README.md': card },
      { 'README.md': `${card}\n## Citation\n\nNone.\n` },
    );
    expect(report.training.map((t) => t.path)).toEqual([]);
    expect(trainingFindings(report)).toEqual([]);
  });

  it.each([['trainer_state.json'], ['last-checkpoint/trainer_state.json']])(
    'lets a %s beside the card win: the same run is judged once, on the state',
    async (state) => {
      const report = await analyzePair(
        {},
        { 'README.md': whisper('README.md'), [state]: whisper('trainer_state.json') },
      );
      expect(report.training.map((t) => t.path)).toEqual([state]);
      const findings = trainingFindings(report);
      expect(findings.filter((f) => f.location?.path === 'README.md')).toEqual([]);
      expect(findings.map((f) => f.check)).toContain('train-eval-loss-rising');
    },
  );

  it("follows the config's training-logs list: a card it names is read as a log, others are not", async () => {
    const card = { 'models/whisper/README.md': whisper('README.md') };
    const named = await analyzePair({}, card, 'training-logs: [models/*/README.md]\n');
    expect(named.training.map((t) => [t.path, t.head?.format])).toEqual([
      ['models/whisper/README.md', 'hf-model-card'],
    ]);
    expect(trainingFindings(named).map((f) => f.check)).toEqual([
      'train-overfitting-gap',
      'train-eval-loss-rising',
    ]);
    const other = await analyzePair({}, card, 'training-logs: [outputs/trainer_state.json]\n');
    expect(other.training).toEqual([]);
    const ignored = await analyzePair({}, card, 'ignore: [models/**]\n');
    expect(ignored.training).toEqual([]);
  });

  it('reads a table whose first rows say "No log", and judges its evaluations', async () => {
    // The translado card: eval loss 0.0244 → 0.0307, rising at each of its 10 evaluations (9 rises);
    // train loss 0.0134 (logged at step 500), then 0.0 at step 1000: a gap of 0.0307, under max-gap.
    const report = await analyzePair({}, { 'models/translado/README.md': translado });
    expect(trainingFindings(report)).toEqual([
      {
        check: 'train-eval-loss-rising',
        title: 'Eval loss rose over the last 10 evaluations of models/translado/README.md',
        location: { path: 'models/translado/README.md' },
      },
    ]);
    expect(report.training[0]?.head?.trainCurve).toEqual([
      { step: 500, value: 0.0134 },
      { step: 1000, value: 0 },
    ]);
  });

  it('reports a row it cannot read as a problem of the card, at its line, and reads the rest', async () => {
    const card = whisper('README.md').toString('utf8').replace('| 3000 |', '| 3k   |');
    const report = await analyzePair({}, { 'README.md': card });
    expect(report.unreadable.filter((u) => u.path === 'README.md')).toEqual([
      { path: 'README.md', side: 'head', line: 72, reason: 'Step is not a number: "3k"' },
    ]);
    expect(report.training[0]?.head?.evalCurve.map((p) => p.step)).toEqual([1000, 2000, 4000, 5000]);
  });
});
