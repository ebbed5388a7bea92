import type { ArtifactClient } from '@actions/artifact';
import { dirname } from 'node:path';
import { describeError } from '../src/model/errors.js';

/**
 * Whether the report reached the workflow run's artifacts. `not-on-runner`: there was no artifact
 * service to upload to; `failed`: the upload failed, with the error's message.
 */
export type UploadOutcome =
  | { uploaded: true; name: string; id?: number }
  | { uploaded: false; name: string; reason: 'not-on-runner' | 'failed'; message: string };

/** The report file to upload, under which name, with which client. */
export interface ReportUpload {
  client: ArtifactClient;
  /** The artifact's name (`computeArtifactName`). */
  name: string;
  /** The JSON report on disk; it is zipped from its own folder. */
  file: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Uploads the JSON report, zipped, as the workflow artifact `name`, so the App (or a `workflow_run`
 * job) can post it. Never throws: outside a GitHub Actions runner (no `ACTIONS_RUNTIME_TOKEN`) there is
 * nowhere to upload to, and a failed upload must not hide the analysis; both give `uploaded: false`.
 * @example await uploadReport({ client, name: 'tuneguard-report-pr7-<sha>', file: '/work/repo/tuneguard-report.json', env: process.env })
 */
export async function uploadReport(upload: ReportUpload): Promise<UploadOutcome> {
  const { client, name, file, env } = upload;
  if (!env['ACTIONS_RUNTIME_TOKEN']) {
    return {
      uploaded: false,
      name,
      reason: 'not-on-runner',
      message: 'not running on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN)',
    };
  }
  try {
    const { id } = await client.uploadArtifact(name, [file], dirname(file));
    return { uploaded: true, name, ...(id !== undefined ? { id } : {}) };
  } catch (error) {
    return { uploaded: false, name, reason: 'failed', message: describeError(error) };
  }
}
