import { HELM_RUN_FILE_REASON, isHelmRunFile } from '../loaders/read-helm.js';
import { isLightevalDetailsPath, LIGHTEVAL_DETAILS_REASON } from '../loaders/read-lighteval.js';
import type { FileKind, NotReviewed } from '../model/report-schema.js';
import { filesOn, type Artifact } from './discover-artifacts.js';

/** Extensions of files that hold data, settings or results: what a fine-tuning reviewer reads. */
const DATA_OR_SETTINGS = /\.(?:jsonl|ndjson|json|csv|tsv|parquet|arrow|yaml|yml|toml)$/i;

/** Compressed files, by extension, with the name a reader knows them by. */
const COMPRESSED: readonly [RegExp, string][] = [
  [/\.gz$/i, 'gzip'],
  [/\.bz2$/i, 'bzip2'],
  [/\.xz$/i, 'xz'],
  [/\.zst$/i, 'Zstandard'],
  [/\.zip$/i, 'zip'],
];

/**
 * Settings of tools, not of a training run: a project's packaging, environment, docs site, CI services
 * and container files. A YAML or TOML file by one of these names is no one's hyperparameters.
 */
const TOOLING =
  /(?:^|\/)(?:pyproject\.toml|setup\.cfg|Cargo\.toml|poetry\.lock|environment\.ya?ml|conda\.ya?ml|meta\.ya?ml|mkdocs\.ya?ml|(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml|codecov\.ya?ml|renovate\.json|citation\.cff|ruff\.toml|\.?pre-commit-config\.ya?ml)$/i;

/** The reason given for a symbolic link. */
export const LINK_REASON = 'a symbolic link, not followed: its content is the path it points to, not data';

/** The reason given for a submodule. */
export const SUBMODULE_REASON =
  'a submodule: another repository pinned at a commit, whose files are not reviewed here (review that repository, or vendor the files)';

/** The reason given for a file no rule claimed. */
export const UNCLAIMED_REASON =
  "no rule claims it: its name matches no dataset, hyperparameter, results or training-log pattern (list it in the config's datasets, params, metrics or training-logs to review it)";

/**
 * The changed files (on either side) that may hold data, settings or results but that no kind claimed,
 * each with why, sorted by path: symbolic links (never followed; listed even when the path was a
 * reviewed file on the other side, which then shows as added or removed), files in a dataset or settings format (`.jsonl`, `.json`, `.csv`,
 * `.tsv`, `.parquet`, `.arrow`, `.yaml`, `.toml`, extensions in any case) and compressed files
 * (`.gz`, `.bz2`, `.xz`, `.zst`, `.zip`), which are not read. Left out, because a reviewer of a
 * fine-tuning change does not miss them: files out of review (`isReviewable`: dependencies, hidden
 * folders, `.github/`, the config's `ignore`), dot-files, code, docs, model weights, tool settings
 * (`pyproject.toml`, `environment.yml`, `mkdocs.yml`, …), and files set aside by their content (the
 * report's `kinds` says why).
 * @example listNotReviewed({ artifacts: [], declined: [], changedFiles: ['raw/dump.csv', 'train.py'], links: new Set(), isReviewable: () => true }) // [{ path: 'raw/dump.csv', reason: UNCLAIMED_REASON }]
 */
export function listNotReviewed(input: {
  artifacts: readonly Artifact[];
  declined: readonly FileKind[];
  changedFiles: readonly string[];
  /** The paths that are symbolic links on base or head. */
  links: ReadonlySet<string>;
  /** The paths that are submodules on base or head: listed whatever their name, when reviewable. */
  submodules: ReadonlySet<string>;
  isReviewable: (path: string) => boolean;
}): NotReviewed[] {
  const claimed = new Set(input.declined.map((entry) => entry.path));
  // The other runs of a timestamped results series are read with it: repeats pooled, history kept aside.
  for (const artifact of input.artifacts)
    for (const path of [
      ...filesOn(artifact, 'base'),
      ...filesOn(artifact, 'head'),
      ...(artifact.runs?.base ?? []),
      ...(artifact.runs?.head ?? []),
    ])
      claimed.add(path);
  const listed: NotReviewed[] = [];
  for (const path of [...new Set(input.changedFiles)].sort()) {
    if (!input.isReviewable(path) || isDotFile(path) || TOOLING.test(path)) continue;
    if (input.submodules.has(path)) {
      listed.push({ path, reason: SUBMODULE_REASON });
      continue;
    }
    const compressed = COMPRESSED.find(([pattern]) => pattern.test(path))?.[1];
    if (compressed === undefined && !DATA_OR_SETTINGS.test(path)) continue;
    if (input.links.has(path)) listed.push({ path, reason: LINK_REASON });
    else if (claimed.has(path)) continue;
    else if (compressed !== undefined) listed.push({ path, reason: `compressed (${compressed}): not read` });
    else listed.push({ path, reason: findUnclaimedReason(path) });
  }
  return listed;
}

/** Why a file no kind claimed is not reviewed: an evaluation's own files say what they are. */
function findUnclaimedReason(path: string): string {
  if (isLightevalDetailsPath(path)) return LIGHTEVAL_DETAILS_REASON;
  return isHelmRunFile(path) ? HELM_RUN_FILE_REASON : UNCLAIMED_REASON;
}

function isDotFile(path: string): boolean {
  return (path.split('/').pop() ?? path).startsWith('.');
}
