import type { ParamsEntry } from '../checks/check-context.js';
import { diffParams } from '../diff/diff-params.js';
import {
  findParamsFormat,
  parseParamsFile,
  type ParamsFile,
  type ParamValue,
} from '../loaders/parse-params.js';
import type { FileStatus } from '../model/report-schema.js';
import {
  computeCanonicalParams,
  computeEffectiveBatch,
  detectFileFramework,
} from '../profile/compute-canonical-params.js';
import { isComparable, loadSides, parseWith, type AnalyzeStepInput } from './read-sides.js';
import { folderOf } from '../model/paths.js';
import { analyzeCardParams } from './analyze-card-params.js';

/**
 * Reads every hyperparameter file on both sides, diffs it, and adds canonical names and the effective
 * batch size (with the GPU count found in any params file of the same side). A model card's "Training
 * hyperparameters" list counts as one where the run has no config of its own (see `analyzeCardParams`).
 */
export async function analyzeParams(input: AnalyzeStepInput): Promise<ParamsEntry[]> {
  const params: ParamsEntry[] = [];
  for (const change of input.changes) {
    const { artifact, status } = change;
    if (artifact.kind !== 'params' || !findParamsFormat(artifact.path)) continue;
    const { base, head } = await loadSides({ ...input, change }, parseWith(parseParamsFile, input.log));
    if (!isComparable(status, base, head)) continue;
    const entry = buildParamsEntry(artifact.path, status, base, head);
    if (artifact.comparedWith) entry.report.comparedWith = artifact.comparedWith;
    params.push(entry);
  }
  for (const card of await analyzeCardParams(input))
    params.push(buildParamsEntry(card.path, 'modified', card.base, card.head));
  addGpuCounts(params);
  return params;
}

/** The checks' view of one params file: its diff and canonical values (derived figures come from {@link addGpuCounts}). */
export function buildParamsEntry(
  path: string,
  status: FileStatus,
  base: ParamsFile | undefined,
  head: ParamsFile | undefined,
): ParamsEntry {
  const canonicalBase = base ? computeCanonicalParams(base.values, detectFileFramework(base)) : {};
  const canonicalHead = head ? computeCanonicalParams(head.values, detectFileFramework(head)) : {};
  const newest = head ?? base;
  return {
    report: {
      path,
      status,
      format: newest?.format ?? 'yaml',
      ...(newest ? { framework: detectFileFramework(newest) } : {}),
      changes: status === 'unchanged' ? [] : diffParams(base, head),
      canonical: { base: canonicalBase, head: canonicalHead },
      derived: { base: {}, head: {} },
    },
    ...(base ? { base } : {}),
    ...(head ? { head } : {}),
  };
}

/**
 * Effective batch size needs the GPU count, which often lives in another file (an accelerate or
 * launcher config). A file's own count wins; else the count of the launcher config nearest to it — in
 * its folder, or the closest folder above — when that config is the only one there. A launcher config
 * elsewhere in the repository is not linked to the file, so its count is not guessed in: the figure
 * then stays per device, and its note says so. A model card's list is never linked: the Trainer writes
 * `num_devices` there whenever the run had more than one.
 */
export function addGpuCounts(params: ParamsEntry[]): void {
  for (const side of ['base', 'head'] as const) {
    const launchers = params.filter((p) => p.report.canonical[side]['num_gpus'] !== undefined);
    for (const entry of params) {
      const canonical = entry.report.canonical[side];
      const linked =
        entry.report.format === 'model-card' ? undefined : findLinkedGpus(entry.report.path, launchers, side);
      const gpus = canonical['num_gpus'] ?? linked;
      const effective = computeEffectiveBatch(
        gpus === undefined ? canonical : ({ ...canonical, num_gpus: gpus } as typeof canonical),
      );
      entry.report.derived[side] = {
        ...(effective.value !== undefined ? { effectiveBatchSize: effective.value } : {}),
        ...(effective.note !== undefined ? { effectiveBatchNote: effective.note } : {}),
      };
    }
  }
}

/** The GPU count of the one launcher config in the nearest folder at or above `path`'s, if any. */
function findLinkedGpus(
  path: string,
  launchers: readonly ParamsEntry[],
  side: 'base' | 'head',
): ParamValue | undefined {
  for (let folder: string | undefined = folderOf(path); folder !== undefined;) {
    const here = launchers.filter((launcher) => folderOf(launcher.report.path) === folder);
    if (here.length === 1) return here[0]?.report.canonical[side]['num_gpus'] as ParamValue | undefined;
    if (here.length > 1) return undefined;
    folder = folder === '' ? undefined : folderOf(folder);
  }
  return undefined;
}
