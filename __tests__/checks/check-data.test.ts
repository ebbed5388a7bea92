import { describe, expect, it } from '@jest/globals';
import { checkData } from '../../src/checks/check-data.js';
import type { DatasetEntry } from '../../src/checks/check-context.js';
import { configOf, contextOf, datasetEntry, fixtureText } from './helpers/build-context.js';

/*
 * Real datasets (fixtures/datasets, fixtures/pairs; see their SOURCES.md). Every expected count was read
 * with python3 from the same files: rows = len(json.load(f)) or non-blank JSONL lines; duplicates after
 * lowercasing, trimming and collapsing whitespace of every string value.
 */

const ALPACA_2024 = fixtureText('datasets/llamafactory_alpaca_en_demo.v2024-05.json');
const ALPACA_2025 = fixtureText('datasets/llamafactory_alpaca_en_demo.v2025-10.json');
const FASTCHAT_BEFORE = fixtureText('datasets/fastchat_dummy_conversation.before-pr2498.json');
const FASTCHAT_AFTER = fixtureText('pairs/fastchat_dummy_conversation.after-pr2498.json');
const TRAIN = fixtureText('datasets/mlx_wikisql_train.base.jsonl');
const VALID = fixtureText('datasets/mlx_wikisql_valid.jsonl');
const VALID_LINES = VALID.split('\n').filter((line) => line !== '');
const IDENTITY = fixtureText('pairs/llamafactory_identity.base.json');
const MT_BENCH = fixtureText('datasets/fastchat_mt_bench_question.jsonl');

/** The first `count` rows of the WikiSQL validation split (100 rows). */
const validRows = (count: number): string => `${VALID_LINES.slice(0, count).join('\n')}\n`;

const checkOne = async (entry: Promise<DatasetEntry>, yaml = '') =>
  checkData(contextOf({ config: configOf(yaml), datasets: [await entry] }));

