import { describe, expect, it } from '@jest/globals';
import { renderSummary } from '../../action/render-summary.js';
import { buildSampleReport } from '../helpers/sample-report.js';
import { LINKING_ESCAPED, LINKING_FINDING } from '../helpers/linking-finding.js';

describe('renderSummary of text GitHub would link', () => {
  const summary = renderSummary({
    report: buildSampleReport({ findings: [LINKING_FINDING] }),
    heading: 'tuneguard',
    comment: 'updated',
    upload: { uploaded: true, name: 'tuneguard-report' },
  });

  it('breaks URLs, www. addresses and GH- references in the job summary', () => {
    const lines = summary.split('\n');
    expect(lines).toContain(
      `- ⚠️ <code>data-format</code> ${LINKING_ESCAPED.title} · ${LINKING_ESCAPED.place}`,
    );
    expect(lines).toContain(`  - ${LINKING_ESCAPED.detail}`);
    expect(summary).not.toMatch(/www\.evil|:\/\/(evil|files)|GH-\d/i);
  });

  it('ends with its own lines on the comment and the artifact', () => {
    expect(
      summary.endsWith('\n- **PR comment** updated\n- **Report artifact** uploaded as `tuneguard-report`\n'),
    ).toBe(true);
  });
});
