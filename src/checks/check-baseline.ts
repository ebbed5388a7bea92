import type { Finding } from '../model/report-schema.js';
import type { CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';

/**
 * `eval-baseline-missing`: the head has results files and the base none, and no earlier run's report
 * stood in for the base side. One notice, at the first such results file, saying why and how to create
 * a baseline; nothing when a baseline was used or none was looked for.
 */
export function checkBaseline(context: CheckContext): Finding[] {
  const status = context.baseline;
  if (!status || !('missing' in status)) return [];
  const added = context.metrics.filter((entry) => entry.report.status === 'added');
  const first = added[0];
  const finding = createFinding('eval-baseline-missing', context.config, {
    title: `No baseline for the results on head: ${status.missing}`,
    details: [
      'The base commit has no results file, so the results on head are compared with nothing.',
      'To create a baseline, run tuneguard on `push` to the default branch with the same `results:` input: the report it uploads becomes the baseline of later pull requests (found through the job token, which needs `actions: read`).',
    ],
    ...(first ? { location: { path: first.report.path } } : {}),
    ...(added.length > 1 ? { also: added.slice(1).map((entry) => ({ path: entry.report.path })) } : {}),
  });
  return finding ? [finding] : [];
}
