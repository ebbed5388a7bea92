import { Marked } from 'marked';
import type { Report } from '../../src/model/report-schema.js';
import { renderCheckOutput } from '../../src/render/render-check-output.js';
import { renderMarkdown } from '../../src/render/render-markdown.js';
import { renderReview } from '../../src/render/render-review.js';

/** What an author's text can become in the bot's words. */
export const ALIVE = ['link', 'image', 'html', 'mention', 'reference'] as const;
export type Alive = (typeof ALIVE)[number];

/** One output a reviewer reads: its name and its markdown. */
export interface Output {
  name: string;
  markdown: string;
}

/** The four outputs of one report, rendered by the code the shells post with. */
export function outputsOf(report: Report): Output[] {
  const check = renderCheckOutput(report, {
    acceptances: [],
    source: { runId: 1, runUrl: 'https://github.com/o/r/actions/runs/1', artifactName: 'tuneguard-report' },
    heading: 'tuneguard',
  });
  // Every finding's line counts as shown by the diff, so every one that can be inline is.
  const lines = new Map<string, Set<number>>();
  for (const finding of report.findings) {
    const at = finding.location;
    if (at?.line !== undefined) lines.set(at.path, (lines.get(at.path) ?? new Set()).add(at.line));
  }
  const review = renderReview(report, lines, { heading: 'tuneguard' });
  return [
    { name: 'PR comment', markdown: renderMarkdown(report, { marker: 'tuneguard' }) },
    { name: 'job summary', markdown: renderMarkdown(report, { complete: true }) },
    { name: 'check run', markdown: `${check.summary}\n\n${check.text}` },
    {
      name: 'review',
      markdown: [review.body, ...review.comments.map((comment) => comment.body)].join('\n\n'),
    },
  ];
}

const marked = new Marked({ gfm: true });

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decode(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITY[name.toLowerCase()] ?? whole;
  });
}

/**
 * What came alive of the payload put in place `n`: markdown rendered as GitHub's flavour (marked, GFM:
 * tables, raw HTML, autolinks of `https://`, `www.`, e-mail addresses), then links and images whose
 * target is the payload's, HTML the payload opened, and, in text outside code and links (where GitHub
 * links them after rendering), `@mentions`, `#123`, `GH-123` and `owner/repo#123` references.
 */
export function countAlive(markdown: string, n: number): Record<Alive, number> {
  const html = marked.parse(markdown, { async: false });
  const mark = new RegExp(`evil${n}(?!\\d)|mail${n}@`, 'i');
  const count: Record<Alive, number> = { link: 0, image: 0, html: 0, mention: 0, reference: 0 };
  for (const [, href] of html.matchAll(/<a\s[^>]*href="([^"]*)"/gi))
    if (mark.test(decode(href ?? ''))) count.link += 1;
  for (const [, src] of html.matchAll(/<img\s[^>]*src="([^"]*)"/gi))
    if (mark.test(decode(src ?? ''))) count.image += 1;
  count.html += [
    ...html.matchAll(new RegExp(`<(?:script|details open|/details|!--)[^>]*>\\s*evil${n}(?!\\d)`, 'gi')),
  ].length;
  let shielded = 0;
  for (const part of html.split(/(<[^>]+>)/)) {
    const tag = /^<(\/?)(code|pre|a)\b/i.exec(part);
    if (tag) shielded += tag[1] === '/' ? -1 : 1;
    if (part.startsWith('<') || shielded > 0) continue;
    const text = decode(part);
    count.mention += [...text.matchAll(new RegExp(`(?:^|[^A-Za-z0-9_])@evil${n}(?!\\d)`, 'g'))].length;
    count.reference += [
      ...text.matchAll(
        new RegExp(`(?:^|[^A-Za-z0-9_&/])#${n}00(?!\\d)|\\bGH-${n}00(?!\\d)|evil/repo#${n}00(?!\\d)`, 'gi'),
      ),
    ].length;
  }
  return count;
}
