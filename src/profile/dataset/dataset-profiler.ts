import type { RowProblem } from '../../model/vocabulary.js';
import { datasetProfileSchema, type DatasetProfile, type RowRef } from '../../model/report-schema.js';
import { chooseLshBands, type LshBands } from './sketches/compute-minhash.js';
import type { TokenCounter } from './create-token-counter.js';
import { computeProfileSettings, type DatasetProfilerOptions } from './compute-profile-settings.js';
import { mix32, RecordHasher, type RecordDigest } from './hash-record.js';
import { inspectRecord, type RecordView } from './inspect-record.js';
import {
  addRowToFigures,
  createFigures,
  figuresToState,
  figureTransferables,
  finishFigures,
  listFigures,
  mergeFigures,
  mergeFigureStates,
  restoreFigures,
  type DatasetFigures,
  type FiguresState,
} from './figures/dataset-figures.js';
import {
  ProfileStateError,
  TWO_POW_32,
  type FigureContext,
  type ProfiledRow,
  type ProfileSettings,
} from './figures/figure.js';
import type { PendingTokens } from './figures/tokens.js';

export { ProfileStateError, type ProfileSettings } from './figures/figure.js';
export type { DatasetProfilerOptions } from './compute-profile-settings.js';
export { NGRAM_MIN_WORDS, NGRAM_SAMPLING, NGRAM_WORDS } from './figures/ngrams.js';
export { COMMON_SEQUENCE_LENGTHS } from './figures/tokens.js';

/** A profiler's accumulated state as plain data (typed arrays for the large parts); see `toState`. */
export type ProfileState = {
  version: 1;
  settings: ProfileSettings;
  files: { path: string; bytes: number; rows: number }[];
  bytes: number;
  rows: number;
  malformedRows: number;
  problems: (RowProblem & { file?: number })[];
} & FiguresState;

/** Tables are sized for the whole input once this much of it is read. */
const RESERVE_AFTER_BYTES = 16 * 2 ** 20;
/** The report's key order, kept whatever order the figures write their fields in. */
const PROFILE_KEYS = Object.keys(datasetProfileSchema.shape);

/**
 * Accumulates a dataset's profile one record at a time, in memory bounded whatever the number of rows,
 * and merges with the profiler of another part of the same dataset: profiling shards and merging them
 * gives the profile one pass over the whole would give, field by field, as long as each part was given
 * its rows' true lines. It keeps what every figure shares (positions, sampling keys, files, bytes,
 * malformed rows) and hands each row to its figures (`figures/`). Every sampling decision depends on a
 * row's position or content only, never on its order or shard.
 */
export class DatasetProfiler {
  readonly settings: ProfileSettings;
  readonly banding: LshBands;
  readonly figures: DatasetFigures;
  files: { path: string; bytes: number; rows: number }[];
  bytes = 0;
  rows = 0;
  malformedRows = 0;
  problems: (RowProblem & { file?: number })[] = [];

  private readonly maxProblems: number;
  private readonly plannedBytes: number | undefined;
  private fileIndex = 0;
  private readonly hasher = new RecordHasher();
  private readonly digest: RecordDigest = { fingerprint: 0, chars: 0 };
  /** The one row object handed to the figures, overwritten for every row. */
  private readonly row: ProfiledRow;

  constructor(options: DatasetProfilerOptions, restored?: ProfileState) {
    this.settings = restored ? { ...restored.settings } : computeProfileSettings(options);
    // Candidates are verified on their signatures afterwards, so the banding aims a little below the
    // threshold: it may find more pairs, not miss them.
    this.banding = chooseLshBands(Math.round(this.settings.nearDuplicateThreshold * 0.85 * 100) / 100);
    const context: FigureContext = {
      settings: this.settings,
      banding: this.banding,
      tokenCounter: options.tokenCounter,
    };
    this.figures = restored ? restoreFigures(restored, context) : createFigures(context);
    this.maxProblems = options.maxProblems ?? 20;
    this.plannedBytes = options.plannedBytes ?? options.expectedBytes;
    this.files = (options.files ?? []).map((path) => ({ path, bytes: 0, rows: 0 }));
    this.row = {
      position: 0,
      sampleKey: 0,
      analyseWords: false,
      record: undefined,
      view: undefined as unknown as RecordView,
      digest: this.digest,
      hasher: this.hasher,
    };
  }

