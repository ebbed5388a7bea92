import { describe, expect, it } from '@jest/globals';
import { renderCheckOutput } from '../../src/render/render-check-output.js';
import { buildSampleReport } from '../helpers/sample-report.js';
import { LINKING_ESCAPED, LINKING_FINDING } from '../helpers/linking-finding.js';

const CONTEXT = {
  acceptances: [],
  source: {
    runId: 42,
    runUrl: 'https://github.com/octo/repo/actions/runs/42',
    artifactName: 'tuneguard-report',
  },
  heading: 'tuneguard',
};

describe('renderCheckOutput of text GitHub would link', () => {
  const output = renderCheckOutput(buildSampleReport({ findings: [LINKING_FINDING] }), CONTEXT);

  it('breaks URLs, www. addresses and GH- references in the summary (markdown)', () => {
    const lines = output.summary.split('\n');
    expect(lines).toContain(
      `- ⚠️ <code>data-format</code> ${LINKING_ESCAPED.title} · ${LINKING_ESCAPED.place}`,
    );
    expect(lines).toContain(`  - ${LINKING_ESCAPED.detail}`);
    expect(output.summary).not.toMatch(/www\.evil|:\/\/(evil|files)|GH-\d/i);
  });

  it('keeps its own links: the workflow run the report came from', () => {
    expect(output.text).toBe(
      'Report `tuneguard-report` from [workflow run 42](https://github.com/octo/repo/actions/runs/42).\n',
    );
  });

  it('gives annotations the plain text: GitHub shows an annotation as text, entities and all', () => {
    expect(output.annotations).toEqual([
      {
        path: 'data/www.train.jsonl',
        start_line: 3,
        end_line: 3,
        annotation_level: 'warning',
        title: 'tuneguard: data-format',
        message:
          'Row 3 says https://evil.example/p and WWW.evil.example\nMirror at ftp://files.example; fixes GH-12',
      },
    ]);
  });
});
