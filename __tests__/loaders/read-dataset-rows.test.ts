import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { readDatasetRows } from '../../src/loaders/read-dataset-rows.js';
import { findDatasetFormat } from '../../src/model/vocabulary.js';
import type { DatasetRowOptions } from '../../src/loaders/read-dataset-rows.js';
import type { DatasetFormat, DatasetRow, RowProblem } from '../../src/model/vocabulary.js';

const FIXTURES = new URL('../fixtures/datasets/', import.meta.url);

function fixture(name: string): string {
  return new URL(name, FIXTURES).pathname;
}

/** A stream that hands the bytes over in chunks of `size`, to cross every line and character boundary. */
function streamOf(content: string | Uint8Array, size = 65536): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return Readable.from(chunks);
}

async function readAll(source: Readable, format: DatasetFormat): Promise<Array<DatasetRow | RowProblem>> {
  const items: Array<DatasetRow | RowProblem> = [];
  for await (const item of readDatasetRows(source, format)) items.push(item);
  return items;
}

function rowsOf(items: Array<DatasetRow | RowProblem>): DatasetRow[] {
  return items.filter((item): item is DatasetRow => 'record' in item);
}

function problemsOf(items: Array<DatasetRow | RowProblem>): RowProblem[] {
  return items.filter((item): item is RowProblem => 'reason' in item);
}

describe('findDatasetFormat', () => {
  it.each([
    ['data/train.jsonl', 'jsonl'],
    ['data/train.ndjson', 'jsonl'],
    ['DATA/TRAIN.JSONL', 'jsonl'],
    ['alpaca_en_demo.json', 'json'],
    ['splits/test.csv', 'csv'],
    ['splits/test.tsv', 'tsv'],
    ['data/train.parquet', 'parquet'],
    ['data/train-00000-of-00004.PARQUET', 'parquet'],
    ['data/README', undefined],
    ['data.v2/README', undefined],
    ['.json', 'json'],
  ])('reads %p as %p', (path, expected) => {
    expect(findDatasetFormat(path)).toBe(expected);
  });
});

describe('readDatasetRows on real fixtures', () => {
  // Expected counts and lines: python3, json.loads per non-blank line for JSONL; for JSON arrays
  // json.JSONDecoder.raw_decode over the elements, line = text.count('\n', 0, start) + 1.
  it.each([
    ['mlx_wikisql_train.base.jsonl', 'jsonl', 1000, [1, 2, 3], 1000],
    ['mlx_wikisql_valid.jsonl', 'jsonl', 100, [1, 2, 3], 100],
    ['llamafactory_alpaca_en_demo.v2024-05.json', 'json', 1000, [2, 7, 12], 4997],
    ['llamafactory_alpaca_en_demo.v2025-10.json', 'json', 999, [2, 7, 12], 4992],
    ['fastchat_dummy_conversation.before-pr2498.json', 'json', 910, [2, 23, 36], 11827],
    ['axolotl_fixture_alpaca_alpaca.json', 'json', 2, [2, 7], 7],
    ['axolotl_fixture_conversation.json', 'json', 1, [1], 1],
  ] as const)(
    'reads %s as %s: %p rows, first lines %p, last line %p',
    async (name, format, rows, first, last) => {
      const items = await readAll(createReadStream(fixture(name)), format);
      expect(problemsOf(items)).toEqual([]);
      expect(items).toHaveLength(rows);
      expect(items.slice(0, first.length).map((item) => item.line)).toEqual(first);
      expect(items.at(-1)?.line).toBe(last);
    },
  );

  it.each([
    ['llamafactory_alpaca_en_demo.v2024-05.json', 'json'],
    ['axolotl_fixture_conversation.missingturns.json', 'json'],
    ['mlx_wikisql_valid.jsonl', 'jsonl'],
  ] as const)(
    'gives the same records as JSON.parse for %s, whatever the chunk size',
    async (name, format) => {
      const text = readFileSync(fixture(name), 'utf8');
      const parsed: unknown =
        format === 'json'
          ? JSON.parse(text)
          : text
              .trimEnd()
              .split('\n')
              .map((line) => JSON.parse(line));
      const expected = Array.isArray(parsed) ? parsed : [parsed];
      for (const size of [7, 4096]) {
        const items = await readAll(streamOf(readFileSync(fixture(name)), size), format);
        expect(rowsOf(items).map((row) => row.record)).toEqual(expected);
      }
    },
  );

  it('reads the hand-made CSV: quoted comma, escaped quotes, a field across lines and a short row', async () => {
    // Lines and fields from python3's csv.reader (line_num is the line a record ends on).
    const items = await readAll(createReadStream(fixture('handmade_text_label.csv')), 'csv');
    expect(items).toEqual([
      { line: 2, record: { text: 'Great product, would buy again', label: 'positive' } },
      { line: 3, record: { text: 'He said "no" twice', label: 'negative' } },
      { line: 4, record: { text: 'Line one\nline two', label: 'neutral' } },
      { line: 6, reason: 'expected 2 columns, found 1' },
      { line: 7, record: { text: 'plain', label: 'positive' } },
    ]);
  });
});

