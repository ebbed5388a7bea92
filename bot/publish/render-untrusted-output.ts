import { escapeCode, escapeMarkdown } from '../../src/render/escape-markdown.js';
import type { ReportTrust } from './assess-report-trust.js';

/** Changed paths named in the check run; the rest are counted. */
const MAX_LISTED_PATHS = 20;

/**
 * What a report refused as untrusted shows in its check run: the title, then why (the changed paths
 * the producing job runs, escaped, at most {@link MAX_LISTED_PATHS} of them) and what a maintainer can do.
 */
export function renderUntrustedOutput(
  trust: Exclude<ReportTrust, { trusted: true }>,
  run: { workflowPath: string | undefined },
): { title: string; summary: string } {
  const workflow =
    run.workflowPath === undefined ? 'its workflow' : `the workflow ${escapeCode(run.workflowPath)}`;
  const remedies = [
    '',
    '**What a maintainer can do**',
    '',
    '- Review the change. Once it is safe, have the head evaluated by a trusted run, whose report completes this check: `/tuneguard rerun-eval` (when `commands.rerun-eval` allows forks) runs the evaluation workflow as committed on the base branch; a `workflow_dispatch` run, or a `push` of the head commit to a branch of this repository, is trusted too.',
    '- Or ask the author to propose the change to the workflow or its actions in a pull request of its own.',
  ];
  if (trust.reason === 'changes') {
    const listed = trust.paths.slice(0, MAX_LISTED_PATHS).map((path) => `- ${escapeCode(path)}`);
    const more = trust.paths.length - listed.length;
    return {
      title: 'Report not trusted: this pull request changes what produced it',
      summary: [
        `This pull request comes from a fork and changes what the job that uploaded the report runs: ${workflow}, the local actions and reusable workflows it uses, or other files under \`.github/\`. That job could have uploaded any report, so tuneguard does not use it.`,
        '',
        ...listed,
        ...(more > 0 ? [`- and ${more} more`] : []),
        ...remedies,
      ].join('\n'),
    };
  }
  return {
    title: 'Report not trusted: could not check what produced it',
    summary: [
      `This pull request comes from a fork, and tuneguard could not check whether it changes what the job that uploaded the report runs (${workflow}, the local actions and reusable workflows it uses, files under \`.github/\`): ${escapeMarkdown(trust.why)}. Unchecked, the report is not used.`,
      '',
      'When GitHub failed for a moment, `/tuneguard recheck` runs the workflow again.',
      ...remedies,
    ].join('\n'),
  };
}
