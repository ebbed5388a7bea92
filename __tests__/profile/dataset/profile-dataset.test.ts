import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type { DatasetFormat } from '../../../src/model/vocabulary.js';
import { computeQuantiles } from '../../helpers/compute-quantiles.js';
import { computeRecordFingerprint, profileDataset } from '../../../src/profile/dataset/profile-dataset.js';
import type { FieldStats, Quantiles } from '../../../src/model/report-schema.js';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

const FIXTURES = new URL('../../fixtures/datasets/', import.meta.url);

function fixture(name: string): string {
  return new URL(name, FIXTURES).pathname;
}

function streamOf(text: string | Buffer): Readable {
  return Readable.from([Buffer.from(text)]);
}

function jsonl(...records: unknown[]): Readable {
  return streamOf(records.map((record) => JSON.stringify(record)).join('\n'));
}

function expectQuantiles(actual: Quantiles | undefined, expected: Quantiles): void {
  expect(actual).toBeDefined();
  for (const key of Object.keys(expected) as Array<keyof Quantiles>) {
    expect(actual?.[key]).toBeCloseTo(expected[key], 6);
  }
}

interface FixtureCase {
  name: string;
  format: DatasetFormat;
  bytes: number;
  rows: number;
  malformedRows: number;
  recordShape: string;
  duplicateExamples: Array<{ line: number; firstLine: number }>;
  duplicateRows: number;
  fields: FieldStats[];
  chars: Quantiles;
}

function field(name: string, present: number, missing: number, empty: number): FieldStats {
  return { name, present, missing, empty };
}

