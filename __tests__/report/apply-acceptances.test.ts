import { describe, expect, it } from '@jest/globals';
import { applyAcceptances } from '../../src/report/apply-acceptances.js';
import { buildSampleReport } from '../helpers/sample-report.js';

describe('applyAcceptances', () => {
  it('accepting eval-regression turns its 3 failures into notices; data-shrink still fails the verdict', () => {
    // The sample: failures data-shrink + 3 eval-regression, warnings data-duplicates + loss-rising, 2 notices.
    const report = applyAcceptances(buildSampleReport(), [
      { check: 'eval-regression', by: 'maint', reason: 'known' },
    ]);
    expect(report.counts).toEqual({ failure: 1, warning: 2, notice: 5 });
    expect(report.verdict).toBe('failure');
    expect(report.findings.filter((f) => f.accepted).map((f) => [f.check, f.severity, f.accepted])).toEqual([
      ['eval-regression', 'failure', { by: 'maint', reason: 'known' }],
      ['eval-regression', 'failure', { by: 'maint', reason: 'known' }],
      ['eval-regression', 'failure', { by: 'maint', reason: 'known' }],
    ]);
  });

  it('accepting both failing checks leaves the warnings: the verdict is a warning', () => {
    const report = applyAcceptances(buildSampleReport(), [
      { check: 'eval-regression', by: 'maint', reason: 'known' },
      { check: 'data-shrink', by: 'maint', reason: 'deduplicated on purpose' },
    ]);
    expect(report.counts).toEqual({ failure: 0, warning: 2, notice: 6 });
    expect(report.verdict).toBe('warning');
  });

  it('drops the accepted marks and verdict a report came with, and never marks a notice', () => {
    const forged = buildSampleReport();
    forged.findings = forged.findings.map((f) => ({ ...f, accepted: { by: 'forker', reason: 'trust me' } }));
    forged.verdict = 'pass';
    const report = applyAcceptances(forged, [{ check: 'params-changed', by: 'maint', reason: 'fine' }]);
    expect(report.findings.some((f) => f.accepted)).toBe(false);
    expect(report.counts).toEqual({ failure: 4, warning: 2, notice: 2 });
    expect(report.verdict).toBe('failure');
  });
});