describe('data-shrink', () => {
  it('FastChat 910 → 500 rows (-45.05%) is a warning with the numbers and the allowed drop', async () => {
    const findings = await checkOne(
      datasetEntry('data/dummy.json', 'train', { base: FASTCHAT_BEFORE, head: FASTCHAT_AFTER }),
    );
    expect(findings).toEqual([
      {
        check: 'data-shrink',
        severity: 'warning',
        title: 'The train split data/dummy.json shrank by 45.1%: 910 → 500 rows',
        details: ['Allowed drop: 5.0% (checks.data-shrink.max-drop).'],
        evidence: { base: 910, head: 500, delta: -410 },
        location: { path: 'data/dummy.json' },
      },
    ]);
  });

  it.each([
    // 100 → 95 is a drop of exactly 5%: at the threshold, not above it.
    ['a drop at the threshold', 95, '', []],
    ['a drop above the threshold', 94, '', ['warning']],
    ['a drop within a raised threshold', 80, 'checks:\n  data-shrink: { max-drop: 25% }\n', []],
    ['a drop with severity failure', 94, 'checks:\n  data-shrink: { severity: failure }\n', ['failure']],
    ['a drop with the check off', 10, 'checks:\n  data-shrink: { severity: off }\n', []],
    ['a grown split', 100, 'checks:\n  data-shrink: { max-drop: 0 }\n', []],
  ])('the 100-row WikiSQL valid split cut to its first rows: %s', async (_name, rows, yaml, severities) => {
    const findings = await checkOne(
      datasetEntry('data/valid.jsonl', 'validation', { base: validRows(100), head: validRows(rows) }),
      yaml,
    );
    expect(findings.map((f) => f.severity)).toEqual(severities);
    for (const finding of findings)
      expect(finding.evidence).toEqual({ base: 100, head: rows, delta: rows - 100 });
  });

  it('alpaca_en_demo 1000 → 999: quiet at 5%, a warning at max-drop 0.05% that shows both figures', async () => {
    const entry = datasetEntry('data/alpaca.json', 'train', { base: ALPACA_2024, head: ALPACA_2025 });
    expect(await checkOne(entry)).toEqual([]);
    const [finding] = await checkOne(entry, 'checks:\n  data-shrink: { max-drop: 0.05% }\n');
    expect(finding?.title).toBe('The train split data/alpaca.json shrank by 0.1%: 1,000 → 999 rows');
    expect(finding?.details).toEqual(['Allowed drop: 0.05% (checks.data-shrink.max-drop).']);
  });

  it('a deleted dataset no config uses is a notice, located on the base side', async () => {
    const findings = await checkOne(datasetEntry('data/valid.jsonl', 'validation', { base: VALID }));
    expect(findings).toEqual([
      {
        check: 'data-shrink',
        severity: 'notice',
        title: 'The validation dataset data/valid.jsonl was deleted (100 rows)',
        details: ['No config on head trains or evaluates on it.'],
        evidence: { base: 100, head: 0, delta: -100 },
        location: { path: 'data/valid.jsonl', side: 'base' },
      },
    ]);
  });

  it('a deleted dataset a config on head still uses is a warning naming the config', async () => {
    const entry = await datasetEntry('data/valid.jsonl', 'validation', { base: VALID });
    const lineage = new Map([['data/valid.jsonl', ['configs/lora.yml']]]);
    const findings = checkData(contextOf({ datasets: [entry], lineage }));
    expect(findings.map((f) => [f.severity, f.title, f.details])).toEqual([
      [
        'warning',
        'The validation dataset data/valid.jsonl was deleted (100 rows), but configs/lora.yml still uses it',
        ['Training or evaluation will fail to find it, or use something else under its name.'],
      ],
    ]);
  });

  it('is silent for an unchanged file, a new file, an empty base, and a head that no longer parses', async () => {
    expect(
      await checkOne(datasetEntry('data/valid.jsonl', 'validation', { base: VALID, head: VALID })),
    ).toEqual([]);
    expect(await checkOne(datasetEntry('data/valid.jsonl', 'validation', { head: VALID }))).toEqual([]);
    expect(await checkOne(datasetEntry('data/valid.jsonl', 'validation', { base: '', head: VALID }))).toEqual(
      [],
    );
    const broken = await checkOne(
      datasetEntry('data/identity.json', 'train', { base: IDENTITY, head: IDENTITY.slice(0, 500) }),
    );
    // The unreadable head is data-format's failure (the file cannot be loaded), not a 100% shrink.
    expect(broken.map((f) => [f.check, f.severity, f.title])).toEqual([
      ['data-format', 'failure', 'No row of data/identity.json can be read: 1 malformed row and none other'],
    ]);
  });
});

