import type { DatasetEntry } from '../checks/check-context.js';
import { isNewlyUnreadable } from '../checks/check-data.js';
import type { Config } from '../config/schema.js';
import { decodeText } from '../loaders/decode-text.js';
import { ParseError } from '../model/errors.js';
import type { FileStatus } from '../model/report-schema.js';
import type { SnapshotPair } from '../model/snapshot.js';
import { findDatasetFormat } from '../model/vocabulary.js';
import {
  createTokenCounter,
  DEFAULT_TOKENIZER,
  profileSnapshotDataset,
  type DatasetProfileResult,
  type TokenCounter,
} from '../profile/dataset/index.js';
import type { Artifact } from '../sources/discover-artifacts.js';
import { findDatasetFileFormat } from '../sources/sniff-artifacts.js';
import { loadSides, sidesToReport, type AnalyzeStepInput } from './read-sides.js';
import type { UnreadableLog } from './unreadable-log.js';

/**
 * Profiles every dataset artifact on each side where it exists (an unchanged one once, and only when
 * something it could matter to changed), with the analysis' token counter. A side whose every record failed to parse is logged as unreadable, with the
 * first problem as the reason.
 */
export async function analyzeDatasets(input: AnalyzeStepInput): Promise<DatasetEntry[]> {
  const { pair, config, log } = input;
  const datasets = input.changes.filter(
    (change) =>
      change.artifact.kind === 'dataset' &&
      (change.status !== 'unchanged' || change.artifact.comparedWith !== undefined || needsUnchanged(input)),
  );
  if (datasets.length === 0) return [];
  const tokenizer = await loadTokenizer(config, pair, log);
  const entries: DatasetEntry[] = [];
  for (const change of datasets) {
    const { artifact, status } = change;
    if (!findDatasetFormat(artifact.path)) continue;
    const { base, head } = await loadSides({ ...input, change }, async (snapshot, side, paths) => {
      const first = paths[0];
      const format = first === undefined ? undefined : await findDatasetFileFormat(snapshot, first);
      if (format === undefined) return undefined;
      return profileSnapshotDataset(snapshot, paths, format, {
        tokenizer,
        nearDuplicateThreshold: config.checks['data-near-duplicates'].threshold,
        exactTokenBytes: (config.tokenizer['exact-up-to-mb'] ?? 16) * 2 ** 20,
      }).catch((error: unknown) => {
        log.note(artifact.path, side)(error);
        return undefined;
      });
    });
    entries.push(buildDatasetEntry(artifact, status, base, head));
    // A dataset the pull request left with no readable record is data-format's failure instead.
    const failsFormat =
      head !== undefined && isNewlyUnreadable(status, base?.profile, head.profile, head.problems);
    for (const [side, result] of sidesToReport(status, base, head)) {
      if (side === 'head' && failsFormat) continue;
      if (result.profile.rows === 0 && result.profile.malformedRows > 0) {
        const first = result.problems[0];
        const reason = `no record could be read${first ? `: ${first.reason}` : ''}`;
        log.note(artifact.path, side)(new ParseError(reason, first?.line));
      }
    }
  }
  return entries;
}

/**
 * Whether datasets the pull request did not touch must be profiled: only when a dataset or a
 * hyperparameter file changed, since then an untouched split can take part in a finding (eval rows now
 * in a changed train split, examples cut by a new max length). Otherwise nothing about them is new, and
 * a README-only change reads no dataset at all.
 */
function needsUnchanged(input: AnalyzeStepInput): boolean {
  return input.changes.some(
    (change) =>
      (change.artifact.kind === 'dataset' || change.artifact.kind === 'params') &&
      change.status !== 'unchanged',
  );
}

/** The checks' view of one dataset: its report entry and the profiles of the sides that exist. */
export function buildDatasetEntry(
  artifact: Pick<Artifact, 'path' | 'files' | 'split' | 'comparedWith'>,
  status: FileStatus,
  base: DatasetProfileResult | undefined,
  head: DatasetProfileResult | undefined,
): DatasetEntry {
  return {
    report: {
      path: artifact.path,
      ...(artifact.files ? { files: artifact.files } : {}),
      split: artifact.split ?? 'train',
      status,
      ...(artifact.comparedWith ? { comparedWith: artifact.comparedWith } : {}),
      ...(base ? { base: base.profile } : {}),
      ...(head ? { head: head.profile } : {}),
    },
    ...(base ? { base } : {}),
    ...(head ? { head } : {}),
  };
}

/**
 * The token counter of the analysis, built once: a bundled encoding, or the repository's
 * `tokenizer.json` read from the base commit (head when base has none: a PR may add it). A file that
 * cannot be read or used is reported, and the default encoding counts instead.
 */
export async function loadTokenizer(
  config: Config,
  pair: SnapshotPair,
  log: UnreadableLog,
): Promise<TokenCounter> {
  const setting = config.tokenizer;
  if ('encoding' in setting) return createTokenCounter({ encoding: setting.encoding });
  for (const [side, snapshot] of [
    ['base', pair.base],
    ['head', pair.head],
  ] as const) {
    const bytes = await snapshot.readFile(setting.file);
    if (!bytes) continue;
    try {
      return await createTokenCounter({ file: setting.file, json: JSON.parse(decodeText(bytes)) as unknown });
    } catch (error) {
      log.note(setting.file, side)(error);
      return createTokenCounter(DEFAULT_TOKENIZER);
    }
  }
  log.note(
    setting.file,
    'head',
  )(new ParseError(`the tokenizer file named in the config is not in the repository`));
  return createTokenCounter(DEFAULT_TOKENIZER);
}
