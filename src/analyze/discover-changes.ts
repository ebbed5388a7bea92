import type { Config } from '../config/schema.js';
import { isMatchablePath } from '../model/paths.js';
import type { FileKind, NotReviewed } from '../model/report-schema.js';
import type { SnapshotPair } from '../model/snapshot.js';
import { discoverArtifacts, isReviewablePath } from '../sources/discover-artifacts.js';
import { listFileKinds } from '../sources/list-file-kinds.js';
import { listNotReviewed } from '../sources/list-not-reviewed.js';
import { pairArtifacts } from '../sources/pair-artifacts.js';
import { readDatasetCards } from '../sources/read-dataset-cards.js';
import { readDvcFiles } from '../sources/read-dvc-files.js';
import { refineArtifacts } from '../sources/sniff-artifacts.js';
import { computeFileStatus, listSidePaths, type ArtifactChange, type SidePaths } from './read-sides.js';
import type { UnreadableLog } from './unreadable-log.js';

/**
 * The artifacts of a pull request and the status of each: discovered by name and by the dataset cards'
 * declared splits, corrected by their content, paired with their base counterparts across moves and
 * timestamped re-runs; what each file of the pull request was taken for, and why; and the changed
 * files that may matter but that nothing reviews. Files the `dvc.yaml` files declare are what they declare;
 * a `dvc.yaml` that cannot be read goes to `log`, and the rest is discovered without it.
 */
export async function discoverChanges(
  pair: SnapshotPair,
  config: Config,
  log: UnreadableLog,
): Promise<{
  present: SidePaths;
  changes: ArtifactChange[];
  kinds: FileKind[];
  notReviewed: NotReviewed[];
  longPaths: string[];
}> {
  const present = await listSidePaths(pair);
  const isReviewable = (path: string): boolean => isMatchablePath(path) && isReviewablePath(path, config);
  const cards = await readDatasetCards(pair, present);
  const dvc = await readDvcFiles(pair, present);
  for (const problem of dvc.problems) log.note(problem.path, problem.side)(problem.error);
  const paths = [...new Set([...present.base, ...present.head])];
  // The pull request chooses its paths, and glob matching backtracks on long ones: see isMatchablePath.
  const longPaths = paths.filter((path) => !isMatchablePath(path)).sort();
  const named = discoverArtifacts(
    paths.filter((path) => isMatchablePath(path)),
    config,
    cards,
    dvc.files,
  );
  const sniffed = await refineArtifacts({ artifacts: named, pair, present, config, isReviewable });
  const artifacts = pairArtifacts({
    artifacts: sniffed.artifacts,
    present,
    renames: pair.renames,
    isReviewable,
  });
  const changes = await Promise.all(
    artifacts.map(async (artifact) => ({
      artifact,
      status: await computeFileStatus(pair, present, artifact),
    })),
  );
  const { declined } = sniffed;
  const { changedFiles } = pair;
  const links = new Set([...(await pair.base.listLinks()), ...(await pair.head.listLinks())]);
  const submodules = new Set([...(await pair.base.listSubmodules()), ...(await pair.head.listSubmodules())]);
  return {
    present,
    changes,
    kinds: listFileKinds(artifacts, declined, changedFiles),
    notReviewed: listNotReviewed({ artifacts, declined, changedFiles, links, submodules, isReviewable }),
    longPaths,
  };
}
