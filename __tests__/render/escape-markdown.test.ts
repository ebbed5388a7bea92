import { describe, expect, it } from '@jest/globals';
import { escapeCode, escapeMarkdown } from '../../src/render/escape-markdown.js';

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** What a reader sees: character references decoded once, zero-width spaces invisible. */
function visible(markdown: string): string {
  return markdown
    .replace(
      /&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi,
      (whole, decimal?: string, hex?: string, name?: string) => {
        if (decimal !== undefined) return String.fromCodePoint(Number(decimal));
        if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
        return NAMED[name ?? ''] ?? whole;
      },
    )
    .replace(/\u200b/g, '');
}

describe('escapeMarkdown', () => {
  it.each([
    // [name, input, construct that must be gone, what the reader must still see]
    ['backticks', 'run `rm -rf /` now', /`/, 'run `rm -rf /` now'],
    ['pipes', 'lr | 2e-5 | 1e-4', /\|/, 'lr | 2e-5 | 1e-4'],
    ['a script tag', '<script>alert(1)</script>', /</, '<script>alert(1)</script>'],
    ['an img with onerror', '<img src=x onerror=alert(1)>', /<img/i, '<img src=x onerror=alert(1)>'],
    ['an @-mention', 'ping @octocat and @github/team', /@[\w-]/, 'ping @octocat and @github/team'],
    ['an e-mail address', 'mail ops@example.com', /@[\w-]/, 'mail ops@example.com'],
    ['a javascript link', '[link](javascript:alert(1))', /\[[^\]]*\]\(/, '[link](javascript:alert(1))'],
    ['an image link', '![x](https://evil.example/p.png)', /!\[/, '![x](https://evil.example/p.png)'],
    ['newlines', 'line one\nline two\r\nline three\rfour', /[\r\n]/, 'line one line two line three four'],
    ['bold', '**bold** and __also__', /\*|_/, '**bold** and __also__'],
    ['strikethrough and math', '~~gone~~ $x^2$', /~|\$/, '~~gone~~ $x^2$'],
    ['a heading', '# 1 heading', /^#/, '# 1 heading'],
    ['an issue reference', 'fixes #1 and org/repo#12', /(^|[^&])#\d/, 'fixes #1 and org/repo#12'],
    ['a list item', '- item', /^-/, '- item'],
    ['an ordered list item', '1. item', /^1\./, '1. item'],
    ['a setext underline', '===', /^=/, '==='],
    ['a quote', '> quoted', />/, '> quoted'],
    [
      'HTML entities as text',
      '&lt;b&gt;bold&lt;/b&gt; &amp; &#64;x',
      /&lt;b&gt;|&#64;x/,
      '&lt;b&gt;bold&lt;/b&gt; &amp; &#64;x',
    ],
    ['a backslash escape', 'C:\\path\\*', /\\/, 'C:\\path\\*'],
    ['an HTML comment', '<!-- hidden -->', /<!--/, '<!-- hidden -->'],
    ['an https URL', 'see https://evil.example/a?b=c', /https:\/\//, 'see https://evil.example/a?b=c'],
    ['a URL of any scheme', 'ftp://x.example and ssh://git@x', /\w:\/\//, 'ftp://x.example and ssh://git@x'],
    ['a www address', 'visit www.evil.example', /www\./i, 'visit www.evil.example'],
    ['a www address in capitals', 'visit WWW.EVIL.EXAMPLE', /www\./i, 'visit WWW.EVIL.EXAMPLE'],
    ['a GH- reference', 'fixes GH-123 and gh-7', /gh-\d/i, 'fixes GH-123 and gh-7'],
  ])('neutralises %s', (_name, input, construct, shown) => {
    const escaped = escapeMarkdown(input);
    expect(escaped).not.toMatch(construct);
    expect(escaped).not.toMatch(/[\r\n]/);
    expect(visible(escaped)).toBe(shown);
  });

  it.each([
    ['a plain key', 'learning_rate', 'learning&#95;rate'],
    ['a pipe', 'a|b', 'a&#124;b'],
    ['a mention', '@octocat', '@&#8203;octocat'],
    ['an issue number', '#12', '#&#8203;12'],
    // Once the line no longer starts with `#`, the second `#` is plain text.
    ['a heading marker', '## Title', '&#35;# Title'],
    ['a negative number, which is no list', '-0.5', '-0.5'],
    ['a decimal, which is no ordered list', '0.1', '0.1'],
    ['an ordered list marker', '12) x', '&#49;&#50;) x'],
    ['an https URL', 'https://evil.example/x', 'https:&#8203;//evil.example/x'],
    ['a URL of another scheme', 'HF hub://org/model', 'HF hub:&#8203;//org/model'],
    ['a www address', 'www.evil.example', 'www&#8203;.evil.example'],
    ['a www address in mixed case', 'Www.x.io', 'Www&#8203;.x.io'],
    ['a GH- reference', 'GH-123', 'GH-&#8203;123'],
    ['a lower-case gh- reference', 'see gh-4', 'see gh-&#8203;4'],
    ['a colon that starts no URL', 'ratio 3:1, path a:/b', 'ratio 3:1, path a:/b'],
    ['www without a dot, GH- without a digit', 'awwwards GH-x', 'awwwards GH-x'],
    ['the empty string', '', ''],
  ])('escapes %s exactly', (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('removes bidirectional overrides and other control characters', () => {
    // U+202E would show "abc" + reversed "fed"; NUL and TAB are not text a reader can see.
    expect(escapeMarkdown('abc\u202edef\u0000g\th')).toBe('abcdef g h');
  });

  it('keeps the replacement characters of bytes that were not UTF-8', () => {
    const text = Buffer.from([0x61, 0xff, 0xfe, 0x62]).toString('utf8');
    expect(escapeMarkdown(text)).toBe('a\ufffd\ufffdb');
  });

  it('keeps a very long line whole and on one line', () => {
    const text = `${'a|'.repeat(50_000)}\n@end`;
    const escaped = escapeMarkdown(text);
    expect(escaped).not.toMatch(/[|\n]|@e/);
    expect(visible(escaped)).toBe(text.replace('\n', ' '));
  });
});

describe('escapeCode', () => {
  it.each([
    ['a key', 'eval_strategy', '<code>eval&#95;strategy</code>'],
    [
      'a closing tag inside',
      '</code><script>x</script>',
      '<code>&lt;/code&gt;&lt;script&gt;x&lt;/script&gt;</code>',
    ],
    ['backticks', '`x`', '<code>&#96;x&#96;</code>'],
    ['the empty string', '', '<code></code>'],
  ])('wraps %s in one code element', (_name, input, expected) => {
    expect(escapeCode(input)).toBe(expected);
  });

  it('leaves exactly one element, whatever the text', () => {
    const escaped = escapeCode('<img src=x onerror=alert(1)><code>|@octocat\n');
    expect(escaped.match(/</g)).toHaveLength(2);
    expect(escaped.startsWith('<code>')).toBe(true);
    expect(escaped.endsWith('</code>')).toBe(true);
  });
});
