import type { Report } from '../model/report-schema.js';
import { computeVerdict, countFindings } from './build-report.js';

/** A maintainer's `/tuneguard accept <check> <reason>`: who accepted which check's findings, and why. */
export interface Acceptance {
  check: string;
  by: string;
  reason: string;
}

/**
 * The report as the App publishes it: every failure or warning of an accepted check is marked
 * `accepted` (the latest acceptance of a check wins) and counts as a notice, and the counts and verdict
 * are computed again from the findings by the report's own rule (`countFindings`, `computeVerdict`).
 * Whatever `accepted`, `counts` and `verdict` the report came with are dropped first: the report is
 * untrusted input, and only acceptances recorded by the App count. Notices are never marked. With no
 * acceptances this just recomputes counts and verdict.
 * @example applyAcceptances(report, [{ check: 'eval-regression', by: 'octocat', reason: 'known drop' }])
 */
export function applyAcceptances(report: Report, acceptances: readonly Acceptance[]): Report {
  const byCheck = new Map(acceptances.map((acceptance) => [acceptance.check, acceptance]));
  const findings = report.findings.map((finding) => {
    const { accepted: _untrusted, ...rest } = finding;
    const acceptance = finding.severity === 'notice' ? undefined : byCheck.get(finding.check);
    return acceptance ? { ...rest, accepted: { by: acceptance.by, reason: acceptance.reason } } : rest;
  });
  const counts = countFindings(findings);
  return { ...report, findings, counts, verdict: computeVerdict(counts) };
}
