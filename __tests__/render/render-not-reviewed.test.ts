import { describe, expect, it } from '@jest/globals';
import type { NotReviewed } from '../../src/model/report-schema.js';
import { DETAIL_LEVELS } from '../../src/render/markdown-parts.js';
import { renderMarkdown } from '../../src/render/render-markdown.js';
import { renderNotReviewed } from '../../src/render/render-not-reviewed.js';
import { buildSampleReport } from '../helpers/sample-report.js';

const [detailed] = DETAIL_LEVELS;
const briefest = DETAIL_LEVELS.at(-1);
if (!detailed || !briefest) throw new Error('detail levels');

const gz: NotReviewed = { path: 'data/train.jsonl.gz', reason: 'compressed (gzip): not read' };

describe('renderNotReviewed', () => {
  it('says how many changed files nothing reviewed, and names each with why', () => {
    expect(renderNotReviewed([gz, { path: 'raw/x.csv', reason: 'no rule claims it' }], detailed)).toBe(
      [
        '<details><summary><b>Not reviewed</b> · 2</summary>',
        '',
        'Changed files that may hold data, settings or results, but that tuneguard did not review:',
        '',
        '- <code>data/train.jsonl.gz</code>: compressed (gzip): not read',
        '- <code>raw/x.csv</code>: no rule claims it',
        '',
        '</details>',
      ].join('\n'),
    );
  });

  it('escapes paths: markup, pipes, mentions and control characters stay text on one line', () => {
    const section = renderNotReviewed(
      [{ path: 'data/<img src=x>|@octocat\n- [x](y)/a.csv', reason: 'r' }],
      detailed,
    );
    expect(section?.split('\n')[4]).toBe(
      '- <code>data/&lt;img src=x&gt;&#124;@&#8203;octocat - &#91;x&#93;(y)/a.csv</code>: r',
    );
  });

  it('names the first ten (five at the briefest level) and counts the rest', () => {
    const many = Array.from({ length: 23 }, (_, index) => ({
      path: `raw/part-${String(index).padStart(2, '0')}.csv`,
      reason: 'r',
    }));
    const lines = (renderNotReviewed(many, detailed) ?? '').split('\n');
    expect(lines[0]).toBe('<details><summary><b>Not reviewed</b> · 23</summary>');
    expect(lines.filter((line) => line.startsWith('- '))).toHaveLength(10);
    expect(lines.at(-5)).toBe('- <code>raw/part-09.csv</code>: r');
    expect(lines.at(-3)).toBe('and 13 more; the report lists them.');
    const brief = (renderNotReviewed(many, briefest) ?? '').split('\n');
    expect(brief.filter((line) => line.startsWith('- '))).toHaveLength(5);
    expect(brief.at(-3)).toBe('and 18 more; the report lists them.');
  });

  it('is left out when every file was reviewed, or the report predates the list', () => {
    expect(renderNotReviewed([], detailed)).toBeUndefined();
    expect(renderNotReviewed(undefined, detailed)).toBeUndefined();
  });
});

describe('renderMarkdown with files not reviewed', () => {
  it('shows them in the comment, after the other sections', () => {
    const comment = renderMarkdown(buildSampleReport({ notReviewed: [gz] }));
    expect(comment).toContain('<details><summary><b>Not reviewed</b> · 1</summary>');
    expect(comment).toContain('- <code>data/train.jsonl.gz</code>: compressed (gzip): not read');
    expect(comment.indexOf('<b>Not reviewed</b>')).toBeGreaterThan(comment.indexOf('<b>Data</b>'));
    expect(renderMarkdown(buildSampleReport())).not.toContain('Not reviewed');
  });
});
