import { GHESNotSupportedError, type ArtifactClient } from '@actions/artifact';
import { dirname } from 'node:path';
import { describeError } from '../src/model/errors.js';

/**
 * Whether the report reached the workflow run's artifacts. `not-on-runner`: there was no artifact
 * service to upload to; `ghes`: the run is on GitHub Enterprise Server, whose artifact storage
 * `@actions/artifact` does not support; `failed`: the upload failed, with the error's message.
 */
export type UploadOutcome =
  | { uploaded: true; name: string; id?: number }
  | { uploaded: false; name: string; reason: 'not-on-runner' | 'ghes' | 'failed'; message: string };

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
 * nowhere to upload to, on GitHub Enterprise Server the client refuses to run, and a failed upload must
 * not hide the analysis; all three give `uploaded: false`.
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
  const enterpriseHost = findEnterpriseServerHost(env);
  // Asked before the client: on GHES it would log a multi-line warning of its own, then throw.
  if (enterpriseHost !== undefined) return ghesOutcome(name, enterpriseHost);
  try {
    const { id } = await client.uploadArtifact(name, [file], dirname(file));
    return { uploaded: true, name, ...(id !== undefined ? { id } : {}) };
  } catch (error) {
    if (error instanceof GHESNotSupportedError) return ghesOutcome(name, env['GITHUB_SERVER_URL'] ?? '');
    return { uploaded: false, name, reason: 'failed', message: describeError(error) };
  }
}

/**
 * The host name of the GitHub Enterprise Server the run is on (`GITHUB_SERVER_URL`), or `undefined` on
 * github.com, a GHE.com data-residency host (`*.ghe.com`) or a `*.localhost` test host: the rule
 * `@actions/artifact` applies before it refuses to upload (its `isGhes`, which it does not export).
 * An unset or unparsable `GITHUB_SERVER_URL` counts as github.com.
 * @example findEnterpriseServerHost({ GITHUB_SERVER_URL: 'https://github.example.com' }) // 'github.example.com'
 */
export function findEnterpriseServerHost(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const serverUrl = env['GITHUB_SERVER_URL'];
  if (!serverUrl || !URL.canParse(serverUrl)) return undefined;
  const host = new URL(serverUrl).hostname.trimEnd().toLowerCase();
  const githubHosted = host === 'github.com' || host.endsWith('.ghe.com') || host.endsWith('.localhost');
  return githubHosted ? undefined : host;
}

function ghesOutcome(name: string, host: string): UploadOutcome {
  return {
    uploaded: false,
    name,
    reason: 'ghes',
    message: `GitHub Enterprise Server (${host}) does not support the artifact service of @actions/artifact v2 and later`,
  };
}
