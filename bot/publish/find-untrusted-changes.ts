import { isUnderFolder } from '../../src/model/paths.js';
import type { ChangedFile } from '../github/list-changed-files.js';
import type { ExecutedPaths } from '../github/load-executed-paths.js';

/**
 * The folder of workflows, local actions and whatever else configures GitHub Actions: a fork's change
 * to anything under it is taken as a change to what its job runs.
 */
export const ACTIONS_FOLDER = '.github';

/**
 * The paths a pull request changes that the job producing its report runs: anything under `.github/`,
 * the `executed` files, and anything under the `executed` folders. A rename counts by its old path too
 * (moving a local action away changes what runs). Each path once, in the order of `files`; `[]` when
 * nothing the job runs is changed.
 * @example findUntrustedChanges([{ filename: 'tools/act/run.sh' }, { filename: 'data/a.jsonl' }],
 *   { files: [], folders: ['tools/act'] }) // ['tools/act/run.sh']
 */
export function findUntrustedChanges(files: readonly ChangedFile[], executed: ExecutedPaths): string[] {
  const executedFiles = new Set(executed.files);
  const isExecuted = (path: string): boolean =>
    isUnderFolder(path, ACTIONS_FOLDER) ||
    executedFiles.has(path) ||
    executed.folders.some((folder) => folder !== '' && isUnderFolder(path, folder));
  const found = files.flatMap((file) =>
    [file.filename, file.previousFilename].filter(
      (path): path is string => path !== undefined && isExecuted(path),
    ),
  );
  return [...new Set(found)];
}
