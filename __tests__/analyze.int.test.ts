import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Datasets and hyperparameters: real before/after pairs of public repositories (see
 * fixtures/pairs/SOURCES.md and the SOURCES.md of fixtures/datasets and fixtures/params), committed as the
 * base and head of a pull request in a real temporary git repository. The expected findings were decided by
 * reading the files with python3 before running tuneguard on them; each test says what was read and how.
 */

describe('analyze on real dataset pairs', () => {
  // python3: len(json.load(f)) is 1000 on v2024-05 and 999 on v2025-10 (record 831 removed). Duplicates
  // after lowercasing and collapsing whitespace: 14 on both sides. `input` is empty in 588 → 587 rows,
  // and `input` is an optional field by default.
  const alpaca = {
    base: { 'data/alpaca_en_demo.json': fixture('datasets/llamafactory_alpaca_en_demo.v2024-05.json') },
    head: { 'data/alpaca_en_demo.json': fixture('datasets/llamafactory_alpaca_en_demo.v2025-10.json') },
  };

  it('LLaMA-Factory alpaca_en_demo 1000 → 999 rows: the row count moves, nothing fires at the 5% default', async () => {
    const report = await analyzePair(alpaca.base, alpaca.head);
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.counts).toEqual({ failure: 0, warning: 0, notice: 0 });
    expect(report.changedFiles).toEqual(['data/alpaca_en_demo.json']);
    const [dataset] = report.datasets;
    expect(dataset).toMatchObject({ path: 'data/alpaca_en_demo.json', split: 'train', status: 'modified' });
    expect(dataset?.base).toMatchObject({ format: 'json', bytes: 860928, rows: 1000, duplicateRows: 14 });
    expect(dataset?.head).toMatchObject({ format: 'json', bytes: 859893, rows: 999, duplicateRows: 14 });
    expect(dataset?.head?.fields).toEqual([
      { name: 'input', present: 999, missing: 0, empty: 587 },
      { name: 'instruction', present: 999, missing: 0, empty: 0 },
      { name: 'output', present: 999, missing: 0, empty: 0 },
    ]);
  });

  it('alpaca_en_demo with max-drop 0.05%: the one removed row (0.1%) is a data-shrink warning', async () => {
    const report = await analyzePair(
      alpaca.base,
      alpaca.head,
      'checks:\n  data-shrink: { max-drop: 0.05% }\n',
    );
    expect(report.findings).toEqual([
      {
        check: 'data-shrink',
        severity: 'warning',
        title: 'The train split data/alpaca_en_demo.json shrank by 0.1%: 1,000 → 999 rows',
        details: ['Allowed drop: 0.05% (checks.data-shrink.max-drop).'],
        evidence: { base: 1000, head: 999, delta: -1 },
        location: { path: 'data/alpaca_en_demo.json' },
      },
    ]);
    expect(report.verdict).toBe('warning');
  });

  // python3: 91 rows on every side, `input` empty in all 91 (optional), no duplicates, one shape.
  // PR #5536 edits row 0 ({{name}} → {{Cherrylab}}), PR #7077 writes "KDD" for {{author}} in 59 rows.
  // Neither changes a count, a shape or a field: no catalogued check has anything to say.
  it.each([
    ['PR #5536', 'pairs/llamafactory_identity.pr5536.json', 20313],
    ['PR #7077', 'pairs/llamafactory_identity.pr7077.json', 19893],
  ])(
    'LLaMA-Factory identity.json %s: rows, fields and shape unchanged; the half-replaced template variables are flagged',
    async (pr, head, bytes) => {
      const report = await analyzePair(
        { 'data/identity.json': fixture('pairs/llamafactory_identity.base.json') },
        { 'data/identity.json': fixture(head) },
      );
      // python3, rows containing each variable (base / #5536 / #7077): {{name}} 77 / 76 / 77,
      // {{author}} 60 / 59 / 1, {{Cherrylab}} 0 / 1 / 0. #5536 renamed the variables of one row only;
      // #7077 replaced {{author}} in 59 of its 60 rows and left one.
      expect(report.findings.map((f) => [f.check, f.severity, f.title])).toEqual([
        [
          'data-placeholder-outputs',
          'warning',
          pr === 'PR #5536'
            ? 'Template variables in data/identity.json: {{name}} is left in 76 of the 77 rows that had it; {{author}} is left in 59 of the 60 rows that had it; new template variables {{Cherrylab}}, {{Mingying}}'
            : 'Template variables in data/identity.json: {{author}} is left in 1 of the 60 rows that had it',
        ],
      ]);
      expect(report.verdict).toBe('warning');
      const [dataset] = report.datasets;
      expect(dataset?.status).toBe('modified');
      expect(dataset?.base).toMatchObject({ bytes: 20305, rows: 91, duplicateRows: 0, offShapeRows: 0 });
      expect(dataset?.head).toMatchObject({ bytes, rows: 91, duplicateRows: 0, offShapeRows: 0 });
      expect(dataset?.head?.fields.find((f) => f.name === 'input')).toEqual({
        name: 'input',
        present: 91,
        missing: 0,
        empty: 91,
      });
    },
  );

  it('FastChat dummy_conversation before/after PR #2498: 910 → 500 rows is a data-shrink warning', async () => {
    // python3: 910 and 500 records; drop 410 / 910 = 45.05%; ids unique, no empty turn, one shape
    // {conversations, id} on both sides.
    const report = await analyzePair(
      { 'data/dummy_conversation.json': fixture('datasets/fastchat_dummy_conversation.before-pr2498.json') },
      { 'data/dummy_conversation.json': fixture('pairs/fastchat_dummy_conversation.after-pr2498.json') },
    );
    // The rewritten rows also brought near-duplicates (MinHash over word 5-grams, an estimate).
    expect(report.findings.map((f) => f.check)).toEqual(['data-shrink', 'data-near-duplicates']);
    expect(report.findings.slice(0, 1)).toEqual([
      {
        check: 'data-shrink',
        severity: 'warning',
        title: 'The train split data/dummy_conversation.json shrank by 45.1%: 910 → 500 rows',
        details: ['Allowed drop: 5.0% (checks.data-shrink.max-drop).'],
        evidence: { base: 910, head: 500, delta: -410 },
        location: { path: 'data/dummy_conversation.json' },
      },
    ]);
    expect(report.verdict).toBe('warning');
    expect(report.datasets[0]?.head).toMatchObject({
      rows: 500,
      recordShape: 'conversations,id',
      duplicateRows: 0,
      offShapeRows: 0,
    });
  });

  describe('MLX WikiSQL splits', () => {
    const trainBase = fixture('datasets/mlx_wikisql_train.base.jsonl');
    const trainPr = fixture('pairs/mlx_wikisql_train.pr632.jsonl');
    const valid = fixture('datasets/mlx_wikisql_valid.jsonl');
    const test = fixture('pairs/mlx_wikisql_test.jsonl');
    const base = { 'data/train.jsonl': trainBase, 'data/valid.jsonl': valid, 'data/test.jsonl': test };

    it('train base → PR #632 (one row edited) with clean valid/test splits: nothing alarming', async () => {
      // python3: the files differ on line 93 only; 1000 rows on both sides with 2 normalised duplicates
      // (162 = 161, 516 = 515); no valid or test row stands in train.
      const report = await analyzePair(base, { 'data/train.jsonl': trainPr });
      expect(report.findings).toEqual([]);
      expect(report.verdict).toBe('pass');
      expect(report.datasets.map((d) => [d.path, d.split, d.status, d.base?.rows, d.head?.rows])).toEqual([
        ['data/test.jsonl', 'test', 'unchanged', 100, 100],
        ['data/train.jsonl', 'train', 'modified', 1000, 1000],
        ['data/valid.jsonl', 'validation', 'unchanged', 100, 100],
      ]);
      const train = report.datasets[1];
      expect(train?.base?.duplicateExamples).toEqual([
        { line: 162, firstLine: 161 },
        { line: 516, firstLine: 515 },
      ]);
      expect(train?.head?.duplicateRows).toBe(2);
    });

    it('a planted leak: valid rows copied into train (one with other case and spacing) is a data-leakage failure', async () => {
      const validLines = valid.toString('utf8').split('\n');
      const line10 = validLines[9] ?? '';
      const line20 = validLines[19] ?? '';
      // The same record with its text upper-cased and a double space: normalisation still matches it.
      const record20 = JSON.parse(line20) as { text: string };
      const disguised = JSON.stringify({ text: record20.text.toUpperCase().replace(' ', '  ') });
      const leaked = Buffer.concat([trainPr, Buffer.from(`${line10}\n${disguised}\n`)]);
      const report = await analyzePair(base, { 'data/train.jsonl': leaked });
      expect(report.findings).toEqual([
        {
          check: 'data-leakage',
          severity: 'failure',
          title:
            '2 of 100 validation rows of data/valid.jsonl also stand in the train set data/train.jsonl (was 0)',
          details: [
            'Evaluation on rows the model trained on overstates its quality.',
            'data/valid.jsonl line 10 = data/train.jsonl line 1001',
            'data/valid.jsonl line 20 = data/train.jsonl line 1002',
          ],
          evidence: { base: 0, head: 2, delta: 2 },
          location: { path: 'data/train.jsonl', line: 1001 },
        },
      ]);
      expect(report.verdict).toBe('failure');
      expect(report.datasets[1]?.head?.rows).toBe(1002);
    });

    it('a leak already on base is not re-flagged when the PR touches train again', async () => {
      const validLine = (valid.toString('utf8').split('\n')[4] ?? '') + '\n';
      const report = await analyzePair(
        { ...base, 'data/train.jsonl': Buffer.concat([trainBase, Buffer.from(validLine)]) },
        { 'data/train.jsonl': Buffer.concat([trainPr, Buffer.from(validLine)]) },
      );
      expect(report.findings).toEqual([]);
    });
  });
});

