import { describe, expect, it } from '@jest/globals';
import { reportSchema } from '../../src/model/report-schema.js';
import { applyAcceptances } from '../../src/report/apply-acceptances.js';
import { computeReportKey } from '../../src/report/compute-report-key.js';
import { buildSampleReport } from '../helpers/sample-report.js';

/** The same object with its keys, at every depth, in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, member]) => [key, reverseKeys(member)]),
  );
}

describe('computeReportKey', () => {
  const report = buildSampleReport();

  it('is 16 hex digits, the same for the same report', () => {
    expect(computeReportKey(report)).toMatch(/^[0-9a-f]{16}$/);
    expect(computeReportKey(buildSampleReport())).toBe(computeReportKey(report));
  });

  it('agrees for the Action’s report and the same report as the App reads it from the artifact', () => {
    const uploaded = JSON.parse(JSON.stringify(reverseKeys(report))) as unknown;
    const read = applyAcceptances(reportSchema.parse(uploaded), []);
    expect(computeReportKey(read)).toBe(computeReportKey(report));
  });

  it.each([
    [
      'a finding’s title',
      (r: typeof report) => ({
        ...r,
        findings: r.findings.map((f, i) => (i === 0 ? { ...f, title: `${f.title}!` } : f)),
      }),
    ],
    ['the head commit', (r: typeof report) => ({ ...r, head: { ...r.head, sha: 'f'.repeat(40) } })],
    ['the tool version', (r: typeof report) => ({ ...r, tool: { ...r.tool, version: '9.9.9' } })],
    [
      'a finding accepted',
      (r: typeof report) => applyAcceptances(r, [{ check: 'data-shrink', by: 'maint', reason: 'ok' }]),
    ],
  ])('changes with %s', (_, change) => {
    expect(computeReportKey(change(report))).not.toBe(computeReportKey(report));
  });
});
