import type { Workspace } from '../model/report-schema.js';
import { formatNumber } from '../text/format-number.js';
import { plural } from '../text/plural.js';

/** Paths of the workspace named before counting the rest. */
const PATHS_SHOWN = 5;

/**
 * The one line every rendering of a report says about a head read partly from disk: how many files came
 * from the workspace (or the working tree) rather than the commit, how many it deleted, and the first
 * few paths, each shown through `showPath` (the renderer's escaper: paths come from the user's disk).
 * @example describeWorkspace({ files: ['a.json', 'b.json'] }, (p) => p) // '2 files came from the workspace, not from the commit: a.json, b.json'
 * @example describeWorkspace({ files: [], deleted: ['b.json'], worktree: true }, (p) => p) // '0 files came from the working tree, not from the commit; 1 file deleted: b.json (deleted)'
 */
export function describeWorkspace(workspace: Workspace, showPath: (path: string) => string): string {
  const where = workspace.worktree ? 'the working tree' : 'the workspace';
  const deleted = workspace.deleted ?? [];
  const paths = [...workspace.files, ...deleted.map((path) => `${path} (deleted)`)];
  const shown = paths.slice(0, PATHS_SHOWN).map(showPath);
  const more = paths.length - shown.length;
  const list = `${shown.join(', ')}${more > 0 ? ` and ${formatNumber(more)} more` : ''}`;
  const gone = deleted.length > 0 ? `; ${plural(deleted.length, 'file')} deleted` : '';
  return `${plural(workspace.files.length, 'file')} came from ${where}, not from the commit${gone}${shown.length > 0 ? `: ${list}` : ''}`;
}
