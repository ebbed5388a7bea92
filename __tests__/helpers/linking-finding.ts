import type { Finding } from '../../src/model/report-schema.js';

/**
 * A finding whose text, as if read from a user's file, holds everything GitHub would link: a URL, a
 * `www.` address, a URL of another scheme and a `GH-` reference, in its title, a detail and its path.
 */
export const LINKING_FINDING: Finding = {
  check: 'data-format',
  severity: 'warning',
  title: 'Row 3 says https://evil.example/p and WWW.evil.example',
  details: ['Mirror at ftp://files.example; fixes GH-12'],
  location: { path: 'data/www.train.jsonl', line: 3, side: 'head' },
};

/** {@link LINKING_FINDING}'s title, detail and place as escaped text: read the same, link nothing. */
export const LINKING_ESCAPED = {
  title: 'Row 3 says https:&#8203;//evil.example/p and WWW&#8203;.evil.example',
  detail: 'Mirror at ftp:&#8203;//files.example; fixes GH-&#8203;12',
  place: '<code>data/www&#8203;.train.jsonl:3</code>',
};
