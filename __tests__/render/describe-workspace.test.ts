import { describe, expect, it } from '@jest/globals';
import { describeWorkspace } from '../../src/render/describe-workspace.js';
import { renderMarkdown } from '../../src/render/render-markdown.js';
import { PLAIN, renderText } from '../../src/render/render-text.js';
import { buildSampleReport } from '../helpers/sample-report.js';

const HEAD_SHA = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const same = (path: string): string => path;

describe('describeWorkspace: the one line on files read from disk', () => {
  it.each([
    [{ files: ['results/a.json'] }, '1 file came from the workspace, not from the commit: results/a.json'],
    [
      { files: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
      '7 files came from the workspace, not from the commit: a, b, c, d, e and 2 more',
    ],
    [
      { files: ['results/a.json'], deleted: ['notes.md'], worktree: true as const },
      '1 file came from the working tree, not from the commit; 1 file deleted: results/a.json, notes.md (deleted)',
    ],
    [{ files: [] }, '0 files came from the workspace, not from the commit'],
  ])('%j', (workspace, line) => {
    expect(describeWorkspace(workspace, same)).toBe(line);
  });

  it('passes every path through the renderer’s escaper', () => {
    expect(describeWorkspace({ files: ['<b>.json'] }, (path) => `[${path}]`)).toBe(
      '1 file came from the workspace, not from the commit: [<b>.json]',
    );
  });
});

describe('the workspace in the rendered report', () => {
  const overlaid = buildSampleReport({
    head: { ref: 'feature', sha: HEAD_SHA, workspace: { files: ['results/<img src=x>.json'] } },
  });
  const worktree = buildSampleReport({
    head: {
      ref: 'HEAD',
      sha: HEAD_SHA,
      workspace: { files: ['a.json'], deleted: ['b.json'], worktree: true },
    },
  });

  it('says in the comment which files came from the workspace, escaped', () => {
    const lines = renderMarkdown(overlaid).split('\n');
    expect(lines).toContain(
      '📂 1 file came from the workspace, not from the commit: <code>results/&lt;img src=x&gt;.json</code>.',
    );
    expect(lines.find((line) => line.startsWith('**Base**'))).toMatch(/→ \*\*head\*\* 2222222 \(/);
  });

  it('names the working tree as the head, in markdown and in text', () => {
    const markdown = renderMarkdown(worktree).split('\n');
    expect(markdown.find((line) => line.startsWith('**Base**'))).toMatch(
      /→ \*\*head\*\* the working tree at 2222222 \(<code>HEAD<\/code>\)$/,
    );
    const text = renderText(worktree, PLAIN).split('\n');
    expect(text[1]).toMatch(/^the working tree at HEAD \(2222222\) against /);
    expect(text[2]).toBe(
      '1 file came from the working tree, not from the commit; 1 file deleted: a.json, b.json (deleted)',
    );
  });
});
