import type { Finding } from '../model/report-schema.js';
import type { CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';

/**
 * `input-unreadable`: every file (or part of one) that could not be read becomes a finding with its
 * place and reason, so nothing is skipped silently. Base-side problems are notices: the PR did not cause them.
 */
export function checkInputs(context: CheckContext): Finding[] {
  return context.unreadable
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
    })
    .filter((f): f is Finding => f !== undefined);
}
