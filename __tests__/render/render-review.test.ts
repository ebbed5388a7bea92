import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/model/report-schema.js';
import { GITHUB_COMMENT_LIMIT } from '../../src/render/render-markdown.js';
import { renderReview } from '../../src/render/render-review.js';
import { buildSampleReport } from '../helpers/sample-report.js';
import { LINKING_ESCAPED, LINKING_FINDING } from '../helpers/linking-finding.js';

const OPTIONS = { heading: 'tuneguard', checkRunUrl: 'https://github.com/octo/repo/runs/9' };
const NO_DIFF = new Map<string, Set<number>>();

function many(check: string, severity: Finding['severity'], count: number, title = 'moved'): Finding[] {
  return Array.from({ length: count }, (_, index) => ({
    check,
    severity,
    title: `${title} ${index}`,
    details: [],
    location: { path: `results/${check}-${index}.json` },
  }));
}

function listed(body: string): string[] {
  return body
    .slice(body.indexOf('**Not on a changed line**'))
    .split('\n')
    .filter((line) => line.startsWith('- '));
}

describe('renderReview of many findings', () => {
  it('lists 10 findings of a cause in its body and counts the others for the check run', () => {
    const report = buildSampleReport({ findings: many('eval-regression', 'failure', 25) });
    const lines = listed(renderReview(report, NO_DIFF, OPTIONS).body);
    expect(lines).toHaveLength(11);
    expect(lines[9]).toContain('moved 9');
    expect(lines[10]).toBe('- ❌ and 15 more <code>eval-regression</code> failures, in the check run');
  });

  it('lists 50 findings in all, failures first, and only counts the causes past them', () => {
    // Six causes of 10: five fill the 50, the sixth (a notice) is counted.
    const findings = [
      ...many('params-changed', 'notice', 10),
      ...['a', 'b', 'c', 'd', 'e'].flatMap((name) => many(`check-${name}`, 'failure', 10)),
    ];
    const lines = listed(renderReview(buildSampleReport({ findings }), NO_DIFF, OPTIONS).body);
    expect(lines).toHaveLength(51);
    expect(lines.slice(0, 50).every((line) => line.startsWith('- ❌'))).toBe(true);
    expect(lines[50]).toBe('- ℹ️ 10 <code>params-changed</code> notices, in the check run');
  });

  it('keeps the body within a comment’s limit when every title is long', () => {
    // 300 findings of 30 causes with titles of 500 `<` (2,000 characters escaped): 50 listed would be 100,000.
    const findings = Array.from({ length: 30 }, (_, cause) =>
      many(`check-${cause}`, 'warning', 10, '<'.repeat(500)),
    ).flat();
    const { body } = renderReview(buildSampleReport({ findings }), NO_DIFF, OPTIONS);
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const lines = listed(body);
    // Each cause still appears: with its first finding, or counted.
    for (let cause = 0; cause < 30; cause += 1) {
      expect(lines.some((line) => line.includes(`<code>check-${cause}</code>`))).toBe(true);
    }
  });

  it('keeps an inline comment within a comment’s limit and counts the findings it leaves out', () => {
    // 60 findings on one changed line, each with 10 details of 500 `<`: 20,000 characters each.
    const findings: Finding[] = Array.from({ length: 60 }, (_, index) => ({
      check: 'data-format',
      severity: 'warning',
      title: `row problem ${index}`,
      details: Array.from({ length: 10 }, () => '<'.repeat(500)),
      location: { path: 'data/train.jsonl', line: 7, side: 'head' },
    }));
    const diff = new Map([['data/train.jsonl', new Set([7])]]);
    const { comments } = renderReview(buildSampleReport({ findings }), diff, OPTIONS);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const shown = body.match(/row problem \d+/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(body).toContain(`And ${60 - shown} more findings on this line, in the check run.`);
  });
});

describe('renderReview of text GitHub would link', () => {
  const report = buildSampleReport({ findings: [LINKING_FINDING] });

  it('breaks the links in an inline comment', () => {
    const diff = new Map([['data/www.train.jsonl', new Set([3])]]);
    const { comments } = renderReview(report, diff, OPTIONS);
    expect(comments.map((comment) => comment.body)).toEqual([
      [
        '<!-- tuneguard:review-comment -->',
        '',
        `⚠️ **<code>data-format</code>** ${LINKING_ESCAPED.title}`,
        `- ${LINKING_ESCAPED.detail}`,
      ].join('\n'),
    ]);
  });

  it('breaks the links in the review body', () => {
    const { body } = renderReview(report, NO_DIFF, OPTIONS);
    expect(listed(body)).toEqual([
      `- ⚠️ <code>data-format</code> ${LINKING_ESCAPED.title} · ${LINKING_ESCAPED.place}`,
    ]);
  });
});
