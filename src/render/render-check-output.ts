import { renderMarkdown } from './render-markdown.js';
import type { Finding, Report } from '../model/report-schema.js';
import { renderAcceptanceRecord } from './acceptance-record.js';
import type { Acceptance } from '../report/apply-acceptances.js';
import { formatEvidence } from './format-evidence.js';
import { clip } from '../text/clip.js';
import { plural } from '../text/plural.js';

/** GitHub's limit on a check run's `output.summary` and `output.text`. */
export const CHECK_OUTPUT_LIMIT = 65_535;

/** Longest annotation message sent; GitHub's own limit is 64 KiB. */
const MAX_ANNOTATION_MESSAGE = 4_000;

/** One annotation, in the shape of the Checks API. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

/** Where a report came from: the workflow run that uploaded it, and the artifact. */
export interface ReportSource {
  runId: number;
  runUrl: string;
  artifactName: string;
}

/** What the check run's output says besides the report: the acceptances, where the report came from, the heading. */
export interface CheckOutputContext {
  acceptances: readonly Acceptance[];
  source: ReportSource;
  heading: string;
}

/** A completed check run's conclusion and output for a report. */
export interface CheckOutput {
  conclusion: 'success' | 'neutral' | 'failure';
  title: string;
  summary: string;
  text: string;
  annotations: Annotation[];
}

/**
 * Renders a report (acceptances already applied, see `applyAcceptances`) as a completed check run:
 * `failure` when a failure stands, `neutral` for warnings only or when accepted findings are all that
 * is left, else `success`; the counts as the title; the rendered report as the summary, within GitHub's
 * 65,535 characters and linking the workflow run for the rest; the report's source and the acceptances
 * (visible, and recorded for the App to read back) as the text, within the same limit; and one annotation per head-side
 * finding with a file and line, accepted ones as notices.
 */
export function renderCheckOutput(report: Report, context: CheckOutputContext): CheckOutput {
  const { acceptances, source, heading } = context;
  const accepted = report.findings.filter((finding) => finding.accepted).length;
  const conclusion =
    report.verdict === 'failure'
      ? 'failure'
      : report.verdict === 'warning' || accepted > 0
        ? 'neutral'
        : 'success';
  const counts = (['failure', 'warning', 'notice'] as const)
    .filter((severity) => report.counts[severity] > 0)
    .map((severity) => plural(report.counts[severity], severity));
  const title =
    counts.length === 0 && accepted === 0
      ? 'No problems found'
      : [...counts, ...(accepted > 0 ? [`${accepted} accepted`] : [])].join(', ');
  const summary = renderMarkdown(report, {
    heading,
    maxLength: CHECK_OUTPUT_LIMIT,
    detailsUrl: source.runUrl,
  });
  const origin = `Report \`${source.artifactName}\` from [workflow run ${source.runId}](${source.runUrl}).`;
  const record = renderAcceptanceRecord(
    acceptances.filter((a) => report.findings.some((f) => f.check === a.check)),
    CHECK_OUTPUT_LIMIT - origin.length - 2,
  );
  const text = record === '' ? `${origin}\n` : `${origin}\n\n${record}`;
  return { conclusion, title, summary, text, annotations: report.findings.flatMap(toAnnotation) };
}

function toAnnotation(finding: Finding): Annotation[] {
  const location = finding.location;
  // A base-side line is a line of the old file: it cannot be shown on the head commit.
  if (!location?.line || location.side === 'base') return [];
  const evidence = formatEvidence(finding.evidence);
  const lines = [finding.title, ...finding.details, ...(evidence ? [evidence] : [])];
  if (finding.accepted) lines.push(`Accepted by @${finding.accepted.by}: ${finding.accepted.reason}`);
  const message = lines.join('\n');
  return [
    {
      path: location.path,
      start_line: location.line,
      end_line: location.line,
      annotation_level: finding.accepted ? 'notice' : finding.severity,
      title: `tuneguard: ${finding.check}`,
      message: clip(message, MAX_ANNOTATION_MESSAGE),
    },
  ];
}
