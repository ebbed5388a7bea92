import type { Finding, Unreadable } from '../model/report-schema.js';
import { plural } from '../text/plural.js';
import type { CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';

/** How many untouched files the collapsed notice names before it says "and N more". */
const LISTED_UNTOUCHED = 20;

/**
 * `input-unreadable`: every file (or part of one) that could not be read becomes a finding with its
 * place and reason, so nothing is skipped silently. Head-side problems are the PR's (warnings); a
 * base-side problem in a file the PR touched is a notice (it predates the change); problems in files
 * the PR did not touch at all are one collapsed notice listing them, whatever their number.
 */
export function checkInputs(context: CheckContext): Finding[] {
  const untouched = context.unreadable.filter(
    (item) => item.side === 'base' && !context.changedFiles.has(item.path),
  );
  const findings = context.unreadable
    .filter((item) => !untouched.includes(item))
    .map((item) => {
      const finding = createFinding('input-unreadable', context.config, {
        title: `Could not read ${item.path}${item.line === undefined ? '' : ` at line ${item.line}`} (${item.side}): ${item.reason}`,
        location: {
          path: item.path,
          side: item.side,
          ...(item.line !== undefined ? { line: item.line } : {}),
        },
      });
      return finding && item.side === 'base' ? { ...finding, severity: 'notice' as const } : finding;
    });
  return [...findings, collapseUntouched(untouched, context)].filter((f): f is Finding => f !== undefined);
}

/** One notice for every unreadable file the pull request did not touch (their problems predate it). */
function collapseUntouched(items: readonly Unreadable[], context: CheckContext): Finding | undefined {
  const paths = [...new Set(items.map((item) => item.path))].sort();
  if (paths.length === 0) return undefined;
  const finding = createFinding('input-unreadable', context.config, {
    title: `${plural(paths.length, 'file')} the pull request did not touch could not be read (not its doing)`,
    details: [
      ...items
        .slice(0, LISTED_UNTOUCHED)
        .map((item) => `${item.path}${item.line === undefined ? '' : ` line ${item.line}`}: ${item.reason}`),
      ...(items.length > LISTED_UNTOUCHED
        ? [`and ${plural(items.length - LISTED_UNTOUCHED, 'more problem')}`]
        : []),
    ],
  });
  return finding && { ...finding, severity: 'notice' };
}
