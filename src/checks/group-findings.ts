import type { Finding } from '../model/report-schema.js';
import { plural } from '../text/plural.js';

/** How many of a group's other files its details name before "and N more". */
const LISTED_FILES = 10;

/** Fewer alike findings than this stay apart: two files with the same count are as often a coincidence. */
const MIN_GROUP = 3;

/**
 * The checks whose findings a sweeping change repeats file after file (a key renamed in every config,
 * a results folder re-run or removed, one generator's stray row in each of its output files). Other data
 * findings are about each dataset's own rows, so each dataset keeps its own.
 */
const GROUPED_CHECKS = /^(params-|eval-|train-|input-|data-format$)/;

/**
 * One finding per cause: findings of one check and severity that say the same thing about different
 * files (their titles are equal once each finding's own path is taken out) become one finding, on the
 * first file, with the others in `also` and named in its details. A change swept across 98 configs is
 * one notice, not 98. Only checks of params, evaluation, training and inputs, and data-format, are grouped, and only
 * groups of three or more; other findings are kept as they are.
 * @example groupFindings([lrIn('a.yml'), lrIn('b.yml')]) // [{ title: '… in a.yml and 1 more file', also: [{ path: 'b.yml' }] }]
 */
export function groupFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const keyOf = (finding: Finding): string | undefined => {
    const path = finding.location?.path;
    if (path === undefined || !GROUPED_CHECKS.test(finding.check) || !finding.title.includes(path))
      return undefined;
    return [finding.check, finding.severity, finding.title.split(path).join('\u0000')].join('\u0001');
  };
  for (const finding of findings) {
    const key = keyOf(finding);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  const result: Finding[] = [];
  for (const finding of findings) {
    const key = keyOf(finding);
    const group = key === undefined ? undefined : groups.get(key);
    if (!group || group.length < MIN_GROUP) result.push(finding);
    else if (group[0] === finding) result.push(mergeGroup(group));
  }
  return result;
}

function mergeGroup(group: readonly Finding[]): Finding {
  const [first, ...rest] = group as [Finding, ...Finding[]];
  const path = first.location?.path ?? '';
  const others = [...new Set(rest.map((finding) => finding.location?.path ?? ''))].filter((p) => p !== path);
  const more = `${path} and ${plural(others.length, 'more file')}`;
  return {
    ...first,
    title: first.title.split(path).join(more),
    details: [
      ...first.details,
      `Also in ${others.slice(0, LISTED_FILES).join(', ')}${others.length > LISTED_FILES ? ` and ${others.length - LISTED_FILES} more` : ''}.`,
    ],
    also: rest.flatMap((finding) => (finding.location ? [finding.location] : [])),
  };
}
