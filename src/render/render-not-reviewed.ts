import type { NotReviewed } from '../model/report-schema.js';
import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import { details, MAX_VALUE_CHARS, paragraphs, type DetailLevel } from './markdown-parts.js';

/** Files named in the collapsed list at most: it says what was missed, the report lists the rest. */
export const NOT_REVIEWED_SHOWN = 10;

/**
 * The collapsed "Not reviewed" section: how many changed files that may hold data, settings or results
 * nothing reviewed, the first of them (at most {@link NOT_REVIEWED_SHOWN}, fewer when `level.rows` is
 * smaller) each with why, and how many more the report lists. `undefined` when there are none. Paths
 * are users' text and are escaped.
 * @example renderNotReviewed([{ path: 'raw/x.csv', reason: 'r' }], DETAIL_LEVELS[0]) // '<details><summary><b>Not reviewed</b> · 1</summary>…'
 */
export function renderNotReviewed(
  notReviewed: readonly NotReviewed[] | undefined,
  level: DetailLevel,
): string | undefined {
  if (notReviewed === undefined || notReviewed.length === 0) return undefined;
  const shown = notReviewed.slice(0, Math.min(level.rows, NOT_REVIEWED_SHOWN));
  const hidden = notReviewed.length - shown.length;
  return details(
    'Not reviewed',
    formatNumber(notReviewed.length),
    paragraphs([
      ['Changed files that may hold data, settings or results, but that tuneguard did not review:'],
      shown.map(
        (file) =>
          `- ${escapeCode(clip(file.path, MAX_VALUE_CHARS))}: ${escapeMarkdown(clip(file.reason, 300))}`,
      ),
      hidden > 0 ? [`and ${formatNumber(hidden)} more; the report lists them.`] : [],
    ]),
  );
}