describe('data-duplicates', () => {
  // WikiSQL train: 1000 rows, 2 normalised duplicates on base (line 162 repeats 161, 516 repeats 515).
  const trainLines = TRAIN.split('\n').filter((line) => line !== '');

  it('counts only duplicates the change adds, and points at the first new one', async () => {
    // Lines 1001 and 1002 repeat lines 5 and 6; line 1002 with other case and spacing.
    const disguised = JSON.stringify({
      text: (JSON.parse(trainLines[5] ?? '{}') as { text: string }).text.toUpperCase().replace(' ', '   '),
    });
    const head = `${TRAIN}${trainLines[4]}\n${disguised}\n`;
    const findings = await checkOne(datasetEntry('data/train.jsonl', 'train', { base: TRAIN, head }));
    expect(findings).toEqual([
      {
        check: 'data-duplicates',
        severity: 'warning',
        // 4 duplicates of 1002 rows = 0.4%.
        title: '2 duplicate rows added to data/train.jsonl (2 → 4, 0.4% of rows)',
        details: ['line 1001 repeats line 5', 'line 1002 repeats line 6'],
        evidence: { base: 2, head: 4, delta: 2 },
        location: { path: 'data/train.jsonl', line: 1001 },
      },
    ]);
  });

  it.each([
    // alpaca_en_demo holds 14 normalised duplicates before and after its one-row removal.
    ['pre-existing duplicates kept as they were', ALPACA_2024, ALPACA_2025, ''],
    [
      'a share within max-share',
      TRAIN,
      `${TRAIN}${trainLines[0]}\n`,
      'checks:\n  data-duplicates: { max-share: 1% }\n',
    ],
    ['the check off', TRAIN, `${TRAIN}${trainLines[0]}\n`, 'checks:\n  data-duplicates: { severity: off }\n'],
    ['duplicates removed', TRAIN, trainLines.slice(0, 200).join('\n'), ''],
  ])('is silent for %s', async (_name, base, head, yaml) => {
    const path = base === TRAIN ? 'data/train.jsonl' : 'data/alpaca.json';
    const findings = await checkOne(datasetEntry(path, 'train', { base, head }), yaml);
    expect(findings.filter((f) => f.check === 'data-duplicates')).toEqual([]);
  });

  it('a file that is its rows repeated the same number of times is upsampling: a notice', async () => {
    // LLaMA-Factory's v1 multimodal demo (fixtures/datasets/SOURCES.md): 24 rows, lines 1-6 repeated 4
    // times (python3: Counter of the lines gives 6 distinct, each 4 times), so 18 duplicates.
    const head = fixtureText('datasets/llamafactory_v1_multimodal_demo.jsonl');
    const lines = head.split('\n').filter((line) => line !== '');
    const findings = await checkOne(datasetEntry('data/v1_multimodal_demo.jsonl', 'train', { head }));
    expect(
      findings
        .filter((f) => f.check === 'data-duplicates')
        .map((f) => [f.severity, f.title, f.details.at(-1)]),
    ).toEqual([
      [
        'notice',
        `18 duplicate rows added to data/v1_multimodal_demo.jsonl (0 → 18, 75.0% of rows)`,
        'A notice: every one of its 6 distinct rows stands exactly 4 times, so the file is its rows repeated on purpose (upsampling), not stray copies.',
      ],
    ]);
    expect(new Set(lines).size).toBe(6);
    // One more copy of one row breaks the pattern: irregular repeats are stray copies, a warning.
    const irregular = `${lines.join('\n')}\n${lines[0] ?? ''}\n`;
    const more = await checkOne(datasetEntry('data/v1_multimodal_demo.jsonl', 'train', { head: irregular }));
    expect(more.filter((f) => f.check === 'data-duplicates').map((f) => f.severity)).toEqual(['warning']);
    // One row six times over is a one-example dataset (as qlora's root train.json once was): a warning.
    const single = `${Array.from({ length: 6 }, () => lines[0] ?? '').join('\n')}\n`;
    const one = await checkOne(datasetEntry('data/v1_multimodal_demo.jsonl', 'train', { head: single }));
    expect(one.filter((f) => f.check === 'data-duplicates').map((f) => f.severity)).toEqual(['warning']);
  });

  it('one duplicate in over a thousand rows is a notice, under the 0.1% floor', async () => {
    // Base: train without its two repeats (lines 162 and 516) and the 100 valid rows: 1,098 rows, no
    // duplicate. Head: line 162 again at the end: 1 duplicate of 1,099 rows (0.091%).
    const clean = trainLines.filter((_, index) => index !== 161 && index !== 515);
    const base = `${[...clean, ...VALID_LINES].join('\n')}\n`;
    const head = `${base}${trainLines[161]}\n`;
    const findings = await checkOne(datasetEntry('data/train.jsonl', 'train', { base, head }));
    expect(findings.map((f) => [f.check, f.severity, f.title, f.details.at(-1)])).toEqual([
      [
        'data-duplicates',
        'notice',
        '1 duplicate row added to data/train.jsonl (0 → 1, 0.091% of rows)',
        'A notice: under 0.1% of rows (checks.data-duplicates.notice-below), the repeats barely change what the model sees.',
      ],
    ]);
    const raised = await checkOne(
      datasetEntry('data/train.jsonl', 'train', { base, head }),
      'checks:\n  data-duplicates: { notice-below: 0 }\n',
    );
    expect(raised.map((f) => f.severity)).toEqual(['warning']);
  });

  it('a new file brings its duplicates with it: one duplicate, in the singular, without a line it cannot know', async () => {
    // The 1000-row train file is added whole: its 2 duplicates are new. Then one more on a file whose
    // base already shows 5 examples, so the new one is not among the kept examples.
    const [added] = await checkOne(datasetEntry('data/train.jsonl', 'train', { head: TRAIN }));
    expect(added?.title).toBe('2 duplicate rows added to data/train.jsonl (0 → 2, 0.2% of rows)');
    expect(added?.location).toEqual({ path: 'data/train.jsonl', line: 162 });
    const [oneMore] = await checkOne(
      datasetEntry('data/alpaca.json', 'train', {
        base: ALPACA_2024,
        head: ALPACA_2024.replace(
          /\]\s*$/,
          ',{"instruction":"","input":"","output":""},{"instruction":"","input":"","output":""}]',
        ),
      }),
      'checks:\n  data-missing-values: { severity: off }\n',
    );
    expect(oneMore?.title).toBe('1 duplicate row added to data/alpaca.json (14 → 15, 1.5% of rows)');
    expect(oneMore?.location).toEqual({ path: 'data/alpaca.json' });
  });
});

