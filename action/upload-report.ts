import { DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { basename, dirname } from 'node:path';
import { describeError } from '../src/errors.js';

/** Whether the report reached the workflow's artifacts, and why not. */
export type UploadOutcome = { uploaded: true; id?: number } | { uploaded: false; reason: string };

/**
 * Uploads the JSON report as a workflow artifact so the App (or a `workflow_run` job) can post it.
 * Outside a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN) there is nowhere to upload to, and a
 * failed upload must not hide the analysis: both give `uploaded: false` with the reason.
 */
export async function uploadReport(name: string, file: string): Promise<UploadOutcome> {
  if (!process.env['ACTIONS_RUNTIME_TOKEN']) {
    return { uploaded: false, reason: 'not running on a GitHub Actions runner (no ACTIONS_RUNTIME_TOKEN)' };
  }
  try {
    const client = new DefaultArtifactClient();
    const { id } = await client.uploadArtifact(name, [file], dirname(file), { retentionDays: 30 });
    return { uploaded: true, ...(id !== undefined ? { id } : {}) };
  } catch (error) {
    core.warning(`Could not upload ${basename(file)} as artifact ${name}: ${describeError(error)}`);
    return { uploaded: false, reason: describeError(error) };
  }
}
