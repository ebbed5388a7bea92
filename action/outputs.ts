import type { Report } from '../src/model/report-schema.js';

/** The Action's outputs as action.yml declares them. */
export interface Outputs {
  verdict: string;
  failures: string;
  warnings: string;
  'report-path': string;
  'comment-url': string;
}

/** The outputs of a finished run, as strings; `comment-url` is empty when no comment was posted or found. */
export function computeOutputs(
  report: Report,
  where: { reportPath: string; commentUrl: string | undefined },
): Outputs {
  const { reportPath, commentUrl } = where;
  return {
    verdict: report.verdict,
    failures: String(report.counts.failure),
    warnings: String(report.counts.warning),
    'report-path': reportPath,
    'comment-url': commentUrl ?? '',
  };
}
