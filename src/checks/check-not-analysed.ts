import type { Finding } from '../model/report-schema.js';
import { formatNumber } from '../text/format-number.js';
import { plural } from '../text/plural.js';
import type { CheckContext } from './check-context.js';
import { createFinding } from './create-finding.js';

/** How many paths a finding names before it says "and N more". */
const LISTED = 10;

/**
 * `input-not-analysed`: what the review left out, so that a pull request larger than the review never
 * passes as if it had been read. One finding for the artifacts past `config.budget` (how many files, how
 * many bytes, the first paths, the keys to raise), one for paths too long to match against globs. A
 * warning by default: the limit is the reviewer's, not a fault of the pull request, but what was not
 * read was not checked, and a green verdict would say it had been.
 */
export function checkNotAnalysed(context: CheckContext): Finding[] {
  const findings: (Finding | undefined)[] = [];
  const { overBudget, longPaths = [], config } = context;
  if (overBudget) {
    const { budget } = config;
    findings.push(
      createFinding('input-not-analysed', config, {
        title: `${plural(overBudget.files, 'file')} (${formatSize(overBudget.bytes)}) not analysed: past the review budget of ${plural(budget['max-files'], 'file')} and ${formatNumber(budget['max-gb'])} GiB`,
        details: [
          ...listPaths(overBudget.paths),
          'Files the pull request touched were read first. Raise `budget.max-files` or `budget.max-gb` in the config to review the rest.',
        ],
      }),
    );
  }
  if (longPaths.length > 0) {
    findings.push(
      createFinding('input-not-analysed', config, {
        title: `${plural(longPaths.length, 'file')} not analysed: ${longPaths.length === 1 ? 'its path is' : 'their paths are'} too long to match against globs (over 1,024 characters, or a name over 255)`,
        details: listPaths(
          longPaths.map((path) => `${path.slice(0, 120)}… (${formatNumber(path.length)} characters)`),
        ),
      }),
    );
  }
  return findings.filter((finding): finding is Finding => finding !== undefined);
}

function listPaths(paths: readonly string[]): string[] {
  return [
    ...paths.slice(0, LISTED),
    ...(paths.length > LISTED ? [`and ${plural(paths.length - LISTED, 'more file')}`] : []),
  ];
}

/**
 * A size in bytes, KiB or MiB, rounded up so that a few bytes never read as nothing.
 * @example formatSize(40) // '40 bytes' ; formatSize(1536) // '2 KiB' ; formatSize(3 * 2 ** 30) // '3,072 MiB'
 */
function formatSize(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 2 ** 20) return `${formatNumber(Math.ceil(bytes / 1024))} KiB`;
  return `${formatNumber(Math.ceil(bytes / 2 ** 20))} MiB`;
}
