import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createBufferFile, readParquetRowGroups, readParquetRows } from '../../src/loaders/read-parquet.js';
import { findLfsObjectPath, findLfsPointer } from '../../src/model/lfs-pointer.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/datasets/${name}`, import.meta.url));

async function rowsOf(bytes: Uint8Array, range = {}) {
  const rows = [];
  for await (const row of readParquetRows(createBufferFile(bytes), range)) rows.push(row);
  return rows;
}

describe('readParquetRows', () => {
  it('reads every row of every row group, as the JSONL it was written from', async () => {
    // The fixture holds mlx_wikisql_valid.jsonl's 100 rows in row groups of 40, 40 and 20.
    const expected = readFileSync(
      new URL('../fixtures/datasets/mlx_wikisql_valid.jsonl', import.meta.url),
      'utf8',
    )
      .split('\n')
      .filter((line) => line !== '')
      .map((line, index) => ({ line: index + 1, record: JSON.parse(line) as unknown }));
    expect(await rowsOf(fixture('mlx_wikisql_valid.parquet'))).toEqual(expected);
  });

  it('reads a range of rows across row groups', async () => {
    const rows = await rowsOf(fixture('mlx_wikisql_valid.parquet'), { firstRow: 38, endRow: 42 });
    expect(rows.map((row) => row.line)).toEqual([39, 40, 41, 42]);
  });

  it('reads several columns as one record', async () => {
    // python3: json.load(identity.json)[0] == {'instruction': 'hi', 'input': '', 'output': 'Hello! I am {{name}}, …'}.
    const rows = await rowsOf(fixture('llamafactory_identity.base.parquet'));
    expect(rows).toHaveLength(91);
    expect(rows[0]).toEqual({
      line: 1,
      record: {
        instruction: 'hi',
        input: '',
        output: 'Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?',
      },
    });
  });

  it('reports a file that is not Parquet as one problem', async () => {
    const rows = await rowsOf(Buffer.from('{"text": "not parquet"}\n'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/^not a readable Parquet file/) });
  });
});

describe('readParquetRowGroups', () => {
  async function groupsOf(bytes: Uint8Array, range = {}) {
    const groups = [];
    for await (const group of readParquetRowGroups(createBufferFile(bytes), range)) groups.push(group);
    return groups;
  }

  it.each([
    // The fixture's row groups hold 40, 40 and 20 rows (see SOURCES.md).
    [
      {},
      [
        [1, 40],
        [41, 80],
        [81, 100],
      ],
    ],
    [
      { firstRow: 38, endRow: 42 },
      [
        [39, 40],
        [41, 42],
      ],
    ],
    [{ firstRow: 85 }, [[86, 100]]],
  ])('gives the rows of range %p as one array per row group', async (range, bounds) => {
    const groups = await groupsOf(fixture('mlx_wikisql_valid.parquet'), range);
    expect(groups.map((group) => [group[0]?.line, group.at(-1)?.line])).toEqual(bounds);
    expect(groups.flat()).toEqual(await rowsOf(fixture('mlx_wikisql_valid.parquet'), range));
  });

  it('gives a file that is not Parquet as one array with its one problem', async () => {
    const groups = await groupsOf(Buffer.from('{"text": "not parquet"}\n'));
    expect(groups).toEqual([
      [{ line: 1, reason: expect.stringMatching(/^not a readable Parquet file/) as unknown }],
    ]);
  });
});

describe('findLfsPointer', () => {
  const oid = '4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393';
  it.each([
    [`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 12345\n`, { oid, size: 12345 }],
    // Extension lines may stand between, sorted, as the spec allows.
    [
      `version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${oid}\noid sha256:${oid}\nsize 7\n`,
      { oid, size: 7 },
    ],
    [`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 12345`, undefined],
    [`{"text": "version https://git-lfs.github.com/spec/v1"}\n`, undefined],
    [
      `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 1\n${'x'.repeat(1024)}\n`,
      undefined,
    ],
  ])('reads %p as %p', (text, expected) => {
    expect(findLfsPointer(Buffer.from(text))).toEqual(expected);
  });

  it('finds where git-lfs keeps the object', () => {
    expect(findLfsObjectPath(oid)).toBe(`lfs/objects/4d/7a/${oid}`);
  });
});
