import { computeVerdict } from '../src/report/build-report.js';
import type { Report } from '../src/model/report-schema.js';

/** A maintainer's `/tuneguard accept <check> <reason>`: who accepted which check's findings, and why. */
export interface Acceptance {
  check: string;
  by: string;
  reason: string;
}

/**
 * The report as the App publishes it: every failure or warning of an accepted check is marked
 * `accepted` (the latest acceptance of a check wins) and counts as a notice, and the counts and verdict
 * are computed again from the findings. Whatever `accepted`, `counts` and `verdict` the report came with
 * are dropped first: the report is untrusted input, and only acceptances recorded by the App count.
 * Notices are never marked. With no acceptances this just recomputes counts and verdict.
 * @example applyAcceptances(report, [{ check: 'eval-regression', by: 'octocat', reason: 'known drop' }])
 */
export function applyAcceptances(report: Report, acceptances: readonly Acceptance[]): Report {
  const byCheck = new Map(acceptances.map((acceptance) => [acceptance.check, acceptance]));
  const counts = { failure: 0, warning: 0, notice: 0 };
  const findings = report.findings.map((finding) => {
    const { accepted: _untrusted, ...rest } = finding;
    const acceptance = finding.severity === 'notice' ? undefined : byCheck.get(finding.check);
    counts[acceptance ? 'notice' : finding.severity] += 1;
    return acceptance ? { ...rest, accepted: { by: acceptance.by, reason: acceptance.reason } } : rest;
  });
  return { ...report, findings, counts, verdict: computeVerdict(counts) };
}
