import { describe, expect, it } from '@jest/globals';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { checkDataQuality } from '../../src/checks/check-data-quality.js';
import type { Finding } from '../../src/model/report-schema.js';
import { configOf, contextOf, datasetEntry, fixtureText, paramsEntry } from './helpers/build-context.js';

// Severities set here so the tests do not depend on the catalogue's defaults.
const CONFIG = `checks:
  data-near-duplicates: { severity: warning }
  data-conflicting-labels: { severity: warning }
  data-label-shift: { severity: warning }
  data-placeholder-outputs: { severity: warning }
  data-min-size: { severity: warning }
  data-truncation: { severity: warning }
  data-lfs-pointer: { severity: notice }
`;

const dataset = (name: string): string => fixtureText(`datasets/${name}`);
const titles = (findings: Finding[], check?: string): string[] =>
  findings.filter((f) => check === undefined || f.check === check).map((f) => f.title);

async function check(path: string, split: string, sides: { base?: string; head?: string }, extra = {}) {
  const entry = await datasetEntry(path, split, sides);
  return checkDataQuality(contextOf({ config: configOf(CONFIG), datasets: [entry], ...extra }));
}

describe('checkDataQuality on real pull requests', () => {
  it('LLaMA-Factory PR #7077: {{author}} replaced in 59 of the 60 rows that had it', async () => {
    // python3 over identity.json before and after: {{author}} in 60 rows, then in 1.
    const findings = await check('data/identity.json', 'train', {
      base: dataset('llamafactory_identity.base.json'),
      head: dataset('llamafactory_identity.pr7077.json'),
    });
    expect(titles(findings)).toEqual([
      'Template variables in data/identity.json: {{author}} is left in 1 of the 60 rows that had it',
    ]);
    expect(findings[0]).toMatchObject({
      check: 'data-placeholder-outputs',
      evidence: { base: 85, head: 77 },
    });
  });

  it('LLaMA-Factory PR #5536: new template variables in one row', async () => {
    const findings = await check('data/identity.json', 'train', {
      base: dataset('llamafactory_identity.base.json'),
      head: dataset('llamafactory_identity.pr5536.json'),
    });
    expect(titles(findings, 'data-placeholder-outputs')).toEqual([
      'Template variables in data/identity.json: {{name}} is left in 76 of the 77 rows that had it; {{author}} is left in 59 of the 60 rows that had it; new template variables {{Cherrylab}}, {{Mingying}}',
    ]);
  });

  it('LLaMA-Factory identity.json added: parametrised by design, a notice naming its variables', async () => {
    // python3 (see the profile tests): {{name}} in 77 rows, {{author}} in 60, one of them in 85 of 91.
    const findings = await check('data/identity.json', 'train', {
      head: dataset('llamafactory_identity.base.json'),
    });
    expect(
      findings.filter((f) => f.check === 'data-placeholder-outputs').map((f) => [f.severity, f.title]),
    ).toEqual([
      [
        'notice',
        'data/identity.json is parametrised: {{name}}, {{author}} in 85 of its 91 rows, to be filled before training',
      ],
    ]);
  });

  it('rows deleted with their variables are not variables half replaced', async () => {
    // identity.json without its first 10 rows: {{name}} 77 → 68 rows and {{author}} 60 → 50, no more
    // than the 10 rows deleted.
    const base = dataset('llamafactory_identity.base.json');
    const head = JSON.stringify((JSON.parse(base) as unknown[]).slice(10), null, 2);
    expect(
      titles(await check('data/identity.json', 'train', { base, head }), 'data-placeholder-outputs'),
    ).toEqual([]);
  });

  it('qlora: {{ … }} in the Angular templates of a code corpus is code, not an unfilled variable', async () => {
    // Four rows of qlora's dataset/final-data parquet: Angular component files with {{name}}, {{label}}…
    // in their markup. identity.json's first row ("Hello! I am {{name}}, … developed by {{author}}."),
    // added to them, still counts.
    const code = dataset('qlora_final-data_angular-templates.jsonl');
    expect(
      titles(await check('data/code.jsonl', 'train', { head: code }), 'data-placeholder-outputs'),
    ).toEqual([]);
    const [identity] = JSON.parse(dataset('llamafactory_identity.base.json')) as unknown[];
    const mixed = `${code}${JSON.stringify(identity)}\n`;
    expect(
      titles(await check('data/code.jsonl', 'train', { head: mixed }), 'data-placeholder-outputs'),
    ).toEqual(['Template variables in data/code.jsonl: new template variables {{author}}, {{name}}']);
  });

  it('Axolotl: the conversation with an emptied assistant turn breaks its format', async () => {
    const findings = await check('data/conversation.json', 'train', {
      base: dataset('axolotl_fixture_conversation.json'),
      head: dataset('axolotl_fixture_conversation.missingturns.json'),
    });
    expect(titles(findings, 'data-format')).toEqual([
      '1 sharegpt format problem in data/conversation.json: 1 empty-content',
    ]);
    expect(findings.find((f) => f.check === 'data-format')?.details).toEqual([
      'empty-content: 1 row (was 0), first at line 1',
    ]);
  });

  it('FastChat PR #2498: more near-duplicates, fewer conflicting answers', async () => {
    // python3 brute force: 10 rows with an earlier row at Jaccard ≥ 0.8 before, 37 after (LSH finds most).
    // Conflicting answers fall from 909 rows to 167: not flagged.
    const findings = await check('data/dummy_conversation.json', 'train', {
      base: dataset('fastchat_dummy_conversation.before-pr2498.json'),
      head: dataset('fastchat_dummy_conversation.after-pr2498.json'),
    });
    const near = findings.find((f) => f.check === 'data-near-duplicates');
    expect(near?.evidence?.base).toBe(10);
    expect(near?.evidence?.head).toBeGreaterThanOrEqual(30);
    expect(near?.evidence?.head).toBeLessThanOrEqual(37);
    expect(near?.location).toEqual({ path: 'data/dummy_conversation.json', line: 506 });
    // 30 to 37 of 500 rows is under 10%: a notice, though the share grew from 10 of 910.
    expect(near?.severity).toBe('notice');
    expect(titles(findings, 'data-conflicting-labels')).toEqual([]);
  });

  it('near-duplicates are a warning once they are a tenth of the rows and grew', async () => {
    // WikiSQL valid (100 rows, none near another) and its first 15 rows again with " Thanks!" appended.
    // python3 brute force: 15 of the 115 rows (13.0%) have an earlier row at Jaccard ≥ 0.8 of word 5-grams.
    const valid = dataset('mlx_wikisql_valid.jsonl');
    const lines = valid.split('\n').filter((line) => line !== '');
    const thanks = lines
      .slice(0, 15)
      .map((line) => JSON.stringify({ text: `${(JSON.parse(line) as { text: string }).text} Thanks!` }));
    const head = `${valid}${thanks.join('\n')}\n`;
    const findings = await check('data/valid.jsonl', 'validation', { base: valid, head });
    expect(
      findings.filter((f) => f.check === 'data-near-duplicates').map((f) => [f.severity, f.title]),
    ).toEqual([['warning', '15 near-duplicate rows in data/valid.jsonl (was 0, 13.0% of rows)']]);
    // One more (row 16 with " Thanks!") among 20 WikiSQL test rows: python3: 16 of 136 rows (11.8%), above
    // a tenth but a smaller share than on base: a notice.
    const test = dataset('mlx_wikisql_test.jsonl').split('\n').slice(0, 20);
    const sixteenth = JSON.stringify({
      text: `${(JSON.parse(lines[15] as string) as { text: string }).text} Thanks!`,
    });
    const more = `${head}${test.join('\n')}\n${sixteenth}\n`;
    const diluted = await check('data/valid.jsonl', 'validation', { base: head, head: more });
    expect(
      diluted.filter((f) => f.check === 'data-near-duplicates').map((f) => [f.severity, f.title]),
    ).toEqual([['notice', '16 near-duplicate rows in data/valid.jsonl (was 15, 11.8% of rows)']]);
  });

  it('MLX WikiSQL: train, valid and test do not overlap, though they share table headers', async () => {
    // python3: up to 42% of a valid or test row's 13-grams stand in train (the column lists), never 70%.
    const train = await datasetEntry('data/train.jsonl', 'train', {
      head: dataset('mlx_wikisql_train.base.jsonl'),
    });
    const valid = await datasetEntry('data/valid.jsonl', 'validation', {
      head: dataset('mlx_wikisql_valid.jsonl'),
    });
    const test = await datasetEntry('data/test.jsonl', 'test', { head: dataset('mlx_wikisql_test.jsonl') });
    const findings = checkDataQuality(
      contextOf({ config: configOf(CONFIG), datasets: [train, valid, test] }),
    );
    expect(titles(findings, 'data-leakage')).toEqual([]);
  });

  it('finds validation rows that were copied into train with a small change', async () => {
    // The first 10 valid rows with " Thanks!" appended, added to train: not exact copies, but nearly all
    // their 13-grams stand in train.
    const validText = dataset('mlx_wikisql_valid.jsonl');
    const copied = validText
      .split('\n')
      .filter((line) => line !== '')
      .slice(0, 10)
      .map((line) => JSON.stringify({ text: `${(JSON.parse(line) as { text: string }).text} Thanks!` }));
    const trainText = dataset('mlx_wikisql_train.base.jsonl');
    const train = await datasetEntry('data/train.jsonl', 'train', {
      base: trainText,
      head: `${trainText}${copied.join('\n')}\n`,
    });
    const valid = await datasetEntry('data/valid.jsonl', 'validation', { base: validText, head: validText });
    const findings = checkDataQuality(contextOf({ config: configOf(CONFIG), datasets: [train, valid] }));
    expect(titles(findings, 'data-leakage')).toEqual([
      '10 of 100 validation rows of data/valid.jsonl share their prompt or most of their text with the train set data/train.jsonl (was 0)',
    ]);
    expect(findings.find((f) => f.check === 'data-leakage')?.location).toEqual({
      path: 'data/valid.jsonl',
      line: 1,
    });
    // Nearly every passage of each is in train: near copies, a failure.
    expect(findings.find((f) => f.check === 'data-leakage')?.severity).toBe('failure');
  });

  it('AlpacaDataCleaned Toolformer: a tool description shared by train and validation is no leak', async () => {
    // The first 300 rows of toolformer-similarity-0.6-dataset.json, 200 for train and 100 for validation.
    // Every instruction starts with the description of its tools (about 45 words). python3 over all
    // 13-grams (words: runs of [A-Za-z0-9] or non-ASCII, lowercased): 47 validation rows have 70% or more
    // of theirs in train; no prompt and no record stands in train. Leaving out the 13-grams found in 5
    // validation rows or more (5%: the tool descriptions), 3 rows keep 70% or more (rows 7, 54 and 85 of
    // validation, 81%, 72% and 71%, rare tool pairs), none 90%.
    const rows = JSON.parse(dataset('alpacacleaned_toolformer.first300.json')) as unknown[];
    const train = await datasetEntry('data/train.json', 'train', {
      head: JSON.stringify(rows.slice(0, 200), null, 2),
    });
    const valid = await datasetEntry('data/valid.json', 'validation', {
      head: JSON.stringify(rows.slice(200), null, 2),
    });
    const findings = checkDataQuality(contextOf({ config: configOf(CONFIG), datasets: [train, valid] }));
    const leaks = findings.filter((f) => f.check === 'data-leakage');
    expect(leaks.length).toBeLessThanOrEqual(1);
    for (const leak of leaks) {
      // Rows k of the validation file start on line 2 + 5k.
      expect([37, 272, 427]).toContain(leak.location?.line);
      expect(leak.evidence?.head).toBeLessThanOrEqual(3);
      expect(leak.severity).toBe('warning');
    }
  });
});