// Every expected number comes from python3 over the fixture file: json.loads per line (JSONL) or the
// parsed array (JSON), csv.DictReader (CSV); chars = sum of len() of all string leaves per record;
// quantiles with numpy.percentile (linear), mean with numpy.mean; duplicates by
// json.dumps(sort_keys=True) of the record with strings lowercased, stripped and re.sub(r'\s+', ' ');
// empty = None, blank string, [] or {}, or a list holding a dict whose content/value is one of those.
const FIXTURE_CASES: FixtureCase[] = [
  {
    name: 'mlx_wikisql_train.base.jsonl',
    format: 'jsonl',
    bytes: 272537,
    rows: 1000,
    malformedRows: 0,
    recordShape: 'text',
    // Line 162 repeats line 161 exactly; line 516 differs from line 515 by a doubled space only.
    duplicateRows: 2,
    duplicateExamples: [
      { line: 162, firstLine: 161 },
      { line: 516, firstLine: 515 },
    ],
    fields: [field('text', 1000, 0, 0)],
    chars: { min: 142, p50: 243.5, p90: 314.1, p99: 436.01, max: 882, mean: 252.849 },
  },
  {
    name: 'mlx_wikisql_valid.jsonl',
    format: 'jsonl',
    bytes: 28495,
    rows: 100,
    malformedRows: 0,
    recordShape: 'text',
    duplicateRows: 0,
    duplicateExamples: [],
    fields: [field('text', 100, 0, 0)],
    chars: { min: 174, p50: 253, p90: 342.3, p99: 403.24, max: 427, mean: 264.98 },
  },
  {
    name: 'llamafactory_alpaca_en_demo.v2024-05.json',
    format: 'json',
    bytes: 860928,
    rows: 1000,
    malformedRows: 0,
    recordShape: 'input,instruction,output',
    duplicateRows: 14,
    duplicateExamples: [
      { line: 1377, firstLine: 587 },
      { line: 2542, firstLine: 1992 },
      { line: 2732, firstLine: 1937 },
      { line: 2842, firstLine: 1762 },
      { line: 2957, firstLine: 502 },
    ],
    // 588 records have input "".
    fields: [field('input', 1000, 0, 588), field('instruction', 1000, 0, 0), field('output', 1000, 0, 0)],
    chars: { min: 38, p50: 585, p90: 1795.1, p99: 2507.14, max: 2921, mean: 787.59 },
  },
  {
    name: 'llamafactory_alpaca_en_demo.v2025-10.json',
    format: 'json',
    bytes: 859893,
    rows: 999,
    malformedRows: 0,
    recordShape: 'input,instruction,output',
    duplicateRows: 14,
    duplicateExamples: [
      { line: 1377, firstLine: 587 },
      { line: 2542, firstLine: 1992 },
      { line: 2732, firstLine: 1937 },
      { line: 2842, firstLine: 1762 },
      { line: 2957, firstLine: 502 },
    ],
    // The removed record had an empty input: 587 left.
    fields: [field('input', 999, 0, 587), field('instruction', 999, 0, 0), field('output', 999, 0, 0)],
    chars: { min: 38, p50: 585, p90: 1795.2, p99: 2507.28, max: 2921, mean: 787.4094094094094 },
  },
  {
    name: 'axolotl_fixture_conversation.json',
    format: 'json',
    bytes: 9029,
    rows: 1,
    malformedRows: 0,
    recordShape: 'conversations',
    duplicateRows: 0,
    duplicateExamples: [],
    fields: [field('conversations', 1, 0, 0)],
    chars: { min: 8359, p50: 8359, p90: 8359, p99: 8359, max: 8359, mean: 8359 },
  },
  {
    name: 'axolotl_fixture_conversation.missingturns.json',
    format: 'json',
    bytes: 8414,
    rows: 1,
    malformedRows: 0,
    recordShape: 'conversations',
    duplicateRows: 0,
    duplicateExamples: [],
    // One gpt turn has value "": the conversations field counts as empty.
    fields: [field('conversations', 1, 0, 1)],
    chars: { min: 7744, p50: 7744, p90: 7744, p99: 7744, max: 7744, mean: 7744 },
  },
  {
    name: 'fastchat_dummy_conversation.before-pr2498.json',
    format: 'json',
    bytes: 272542,
    rows: 910,
    malformedRows: 0,
    recordShape: 'conversations,id',
    duplicateRows: 0,
    duplicateExamples: [],
    fields: [field('conversations', 910, 0, 0), field('id', 910, 0, 0)],
    chars: { min: 88, p50: 135, p90: 151, p99: 159, max: 173, mean: 134.36813186813185 },
  },
  {
    name: 'axolotl_fixture_alpaca_alpaca.json',
    format: 'json',
    bytes: 680,
    rows: 2,
    malformedRows: 0,
    recordShape: 'input,instruction,output',
    duplicateRows: 0,
    duplicateExamples: [],
    fields: [field('input', 2, 0, 0), field('instruction', 2, 0, 0), field('output', 2, 0, 0)],
    chars: { min: 149, p50: 271, p90: 368.6, p99: 390.56, max: 393, mean: 271 },
  },
  {
    name: 'handmade_text_label.csv',
    format: 'csv',
    bytes: 143,
    rows: 4,
    malformedRows: 1,
    recordShape: 'label,text',
    duplicateRows: 0,
    duplicateExamples: [],
    fields: [field('label', 4, 0, 0), field('text', 4, 0, 0)],
    chars: { min: 13, p50: 25, p90: 34.4, p99: 37.64, max: 38, mean: 25.25 },
  },
];

describe('profileDataset on real fixtures', () => {
  it.each(FIXTURE_CASES)('profiles $name', async (expected) => {
    const { profile, problems, fingerprints } = await profileDataset(
      createReadStream(fixture(expected.name)),
      expected.format,
    );
    expect(profile).toMatchObject({
      format: expected.format,
      bytes: expected.bytes,
      rows: expected.rows,
      malformedRows: expected.malformedRows,
      recordShape: expected.recordShape,
      offShapeRows: 0,
      offShapeExamples: [],
      duplicateRows: expected.duplicateRows,
      duplicateExamples: expected.duplicateExamples,
      fields: expected.fields,
    });
    expectQuantiles(profile.chars, expected.chars);
    expect(problems).toHaveLength(expected.malformedRows);
    expect(fingerprints.size).toBe(expected.rows - expected.duplicateRows);
  });

  it('finds no overlap between the WikiSQL train and validation splits, and the first line of a repeat', async () => {
    // python3: the normalised records of valid.jsonl and train.jsonl share nothing.
    const train = await profileDataset(createReadStream(fixture('mlx_wikisql_train.base.jsonl')), 'jsonl');
    const valid = await profileDataset(createReadStream(fixture('mlx_wikisql_valid.jsonl')), 'jsonl');
    expect([...valid.fingerprints.keys()].filter((hash) => train.fingerprints.has(hash))).toEqual([]);
    const lines = readFileSync(fixture('mlx_wikisql_train.base.jsonl'), 'utf8').split('\n');
    const line516: unknown = JSON.parse(lines[515] ?? '');
    expect(train.fingerprints.get(computeRecordFingerprint(line516))).toBe(515);
  });
});

