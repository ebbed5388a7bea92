import { describe, expect, it } from '@jest/globals';
import { buildReport, computeVerdict, type ReportParts } from '../../src/report/build-report.js';
import {
  REPORT_SCHEMA_VERSION,
  reportSchema,
  type Finding,
  type Severity,
} from '../../src/model/report-schema.js';

const finding = (severity: Severity, extra: Partial<Finding> = {}): Finding => ({
  check: 'data-shrink',
  severity,
  title: `a ${severity}`,
  details: [],
  ...extra,
});

const parts = (findings: Finding[]): ReportParts => ({
  toolVersion: '1.2.3',
  base: { ref: 'main', sha: 'a'.repeat(40) },
  head: { ref: 'pr', sha: 'b'.repeat(40) },
  changedFiles: ['data/train.jsonl'],
  findings,
  datasets: [],
  params: [],
  metrics: [],
  training: [],
  unreadable: [],
});

describe('buildReport', () => {
  it.each([
    [[], { failure: 0, warning: 0, notice: 0 }, 'pass'],
    [['notice', 'notice'], { failure: 0, warning: 0, notice: 2 }, 'pass'],
    [['warning', 'notice'], { failure: 0, warning: 1, notice: 1 }, 'warning'],
    [['failure', 'warning', 'warning', 'notice'], { failure: 1, warning: 2, notice: 1 }, 'failure'],
    [['failure', 'failure'], { failure: 2, warning: 0, notice: 0 }, 'failure'],
  ] as const)('findings %j count %j and give the verdict %s', (severities, counts, verdict) => {
    const report = buildReport(parts(severities.map((s) => finding(s))));
    expect(report.counts).toEqual(counts);
    expect(report.verdict).toBe(verdict);
    expect(computeVerdict(counts)).toBe(verdict);
  });

  it('counts a finding a maintainer accepted as a notice: an accepted failure no longer fails', () => {
    const accepted = finding('failure', { accepted: { by: 'maintainer', reason: 'known regression' } });
    const report = buildReport(parts([accepted, finding('notice')]));
    expect(report.counts).toEqual({ failure: 0, warning: 0, notice: 2 });
    expect(report.verdict).toBe('pass');
    expect(report.findings[0]).toBe(accepted);
  });

  it('stamps the schema version and the tool, keeps every part, and validates against the report schema', () => {
    const report = buildReport({ ...parts([finding('warning')]), configPath: '.github/tuneguard.yml' });
    expect(report).toEqual({
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'tuneguard', version: '1.2.3' },
      base: { ref: 'main', sha: 'a'.repeat(40) },
      head: { ref: 'pr', sha: 'b'.repeat(40) },
      configPath: '.github/tuneguard.yml',
      changedFiles: ['data/train.jsonl'],
      findings: [finding('warning')],
      datasets: [],
      params: [],
      metrics: [],
      training: [],
      unreadable: [],
      verdict: 'warning',
      counts: { failure: 0, warning: 1, notice: 0 },
    });
    expect(reportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });
});
