import type { Finding } from '../model/report-schema.js';
import type { CheckContext, UnreadGlob } from './check-context.js';
import { asNotice, createFinding } from './create-finding.js';

/**
 * `config-unmatched`: a path or glob of the config (`datasets`, `params`, `metrics`, `training-logs`,
 * `ignore`) that matches no file on base or head, at its line in the config file. A typo there reads
 * nothing, silently: a `datasets` list also turns dataset discovery off, so a wrong path leaves the data
 * checks with nothing to check. Also each glob of the Action's `results` input that read nothing, as a
 * notice whatever the check's severity (a step that wrote no results may be meant; the rest of the
 * review still runs).
 */
export function checkConfigPaths(context: CheckContext): Finding[] {
  const configPaths = (context.unmatchedConfigPaths ?? []).flatMap(({ key, glob, location }) => {
    const finding = createFinding('config-unmatched', context.config, {
      title: `The config's ${key} entry ${glob} matches no file on base or head`,
      details: [
        key === 'ignore'
          ? 'It ignores nothing: check the glob (paths are relative to the repository root, or to the reviewed folder), or remove it.'
          : `tuneguard reads nothing through it: check the path (relative to the repository root, or to the reviewed folder), or remove it.${key === 'datasets' ? ' With `datasets` set, no other dataset is discovered.' : ''}`,
      ],
      location,
    });
    return finding ? [finding] : [];
  });
  const results = (context.unreadGlobs ?? []).flatMap((unread) => {
    const finding = asNotice(createFinding('config-unmatched', context.config, describeUnreadGlob(unread)));
    return finding ? [finding] : [];
  });
  return [...configPaths, ...results];
}

function describeUnreadGlob({ glob, reason }: UnreadGlob): { title: string; details: string[] } {
  if (reason === 'outside') {
    return {
      title: `The results glob ${glob} reaches outside the working directory: it was not read`,
      details: [
        'Globs of the `results` input are relative to `working-directory` and never leave it (no absolute path, no `..`): write the results inside it, or set `working-directory` to a folder that holds them.',
      ],
    };
  }
  return {
    title: `The results glob ${glob} matches no file in the working directory`,
    details: [
      'No earlier step of the job wrote a file there (or only symbolic links, which are never followed): check the step that writes the results and the glob (relative to `working-directory`), or remove it.',
    ],
  };
}