describe('profileDataset on edge cases', () => {
  it.each(['jsonl', 'json', 'csv', 'tsv'] as const)('profiles an empty %s file as empty', async (format) => {
    const result = await profileDataset(streamOf(''), format);
    expect(result.profile).toEqual({
      format,
      bytes: 0,
      rows: 0,
      malformedRows: 0,
      recordShape: '',
      offShapeRows: 0,
      offShapeExamples: [],
      duplicateRows: 0,
      duplicateExamples: [],
      fields: [],
      totalTokens: 0,
    });
    expect(result.problems).toEqual([]);
    expect(result.fingerprints.size).toBe(0);
  });

  it('profiles a single row', async () => {
    // python3: "héllo wörld" is 11 characters; the line is 25 bytes in UTF-8. Tokens: o200k_base's count.
    const { profile } = await profileDataset(streamOf('{"text":"héllo wörld"}\n'), 'jsonl');
    const one = { min: 11, p50: 11, p90: 11, p99: 11, max: 11, mean: 11 };
    const tokens = countO200k('héllo wörld');
    expect(profile).toMatchObject({
      format: 'jsonl',
      bytes: 25,
      rows: 1,
      malformedRows: 0,
      recordShape: 'text',
      offShapeRows: 0,
      offShapeExamples: [],
      duplicateRows: 0,
      duplicateExamples: [],
      fields: [field('text', 1, 0, 0)],
      chars: one,
      tokens: { min: tokens, p50: tokens, p90: tokens, p99: tokens, max: tokens, mean: tokens },
      totalTokens: tokens,
      recordFormat: { format: 'text', rows: 1, formats: [{ format: 'text', rows: 1 }], errors: [] },
      tokenizer: { name: 'o200k_base', estimated: false, sampledRows: 1 },
    });
  });

  it('counts every malformed row and keeps the first maxProblems with their lines', async () => {
    // Lines 1-30 are broken, lines 31-35 are good.
    const text = [
      ...Array.from({ length: 30 }, () => '{"a":'),
      ...Array.from({ length: 5 }, (_, i) => `{"a":${i}}`),
    ];
    const byDefault = await profileDataset(streamOf(text.join('\n')), 'jsonl');
    expect(byDefault.profile.malformedRows).toBe(30);
    expect(byDefault.profile.rows).toBe(5);
    expect(byDefault.problems.map((problem) => problem.line)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const capped = await profileDataset(streamOf(text.join('\n')), 'jsonl', { maxProblems: 3 });
    expect(capped.problems.map((problem) => problem.line)).toEqual([1, 2, 3]);
    expect(capped.profile.malformedRows).toBe(30);
  });

  it('finds the dominant shape and the first off-shape lines', async () => {
    const { profile } = await profileDataset(
      jsonl({ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5 }, 'text', [1], { a: 6, b: 7 }, 8, null, {}),
      'jsonl',
    );
    expect(profile.recordShape).toBe('a,b');
    expect(profile.offShapeRows).toBe(6);
    expect(profile.offShapeExamples).toEqual([3, 4, 5, 7, 8]);
    // Missing counts object records only: five of them.
    expect(profile.fields).toEqual([field('a', 4, 1, 0), field('b', 3, 2, 0)]);
  });

  it('takes the first shape seen on a tie', async () => {
    const { profile } = await profileDataset(jsonl({ y: 1 }, { x: 1 }, { x: 2 }, { y: 2 }), 'jsonl');
    expect(profile.recordShape).toBe('y');
    expect(profile.offShapeExamples).toEqual([2, 3]);
  });

  it('counts empty fields, including chat lists with an empty turn', async () => {
    const { profile } = await profileDataset(
      jsonl(
        {
          text: '',
          messages: [
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: '' },
          ],
          meta: {},
        },
        // A tool-calling turn has no text by design: not empty.
        {
          text: ' \t',
          messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] }],
          meta: null,
        },
        { text: 'ok', messages: [], tags: [] },
        { text: 'ok', conversations: [{ from: 'gpt', value: ' ' }], tags: ['a', ''] },
        'not an object',
      ),
      'jsonl',
    );
    expect(profile.fields).toEqual([
      field('conversations', 1, 3, 1),
      field('messages', 3, 1, 2),
      field('meta', 2, 2, 2),
      field('tags', 2, 2, 1),
      field('text', 4, 0, 2),
    ]);
  });

  it('finds duplicates that differ only in key order, case and whitespace', async () => {
    const { profile, fingerprints } = await profileDataset(
      jsonl({ q: 'What is 2+2?', a: '4' }, { a: '4', q: '  what IS\t2+2? ' }, { q: 'What is 2+3?', a: '5' }),
      'jsonl',
    );
    expect(profile.duplicateRows).toBe(1);
    expect(profile.duplicateExamples).toEqual([{ line: 2, firstLine: 1 }]);
    expect([...fingerprints.values()]).toEqual([1, 3]);
  });

  it('counts characters as code points and bytes as read', async () => {
    // "😀ab" is 3 characters, 4 UTF-16 units and 6 UTF-8 bytes; the line {"t":"😀ab"} is 14 bytes.
    const source = streamOf('{"t":"😀ab"}');
    source.setEncoding('utf8');
    const { profile } = await profileDataset(source, 'jsonl');
    expect(profile.bytes).toBe(14);
    expect(profile.chars?.max).toBe(3);
    expect(profile.totalTokens).toBe(countO200k('😀ab'));
  });

  it('reports a record nested too deeply to walk as malformed instead of crashing', async () => {
    const deep = `${'['.repeat(200000)}${']'.repeat(200000)}`;
    const { profile, problems } = await profileDataset(streamOf(`{"a":1}\n${deep}\n{"a":2}\n`), 'jsonl');
    expect(profile.rows).toBe(2);
    expect(profile.malformedRows).toBe(1);
    expect(problems[0]?.line).toBe(2);
  });

  it('profiles a 5 MB single-line record', async () => {
    const text = 'x'.repeat(5 * 1024 * 1024);
    const { profile } = await profileDataset(streamOf(JSON.stringify({ text })), 'jsonl', {
      tokenizer: false,
    });
    expect(profile.rows).toBe(1);
    expect(profile.chars?.max).toBe(5 * 1024 * 1024);
  });
});

