import { describe, expect, it } from '@jest/globals';
import { addAcceptance, readAcceptanceRecords, renderAcceptanceRecord } from '../../bot/acceptance-record.js';
import { applyAcceptances } from '../../bot/apply-acceptances.js';
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

describe('acceptance records', () => {
  it('round-trips through the check run text; the newest record of a check wins; an empty list renders nothing', () => {
    const older = renderAcceptanceRecord([
      { check: 'eval-regression', by: 'a', reason: 'old' },
      { check: 'data-shrink', by: 'a', reason: 'dedup' },
    ]);
    const newer = renderAcceptanceRecord([{ check: 'eval-regression', by: 'b', reason: 'new --> <b>' }]);
    expect(newer).not.toContain('new --> <b>');
    expect(readAcceptanceRecords([newer, null, 'no record', older])).toEqual([
      { check: 'eval-regression', by: 'b', reason: 'new --> <b>' },
      { check: 'data-shrink', by: 'a', reason: 'dedup' },
    ]);
    expect(renderAcceptanceRecord([])).toBe('');
  });

  it('ignores a record that does not decode to acceptances', () => {
    const bad = Buffer.from(JSON.stringify([{ check: 1 }])).toString('base64url');
    expect(
      readAcceptanceRecords([`<!-- tuneguard:accepted ${bad} -->`, '<!-- tuneguard:accepted !!! -->']),
    ).toEqual([]);
  });

  it('addAcceptance replaces the same check and cuts a long reason to 500 characters', () => {
    const list = addAcceptance([{ check: 'x', by: 'a', reason: 'r' }], {
      check: 'x',
      by: 'b',
      reason: 'y'.repeat(600),
    });
    expect(list).toHaveLength(1);
    expect(list[0]?.by).toBe('b');
    expect(list[0]?.reason).toHaveLength(500);
    expect(list[0]?.reason.endsWith('…')).toBe(true);
  });
});
