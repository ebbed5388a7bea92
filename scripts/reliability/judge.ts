import type { Report } from '../../src/model/report-schema.js';

/** How a bad input was handled: said clearly, said vaguely, or not said at all. */
export type Handling = 'well' | 'weak' | 'lost';

/** What the report says about one file: every finding or unreadable entry that names it. */
interface Said {
  text: string;
  line: number | undefined;
  /** From the report's `unreadable` list, which repeats the input-unreadable findings. */
  fromUnreadable?: boolean;
}

function about(report: Report, path: string): Said[] {
  const said: Said[] = [];
  for (const finding of report.findings) {
    const place = [finding.location, ...(finding.also ?? [])].find((where) => where?.path === path);
    // A long path is shown clipped: its start names it.
    const shown = path.length > 200 ? path.slice(0, 100) : path;
    const listed =
      finding.title.includes(path) || (finding.details ?? []).some((line) => line.includes(shown));
    if (place === undefined && !listed) continue;
    said.push({
      text: [finding.check, finding.title, ...(finding.details ?? [])].join(' '),
      line: place?.line,
    });
  }
  for (const entry of report.unreadable) {
    if (entry.path === path)
      said.push({ text: `input-unreadable ${entry.reason}`, line: entry.line, fromUnreadable: true });
  }
  // The comment's "Not reviewed" list: said to the reviewer, with why.
  for (const entry of report.notReviewed ?? []) {
    if (entry.path === path) said.push({ text: `not-reviewed ${entry.reason}`, line: undefined });
  }
  return said;
}

/** The file is named in a finding that says `says`, with a line when `line` is true. */
export function named(path: string, says: RegExp, line: boolean): (report: Report) => Handling {
  return (report) => {
    const said = about(report, path);
    // Set aside by its content, with why, in the report's `kinds` only: said, but not to the reviewer.
    if (said.length === 0) return setAside(report, path) ? 'weak' : 'lost';
    return said.some((entry) => says.test(entry.text) && (!line || entry.line !== undefined))
      ? 'well'
      : 'weak';
  };
}

function setAside(report: Report, path: string): boolean {
  return (report.kinds ?? []).some((entry) => entry.path === path && entry.kind === 'none');
}

/** The file is a dataset of `rows` rows on head, with nothing unreadable about it. */
export function readFine(path: string, rows: number): (report: Report) => Handling {
  return (report) => {
    const dataset = report.datasets.find((entry) => entry.path === path);
    const unreadable = report.unreadable.some((entry) => entry.path === path && entry.side === 'head');
    if (dataset?.head?.rows === rows && !unreadable) return 'well';
    return dataset !== undefined || about(report, path).length > 0 ? 'weak' : 'lost';
  };
}

/** The file was reviewed as `kind`, and (when given) a finding of `check` names it. */
export function reviewedAs(path: string, kind: string, check?: string): (report: Report) => Handling {
  return (report) => {
    const entry = (report.kinds ?? []).find((item) => item.path === path);
    const flagged = check === undefined || about(report, path).some((said) => said.text.startsWith(check));
    if (entry?.kind === kind && flagged) return 'well';
    return entry !== undefined || about(report, path).length > 0 ? 'weak' : 'lost';
  };
}

/** At most `most` findings name the file (its unreadable entries are those findings), and one says `says`. */
export function saidOnce(path: string, says: RegExp, most: number): (report: Report) => Handling {
  return (report) => {
    const said = about(report, path).filter((entry) => entry.fromUnreadable !== true);
    if (said.length === 0) return 'lost';
    return said.length <= most && said.some((entry) => says.test(entry.text)) ? 'well' : 'weak';
  };
}

/** Somewhere in the report (a finding, an unreadable entry, the kinds or a not-reviewed list) names it. */
export function mentioned(report: Report, path: string): boolean {
  return about(report, path).length > 0 || JSON.stringify(report).includes(JSON.stringify(path).slice(1, -1));
}