describe('checkDataQuality on real data with planted changes', () => {
  const kto = JSON.parse(dataset('llamafactory_kto_en_demo.json')) as { label: boolean }[];

  it('tests the shift of the KTO labels', async () => {
    // Head drops 100 of the 150 false rows: 150 / 150 → 150 true / 50 false. python3: chi-squared 31.25,
    // p = erfc(sqrt(31.25 / 2)) = 2.2685e-8; total variation distance 0.25.
    let dropped = 0;
    const head = kto.filter((row) => row.label || (dropped += 1) > 100);
    const findings = await check('data/kto.json', 'train', {
      base: dataset('llamafactory_kto_en_demo.json'),
      head: JSON.stringify(head),
    });
    expect(titles(findings, 'data-label-shift')).toEqual([
      'The label distribution of data/kto.json shifted by 25.0% (chi-squared p = 2.268e-8)',
    ]);
    expect(findings.find((f) => f.check === 'data-label-shift')?.details[1]).toBe(
      'head: false 25.0%, true 75.0% (200 rows)',
    );
  });

  it('does not call a KTO prompt with a desirable and an undesirable answer a conflict', async () => {
    // Each of the first 5 prompts gets a second, undesirable completion, as KTO data is made.
    const rows = kto as unknown as { messages: { role: string; content: string }[]; label: boolean }[];
    const flipped = rows.slice(0, 5).map((row) => ({
      messages: [...row.messages.slice(0, -1), { role: 'assistant', content: 'I cannot help with that.' }],
      label: !row.label,
    }));
    const findings = await check('data/kto.json', 'train', {
      base: dataset('llamafactory_kto_en_demo.json'),
      head: JSON.stringify([...rows, ...flipped]),
    });
    expect(findings.filter((f) => f.check === 'data-conflicting-labels')).toEqual([]);
  });

  it('says when a class disappears', async () => {
    const findings = await check('data/kto.json', 'train', {
      base: dataset('llamafactory_kto_en_demo.json'),
      head: JSON.stringify(kto.filter((row) => row.label)),
    });
    expect(titles(findings, 'data-label-shift')).toEqual(['Label "false" disappeared from data/kto.json']);
  });

  it('finds placeholder answers and inputs added to Alpaca rows', async () => {
    const rows = JSON.parse(dataset('axolotl_fixture_alpaca_alpaca.json')) as Record<string, string>[];
    const head = [
      { ...rows[0], output: 'N/A' },
      { ...rows[1], input: '<noinput>' },
    ];
    const findings = await check('data/alpaca.json', 'train', {
      base: JSON.stringify(rows),
      head: JSON.stringify(head),
    });
    expect(titles(findings, 'data-placeholder-outputs')).toEqual([
      '2 rows of data/alpaca.json have an empty or placeholder answer or input (was 0)',
    ]);
  });

  it('an answer that is only a template variable is a placeholder answer, a warning', async () => {
    // identity.json: 91 rows, none with an empty or placeholder answer; one more answering "{{ answer }}".
    const base = dataset('llamafactory_identity.base.json');
    const head = JSON.stringify([
      ...(JSON.parse(base) as unknown[]),
      { instruction: 'Who made you?', input: '', output: '{{ answer }}' },
    ]);
    const findings = await check('data/identity.json', 'train', { base, head });
    expect(
      findings.filter((f) => f.check === 'data-placeholder-outputs').map((f) => [f.severity, f.title]),
    ).toEqual([
      ['warning', '1 row of data/identity.json has an empty or placeholder answer or input (was 0)'],
      ['warning', 'Template variables in data/identity.json: new template variables {{answer}}'],
    ]);
  });

  it('finds a short answer contradicted, not a long answer paraphrased', async () => {
    // alpaca_en_demo.v2025-10.json, index 200: "Nobody understands me." → "Negative". Appended with
    // "Neutral": 1 input with two label-like answers (2 rows). identity.json: its 2 prompts with two answers
    // are paraphrases over 32 characters; "Go away." to "hi" (answered at length before) is one more.
    const alpaca = dataset('llamafactory_alpaca_en_demo.v2025-10.json');
    const rows = JSON.parse(alpaca) as Record<string, string>[];
    const head = JSON.stringify([...rows, { ...rows[200], output: 'Neutral' }], null, 2);
    const findings = await check('data/alpaca.json', 'train', { base: alpaca, head });
    expect(titles(findings, 'data-conflicting-labels')).toEqual([
      '1 input stands with different short answers in data/alpaca.json: 2 rows (was 0)',
    ]);
    const identity = dataset('llamafactory_identity.base.json');
    const paraphrased = JSON.stringify([
      ...(JSON.parse(identity) as unknown[]),
      { instruction: 'hi', input: '', output: 'Go away.' },
    ]);
    const none = await check('data/identity.json', 'train', { base: identity, head: paraphrased });
    expect(titles(none, 'data-conflicting-labels')).toEqual([]);
  });

  it('blames a split below the minimum size only on the change that took it there', async () => {
    // WikiSQL valid: 100 rows, 50 the minimum of a held-out split.
    const valid = dataset('mlx_wikisql_valid.jsonl');
    const lines = valid.split('\n').filter((line) => line !== '');
    const first = (count: number) => `${lines.slice(0, count).join('\n')}\n`;
    const cut = await check('data/valid.jsonl', 'validation', { base: valid, head: first(40) });
    expect(cut.filter((f) => f.check === 'data-min-size').map((f) => [f.severity, f.title])).toEqual([
      ['warning', 'The validation split data/valid.jsonl has 40 rows, below the minimum of 50 (was 100)'],
    ]);
    // Already below on base (45 → 40): not this change's doing.
    const smaller = await check('data/valid.jsonl', 'validation', { base: first(45), head: first(40) });
    expect(titles(smaller, 'data-min-size')).toEqual([]);
  });

  it('a new small file is a notice when a config trains on it, and nothing when none does', async () => {
    const conversation = dataset('axolotl_fixture_conversation.json');
    expect(titles(await check('data/train.json', 'train', { head: conversation }), 'data-min-size')).toEqual(
      [],
    );
    const lineage = new Map([['data/train.json', ['configs/sft.yml']]]);
    const used = await check('data/train.json', 'train', { head: conversation }, { lineage });
    expect(
      used.filter((f) => f.check === 'data-min-size').map((f) => [f.severity, f.title, f.details[1]]),
    ).toEqual([
      [
        'notice',
        'The train split data/train.json has 1 row, below the minimum of 100',
        'A new file, used by configs/sft.yml: a notice.',
      ],
    ]);
  });

  it('is silent about truncation when no config names the dataset', async () => {
    const params = paramsEntry('configs/sft.yml', {
      base: 'sequence_len: 4096\n',
      head: 'sequence_len: 16\n',
    });
    const kto = dataset('llamafactory_kto_en_demo.json');
    const findings = await check('data/kto.json', 'train', { base: kto, head: kto }, { params: [params] });
    expect(titles(findings, 'data-truncation')).toEqual([]);
  });

  it('finds rows longer than the max sequence length of the hyperparameters', async () => {
    // Expected rows: o200k_base tokens of each row's turns joined by newlines, plus 3 a turn and 3, above 512.
    const rows = JSON.parse(dataset('llamafactory_kto_en_demo.json')) as {
      messages: { content: string }[];
    }[];
    const over = rows.filter(
      (row) => countO200k(row.messages.map((m) => m.content).join('\n')) + 3 * row.messages.length + 3 > 512,
    ).length;
    const params = paramsEntry('configs/sft.yml', {
      base: 'sequence_len: 4096\n',
      head: 'sequence_len: 512\n',
    });
    const findings = await check(
      'data/kto.json',
      'train',
      { base: dataset('llamafactory_kto_en_demo.json'), head: dataset('llamafactory_kto_en_demo.json') },
      // configs/sft.yml trains on data/kto.json: the dataset is judged against its length.
      { params: [params], lineage: new Map([['data/kto.json', ['configs/sft.yml']]]) },
    );
    const share = ((over / 300) * 100).toFixed(1);
    expect(titles(findings, 'data-truncation')).toEqual([
      `${share}% of data/kto.json (${over} rows) is longer than the max sequence length 512 of configs/sft.yml (was 0.0%)`,
    ]);
  });

  it('says that an LFS pointer was not analysed', async () => {
    const pointer =
      'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1073741824\n';
    const findings = await check('data/train.jsonl', 'train', {
      base: dataset('mlx_wikisql_valid.jsonl'),
      head: pointer,
    });
    expect(findings.map((f) => [f.check, f.severity, f.title])).toEqual([
      [
        'data-lfs-pointer',
        'notice',
        'data/train.jsonl is a Git LFS pointer (1.1 GB): its content was not fetched, so it was not analysed',
      ],
    ]);
  });

  it('reports nothing for an unchanged clean dataset', async () => {
    const text = dataset('mlx_wikisql_valid.jsonl');
    expect(await check('data/valid.jsonl', 'validation', { base: text, head: text })).toEqual([]);
  });
});
