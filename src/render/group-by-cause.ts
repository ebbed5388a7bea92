import type { Finding, Severity } from '../model/report-schema.js';
import { sortFindings } from './sort-findings.js';

/** The findings of one cause: one check at one severity, and how many files they name. */
export interface Cause {
  check: string;
  severity: Severity;
  /** In report order. */
  findings: Finding[];
  /** Distinct files the findings name, in their location or among the other places of their cause. */
  files: number;
}

/**
 * The findings by cause, failures first, then warnings, then notices; within a severity, causes come in
 * the order of their first finding in the report. Empty input gives `[]`.
 * @example groupByCause([regression('a.json'), shrink('b.jsonl'), regression('c.json')]).map((c) => c.findings.length) // [2, 1]
 */
export function groupByCause(findings: readonly Finding[]): Cause[] {
  const causes = new Map<string, Cause & { paths: Set<string> }>();
  for (const finding of sortFindings(findings)) {
    const key = `${finding.severity}\u0000${finding.check}`;
    let cause = causes.get(key);
    if (!cause) {
      cause = { check: finding.check, severity: finding.severity, findings: [], files: 0, paths: new Set() };
      causes.set(key, cause);
    }
    cause.findings.push(finding);
    if (finding.location) cause.paths.add(finding.location.path);
    for (const place of finding.also ?? []) cause.paths.add(place.path);
  }
  return [...causes.values()].map(({ paths, ...cause }) => ({ ...cause, files: paths.size }));
}