describe('computeRecordFingerprint', () => {
  it.each([
    [
      { b: '  Hello \n World ', a: [1, null, true] },
      { a: [1, null, true], b: 'hello world' },
    ],
    [{ t: 'ÉCOLE\u00a0Été' }, { t: 'école été' }],
    [{ t: '\tx\r\n\n y ' }, { t: 'x y' }],
  ])('gives %p and %p one fingerprint of 13 hex digits', (left, right) => {
    expect(computeRecordFingerprint(left)).toMatch(/^[0-9a-f]{13}$/);
    expect(computeRecordFingerprint(left)).toBe(computeRecordFingerprint(right));
  });

  it.each([
    [{ a: 'x' }, { a: 'y' }],
    [{ a: 'x' }, { b: 'x' }],
    [
      ['a', 'b'],
      ['b', 'a'],
    ],
    [{ a: 1 }, { a: '1' }],
  ])('tells %p and %p apart', (left, right) => {
    expect(computeRecordFingerprint(left)).not.toBe(computeRecordFingerprint(right));
  });
});

describe('computeQuantiles', () => {
  it('gives undefined for no values', () => {
    expect(computeQuantiles([])).toBeUndefined();
  });

  it('interpolates linearly like numpy.percentile', () => {
    // numpy.percentile([4, 1, 3, 2], [50, 90, 99]) → 2.5, 3.7, 3.97
    const values = [4, 1, 3, 2];
    expectQuantiles(computeQuantiles(values), { min: 1, p50: 2.5, p90: 3.7, p99: 3.97, max: 4, mean: 2.5 });
    expect(values).toEqual([4, 1, 3, 2]);
  });
});

