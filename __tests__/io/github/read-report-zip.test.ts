import { describe, expect, it } from '@jest/globals';
import { readReportZip } from '../../../src/io/github/read-report-zip.js';
import { ReportArtifactError } from '../../../src/io/github/report-artifact-error.js';
import { createZip } from '../../bot/helpers/zip.js';

const LIMITS = { maxEntries: 4, maxReportBytes: 1000 };

async function kindOf(zip: Buffer): Promise<string> {
  try {
    await readReportZip(zip, LIMITS);
    return 'read';
  } catch (error) {
    if (error instanceof ReportArtifactError) return error.kind;
    throw error;
  }
}

describe('readReportZip', () => {
  it('reads the one JSON file of the zip; other files are ignored', async () => {
    const zip = createZip([
      { name: 'README.txt', data: 'not the report' },
      { name: 'out/tuneguard-report.json', data: '{"schemaVersion":1}' },
    ]);
    await expect(readReportZip(zip, LIMITS)).resolves.toBe('{"schemaVersion":1}');
  });

  it.each([
    ['not a zip at all', Buffer.from('{"schemaVersion":1}'), 'not-a-zip'],
    [
      'more entries than allowed',
      createZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }))),
      'too-many-entries',
    ],
    ['no JSON file', createZip([{ name: 'report.txt', data: '{}' }]), 'no-report-file'],
    [
      'two JSON files',
      createZip([
        { name: 'a.json', data: '{}' },
        { name: 'b.json', data: '{}' },
      ]),
      'no-report-file',
    ],
    // 5,000 spaces deflate to a few bytes: the declared size stops it before inflating.
    [
      'a report declared larger than allowed',
      createZip([{ name: 'r.json', data: ' '.repeat(5000) }]),
      'too-large',
    ],
    // The header claims 10 bytes, the data inflates to 5,000: a forged size is caught while inflating.
    [
      'a report larger than its header says',
      createZip([{ name: 'r.json', data: ' '.repeat(5000), declaredSize: 10 }]),
      'not-a-zip',
    ],
  ])('%s: refused (%s)', async (_, zip, kind) => {
    expect(await kindOf(zip)).toBe(kind);
  });
});
