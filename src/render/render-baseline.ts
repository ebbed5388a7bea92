import type { Baseline } from '../model/report-schema.js';
import { plural } from '../text/plural.js';
import { escapeCode } from './escape-markdown.js';
import { safeUrl } from './markdown-parts.js';

/**
 * The baseline in words, plain text: `run 123 on main at abc1234, 3 days old`, with how far before the
 * base its commit is when it is not the base itself. The branch is clipped to 100 characters.
 * @example describeBaseline(baseline) // 'run 123 on main at abc1234, 3 days old'
 */
export function describeBaseline(baseline: Baseline): string {
  const sha = /^[0-9a-f]{7,64}$/i.test(baseline.sha) ? baseline.sha.slice(0, 7) : '(not a commit)';
  const back =
    baseline.commitsBack === 0 ? '' : ` (${plural(baseline.commitsBack, 'commit')} before the base)`;
  return `run ${baseline.runId} on ${baseline.branch.slice(0, 100)} at ${sha}${back}, ${describeAge(baseline.ageDays)}`;
}

/**
 * The markdown line naming the baseline: the run, the branch as code, the commit, the age, and what it
 * stood in for. Every text of the report is escaped. The run is linked only when its address is the
 * run's page in the repository of `runUrl` (the page of the run that rendered it, or whose report the App
 * renders): a report is untrusted input, and a fork's could point the link anywhere.
 * @example renderBaseline(baseline, 'https://github.com/o/r/actions/runs/9') // '**Baseline:** [run 123](https://github.com/o/r/actions/runs/123) on <code>main</code> at abc1234, …'
 */
export function renderBaseline(baseline: Baseline, runUrl?: string): string {
  const repository = /^(https:\/\/[^/?#]+\/[^/?#]+\/[^/?#]+)\/actions\/runs\/\d+(\/|$)/.exec(
    runUrl ?? '',
  )?.[1];
  const own = repository !== undefined && baseline.url === `${repository}/actions/runs/${baseline.runId}`;
  const url = own ? safeUrl(baseline.url) : undefined;
  const run = url === undefined ? `run ${baseline.runId}` : `[run ${baseline.runId}](${url})`;
  const sha = /^[0-9a-f]{7,64}$/i.test(baseline.sha) ? baseline.sha.slice(0, 7) : escapeCode(baseline.sha);
  const back =
    baseline.commitsBack === 0 ? '' : ` (${plural(baseline.commitsBack, 'commit')} before the base)`;
  return (
    `**Baseline:** ${run} on ${escapeCode(baseline.branch.slice(0, 100))} at ${sha}${back}, ${describeAge(baseline.ageDays)}. ` +
    `The base commit has no results file: ${plural(baseline.files.length, 'results file')} on head ${baseline.files.length === 1 ? 'is' : 'are'} compared with that run's report.`
  );
}

function describeAge(days: number): string {
  return days === 0 ? 'less than a day old' : `${plural(days, 'day')} old`;
}
