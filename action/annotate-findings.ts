import * as core from '@actions/core';
import { posix } from 'node:path';
import type { Finding } from '../src/model/report-schema.js';

/**
 * Annotates the head's findings on their files (and lines): failures as errors, warnings as warnings,
 * notices as notices. `prefix` (the working directory inside the workspace) turns paths relative to the
 * working directory into workspace paths. A base-side location names a file the head may not have: it
 * stays in the report only.
 */
export function annotateFindings(findings: readonly Finding[], prefix: string): void {
  for (const finding of findings) {
    if (!finding.location || finding.location.side === 'base') continue;
    const properties = {
      title: `tuneguard: ${finding.check}`,
      file: prefix === '' ? finding.location.path : posix.join(prefix, finding.location.path),
      ...(finding.location.line !== undefined ? { startLine: finding.location.line } : {}),
    };
    const message = [finding.title, ...finding.details].join('\n');
    if (finding.severity === 'failure') core.error(message, properties);
    else if (finding.severity === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  }
}