describe('data-missing-values', () => {
  it('the Axolotl conversation with one gpt turn emptied: the conversations field is flagged', async () => {
    // conversation.json is one ShareGPT object; in missingturns.json one `value` is "" (python3: a turn of
    // record["conversations"] has value == "").
    const findings = await checkOne(
      datasetEntry('data/conversation.json', 'train', {
        base: fixtureText('datasets/axolotl_fixture_conversation.json'),
        head: fixtureText('datasets/axolotl_fixture_conversation.missingturns.json'),
      }),
    );
    expect(findings).toEqual([
      {
        check: 'data-missing-values',
        severity: 'warning',
        title: 'Field "conversations" is empty or missing in 1 row of data/conversation.json (was 0)',
        details: ['empty: 1, missing: 0, of 1 row'],
        evidence: { base: 0, head: 1, delta: 1 },
        location: { path: 'data/conversation.json' },
      },
    ]);
  });

  it('flags an emptied required field and a field missing from new rows; optional fields are exempt', async () => {
    // identity.json: 91 rows on 456 lines, `input` empty in all of them (optional by default). Two rows
    // appended on its last line, 457: one with an empty output, one without output at all.
    const head = IDENTITY.replace(
      /\]\s*$/,
      ',{"instruction":"Who are you?","input":"","output":"  "},{"instruction":"Your name?","input":""}]',
    );
    const findings = await checkOne(datasetEntry('data/identity.json', 'train', { base: IDENTITY, head }));
    expect(findings.map((f) => [f.check, f.title, f.details])).toEqual([
      [
        'data-missing-values',
        'Field "output" is empty or missing in 2 rows of data/identity.json (was 0)',
        ['empty: 1, missing: 1, of 93 rows'],
      ],
      [
        'data-format',
        "1 row off the dataset's shape {input,instruction,output} in data/identity.json",
        [
          'first at lines 457',
          'They lack a field that (nearly) every row has, or are not records; extra fields alone are no problem.',
        ],
      ],
    ]);
  });

  it.each([
    // alpaca: `input` empty in 588 → 587 rows. Even when `input` is not optional, fewer empties is no finding.
    [
      'fewer empty rows than before',
      ALPACA_2024,
      ALPACA_2025,
      'checks:\n  data-missing-values: { optional-fields: [] }\n',
    ],
    ['an optional field', IDENTITY, IDENTITY.replace('"input": ""', '"input": " "'), ''],
    [
      'a share within max-share',
      IDENTITY,
      IDENTITY.replace(/\]\s*$/, ',{"instruction":"Who?","input":"","output":""}]'),
      'checks:\n  data-missing-values: { max-share: 5% }\n',
    ],
  ])('is silent for %s', async (_name, base, head, yaml) => {
    const findings = await checkOne(datasetEntry('data/a.json', 'train', { base, head }), yaml);
    expect(findings.filter((f) => f.check === 'data-missing-values')).toEqual([]);
  });
});

