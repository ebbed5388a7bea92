import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type { DatasetFormat } from '../../src/loaders/load-dataset.js';
import { computeQuantiles } from '../../src/profile/compute-quantiles.js';
import { computeRecordFingerprint, profileDataset } from '../../src/profile/profile-dataset.js';
import type { FieldStats, Quantiles } from '../../src/report/schema.js';

const FIXTURES = new URL('../fixtures/datasets/', import.meta.url);

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
  tokens: Quantiles;
  totalTokens: number;
}

function field(name: string, present: number, missing: number, empty: number): FieldStats {
  return { name, present, missing, empty };
}

// Every expected number comes from python3 over the fixture file: json.loads per line (JSONL) or the
// parsed array (JSON), csv.DictReader (CSV); chars = sum of len() of all string leaves per record,
// tokens = ceil(chars / 4); quantiles with numpy.percentile (linear), mean with numpy.mean; duplicates by
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
    tokens: { min: 36, p50: 61, p90: 79, p99: 109.01, max: 221, mean: 63.576 },
    totalTokens: 63576,
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
    tokens: { min: 44, p50: 64, p90: 86.1, p99: 101.06, max: 107, mean: 66.62 },
    totalTokens: 6662,
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
    tokens: { min: 10, p50: 147, p90: 449, p99: 627.04, max: 731, mean: 197.288 },
    totalTokens: 197288,
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
    tokens: { min: 10, p50: 147, p90: 449, p99: 627.08, max: 731, mean: 197.24324324324326 },
    totalTokens: 197046,
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
    tokens: { min: 2090, p50: 2090, p90: 2090, p99: 2090, max: 2090, mean: 2090 },
    totalTokens: 2090,
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
    tokens: { min: 1936, p50: 1936, p90: 1936, p99: 1936, max: 1936, mean: 1936 },
    totalTokens: 1936,
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
    tokens: { min: 22, p50: 34, p90: 38, p99: 40, max: 44, mean: 33.96813186813187 },
    totalTokens: 30911,
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
    tokens: { min: 38, p50: 68.5, p90: 92.9, p99: 98.39, max: 99, mean: 68.5 },
    totalTokens: 137,
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
    tokens: { min: 4, p50: 6.5, p90: 9.1, p99: 9.91, max: 10, mean: 6.75 },
    totalTokens: 27,
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
      totalTokens: expected.totalTokens,
    });
    expectQuantiles(profile.chars, expected.chars);
    expectQuantiles(profile.tokens, expected.tokens);
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
    // python3: "héllo wörld" is 11 characters; the line is 25 bytes in UTF-8.
    const { profile } = await profileDataset(streamOf('{"text":"héllo wörld"}\n'), 'jsonl');
    const one = { min: 11, p50: 11, p90: 11, p99: 11, max: 11, mean: 11 };
    expect(profile).toEqual({
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
      tokens: { min: 3, p50: 3, p90: 3, p99: 3, max: 3, mean: 3 },
      totalTokens: 3,
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
    expect(profile.totalTokens).toBe(1);
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
    const { profile } = await profileDataset(streamOf(JSON.stringify({ text })), 'jsonl');
    expect(profile.rows).toBe(1);
    expect(profile.chars?.max).toBe(5 * 1024 * 1024);
    expect(profile.totalTokens).toBe((5 * 1024 * 1024) / 4);
  });
});

describe('computeRecordFingerprint', () => {
  it('hashes the normalised record as sorted JSON with SHA-1', () => {
    // python3: hashlib.sha1(json.dumps({'b': 'hello world', 'a': [1, None, True]}, sort_keys=True,
    // separators=(',', ':')).encode()).hexdigest()
    expect(computeRecordFingerprint({ b: '  Hello \n World ', a: [1, null, true] })).toBe(
      '93e974b6dfb56262ce3ae31495c9c400d3bf5918',
    );
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
