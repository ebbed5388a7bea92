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

describe('renderCheckOutput of a report compared with a baseline', () => {
  const baseline = {
    runId: 40,
    url: 'https://github.com/octo/repo/actions/runs/40',
    sha: 'abc1234def5678abc1234def5678abc1234def56',
    branch: 'main',
    event: 'push',
    commitsBack: 1,
    createdAt: '2025-02-24T22:00:00Z',
    ageDays: 2,
    files: [{ path: 'results/r.json', baselinePath: 'results/r.json' }],
  };

  it("names the baseline in the App's check summary, linking the run of the same repository", () => {
    const output = renderCheckOutput(buildSampleReport({ baseline }), CONTEXT);
    expect(output.summary.split('\n')).toContain(
      '**Baseline:** [run 40](https://github.com/octo/repo/actions/runs/40) on <code>main</code> at abc1234 (1 commit before the base), 2 days old. ' +
        "The base commit has no results file: 1 results file on head is compared with that run's report.",
    );
  });
});