describe('data-format', () => {
  it('a malformed JSONL line is a finding at its line with the reason; one already on base is not', async () => {
    const head = TRAIN.replace('\n', '\n{"text": "unterminated\n');
    const [finding] = await checkOne(datasetEntry('data/train.jsonl', 'train', { base: TRAIN, head }));
    expect(finding).toMatchObject({
      check: 'data-format',
      severity: 'warning',
      title: '1 malformed row in data/train.jsonl (was 0)',
      evidence: { base: 0, head: 1, delta: 1 },
      location: { path: 'data/train.jsonl', line: 2 },
    });
    expect(finding?.details).toHaveLength(1);
    expect(finding?.details[0]).toMatch(/^line 2: invalid JSON/);
    const again = head.replace('\n', '\n\n');
    expect(await checkOne(datasetEntry('data/train.jsonl', 'train', { base: head, head: again }))).toEqual(
      [],
    );
  });

  it('rows off the dominant shape are found with their lines; their own fields are not "missing" elsewhere', async () => {
    const head = `${VALID}{"prompt": "p", "completion": "c"}\n{"prompt": "q", "completion": "d"}\n`;
    const findings = await checkOne(datasetEntry('data/valid.jsonl', 'validation', { base: VALID, head }));
    expect(findings).toEqual([
      {
        check: 'data-missing-values',
        severity: 'warning',
        title: 'Field "text" is empty or missing in 2 rows of data/valid.jsonl (was 0)',
        details: ['empty: 0, missing: 2, of 102 rows'],
        evidence: { base: 0, head: 2, delta: 2 },
        location: { path: 'data/valid.jsonl' },
      },
      {
        check: 'data-format',
        severity: 'warning',
        title: "2 rows off the dataset's shape {text} in data/valid.jsonl",
        details: [
          'first at lines 101, 102',
          'They lack a field that (nearly) every row has, or are not records; extra fields alone are no problem.',
        ],
        evidence: { base: 0, head: 2, delta: 2 },
        location: { path: 'data/valid.jsonl', line: 101 },
      },
    ]);
  });

  it('FastChat MT-bench: rows with an optional extra field are on shape; a row missing one is not', async () => {
    // python3: 80 rows; 41 {category,question_id,turns}, 39 of them also with "reference" (lines 15, 21…).
    const findings = await checkOne(datasetEntry('data/question.jsonl', 'eval', { head: MT_BENCH }));
    expect(findings).toEqual([]);
    const entry = await datasetEntry('data/question.jsonl', 'eval', { head: MT_BENCH });
    expect(entry.report.head).toMatchObject({ recordShape: 'category,question_id,turns', offShapeRows: 0 });
    // Line 15 (with a reference) loses its turns: 1 row of 80 (1.25%), above the 1% notice floor.
    const lines = MT_BENCH.split('\n');
    const row = JSON.parse(lines[14] as string) as Record<string, unknown>;
    delete row['turns'];
    lines[14] = JSON.stringify(row);
    const head = lines.join('\n');
    const broken = await checkOne(datasetEntry('data/question.jsonl', 'eval', { base: MT_BENCH, head }));
    expect(broken.filter((f) => f.check === 'data-format').map((f) => [f.severity, f.title])).toEqual([
      ['warning', "1 row off the dataset's shape {category,question_id,turns} in data/question.jsonl"],
    ]);
  });

  it('one off-shape row in a thousand is a notice', async () => {
    // WikiSQL train: 1,000 {text} rows; one {prompt,completion} row appended: 1 of 1,001, under 1%.
    const head = `${TRAIN}{"prompt": "p", "completion": "c"}\n`;
    const findings = await checkOne(datasetEntry('data/train.jsonl', 'train', { base: TRAIN, head }));
    expect(findings.filter((f) => f.check === 'data-format').map((f) => [f.severity, f.title])).toEqual([
      ['notice', "1 row off the dataset's shape {text} in data/train.jsonl"],
    ]);
  });

  it('a changed record shape (Alpaca → ShareGPT) is one finding with both shapes', async () => {
    const findings = await checkOne(
      datasetEntry('data/sft.json', 'train', { base: IDENTITY, head: FASTCHAT_BEFORE }),
      'checks:\n  data-shrink: { severity: off }\n',
    );
    expect(findings).toEqual([
      {
        check: 'data-format',
        severity: 'warning',
        title: 'The record shape of data/sft.json changed: {input,instruction,output} → {conversations,id}',
        details: [],
        evidence: { base: 'input,instruction,output', head: 'conversations,id' },
        location: { path: 'data/sft.json' },
      },
    ]);
  });

  it('a new empty dataset holds no record; an emptied one is a shrink; the check can be turned off', async () => {
    expect(await checkOne(datasetEntry('data/notes.jsonl', 'train', { head: '' }))).toEqual([
      {
        check: 'data-format',
        severity: 'warning',
        title: 'The new train dataset data/notes.jsonl holds no record',
        details: ['An empty file trains or evaluates on nothing; add its rows or leave it out.'],
        evidence: { head: 0 },
        location: { path: 'data/notes.jsonl' },
      },
    ]);
    const emptied = await checkOne(datasetEntry('data/valid.jsonl', 'validation', { base: VALID, head: '' }));
    expect(emptied.map((f) => f.check)).toEqual(['data-shrink']);
    expect(
      await checkOne(
        datasetEntry('data/notes.jsonl', 'train', { head: '' }),
        'checks:\n  data-format: { severity: off }\n',
      ),
    ).toEqual([]);
  });
});