describe('analyze on real hyperparameter pairs', () => {
  it('Axolotl llama3 lora-1b before/after PR #2897 (warmup_steps → warmup_ratio): a params-changed notice only', async () => {
    // diff of the two files: line 57 `warmup_steps: 10` became `warmup_ratio: 0.1`; nothing else changed.
    const report = await analyzePair(
      { 'examples/llama-3/lora-1b.yml': fixture('params/llama3-lora-1b.before.yml') },
      { 'examples/llama-3/lora-1b.yml': fixture('params/llama3-lora-1b.after.yml') },
    );
    expect(report.findings).toEqual([
      {
        check: 'params-changed',
        severity: 'notice',
        title: 'Hyperparameters in examples/llama-3/lora-1b.yml: 2 changed',
        details: ['warmup_ratio: added 0.1', 'warmup_steps: removed (was 10)'],
        location: { path: 'examples/llama-3/lora-1b.yml', line: 57 },
      },
    ]);
    expect(report.verdict).toBe('pass');
    expect(report.params[0]?.changes).toEqual([
      { key: 'warmup_ratio', kind: 'added', head: 0.1, line: 57 },
      { key: 'warmup_steps', kind: 'removed', base: 10 },
    ]);
  });

  it('Axolotl mistral qlora before/after PR #992 (val_set_size 0.05 → 0.1): a notice, nothing risky', async () => {
    // diff: line 14 only. micro_batch_size 2 × gradient_accumulation_steps 4 = 8 per device on both sides.
    const report = await analyzePair(
      { 'examples/mistral/qlora.yml': fixture('params/mistral-qlora.before.yml') },
      { 'examples/mistral/qlora.yml': fixture('params/mistral-qlora.after.yml') },
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'params-changed',
        severity: 'notice',
        title: 'Hyperparameters in examples/mistral/qlora.yml: 1 changed',
        location: { path: 'examples/mistral/qlora.yml', line: 14 },
      },
    ]);
    expect(report.findings[0]?.details).toEqual(['val_set_size: 0.05 → 0.1']);
    expect(report.params[0]?.derived.head.effectiveBatchSize).toBe(8);
    expect(report.verdict).toBe('pass');
  });

  it('alignment-handbook zephyr-7b-beta PR #182: a renamed key, and the base model did not change', async () => {
    // diff of the two files: line 5 `use_flash_attention_2: true` → `attn_implementation: flash_attention_2`,
    // line 19 `evaluation_strategy: epoch` → `eval_strategy: epoch`. Line 2 reads
    // `model_name_or_path: mistralai/Mistral-7B-v0.1` on BOTH sides (the shared description says otherwise),
    // so no "base model changed" finding may appear.
    const path = 'recipes/zephyr-7b-beta/sft/config_full.yaml';
    const report = await analyzePair(
      { [path]: fixture('params/zephyr-7b-beta_sft_config_full.before-pr182.yaml') },
      { [path]: fixture('params/zephyr-7b-beta_sft_config_full.after-pr182.yaml') },
    );
    expect(report.findings).toEqual([
      {
        check: 'params-changed',
        severity: 'notice',
        title: `Hyperparameters in ${path}: 3 changed`,
        details: [
          'attn_implementation: added "flash_attention_2"',
          'evaluation_strategy → eval_strategy: "epoch" → "epoch"',
          'use_flash_attention_2: removed (was true)',
        ],
        location: { path, line: 5 },
      },
    ]);
    const [params] = report.params;
    expect(params?.canonical.base['base_model']).toBe('mistralai/Mistral-7B-v0.1');
    expect(params?.canonical.head['base_model']).toBe('mistralai/Mistral-7B-v0.1');
    expect(params?.changes.find((c) => c.kind === 'renamed')).toEqual({
      key: 'eval_strategy',
      kind: 'renamed',
      baseKey: 'evaluation_strategy',
      base: 'epoch',
      head: 'epoch',
      line: 19,
    });
    expect(report.verdict).toBe('pass');
  });
});

describe('analyze on a Parquet dataset', () => {
  it('profiles the Parquet copy of the MLX WikiSQL valid split like its JSONL original', async () => {
    // The Parquet fixture holds the 100 rows of mlx_wikisql_valid.jsonl (fixtures/datasets/SOURCES.md).
    const report = await analyzePair(
      { 'README.md': 'x\n' },
      {
        'data/valid.parquet': fixture('datasets/mlx_wikisql_valid.parquet'),
        'data/valid.jsonl': fixture('datasets/mlx_wikisql_valid.jsonl'),
      },
    );
    const parquet = report.datasets.find((d) => d.path === 'data/valid.parquet');
    const jsonl = report.datasets.find((d) => d.path === 'data/valid.jsonl');
    expect(parquet).toMatchObject({
      split: 'validation',
      status: 'added',
      head: { format: 'parquet', rows: 100 },
    });
    expect(parquet?.head?.recordShape).toBe(jsonl?.head?.recordShape);
    expect(parquet?.head?.duplicateRows).toBe(jsonl?.head?.duplicateRows);
    expect(parquet?.head?.totalTokens).toBe(jsonl?.head?.totalTokens);
  });
});
