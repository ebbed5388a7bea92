import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeError } from '../../model/errors.js';
import { reportSchema, type Report } from '../../model/report-schema.js';
import { applyAcceptances } from '../../report/apply-acceptances.js';
import type { GitHubClient } from './sticky-comment.js';
import { readReportZip, type ZipLimits } from './read-report-zip.js';
import { ReportArtifactError } from './report-artifact-error.js';
import { parseArtifactName } from '../../report/artifact-name.js';

/** A repository, as the REST API's `owner` and `repo` parameters. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** A workflow run's artifact whose name says it is a tuneguard report, with what the name says. */
export interface ReportArtifact {
  id: number;
  name: string;
  sizeInBytes: number;
  /** `sha256:<hex>` as GitHub computed it at upload, when it did. */
  digest?: string;
  expired: boolean;
  /** The pull request number in the name (`-pr<N>-`); absent for runs outside a pull request. */
  pr?: number;
  /** The head commit the report says it is about. */
  sha: string;
  /** The Action's scope (a folder or config of a monorepo), with `_` for characters names cannot hold. */
  scope?: string;
}

/** Bounds on a downloaded report artifact. */
export interface DownloadLimits extends ZipLimits {
  /** Most bytes of the zip itself. */
  maxZipBytes: number;
}

/**
 * Generous for a report (the Action keeps it within its size budget, `report.max-mb`: 4 MiB by default,
 * 8 at most), small enough that a hostile artifact costs little.
 */
export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxZipBytes: 16 * 1024 * 1024,
  maxEntries: 16,
  maxReportBytes: 32 * 1024 * 1024,
};

/** Report artifacts read from one workflow run; a run that uploads more is not a tuneguard run as documented. */
export const MAX_REPORT_ARTIFACTS = 10;

/**
 * Lists the tuneguard report artifacts of a workflow run (every page), at most
 * {@link MAX_REPORT_ARTIFACTS}, oldest first. A run without one (any other workflow) gives `[]`.
 */
export async function findReportArtifacts(
  octokit: GitHubClient,
  repo: RepoRef,
  runId: number,
): Promise<ReportArtifact[]> {
  const artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
    ...repo,
    run_id: runId,
    per_page: 100,
  });
  const found: ReportArtifact[] = [];
  for (const artifact of artifacts) {
    const parsed = parseArtifactName(artifact.name);
    if (!parsed) continue;
    found.push(toReportArtifact(artifact, parsed));
  }
  return found.sort((a, b) => a.id - b.id).slice(0, MAX_REPORT_ARTIFACTS);
}

/** An artifact of the REST listing, with what its name says, as a report artifact. */
export function toReportArtifact(
  artifact: { id: number; name: string; size_in_bytes: number; expired: boolean; digest?: string | null },
  parsed: NonNullable<ReturnType<typeof parseArtifactName>>,
): ReportArtifact {
  return {
    id: artifact.id,
    name: artifact.name,
    sizeInBytes: artifact.size_in_bytes,
    expired: artifact.expired,
    ...(artifact.digest ? { digest: artifact.digest } : {}),
    ...parsed,
  };
}

/**
 * Downloads a report artifact and returns the report, validated as untrusted input: the zip is
 * bounded (size before and while downloading, entries, inflated size), its SHA-256 must match the
 * digest GitHub recorded, the JSON must pass the report schema, and the report's head must be the commit
 * the artifact's name gives. The report comes back with counts and verdict recomputed from its
 * findings and any `accepted` mark dropped (see {@link applyAcceptances}). Throws a
 * {@link ReportArtifactError}; API errors other than the download's are thrown as they are.
 */
export async function downloadReport(
  octokit: GitHubClient,
  repo: RepoRef,
  artifact: ReportArtifact,
  limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
): Promise<Report> {
  if (artifact.expired) {
    throw new ReportArtifactError(`The artifact ${artifact.name} has expired.`, 'download-failed');
  }
  if (artifact.sizeInBytes > limits.maxZipBytes) {
    throw new ReportArtifactError(
      `The artifact ${artifact.name} has ${artifact.sizeInBytes} bytes; at most ${limits.maxZipBytes} are read.`,
      'too-large',
    );
  }
  const bytes = await downloadZip(octokit, repo, artifact, limits.maxZipBytes);
  if (artifact.digest?.startsWith('sha256:')) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== artifact.digest.slice('sha256:'.length).toLowerCase()) {
      throw new ReportArtifactError(
        `The artifact ${artifact.name} does not match the SHA-256 digest GitHub recorded at upload.`,
        'digest-mismatch',
      );
    }
  }
  const text = await readReportZip(bytes, limits);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ReportArtifactError(
      `The report in ${artifact.name} is not JSON: ${describeError(error)}`,
      'invalid-json',
      {
        cause: error,
      },
    );
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    throw new ReportArtifactError(
      `The report in ${artifact.name} is not a valid tuneguard report:\n${z.prettifyError(parsed.error).slice(0, 2000)}`,
      'invalid-report',
      { cause: parsed.error },
    );
  }
  if (parsed.data.head.sha !== artifact.sha) {
    throw new ReportArtifactError(
      `The report in ${artifact.name} is about ${parsed.data.head.sha}, not the commit its name gives.`,
      'sha-mismatch',
    );
  }
  return applyAcceptances(parsed.data, []);
}

async function downloadZip(
  octokit: GitHubClient,
  repo: RepoRef,
  artifact: ReportArtifact,
  maxBytes: number,
): Promise<Buffer> {
  // GitHub answers with a redirect to a short-lived storage URL. Following it by hand keeps the
  // token away from that other host and lets the body be read with a bound instead of whole.
  let response: Awaited<ReturnType<GitHubClient['rest']['actions']['downloadArtifact']>>;
  try {
    response = await octokit.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: artifact.id,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    });
  } catch (error) {
    throw new ReportArtifactError(
      `Downloading the artifact ${artifact.name} failed: ${describeError(error)}`,
      'download-failed',
      { cause: error },
    );
  }
  const location = response.headers.location;
  if (response.status < 300 || response.status >= 400 || !location || !/^https:\/\//i.test(location)) {
    throw new ReportArtifactError(
      `Downloading the artifact ${artifact.name} gave HTTP ${response.status} without a download address.`,
      'download-failed',
    );
  }
  let body: Response;
  try {
    body = await fetch(location, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new ReportArtifactError(
      `Downloading the artifact ${artifact.name} failed: ${describeError(error)}`,
      'download-failed',
      {
        cause: error,
      },
    );
  }
  if (!body.ok || !body.body) {
    throw new ReportArtifactError(
      `Downloading the artifact ${artifact.name} gave HTTP ${body.status}.`,
      'download-failed',
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ReportArtifactError(
        `The artifact ${artifact.name} is larger than ${maxBytes} bytes.`,
        'too-large',
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