  /** Rows added from now on belong to file `index` of `files` (lines restart in each file). */
  startFile(index: number): void {
    this.fileIndex = index;
  }

  /** Counts bytes read from the current file. */
  addBytes(bytes: number): void {
    if (this.bytes < RESERVE_AFTER_BYTES && this.bytes + bytes >= RESERVE_AFTER_BYTES) this.reserveTables();
    this.bytes += bytes;
    const file = this.files[this.fileIndex];
    if (file) file.bytes += bytes;
  }

  /**
   * Sizes the hash tables for the rows still to come, projected from the rows profiled so far (those of
   * the chunks before the one being added): growing a table of a million keys copies it several times,
   * and each copy briefly holds the old and new arrays.
   */
  private reserveTables(): void {
    const planned = this.plannedBytes;
    if (planned === undefined || planned <= this.bytes * 2 || this.bytes === 0) return;
    const scale = (planned / this.bytes) * 1.05;
    for (const figure of listFigures(this.figures)) figure.reserve?.(scale);
  }

  /** Counts a row that could not be read. */
  addProblem(problem: RowProblem): void {
    this.malformedRows += 1;
    if (this.problems.length < this.maxProblems) {
      this.problems.push(this.files.length > 1 ? { ...problem, file: this.fileIndex } : problem);
    }
  }

  /** Profiles one record that starts on `line` (1-based) of the current file. */
  addRecord(line: number, record: unknown): void {
    const row = this.row;
    // Rows are sampled by position (file and line), which every shard knows the same way.
    const sampleKey = mix32(Math.imul(this.fileIndex + 1, 0x9e3779b1) ^ line);
    const rate = this.settings.nearDuplicateRate;
    const analyseWords = rate >= 1 || sampleKey / TWO_POW_32 < rate;
    try {
      row.view = inspectRecord(record);
      this.hasher.rememberTextHashes(row.view.texts, analyseWords);
      this.hasher.hashRecord(record, this.digest);
    } catch (error) {
      // JSON.parse accepts nesting deeper than a recursive walk can follow: such a record is malformed here.
      if (!(error instanceof RangeError)) throw error;
      this.addProblem({ line, reason: 'record nested too deeply to analyse' });
      return;
    }
    this.rows += 1;
    const file = this.files[this.fileIndex];
    if (file) file.rows += 1;
    row.position = this.fileIndex * TWO_POW_32 + line;
    row.sampleKey = sampleKey;
    row.analyseWords = analyseWords;
    row.record = record;
    addRowToFigures(this.figures, row);
    row.record = undefined;
  }

  /** The texts sampled for tokens but not counted (`deferTokens`), emptied: count them and pass them to `addTokenCounts`. */
  takePendingTokens(): PendingTokens {
    return this.figures.tokens.takePending();
  }

  /** Adds the token counts of texts sampled by a profiler with `deferTokens` (or by itself). */
  addTokenCounts(counts: readonly number[], chars: readonly number[]): void {
    this.figures.tokens.addCounts(counts, chars);
  }

  /**
   * Adds another part of the same dataset, profiled with the same settings; `other` must hold rows that
   * come after this profiler's rows (a later shard), or be any part when lines are absolute (as they
   * are when every shard was given its true first line). Throws `ProfileStateError` on other settings.
   */
  merge(other: DatasetProfiler): void {
    this.mergeCommon(other);
    mergeFigures(this.figures, other.figures);
  }

  /**
   * `merge` with a profile state (a worker's, a shard file's), its hash tables read in place rather
   * than rebuilt first: merging a million-row part then holds its table once, not twice.
   */
  mergeState(state: ProfileState): void {
    this.mergeCommon(state);
    mergeFigureStates(this.figures, state);
  }

