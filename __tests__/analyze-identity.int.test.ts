import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Identity across commits, on real temporary git repositories: a file that moved is the same artifact
 * (git's rename detection pairs the two paths), and a timestamped lm-eval re-run is compared with the run
 * it replaces. Files are real (fixtures and their SOURCES.md); expected numbers are read off the fixtures.
 */

const rwkv = (run: 'good' | 'regressed') => fixture(`metrics/v047_rwkv7-1.5b_lambada_run-${run}.json`);
const OLD_RUN = 'out/rwkv7/results_2024-11-20T10-00-00.000001.json';
const NEW_RUN = 'out/rwkv7/results_2024-11-21T09-30-00.000002.json';

describe('a timestamped lm-eval re-run', () => {
  // rwkv7 lambada: acc 0.688143 → 0.410635 and perplexity 4.263079 → 20.088276 (fixtures' own numbers).
  const regressions = [
    'lambada_openai / perplexity regressed: 4.263 → 20.09 (+15.83, ×4.712)',
    'lambada_openai / acc regressed: 0.6881 → 0.4106 (-0.2775, -40.3%)',
  ];

  it('that replaces the old file is compared with it, and its regression fails the review', async () => {
    const report = await analyzePair(
      { [OLD_RUN]: rwkv('good') },
      { [OLD_RUN]: null, [NEW_RUN]: rwkv('regressed') },
    );
    expect(report.verdict).toBe('failure');
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'eval-regression',
        severity: 'failure',
        title: regressions[0],
        location: { path: NEW_RUN, line: 5 },
      },
      {
        check: 'eval-regression',
        severity: 'failure',
        title: regressions[1],
        location: { path: NEW_RUN, line: 7 },
      },
    ]);
    expect(report.metrics.map((m) => [m.path, m.status, m.comparedWith])).toEqual([
      [NEW_RUN, 'modified', { path: OLD_RUN, reason: 'newer-run' }],
    ]);
  });

  it('written beside the old runs is compared with the newest of them, and the history is not reported', async () => {
    const older = 'out/rwkv7/results_2024-11-19T08-00-00.000000.json';
    const report = await analyzePair(
      { [older]: rwkv('regressed'), [OLD_RUN]: rwkv('good') },
      { [older]: rwkv('regressed'), [OLD_RUN]: rwkv('good'), [NEW_RUN]: rwkv('regressed') },
    );
    expect(report.findings.map((f) => f.title)).toEqual(regressions);
    expect(report.metrics.map((m) => [m.path, m.comparedWith?.path])).toEqual([[NEW_RUN, OLD_RUN]]);
  });

  it('of another model folder is not paired with this one', async () => {
    const other = 'out/qwen/results_2024-11-21T09-30-00.000002.json';
    const report = await analyzePair(
      { [OLD_RUN]: rwkv('good') },
      { [OLD_RUN]: rwkv('good'), [other]: rwkv('regressed') },
    );
    expect(report.findings.filter((f) => f.check === 'eval-regression')).toEqual([]);
    expect(report.metrics.map((m) => [m.path, m.status])).toEqual([
      [other, 'added'],
      [OLD_RUN, 'unchanged'],
    ]);
  });
});

describe('a partial timestamped re-run beside the full run', () => {
  // rwkv7-2.9B (fixtures/metrics/SOURCES.md): the earlier run holds 12 tasks (9 GLUE, arc_easy,
  // lambada_openai, piqa); the later run re-runs the 9 GLUE tasks only, and the earlier run stays.
  const FULL = 'results/fla-hub__rwkv7-2.9B-world/results_2025-02-24T02-53-42.327679.json';
  const GLUE = 'results/fla-hub__rwkv7-2.9B-world/results_2025-02-24T21-32-52.744317.json';
  const full = fixture('metrics/rwkv7-2.9b_results_2025-02-24T02-53-42.trimmed.json');
  const glue = fixture('metrics/rwkv7-2.9b_results_2025-02-24T21-32-52.glue-rerun.json');
  const tasksOf = (file: Buffer): string[] =>
    Object.keys((JSON.parse(file.toString('utf8')) as { results: object }).results).sort();

  it('compares the tasks it re-ran; the tasks it left out are not removed', async () => {
    const report = await analyzePair({ [FULL]: full }, { [FULL]: full, [GLUE]: glue });
    expect(report.metrics.map((m) => [m.path, m.status, m.comparedWith])).toEqual([
      [GLUE, 'modified', { path: FULL, reason: 'newer-run' }],
    ]);
    const compared = [...new Set(report.metrics[0]?.metrics.map((m) => m.task))].sort();
    expect(compared).toEqual(tasksOf(glue));
    expect(report.metrics[0]?.metrics.filter((m) => m.change === 'removed')).toEqual([]);
    // GLUE scores equal to the earlier run's up to the last digits: nothing to say.
    expect(report.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
    expect(report.verdict).toBe('pass');
  });

  it('that replaces the full run (the old file deleted) still reports the tasks it dropped', async () => {
    const report = await analyzePair({ [FULL]: full }, { [FULL]: null, [GLUE]: glue });
    const removed = report.metrics[0]?.metrics.filter((m) => m.change === 'removed').map((m) => m.task);
    const dropped = tasksOf(full).filter((task) => !tasksOf(glue).includes(task));
    expect([...new Set(removed)].sort()).toEqual(dropped);
    expect(report.findings.map((f) => f.check)).toContain('eval-metric-removed');
  });
});

describe('a task renamed with the same values', () => {
  it('is one notice, not a removal and an addition of every metric', async () => {
    // The good rwkv7 run with its task key renamed everywhere in the file: acc 0.688143 and perplexity
    // 4.263079 (with their stderr) stay the same, under lambada_openai_v2.
    const good = rwkv('good').toString('utf8');
    const report = await analyzePair(
      { [OLD_RUN]: good },
      { [OLD_RUN]: good.replaceAll('"lambada_openai"', '"lambada_openai_v2"') },
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'eval-metric-removed',
        severity: 'notice',
        title: '2 metrics renamed with the same values in out/rwkv7/results_2024-11-20T10-00-00.000001.json',
        location: { path: OLD_RUN },
      },
    ]);
    expect(report.metrics[0]?.metrics.map((m) => [m.baseKey, m.key, m.change])).toEqual([
      ['lambada_openai/perplexity', 'lambada_openai_v2/perplexity', 'unchanged'],
      ['lambada_openai/acc', 'lambada_openai_v2/acc', 'unchanged'],
    ]);
  });
});