describe('profileDataset: token counts with a real tokenizer', () => {
  it('counts a ShareGPT conversation as its turns joined, plus 3 tokens a turn and 3 for the reply', async () => {
    // The fixture's 12 turns (python3: len(conversations) == 12), counted as a chat template would see them.
    const record = JSON.parse(readFileSync(fixture('axolotl_fixture_conversation.json'), 'utf8')) as {
      conversations: { value: string }[];
    };
    const expected = countO200k(record.conversations.map((turn) => turn.value).join('\n')) + 3 * 12 + 3;
    const { profile } = await profileDataset(
      createReadStream(fixture('axolotl_fixture_conversation.json')),
      'json',
    );
    expect(record.conversations).toHaveLength(12);
    expect(profile.totalTokens).toBe(expected);
    expect(profile.tokenizer).toEqual({ name: 'o200k_base', estimated: false, sampledRows: 1 });
  });

  it('gives quantiles and the total of the per-row counts, and rows over common lengths', async () => {
    const texts = readFileSync(fixture('mlx_wikisql_valid.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text);
    const counts = texts.map((text) => countO200k(text));
    const { profile } = await profileDataset(createReadStream(fixture('mlx_wikisql_valid.jsonl')), 'jsonl');
    expectQuantiles(profile.tokens, computeQuantiles(counts) as Quantiles);
    expect(profile.totalTokens).toBe(counts.reduce((a, b) => a + b, 0));
    // python3: the longest row has 427 characters, so no row reaches 512 tokens.
    expect(profile.tokensOver?.[0]).toEqual({ length: 512, rows: 0 });
  });

  it('counts a long run without whitespace in pieces of 256 characters, in linear time', async () => {
    // Byte-pair encoding is quadratic in the length of such a run: 64 kB whole takes seconds.
    const text = 'x'.repeat(65_536);
    const { profile } = await profileDataset(streamOf(JSON.stringify({ text })), 'jsonl');
    expect(profile.totalTokens).toBe((65_536 / 256) * countO200k('x'.repeat(256)));
  });

  it('counts with cl100k_base when asked, and with no tokenizer gives no token figures', async () => {
    const source = () => streamOf('{"text":"tiktoken is great!"}\n');
    // OpenAI's cookbook (How to count tokens with tiktoken): "tiktoken is great!" is 6 tokens in cl100k_base and o200k_base.
    const cl100k = await profileDataset(source(), 'jsonl', { tokenizer: { encoding: 'cl100k_base' } });
    expect(cl100k.profile.totalTokens).toBe(6);
    expect(cl100k.profile.tokenizer?.name).toBe('cl100k_base');
    const none = await profileDataset(source(), 'jsonl', { tokenizer: false });
    expect(none.profile.tokens).toBeUndefined();
    expect(none.profile.tokenizer).toBeUndefined();
  });

  it('samples rows for tokens in a dataset above the exact size, and says so', async () => {
    const { profile } = await profileDataset(
      createReadStream(fixture('mlx_wikisql_train.base.jsonl')),
      'jsonl',
      {
        exactTokenBytes: 50_000,
        expectedBytes: 272_537,
      },
    );
    expect(profile.tokenizer?.estimated).toBe(true);
    const sampled = profile.tokenizer?.sampledRows ?? 0;
    // About 50,000 / 272,537 of 1,000 rows, chosen by position.
    expect(sampled).toBeGreaterThan(120);
    expect(sampled).toBeLessThan(250);
  });
});

describe('profileDataset: record formats, labels, placeholders, conflicts and near-duplicates on real data', () => {
  const profileOf = async (name: string) =>
    (
      await profileDataset(createReadStream(fixture(name)), name.endsWith('.jsonl') ? 'jsonl' : 'json', {
        tokenizer: false,
      })
    ).profile;

  it.each([
    ['axolotl_fixture_conversation.json', 'sharegpt', 1, []],
    // python3: one of the 12 turns has value "".
    [
      'axolotl_fixture_conversation.missingturns.json',
      'sharegpt',
      1,
      [{ kind: 'empty-content', rows: 1, examples: [{ line: 1 }] }],
    ],
    ['llamafactory_alpaca_en_demo.v2024-05.json', 'alpaca', 1000, []],
    ['fastchat_dummy_conversation.before-pr2498.json', 'sharegpt', 910, []],
    ['llamafactory_glaive_toolcall_en_demo.json', 'sharegpt', 300, []],
    ['llamafactory_kto_en_demo.json', 'openai-chat', 300, []],
    ['llamafactory_dpo_en_demo.json', 'preference', 300, []],
    ['llamafactory_v1_sft_demo.jsonl', 'openai-chat', 500, []],
    ['mlx_wikisql_valid.jsonl', 'text', 100, []],
  ])('detects %s as %s (%p rows) with errors %p', async (name, format, rows, errors) => {
    const profile = await profileOf(name);
    expect(profile.recordFormat).toEqual({ format, rows, formats: [{ format, rows }], errors });
  });

  it('profiles the DPO preference pairs: duplicates at the lines their records start on, lengths in characters', async () => {
    // python3 over dpo_en_demo.json: 300 records, each starting on a line matching `^  {`; normalised
    // duplicates (lowercase, whitespace collapsed, keys sorted) at the records starting on lines 3830 (of
    // 254), 4542 (2710), 5606 (1986), 5998 (638), 6642 (2898); characters of all string leaves per record:
    // min 173, max 17150, mean 4859.51333…; no chosen answer equals its rejected one, none is empty.
    const profile = await profileOf('llamafactory_dpo_en_demo.json');
    expect(profile).toMatchObject({
      rows: 300,
      malformedRows: 0,
      recordShape: 'chosen,conversations,rejected',
    });
    expect(profile.duplicateExamples).toEqual([
      { line: 3830, firstLine: 254 },
      { line: 4542, firstLine: 2710 },
      { line: 5606, firstLine: 1986 },
      { line: 5998, firstLine: 638 },
      { line: 6642, firstLine: 2898 },
    ]);
    expect(profile.chars).toMatchObject({ min: 173, max: 17150 });
    expect(profile.chars?.mean).toBeCloseTo(4859.51333, 4);
    // python3: records sharing their normalised conversation turns (the 5 duplicates) share their chosen answer.
    expect(profile.conflicts).toEqual({ inputs: 0, rows: 0, estimated: false, examples: [] });
    expect(profile.outputs).toMatchObject({ empty: 0, placeholder: 0 });
  });

  it('counts the KTO labels', async () => {
    // python3: Counter(row['label']) over kto_en_demo.json → 150 True, 150 False.
    expect((await profileOf('llamafactory_kto_en_demo.json')).labels).toEqual({
      classes: [
        { label: 'false', rows: 150 },
        { label: 'true', rows: 150 },
      ],
      otherRows: 0,
    });
  });

  it.each([
    // python3: re.findall(r'(?<!\$)\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}') over instruction, input and output, per row.
    [
      'llamafactory_identity.base.json',
      85,
      [
        ['name', 77],
        ['author', 60],
      ],
    ],
    [
      'llamafactory_identity.pr5536.json',
      85,
      [
        ['name', 76],
        ['author', 59],
        ['Cherrylab', 1],
        ['Mingying', 1],
      ],
    ],
    [
      'llamafactory_identity.pr7077.json',
      77,
      [
        ['name', 77],
        ['author', 1],
      ],
    ],
  ])('finds the template variables of %s', async (name, rows, templates) => {
    const outputs = (await profileOf(name as string)).outputs;
    expect(outputs?.templateRows).toBe(rows);
    expect(outputs?.templates.map((t) => [t.name, t.rows])).toEqual(templates);
    expect(outputs?.empty).toBe(0);
  });

  it.each([
    // python3: rows grouped by the normalised prompt (turns before the last answer, or instruction and
    // input); groups with more than one normalised answer: 2, 84, 51 and 3 of them. In every one the first
    // answer or the first other answer is longer than 32 characters: paraphrases, not labels.
    ['llamafactory_identity.base.json'],
    ['fastchat_dummy_conversation.before-pr2498.json'],
    ['fastchat_dummy_conversation.after-pr2498.json'],
    ['llamafactory_kto_en_demo.json'],
    ['mlx_wikisql_valid.jsonl'],
  ])('finds no conflicting labels in %s: different free-text answers are not conflicts', async (name) => {
    const conflicts = (await profileOf(name)).conflicts;
    expect(conflicts).toEqual({ inputs: 0, rows: 0, estimated: false, examples: [] });
  });

  it('finds a short answer contradicted, and a label, but not a long answer paraphrased', async () => {
    // alpaca_en_demo.v2025-10.json: the row at index 200 answers "Negative" to "Nobody understands me.",
    // the row at index 1 "The car accelerated rapidly." (28 characters). Appended: the first with "Neutral"
    // (a label-like conflict: 1 input, 2 rows), the second with a 60-character paraphrase (not one).
    const rows = JSON.parse(
      readFileSync(fixture('llamafactory_alpaca_en_demo.v2025-10.json'), 'utf8'),
    ) as Record<string, string>[];
    const [sentiment, synonym] = [rows[200], rows[1]] as [Record<string, string>, Record<string, string>];
    const head = [
      ...rows,
      { ...sentiment, output: 'Neutral' },
      { ...synonym, output: 'The automobile picked up speed in a rapid and sudden manner.' },
    ];
    const profile = (
      await profileDataset(Readable.from([JSON.stringify(head, null, 2)]), 'json', { tokenizer: false })
    ).profile;
    expect(profile.conflicts).toMatchObject({ inputs: 1, rows: 2, estimated: false });
    // handmade_text_label.csv with its first text again under another label: a classification conflict.
    const csv = `${readFileSync(fixture('handmade_text_label.csv'), 'utf8')}"Great product, would buy again",negative\n`;
    const labelled = (await profileDataset(Readable.from([csv]), 'csv', { tokenizer: false })).profile;
    expect(labelled.conflicts).toMatchObject({ inputs: 1, rows: 2, estimated: false });
  });

  it.each([
    // python3, brute force over every pair: rows with an earlier row whose word 5-gram sets have a Jaccard
    // similarity of 0.8 or more (words: runs of [a-z0-9] or non-ASCII, lowercased); exact duplicates included.
    ['llamafactory_identity.base.json', 1, 0],
    ['fastchat_dummy_conversation.before-pr2498.json', 10, 0],
    ['llamafactory_glaive_toolcall_en_demo.json', 40, 35],
    ['llamafactory_v1_sft_demo.jsonl', 2, 1],
    ['mlx_wikisql_valid.jsonl', 0, 0],
    ['mlx_wikisql_test.jsonl', 0, 0],
    ['llamafactory_dpo_en_demo.json', 5, 5],
  ])('finds the near-duplicates of %s: %p rows, %p of them exact', async (name, near, exact) => {
    const profile = await profileOf(name as string);
    expect(profile.nearDuplicates?.rows).toBe(near);
    expect(profile.duplicateRows).toBe(exact);
  });

  it('finds most near-duplicates of the FastChat rewrite, each a true one (MinHash LSH recall)', async () => {
    // python3 brute force: 37 rows have an earlier row at Jaccard ≥ 0.8; the pairs below all do
    // (line 506, the 25th row, and line 128, the 7th: Jaccard 0.826).
    const near = (await profileOf('fastchat_dummy_conversation.after-pr2498.json')).nearDuplicates;
    expect(near?.rows).toBeGreaterThanOrEqual(30);
    expect(near?.rows).toBeLessThanOrEqual(37);
    expect(near?.examples[0]).toEqual({ row: { line: 506 }, similarTo: { line: 128 } });
  });

  it('reads a Parquet file as the JSONL it was written from', async () => {
    const parquet = await profileDataset(createReadStream(fixture('mlx_wikisql_valid.parquet')), 'parquet', {
      tokenizer: false,
    });
    const jsonlProfile = await profileOf('mlx_wikisql_valid.jsonl');
    expect(parquet.profile.format).toBe('parquet');
    expect(parquet.profile.rows).toBe(100);
    expect(parquet.profile.chars).toEqual(jsonlProfile.chars);
    expect(parquet.profile.recordFormat).toEqual(jsonlProfile.recordFormat);
    expect(parquet.profile.duplicateRows).toBe(0);
  });

  it('recognises a Git LFS pointer and never parses it', async () => {
    const pointer =
      'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1073741824\n';
    const result = await profileDataset(streamOf(pointer), 'jsonl');
    expect(result.lfs).toEqual({
      oid: '4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393',
      size: 1073741824,
    });
    expect(result.profile).toMatchObject({ rows: 0, malformedRows: 0, lfs: result.lfs });
  });
});