  private mergeCommon(
    other: Pick<ProfileState, 'settings' | 'files' | 'bytes' | 'rows' | 'malformedRows' | 'problems'>,
  ): void {
    if (JSON.stringify(other.settings) !== JSON.stringify(this.settings)) {
      throw new ProfileStateError(
        `cannot merge profiles made with different settings: ${JSON.stringify(this.settings)} and ${JSON.stringify(other.settings)}; profile every shard with the same options`,
      );
    }
    if (other.files.length !== this.files.length) {
      throw new ProfileStateError(
        'cannot merge profiles of datasets with different files; profile every shard of the same folder',
      );
    }
    other.files.forEach((file, index) => {
      const mine = this.files[index];
      if (mine === undefined || mine.path !== file.path) {
        throw new ProfileStateError(
          `cannot merge profiles of different files: ${mine?.path} and ${file.path}`,
        );
      }
      mine.bytes += file.bytes;
      mine.rows += file.rows;
    });
    this.bytes += other.bytes;
    this.rows += other.rows;
    this.malformedRows += other.malformedRows;
    this.problems = [...this.problems, ...other.problems]
      .sort((a, b) => (a.file ?? 0) - (b.file ?? 0) || a.line - b.line)
      .slice(0, this.maxProblems);
  }

  /** The profile's figures for the report. */
  finish(): DatasetProfile {
    const profile = {
      format: this.settings.format,
      bytes: this.bytes,
      rows: this.rows,
      malformedRows: this.malformedRows,
    } as DatasetProfile;
    if (this.files.length > 1) profile.files = this.files.map((file) => ({ ...file }));
    finishFigures(this.figures, profile, (position) => this.rowRef(position));
    return inReportOrder(profile);
  }

  /**
   * Rows longer than `length` tokens; scaled from the tokenised sample when tokens were sampled, so an
   * estimate then (`tokenizer.estimated`).
   */
  rowsOver(length: number): number {
    return this.figures.tokens.rowsOver(length, this.rows);
  }

  /** The file and line of a position. */
  rowRef(position: number): RowRef {
    const line = position % TWO_POW_32;
    return this.files.length > 1
      ? { line, file: this.files[Math.floor(position / TWO_POW_32)]?.path ?? '' }
      : { line };
  }

  /** The state as plain data, to save (a shard's profile) and restore with `fromState`. */
  toState(): ProfileState {
    return {
      version: 1,
      settings: this.settings,
      files: this.files.map((file) => ({ ...file })),
      bytes: this.bytes,
      rows: this.rows,
      malformedRows: this.malformedRows,
      problems: this.problems,
      ...figuresToState(this.figures),
    };
  }

  /** The buffers of `state` (this profiler's `toState()`) to transfer to another thread instead of copying. */
  transferables(state: ProfileState): ArrayBuffer[] {
    return figureTransferables(this.figures, state);
  }

  /** Restores a profiler from `toState`'s data; it can merge and finish, and count tokens only if given a counter. */
  static fromState(state: ProfileState, tokenCounter?: TokenCounter): DatasetProfiler {
    if (state.version !== 1)
      throw new ProfileStateError(`unknown profile state version ${String(state.version)}`);
    const profiler = new DatasetProfiler(
      {
        format: state.settings.format,
        files: state.files.map((file) => file.path),
        ...(tokenCounter ? { tokenCounter } : {}),
      },
      state,
    );
    profiler.files = state.files.map((file) => ({ ...file }));
    profiler.bytes = state.bytes;
    profiler.rows = state.rows;
    profiler.malformedRows = state.malformedRows;
    profiler.problems = [...state.problems];
    return profiler;
  }
}

/** The profile with its keys in the report schema's order (any others after them). */
function inReportOrder(profile: DatasetProfile): DatasetProfile {
  const ordered: Record<string, unknown> = {};
  const source = profile as unknown as Record<string, unknown>;
  for (const key of PROFILE_KEYS) if (key in source) ordered[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in ordered)) ordered[key] = source[key];
  return ordered as unknown as DatasetProfile;
}