describe('a renamed file', () => {
  it('moved as it was is one unchanged dataset: nothing deleted, nothing added, nothing blamed', async () => {
    // The FastChat dummy conversation, 910 rows, moved from playground/data to data (as FastChat did).
    const data = fixture('datasets/fastchat_dummy_conversation.before-pr2498.json');
    const report = await analyzePair(
      { 'playground/data/dummy.json': data },
      { 'playground/data/dummy.json': null, 'data/dummy_conversation.json': data },
    );
    expect(report.datasets.map((d) => [d.path, d.status, d.comparedWith])).toEqual([
      [
        'data/dummy_conversation.json',
        'unchanged',
        { path: 'playground/data/dummy.json', reason: 'renamed', similarity: 1 },
      ],
    ]);
    expect(report.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
    expect(report.findings.map((f) => f.check)).not.toContain('data-shrink');
  });

  it('moved to a place no dataset is looked for keeps its kind and split', async () => {
    const data = fixture('datasets/llamafactory_identity.base.json');
    const report = await analyzePair(
      { 'data/identity.json': data },
      { 'data/identity.json': null, 'identity.json': data },
    );
    expect(report.datasets.map((d) => [d.path, d.split, d.status, d.comparedWith?.path])).toEqual([
      ['identity.json', 'train', 'unchanged', 'data/identity.json'],
    ]);
  });

  it('with edits inside is compared across its two paths: learning rate ×10, rank ÷4, new base model', async () => {
    // Axolotl's Llama-3.2-1B LoRA example renamed to a Qwen config with three values changed and the
    // W&B block dropped: still more than half alike, so git pairs them.
    const before = fixture('params/llama3-lora-1b.before.yml').toString('utf8');
    const after = before
      .replace('base_model: NousResearch/Llama-3.2-1B', 'base_model: Qwen/Qwen2.5-0.5B')
      .replace('learning_rate: 0.0002', 'learning_rate: 0.002')
      .replace('lora_r: 16', 'lora_r: 4')
      .replace(/wandb_[a-z_]+:\n/g, '');
    const report = await analyzePair(
      { 'examples/llama-3/lora-1b.yml': before },
      { 'examples/llama-3/lora-1b.yml': null, 'examples/qwen/lora-0.5b.yml': after },
    );
    const params = report.params.find((p) => p.path === 'examples/qwen/lora-0.5b.yml');
    expect(params?.status).toBe('modified');
    expect(params?.comparedWith?.path).toBe('examples/llama-3/lora-1b.yml');
    expect(params?.comparedWith?.similarity).toBeGreaterThanOrEqual(0.5);
    expect(params?.comparedWith?.similarity).toBeLessThan(1);
    expect(report.params.map((p) => p.path)).toEqual(['examples/qwen/lora-0.5b.yml']);
    expect(
      report.findings
        .filter((f) => f.check === 'params-risky-change')
        .map((f) => [f.title, f.location?.line]),
    ).toEqual([
      ['Learning rate went ×10: 0.0002 → 0.002 in examples/qwen/lora-0.5b.yml', 39],
      ['LoRA rank went ÷4: 16 → 4 in examples/qwen/lora-0.5b.yml', 20],
      [
        'Base model changed from NousResearch/Llama-3.2-1B to Qwen/Qwen2.5-0.5B in examples/qwen/lora-0.5b.yml',
        1,
      ],
    ]);
  });
});
