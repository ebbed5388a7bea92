import { createHash } from 'node:crypto';
import type { Report } from '../model/report-schema.js';

/**
 * What a report says, as 16 hex digits of a SHA-256: equal for equal reports, whatever the order of
 * their keys (the Action's report and the same report after the App's schema parse agree). The report
 * holds nothing that changes from run to run of the same commits (the run's link is a rendering option,
 * never part of it), so all of it counts, the tool version included: a new version may say it differently.
 * The sticky comment stores it to tell whether it is current.
 * @example computeReportKey(report) // '3f9a0c1d2e4b5a67'
 */
export function computeReportKey(report: Report): string {
  return createHash('sha256').update(stringifyCanonical(report)).digest('hex').slice(0, 16);
}

/** JSON with every object's keys sorted and `undefined` members left out, as JSON.stringify does. */
function stringifyCanonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stringifyCanonical(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${stringifyCanonical(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
