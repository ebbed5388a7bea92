import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ReportArtifactError } from './report-artifact-error.js';

/** Bounds on an artifact zip, which is untrusted input (a fork's workflow wrote it). */
export interface ZipLimits {
  /** Most entries (files and folders) the zip may list. */
  maxEntries: number;
  /** Most bytes the report file may have once inflated. */
  maxReportBytes: number;
}

/**
 * Reads the report's JSON text out of an artifact zip. The zip must list at most `maxEntries` entries
 * and hold exactly one `.json` file, of at most `maxReportBytes` inflated: the declared size is
 * checked before inflating, and the bytes are counted while inflating, so a zip bomb or a lying header
 * stops early. Throws a {@link ReportArtifactError} (`not-a-zip`, `too-many-entries`, `no-report-file`,
 * `too-large`).
 * @example await readReportZip(zipBytes, { maxEntries: 16, maxReportBytes: 32 * 1024 * 1024 })
 */
export async function readReportZip(bytes: Buffer, limits: ZipLimits): Promise<string> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true });
  } catch (error) {
    throw new ReportArtifactError('The artifact is not a readable zip file.', 'not-a-zip', { cause: error });
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ReportArtifactError(
        `The artifact lists ${zip.entryCount} files; a tuneguard report artifact holds one (at most ${limits.maxEntries} are read).`,
        'too-many-entries',
      );
    }
    const reports: Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        if (!entry.fileName.endsWith('/') && entry.fileName.toLowerCase().endsWith('.json'))
          reports.push(entry);
      }
    } catch (error) {
      throw new ReportArtifactError('The artifact is not a readable zip file.', 'not-a-zip', {
        cause: error,
      });
    }
    const [entry, ...others] = reports;
    if (!entry || others.length > 0) {
      throw new ReportArtifactError(
        `The artifact holds ${reports.length} JSON files; a tuneguard report artifact holds exactly one.`,
        'no-report-file',
      );
    }
    if (entry.uncompressedSize > limits.maxReportBytes) {
      throw new ReportArtifactError(
        `${entry.fileName} inflates to ${entry.uncompressedSize} bytes; at most ${limits.maxReportBytes} are read.`,
        'too-large',
      );
    }
    let stream: Readable;
    try {
      stream = await zip.openReadStreamPromise(entry);
    } catch (error) {
      throw new ReportArtifactError(`${entry.fileName} cannot be read from the zip.`, 'not-a-zip', {
        cause: error,
      });
    }
    return await readBounded(stream, entry.fileName, limits.maxReportBytes);
  } finally {
    zip.close();
  }
}

async function readBounded(stream: Readable, name: string, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        stream.destroy();
        throw new ReportArtifactError(`${name} inflates to more than ${maxBytes} bytes.`, 'too-large');
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ReportArtifactError) throw error;
    // yauzl checks the inflated size against the header and the CRC: a mismatch is a corrupt (or forged) zip.
    throw new ReportArtifactError(`${name} is corrupt in the zip.`, 'not-a-zip', { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