describe('readDatasetRows on edge cases', () => {
  it.each(['jsonl', 'json', 'csv', 'tsv'] as const)('yields nothing for an empty %s file', async (format) => {
    expect(await readAll(streamOf(''), format)).toEqual([]);
    expect(await readAll(streamOf('\n\n'), format)).toEqual([]);
  });

  it.each([
    ['jsonl', '{"text":"hi"}', { line: 1, record: { text: 'hi' } }],
    ['jsonl', '\n\n{"text":"hi"}\n', { line: 3, record: { text: 'hi' } }],
    ['json', '[{"text":"hi"}]', { line: 1, record: { text: 'hi' } }],
    ['json', '\n\n  {"text":"hi"}\n', { line: 3, record: { text: 'hi' } }],
    ['json', '"just text"', { line: 1, record: 'just text' }],
    ['csv', 'text,label\nhi,1\n', { line: 2, record: { text: 'hi', label: '1' } }],
    ['tsv', 'text\tlabel\nhi, there\t1', { line: 2, record: { text: 'hi, there', label: '1' } }],
  ] as const)('reads one %s row from %p', async (format, text, expected) => {
    expect(await readAll(streamOf(text), format)).toEqual([expected]);
  });

  it('reports a malformed JSONL line with its number and goes on', async () => {
    const text = '{"a":1}\n\n{"a":\n{"a":3}\n[4]\n';
    const items = await readAll(streamOf(text), 'jsonl');
    expect(rowsOf(items)).toEqual([
      { line: 1, record: { a: 1 } },
      { line: 4, record: { a: 3 } },
      { line: 5, record: [4] },
    ]);
    expect(problemsOf(items)).toHaveLength(1);
    expect(problemsOf(items)[0]?.line).toBe(3);
    expect(problemsOf(items)[0]?.reason).toMatch(/^invalid JSON: /);
  });

  it('reports non-UTF-8 bytes per line in JSONL and CSV', async () => {
    const bad = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"a":"\xff\xfe"}
    const jsonl = Buffer.concat([Buffer.from('{"a":"é"}\n'), bad, Buffer.from('\n{"a":"ü"}\n')]);
    // A chunk size of 1 splits every multi-byte character across chunks.
    expect(await readAll(streamOf(jsonl, 1), 'jsonl')).toEqual([
      { line: 1, record: { a: 'é' } },
      { line: 2, reason: 'not valid UTF-8' },
      { line: 3, record: { a: 'ü' } },
    ]);
    const csv = Buffer.concat([
      Buffer.from('a,b\n1,é\n2,'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n3,ü\n'),
    ]);
    expect(await readAll(streamOf(csv, 3), 'csv')).toEqual([
      { line: 2, record: { a: '1', b: 'é' } },
      { line: 3, reason: 'not valid UTF-8' },
      { line: 4, record: { a: '3', b: 'ü' } },
    ]);
  });

  it('reports a JSON file with non-UTF-8 bytes once, at the line of the first bad byte, with no rows', async () => {
    const json = Buffer.concat([
      Buffer.from('[\n  {"a": 1},\n  {"a": "'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n]\n'),
    ]);
    expect(await readAll(streamOf(json), 'json')).toEqual([{ line: 3, reason: 'not valid UTF-8' }]);
  });

  it.each([
    ['a missing value', '[\n  {"a": 1},\n  {"a": }\n]', 3, 'invalid JSON: value expected'],
    ['a trailing comma', '[\r\n  {"a": 1},\r\n  {"a": 2},\r\n]\r\n', 4, 'invalid JSON: value expected'],
    ['a truncated file', '[\n  {"a": 1},\n  {"a": 2', 3, 'invalid JSON: close brace expected'],
    ['a comment', '[\n  // the first\n  {"a": 1}\n]', 2, 'invalid JSON: invalid comment token'],
    ['two documents', '{"a": 1}\n{"a": 2}\n', 2, 'invalid JSON: end of file expected'],
  ])('reports a JSON file with %s once, at its line, with no rows', async (_name, text, line, reason) => {
    expect(await readAll(streamOf(text), 'json')).toEqual([{ line, reason }]);
  });

  it('handles CRLF line ends and a UTF-8 BOM in every format', async () => {
    const bom = '\uFEFF';
    expect(await readAll(streamOf(`${bom}{"a":1}\r\n\r\n{"a":2}\r\n`), 'jsonl')).toEqual([
      { line: 1, record: { a: 1 } },
      { line: 3, record: { a: 2 } },
    ]);
    expect(await readAll(streamOf(`${bom}[\r\n  {"a": 1},\r\n  {"a": 2}\r\n]\r\n`), 'json')).toEqual([
      { line: 2, record: { a: 1 } },
      { line: 3, record: { a: 2 } },
    ]);
    // The quoted field keeps its own CRLF; the record after it starts on line 5.
    const csv = `${bom}text,label\r\n"one\r\ntwo",1\r\n\r\nthree,2\r\n`;
    expect(await readAll(streamOf(csv, 5), 'csv')).toEqual([
      { line: 2, record: { text: 'one\r\ntwo', label: '1' } },
      { line: 5, record: { text: 'three', label: '2' } },
    ]);
    expect(await readAll(streamOf(`${bom}text\tlabel\r\nx\t1\r\n`), 'tsv')).toEqual([
      { line: 2, record: { text: 'x', label: '1' } },
    ]);
  });

  it('reports CSV rows of the wrong width and reads the rest, a stray quote kept as text', async () => {
    const csv = 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,"bad"x,12\n13,14,15\n';
    expect(await readAll(streamOf(csv), 'csv')).toEqual([
      { line: 2, record: { a: '1', b: '2', c: '3' } },
      { line: 3, reason: 'expected 3 columns, found 2' },
      { line: 4, reason: 'expected 3 columns, found 4' },
      // Quotes are relaxed: text after a closing quote stays part of the field, as csv-parse's relax_quotes reads it.
      { line: 5, record: { a: '10', b: '"bad"x', c: '12' } },
      { line: 6, record: { a: '13', b: '14', c: '15' } },
    ]);
  });

  it('reports a quote left open at the end of a CSV file at the line where its record starts', async () => {
    expect(await readAll(streamOf('a,b\n1,2\n3,"open\nstill open\n'), 'csv')).toEqual([
      { line: 2, record: { a: '1', b: '2' } },
      { line: 3, reason: 'invalid CSV: quote not closed' },
    ]);
  });

  it('keeps a column named __proto__ as a plain field', async () => {
    const [row] = rowsOf(await readAll(streamOf('__proto__,b\nx,y\n'), 'csv'));
    expect(Object.keys(row?.record as object)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(row?.record)).toBe(Object.prototype);
  });

  it('reads a 5 MB single-line JSONL record from a file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tuneguard-dataset-'));
    try {
      const path = join(directory, 'long.jsonl');
      const text = 'x'.repeat(5 * 1024 * 1024);
      await writeFile(path, `{"id":1}\n${JSON.stringify({ text })}\n{"id":3}\n`);
      const items = await readAll(createReadStream(path), 'jsonl');
      expect(items.map((item) => item.line)).toEqual([1, 2, 3]);
      expect(rowsOf(items)[1]?.record).toEqual({ text });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reports a JSONL line over 16 MiB with its size and line, and reads the lines around it', async () => {
    const giant = JSON.stringify({ text: 'x'.repeat(30 * 1024 * 1024) });
    // 30 MiB of x, and the 12 bytes of {"text":""}; chunks of 1 MiB make the line cross 31 of them.
    const items = await readAll(streamOf(`{"id":1}\n${giant}\n{"id":3}\n`, 1024 * 1024), 'jsonl');
    expect(items).toEqual([
      { line: 1, record: { id: 1 } },
      { line: 2, reason: 'a row of 30.0 MiB, over the 16 MiB one row may take: not read' },
      { line: 3, record: { id: 3 } },
    ]);
    const last = await readAll(streamOf(`{"id":1}\n${giant}`, 1024 * 1024), 'jsonl');
    expect(last.map((item) => ('reason' in item ? item.reason : item.line))).toEqual([
      1,
      'a row of 30.0 MiB, over the 16 MiB one row may take: not read',
    ]);
  });

  it.each(['jsonl', 'json'] as const)(
    'reports a %s row nested 5,000 levels deep as too deep, not as a record',
    async (format) => {
      const deep = `{"text": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const text = format === 'jsonl' ? `{"text":"a"}\n${deep}\n` : `[{"text":"a"},\n${deep}]`;
      expect(await readAll(streamOf(text), format)).toEqual([
        { line: 1, record: { text: 'a' } },
        { line: 2, reason: 'nested deeper than 100 levels of arrays and objects: not read' },
      ]);
    },
  );

  it.each(['jsonl', 'json', 'csv', 'tsv'] as const)(
    'reports a gzipped %s file once, as compressed, instead of a problem per line',
    async (format) => {
      const zipped = gzipSync(Buffer.from('{"text":"a"}\n'.repeat(1000)));
      expect(await readAll(streamOf(zipped, 100), format)).toEqual([
        {
          line: 1,
          reason:
            'the file is compressed (gzip: it starts with the bytes 1f 8b), not read: tuneguard reads JSON Lines, JSON, CSV and TSV as plain text',
        },
      ]);
    },
  );

  it.each([
    ['little', 'ff fe', (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le')],
    ['big', 'fe ff', (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le').swap16()],
  ] as const)(
    'reports a UTF-16 (%s-endian) file once, by its byte-order mark',
    async (endian, mark, encode) => {
      // MLX's WikiSQL valid split, saved as UTF-16 (as Windows tools and PowerShell's `>` do).
      const bytes = encode(fixture('mlx_wikisql_valid.jsonl'));
      expect([...bytes.subarray(0, 2)].map((byte) => byte.toString(16)).join(' ')).toBe(mark);
      expect(await readAll(streamOf(bytes, 100), 'jsonl')).toEqual([
        {
          line: 1,
          reason: `the file is UTF-16 (${endian}-endian: it starts with the byte-order mark ${mark}), not read: trainers read JSON Lines, JSON, CSV and TSV as UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)`,
        },
      ]);
    },
  );

  it.each(['csv', 'tsv'] as const)(
    'reports a %s header that repeats a column, once, at its line; unnamed columns are no fields',
    async (format) => {
      const cells = (values: string[]): string => values.join(format === 'csv' ? ',' : '\t');
      const text = [
        '',
        cells(['text', 'label', '', 'text', 'text', ' ']),
        cells(['a', 'b', 'c', 'd', 'e', '']),
        cells(['a', 'b', 'c', 'd', 'e', 'spilled']),
        '',
      ];
      expect(await readAll(streamOf(text.join('\n')), format)).toEqual([
        {
          line: 2,
          reason:
            'the header names the column "text" 3 times (columns 1, 4 and 5): only the last one\'s values are read',
        },
        // Column 3 is unnamed between named ones (a pandas index, say): left out, whatever it holds.
        { line: 3, record: { text: 'e', label: 'b' } },
        {
          line: 4,
          reason:
            'a value in column 6, which the header does not name: a field holding the delimiter without quotes?',
        },
      ]);
    },
  );

  it('reads a real spreadsheet export whose header ends in three unnamed columns', async () => {
    // kaggle_sms_spam.first600.csv: `v1,v2,,,`, 599 records; Python's csv module finds values in the
    // unnamed columns on the records at lines 97 (columns 3, 4), 284 (3, 4, 5) and 447 (3).
    const rows = await readAll(createReadStream(fixture('kaggle_sms_spam.first600.csv')), 'csv');
    const problems = rows.filter((row) => 'reason' in row);
    expect(problems.map((row) => row.line)).toEqual([97, 284, 447]);
    expect(problems[1]).toEqual({
      line: 284,
      reason:
        'a value in columns 3, 4 and 5, which the header does not name: a field holding the delimiter without quotes?',
    });
    const records = rows.flatMap((row) => ('record' in row ? [row.record] : []));
    expect(records).toHaveLength(596);
    expect(records[0]).toEqual({
      v1: 'ham',
      v2: 'Go until jurong point, crazy.. Available only in bugis n great world la e buffet... Cine there got amore wat...',
    });
  });

  it('says when JSON Lines are Python dict literals, and how to write them', async () => {
    const text = `{'text': 'a', 'ok': True}\n{"text": "b"}\n{"text": "c", "ok": None}\n[1, 2\n`;
    const python =
      '; the line is a Python dict literal (single quotes or True/False/None, as str() or print() writes a dict): write each record with json.dumps';
    const rows = await readAll(streamOf(text), 'jsonl');
    expect(
      rows.map((row) => ('reason' in row ? [row.line, row.reason.endsWith(python)] : [row.line])),
    ).toEqual([[1, true], [2], [3, true], [4, false]]);
  });

  it('rejects when the stream itself fails', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    await expect(readAll(failing, 'jsonl')).rejects.toThrow('disk gone');
  });
});

describe('readDatasetRows: Parquet and JSONL shards', () => {
  it('reads a Parquet stream as its rows, numbered from 1', async () => {
    // The fixture holds mlx_wikisql_valid.jsonl's 100 rows.
    const rows = [];
    for await (const row of readDatasetRows(
      createReadStream(fixture('mlx_wikisql_valid.parquet')),
      'parquet',
    ))
      rows.push(row);
    expect(rows).toHaveLength(100);
    expect(rows[99]).toMatchObject({ line: 100, record: { text: expect.stringMatching(/^table: /) } });
  });

  it('numbers the lines of a JSONL shard from the line it starts on', async () => {
    const rows = [];
    for await (const row of readDatasetRows(Readable.from([Buffer.from('{"a":1}\n\n{"a":2}\n')]), 'jsonl', {
      firstLine: 41,
    })) {
      rows.push(row);
    }
    expect(rows).toEqual([
      { line: 41, record: { a: 1 } },
      { line: 43, record: { a: 2 } },
    ]);
  });
});

describe('readDatasetRows: a Parquet file beyond the memory limit', () => {
  const SPOOL_PREFIX = 'tuneguard-parquet-';
  // Below both fixtures (8768 and 6660 bytes), so each is spooled; streamed in 1000-byte chunks.
  const LIMIT = 1024;

  /** The records each Parquet fixture was written from (see SOURCES.md), numbered from 1. */
  function sourceRows(name: string): DatasetRow[] {
    const text = readFileSync(fixture(name), 'utf8');
    const records: unknown[] = name.endsWith('.jsonl')
      ? text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as unknown)
      : (JSON.parse(text) as unknown[]);
    return records.map((record, index) => ({ line: index + 1, record }));
  }

  async function withTemporaryRoot(run: (root: string) => Promise<void>): Promise<void> {
    const root = await mkdtemp(join(tmpdir(), 'tuneguard-spool-test-'));
    try {
      await run(root);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  async function spoolsIn(root: string): Promise<string[]> {
    return (await readdir(root)).filter((name) => name.startsWith(SPOOL_PREFIX));
  }

  /** Reads every item, noting the spool folders that exist once the first item has arrived. */
  async function readObserved(
    source: Readable,
    options: DatasetRowOptions & { temporaryDirectory: string },
  ): Promise<{ items: Array<DatasetRow | RowProblem>; spoolsWhileReading: string[] }> {
    const items: Array<DatasetRow | RowProblem> = [];
    let spoolsWhileReading: string[] = [];
    for await (const item of readDatasetRows(source, 'parquet', options)) {
      if (items.length === 0) spoolsWhileReading = await spoolsIn(options.temporaryDirectory);
      items.push(item);
    }
    return { items, spoolsWhileReading };
  }

  it.each([
    ['mlx_wikisql_valid.parquet', 'mlx_wikisql_valid.jsonl'],
    ['llamafactory_identity.base.parquet', 'llamafactory_identity.base.json'],
  ])('reads %s from disk as the rows of %s, as from memory', async (name, source) => {
    await withTemporaryRoot(async (root) => {
      const bytes = readFileSync(fixture(name));
      const spooled = await readObserved(streamOf(bytes, 1000), {
        parquetMemoryLimit: LIMIT,
        temporaryDirectory: root,
      });
      const inMemory = await readObserved(streamOf(bytes, 1000), { temporaryDirectory: root });

      expect(spooled.spoolsWhileReading).toHaveLength(1);
      expect(inMemory.spoolsWhileReading).toEqual([]);
      expect(spooled.items).toEqual(sourceRows(source));
      expect(spooled.items).toEqual(inMemory.items);
      expect(await spoolsIn(root)).toEqual([]);
    });
  });

  it('decodes only the asked columns the file has, from memory and from disk alike', async () => {
    await withTemporaryRoot(async (root) => {
      const bytes = readFileSync(fixture('llamafactory_identity.base.parquet'));
      const parquetColumns = ['output', 'no_such_column'];
      const expected = sourceRows('llamafactory_identity.base.json').map(({ line, record }) => ({
        line,
        record: { output: (record as { output: string }).output },
      }));
      const spooled = await readObserved(streamOf(bytes, 1000), {
        parquetMemoryLimit: LIMIT,
        temporaryDirectory: root,
        parquetColumns,
      });
      const inMemory = await readObserved(streamOf(bytes, 1000), {
        temporaryDirectory: root,
        parquetColumns,
      });
      expect(expected).toHaveLength(91);
      expect(spooled.items).toEqual(expected);
      expect(inMemory.items).toEqual(expected);
    });
  });

  it('removes the temporary folder when the consumer stops early', async () => {
    await withTemporaryRoot(async (root) => {
      const options = { parquetMemoryLimit: LIMIT, temporaryDirectory: root };
      let first: DatasetRow | RowProblem | undefined;
      let spoolsWhileReading: string[] = [];
      for await (const item of readDatasetRows(
        createReadStream(fixture('mlx_wikisql_valid.parquet'), { highWaterMark: 1000 }),
        'parquet',
        options,
      )) {
        first = item;
        spoolsWhileReading = await spoolsIn(root);
        break;
      }
      expect(first).toEqual(sourceRows('mlx_wikisql_valid.jsonl')[0]);
      expect(spoolsWhileReading).toHaveLength(1);
      expect(await spoolsIn(root)).toEqual([]);
    });
  });

  it('reports a spooled file that is not Parquet as in memory, then removes it', async () => {
    await withTemporaryRoot(async (root) => {
      const bytes = readFileSync(fixture('mlx_wikisql_valid.jsonl'));
      expect(bytes.byteLength).toBeGreaterThan(LIMIT);
      const spooled = await readObserved(streamOf(bytes, 1000), {
        parquetMemoryLimit: LIMIT,
        temporaryDirectory: root,
      });
      const inMemory = await readObserved(streamOf(bytes, 1000), { temporaryDirectory: root });

      expect(spooled.spoolsWhileReading).toHaveLength(1);
      expect(spooled.items).toEqual([
        { line: 1, reason: expect.stringMatching(/^not a readable Parquet file: /) as unknown },
      ]);
      expect(spooled.items).toEqual(inMemory.items);
      expect(await spoolsIn(root)).toEqual([]);
    });
  });

  it.each([
    ['while spooling', LIMIT],
    ['while holding the file in memory', undefined],
  ])('rejects when the stream fails %s, leaving no temporary folder', async (_case, limit) => {
    await withTemporaryRoot(async (root) => {
      const head = readFileSync(fixture('mlx_wikisql_valid.parquet')).subarray(0, 3000);
      let sent = false;
      const failing = new Readable({
        read() {
          if (sent) {
            this.destroy(new Error('disk gone'));
            return;
          }
          sent = true;
          this.push(head);
        },
      });
      const options = limit === undefined ? {} : { parquetMemoryLimit: limit };
      await expect(readObserved(failing, { ...options, temporaryDirectory: root })).rejects.toThrow(
        'disk gone',
      );
      expect(await spoolsIn(root)).toEqual([]);
    });
  });
});