describe('data-leakage', () => {
  const TEST = fixtureText('pairs/mlx_wikisql_test.jsonl');
  const leak = `${TRAIN}${VALID_LINES[9]}\n`;

  const contextWith = async (train: { base?: string; head?: string }, yaml = '') =>
    contextOf({
      config: configOf(yaml),
      datasets: await Promise.all([
        datasetEntry('data/train.jsonl', 'train', train),
        datasetEntry('data/valid.jsonl', 'validation', { base: VALID, head: VALID }),
        datasetEntry('data/test.jsonl', 'test', { base: TEST, head: TEST }),
      ]),
    });

  it('the clean WikiSQL splits do not overlap', async () => {
    expect(checkData(await contextWith({ base: TRAIN, head: TRAIN }))).toEqual([]);
  });

  it('a validation row copied into train is a failure pointing at the train line', async () => {
    expect(checkData(await contextWith({ base: TRAIN, head: leak }))).toEqual([
      {
        check: 'data-leakage',
        severity: 'failure',
        title:
          '1 of 100 validation rows of data/valid.jsonl also stand in the train set data/train.jsonl (was 0)',
        details: [
          'Evaluation on rows the model trained on overstates its quality.',
          'data/valid.jsonl line 10 = data/train.jsonl line 1001',
        ],
        evidence: { base: 0, head: 1, delta: 1 },
        location: { path: 'data/train.jsonl', line: 1001 },
      },
    ]);
  });

  it.each([
    ['a leak already on base', { base: leak, head: `${leak}\n` }, ''],
    ['the check off', { base: TRAIN, head: leak }, 'checks:\n  data-leakage: { severity: off }\n'],
  ])('is silent for %s', async (_name, train, yaml) => {
    expect(checkData(await contextWith(train, yaml)).filter((f) => f.check === 'data-leakage')).toEqual([]);
  });

  it('takes its severity from the config, and ignores a held-out split the PR deleted', async () => {
    const context = await contextWith(
      { base: TRAIN, head: leak },
      'checks:\n  data-leakage: { severity: warning }\n',
    );
    expect(checkData(context).map((f) => f.severity)).toEqual(['warning']);
    const deleted = contextOf({
      datasets: await Promise.all([
        datasetEntry('data/train.jsonl', 'train', { base: leak, head: `${leak}\n` }),
        datasetEntry('data/valid.jsonl', 'validation', { base: VALID }),
      ]),
    });
    expect(checkData(deleted).map((f) => f.check)).toEqual(['data-shrink']);
  });
});
