/**
 * Characters that mean something to GitHub-flavoured markdown or HTML, as numeric character references.
 * A character reference is always literal text in CommonMark, and GFM splits table cells on the raw `|`
 * before decoding, so an encoded pipe never breaks a row.
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '|': '&#124;',
  '\\': '&#92;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  $: '&#36;',
};

/**
 * Markers that start a block when they open a line: a heading, list item, setext underline or thematic
 * break (`#`, `+`, `-`, `=` before a space, the end or the same marker), or an ordered-list number
 * (`1.`, `1)` before a space or the end). Quotes (`>`) and `*` are always encoded anyway.
 */
const LEADING_BLOCK_MARKER = /^(\s*)(?:([#+\-=])(?=\s|$|\2)|\d{1,9}(?=[.)](?:\s|$)))/;

// Line breaks and the other C0/C1 controls end the one-line guarantee; bidirectional overrides can make
// the shown text differ from what it is ("Trojan source"), so they go too.
// eslint-disable-next-line no-control-regex
const CONTROL = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * What escaping replaces: the characters of {@link ENTITIES}, then what GitHub turns into a link or a
 * reference in rendered text (after entities are decoded), each up to where a zero-width space breaks it:
 * an `@` (mentions, e-mail addresses), a `#` before a digit (`#123`), the `:` of any `scheme://`
 * (`https://`, `ftp://`, …), the `www` of `www.`, and the `GH-` of `GH-123` (the last two in any case).
 */
const SPECIAL = /[&<>"'`|\\*_~[\]$@]|#(?=\d)|:(?=\/\/)|www(?=\.)|gh-(?=\d)/gi;

/**
 * Makes untrusted text (values, keys, file names from users' files) safe inside markdown and GitHub's
 * HTML: no markdown syntax, no HTML tags, no @-mentions, no links, no table breaking, one line.
 * Line breaks and control characters become spaces and bidirectional overrides are removed; everything
 * else stays visible. GitHub links mentions, `#123` and `GH-123` references, URLs (`https://…`, any
 * `scheme://`) and `www.` addresses in the rendered text, so a zero-width space (`&#8203;`) follows
 * every `@`, every `#` and `GH-` before a digit, the `:` of every `://` and the `www` of every `www.`:
 * the text reads the same and links nothing.
 * @example escapeMarkdown('<b>@octocat</b> | *x*') // '&lt;b&gt;@&#8203;octocat&lt;/b&gt; &#124; &#42;x&#42;'
 * @example escapeMarkdown('see https://x.io, www.x.io, GH-12') // 'see https:&#8203;//x.io, www&#8203;.x.io, GH-&#8203;12'
 */
export function escapeMarkdown(text: string): string {
  const oneLine = text.replace(CONTROL, ' ').replace(BIDI, '');
  const opening = LEADING_BLOCK_MARKER.exec(oneLine);
  const indent = opening?.[1] ?? '';
  const head = opening ? indent + numericReference(opening[0].slice(indent.length)) : '';
  // One pass, so that the references written here are never scanned again.
  const rest = oneLine
    .slice(opening?.[0].length ?? 0)
    .replace(SPECIAL, (match) => ENTITIES[match] ?? `${match}&#8203;`);
  return head + rest;
}

function numericReference(text: string): string {
  return Array.from(text, (char) => `&#${char.codePointAt(0) ?? 0};`).join('');
}

/**
 * Same as {@link escapeMarkdown}, for text shown as code: wraps it in `<code>…</code>` with everything
 * escaped. An HTML `<code>` element is used instead of backticks because no run of backticks can fence
 * text that itself contains backticks in every renderer. Empty text gives `<code></code>`.
 */
export function escapeCode(text: string): string {
  return `<code>${escapeMarkdown(text)}</code>`;
}
