import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';
import { chromium } from 'playwright-core';
import { main } from '../cli/main.js';
import { createDemoRepository, DEMO_BASE, DEMO_HEAD } from './demo-repo.js';

/**
 * `npm run picture`: the pull-request comment of the demo, as GitHub shows it, photographed for the
 * README. The demo repository (the same as `npm run demo`) is reviewed with `tuneguard diff`, its
 * markdown (the comment itself, byte for byte) is turned into HTML by marked with GitHub's flavour,
 * styled with github-markdown-css, its mermaid charts drawn by mermaid, inside a comment frame, and
 * photographed by headless Chromium. Writes `docs/comment.png` (as posted: sections collapsed) and
 * `docs/comment-training.png` (the Training section, opened, with its loss charts).
 *
 * Needs Chromium: Debian's `chromium` package (`/usr/bin/chromium`), or `CHROMIUM=/path/to/chrome`.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

/** The demo's comment markdown, written by the CLI as a user would get it with `--output`. */
async function demoComment(): Promise<string> {
  const repo = createDemoRepository(join(root, 'examples/demo-project'));
  try {
    const output = join(repo, 'report.md');
    const quiet = { stdout: () => undefined, stderr: () => undefined, cwd: repo, stdoutIsTerminal: false };
    const code = await main(['diff', '--base', DEMO_BASE, '--head', DEMO_HEAD, '--output', output], quiet);
    if (code === 2) throw new Error('tuneguard diff could not run on the demo repository');
    return readFileSync(output, 'utf8');
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** GitHub's rendering of the markdown: GFM, raw HTML kept (the comment's own `<details>`, `<code>`). */
function toHtml(markdown: string): string {
  const marked = new Marked({ gfm: true, breaks: false });
  marked.use({
    renderer: {
      code({ text, lang }) {
        if (lang === 'mermaid') return `<pre class="mermaid">${escapeHtml(text)}</pre>\n`;
        return false;
      },
    },
  });
  return marked.parse(markdown, { async: false });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A page with one comment in GitHub's frame: the bot's name over the rendered body. */
function page(body: string): string {
  const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
  const mermaid = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { margin: 0; padding: 16px; background: #fff; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.comment { width: 900px; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; font-size: 14px; color: #59636e; border-radius: 6px 6px 0 0; }
.comment-header b { color: #1f2328; }
.markdown-body { padding: 16px; font-size: 14px; }
.markdown-body pre.mermaid { background: #fff; }
</style><script>${mermaid}</script></head><body>
<div class="comment"><div class="comment-header"><b>tuneguard</b> <span class="bot">bot</span> commented</div>
<div class="markdown-body">${body}</div></div>
<script>mermaid.initialize({ startOnLoad: false }); window.drawn = mermaid.run({ querySelector: 'pre.mermaid' });</script>
</body></html>`;
}

async function photograph(html: string, shots: { file: string; open?: string }[]): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'tuneguard-picture-'));
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const file = join(folder, 'comment.html');
    writeFileSync(file, html);
    const tab = await browser.newPage({ deviceScaleFactor: 2 });
    await tab.goto(`file://${file}`);
    await tab.evaluate('window.drawn');
    for (const shot of shots) {
      if (shot.open !== undefined) {
        await tab.evaluate(`document.querySelectorAll('details').forEach((d) => {
          d.open = d.querySelector('summary').textContent.startsWith(${JSON.stringify(shot.open)});
        })`);
      }
      // The whole comment as posted, or only the section opened.
      const subject = shot.open === undefined ? '.comment' : '.markdown-body details[open]';
      await tab.locator(subject).screenshot({ path: join(root, shot.file) });
      process.stdout.write(`wrote ${shot.file}\n`);
    }
  } finally {
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

await photograph(page(toHtml(await demoComment())), [
  { file: 'docs/comment.png' },
  { file: 'docs/comment-training.png', open: 'Training' },
]);
