import { z } from 'zod';
import { escapeCode, escapeMarkdown } from './escape-markdown.js';
import type { Acceptance } from '../report/apply-acceptances.js';

/** Longest reason kept; a longer one is cut with `…`. */
export const MAX_REASON_LENGTH = 500;

/** Acceptances kept for one commit (one per check id, so the catalogue of checks bounds it anyway). */
export const MAX_ACCEPTANCES = 50;

const RECORD = /<!-- tuneguard:accepted ([A-Za-z0-9_-]*) -->/;
const recordSchema = z
  .array(
    z.object({
      check: z.string().max(100),
      by: z.string().max(100),
      reason: z.string().max(MAX_REASON_LENGTH),
    }),
  )
  .max(MAX_ACCEPTANCES);

/**
 * The acceptances as the check run's output text records them: a visible list (who accepted which check,
 * and why) and a hidden record the App reads back. The record is base64url JSON, so no reason can close
 * the HTML comment that holds it. An empty list gives `''`. Past `maxLength` characters the list leaves
 * out the reasons (the record keeps them); past it still, the oldest acceptances are dropped, and the list
 * says how many.
 * @example renderAcceptanceRecord([{ check: 'eval-regression', by: 'octocat', reason: 'known' }])
 */
export function renderAcceptanceRecord(acceptances: readonly Acceptance[], maxLength = Infinity): string {
  if (acceptances.length === 0) return '';
  const full = renderRecord(acceptances, true, 0);
  if (full.length <= maxLength) return full;
  for (let dropped = 0; dropped < acceptances.length; dropped += 1) {
    const text = renderRecord(acceptances.slice(dropped), false, dropped);
    if (text.length <= maxLength) return text;
  }
  return '';
}

function renderRecord(acceptances: readonly Acceptance[], reasons: boolean, dropped: number): string {
  const lines = ['### Accepted until the next commit', ''];
  for (const acceptance of acceptances) {
    const why = reasons ? `: ${escapeMarkdown(acceptance.reason)}` : '';
    lines.push(`- ${escapeCode(acceptance.check)} accepted by @${escapeMarkdown(acceptance.by)}${why}`);
  }
  if (dropped > 0) {
    lines.push(
      '',
      `${dropped} older ${dropped === 1 ? 'acceptance' : 'acceptances'} did not fit here: accept again.`,
    );
  }
  const encoded = Buffer.from(JSON.stringify(acceptances), 'utf8').toString('base64url');
  return `${lines.join('\n')}\n\n<!-- tuneguard:accepted ${encoded} -->\n`;
}

/**
 * The acceptances recorded in check runs' output texts, newest text first: the newest acceptance of
 * each check wins. Texts without a record, or with one that does not decode, add nothing.
 */
export function readAcceptanceRecords(texts: readonly (string | null)[]): Acceptance[] {
  const byCheck = new Map<string, Acceptance>();
  for (const text of texts) {
    const encoded = text === null ? undefined : RECORD.exec(text)?.[1];
    if (encoded === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      continue;
    }
    const record = recordSchema.safeParse(parsed);
    if (!record.success) continue;
    for (const acceptance of record.data) {
      if (!byCheck.has(acceptance.check)) byCheck.set(acceptance.check, acceptance);
    }
  }
  return [...byCheck.values()].slice(0, MAX_ACCEPTANCES);
}

/**
 * Adds an acceptance to a list, replacing an earlier one of the same check; the reason is cut to
 * {@link MAX_REASON_LENGTH} characters.
 */
export function addAcceptance(acceptances: readonly Acceptance[], added: Acceptance): Acceptance[] {
  const reason =
    added.reason.length > MAX_REASON_LENGTH
      ? `${added.reason.slice(0, MAX_REASON_LENGTH - 1)}…`
      : added.reason;
  return [...acceptances.filter((a) => a.check !== added.check), { ...added, reason }].slice(
    -MAX_ACCEPTANCES,
  );
}
