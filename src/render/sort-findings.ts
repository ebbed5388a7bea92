import type { Finding, Severity } from '../model/report-schema.js';

/** Severities from the most to the least serious, the order reports list findings in. */
export const SEVERITY_ORDER: readonly Severity[] = ['failure', 'warning', 'notice'];

/** The findings, failures first, then warnings, then notices; in their original order within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.finding.severity) - SEVERITY_ORDER.indexOf(b.finding.severity) ||
        a.index - b.index,
    )
    .map(({ finding }) => finding);
}
