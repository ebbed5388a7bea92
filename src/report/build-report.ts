import { REPORT_SCHEMA_VERSION, type Finding, type Report, type Verdict } from '../model/report-schema.js';

/** Everything of a report but what is derived from the findings (verdict and counts). */
export type ReportParts = Omit<Report, 'schemaVersion' | 'tool' | 'verdict' | 'counts'> & {
  toolVersion: string;
};

/**
 * Assembles the report: counts findings by severity and sets the verdict to the worst severity found
 * (`failure`, `warning`, else `pass`; notices alone pass). Findings accepted by a maintainer count as notices.
 */
export function buildReport(parts: ReportParts): Report {
  const { toolVersion, ...rest } = parts;
  const counts = countFindings(rest.findings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'tuneguard', version: toolVersion },
    ...rest,
    verdict: computeVerdict(counts),
    counts,
  };
}

/**
 * The report's counting rule: findings by severity, an accepted finding counting as a notice.
 * @example countFindings([{ severity: 'failure', accepted: { by: 'a', reason: 'r' } }]) // { failure: 0, warning: 0, notice: 1 }
 */
export function countFindings(findings: readonly Pick<Finding, 'severity' | 'accepted'>[]): Report['counts'] {
  const counts = { failure: 0, warning: 0, notice: 0 };
  for (const finding of findings) counts[finding.accepted ? 'notice' : finding.severity] += 1;
  return counts;
}

/** The verdict for finding counts: any failure fails, else any warning warns, else pass. */
export function computeVerdict(counts: { failure: number; warning: number }): Verdict {
  if (counts.failure > 0) return 'failure';
  if (counts.warning > 0) return 'warning';
  return 'pass';
}
