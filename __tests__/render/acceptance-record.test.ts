import { describe, expect, it } from '@jest/globals';
import {
  addAcceptance,
  MAX_ACCEPTANCES,
  MAX_REASON_LENGTH,
  readAcceptanceRecords,
  renderAcceptanceRecord,
} from '../../src/render/acceptance-record.js';
import type { Acceptance } from '../../src/report/apply-acceptances.js';

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

  // 50 checks accepted with reasons of 500 `<`, each shown escaped as `&lt;` (2,000 characters): the
  // visible list alone would take about 100,000 characters, the record about 37,000.
  const many: Acceptance[] = Array.from({ length: MAX_ACCEPTANCES }, (_, index) => ({
    check: `check-${index}`,
    by: 'maintainer',
    reason: '<'.repeat(MAX_REASON_LENGTH),
  }));

  it('leaves the reasons out of the visible list when the text would outgrow its cap, and keeps them in the record', () => {
    const text = renderAcceptanceRecord(many, 65_535);
    expect(renderAcceptanceRecord(many).length).toBeGreaterThan(65_535);
    expect(text.length).toBeLessThanOrEqual(65_535);
    expect(text).not.toContain('&lt;');
    expect(text).toContain('- <code>check-49</code> accepted by @maintainer\n');
    expect(readAcceptanceRecords([text])).toEqual(many);
  });

  it('drops the oldest acceptances when even the short list does not fit, and says how many', () => {
    const text = renderAcceptanceRecord(many, 8_000);
    expect(text.length).toBeLessThanOrEqual(8_000);
    const dropped = Number(/(\d+) older acceptances did not fit here: accept again\./.exec(text)?.[1]);
    expect(dropped).toBeGreaterThan(0);
    expect(readAcceptanceRecords([text])).toEqual(many.slice(dropped));
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

describe('acceptance records round-trip: what the App writes in a check run, it reads back the same', () => {
  const lists: [string, Acceptance[]][] = [
    ['one acceptance', [{ check: 'eval-regression', by: 'octocat', reason: 'known drop on lambada' }]],
    [
      'text that could close or break the HTML comment',
      [{ check: 'data-shrink', by: 'a-b', reason: '--> <!-- *bold* `code` | pipe \\ back' }],
    ],
    [
      'unicode and new lines',
      [{ check: 'data-leakage', by: 'ünï', reason: 'données été 模型 🙂\nsecond line' }],
    ],
    ['an empty reason', [{ check: 'params-risky-change', by: 'x', reason: '' }]],
    [
      'the longest reason kept',
      [{ check: 'train-divergence', by: 'y', reason: 'r'.repeat(MAX_REASON_LENGTH) }],
    ],
    [
      'as many acceptances as kept',
      Array.from({ length: MAX_ACCEPTANCES }, (_, i) => ({ check: `check-${i}`, by: 'z', reason: `${i}` })),
    ],
  ];

  it.each(lists)('%s', (_, acceptances) => {
    const text = `Report \`tuneguard-report-pr7-…\` from workflow run 1.\n\n${renderAcceptanceRecord(acceptances)}`;
    expect(readAcceptanceRecords([text])).toEqual(acceptances);
  });

  it('what addAcceptance keeps round-trips too', () => {
    const added = addAcceptance([], { check: 'eval-regression', by: 'octocat', reason: 'é'.repeat(900) });
    expect(readAcceptanceRecords([renderAcceptanceRecord(added)])).toEqual(added);
  });
});
