import { TuneguardError } from '../../model/errors.js';
import type { DatasetFormat, RowProblem } from '../../model/vocabulary.js';
import type { DatasetProfile, FieldStats, RowRef } from '../../model/report-schema.js';
import {
  chooseLshBands,
  computeBandKeys,
  collectSmallShingleSet,
  computeJaccard,
  computeMinhashSignature,
  estimateSimilarity,
  forEachNgram,
  packSignature,
  SIGNATURE_SIZE,
  SMALL_SET,
  type LshBands,
} from './sketches/compute-minhash.js';
import { BloomFilter } from './sketches/bloom-filter.js';
import { CountHistogram, type HistogramState } from './sketches/count-histogram.js';
import type { TokenCounter } from './create-token-counter.js';
import { mix32, RecordHasher, type RecordDigest } from './hash-record.js';
import { inspectRecord, type RecordView } from './inspect-record.js';
import { RECORD_FORMATS, type RecordErrorKind, type RecordFormat } from '../../model/vocabulary.js';
import { SampledHashTable, type HashTableState } from './sketches/sampled-hash-table.js';

/** How a profile is computed; profiles merge only when their settings are equal. */
export interface ProfileSettings {
  format: DatasetFormat;
  /** The tokenizer's name, or `''` when tokens are not counted. */
  tokenizer: string;
  /** Share of rows tokenised (1: every row; less for large datasets, chosen by content so shards agree). */
  tokenRate: number;
  /** Share of rows analysed for near-duplicates and n-grams (chosen by content likewise). */
  nearDuplicateRate: number;
  /** MinHash similarity from which two rows are near-duplicates. */
  nearDuplicateThreshold: number;
  /** The n-gram Bloom filter has 2^ngramBits bits (about 8 per n-gram expected). */
  ngramBits: number;
}

/** Options of a profiler. */
export interface DatasetProfilerOptions {
  format: DatasetFormat;
  /** Counts tokens; without it (or `deferTokens`) the profile has no token figures. */
  tokenCounter?: TokenCounter;
  /**
   * Instead of counting tokens, keep the sampled texts in `pendingTokens` for another thread to count
   * (with `addTokenCounts`), so parallel workers share one tokenizer: `name` is that tokenizer's.
   */
  deferTokens?: { name: string };
  /**
   * Size in bytes of the whole dataset (all shards), when known: datasets larger than `exactTokenBytes`
   * get token figures from a sample, larger than `exactNearDuplicateBytes` near-duplicate and n-gram
   * figures from a sample. Unknown size: everything exact.
   */
  expectedBytes?: number;
  /**
   * Bytes this profiler will read, when it reads only part of `expectedBytes` (a shard, a worker's
   * share): its tables are sized from it once the first rows show how many bytes a row takes.
   */
  plannedBytes?: number;
  /** Default 16 MiB. */
  exactTokenBytes?: number;
  /** Default 128 MiB. */
  exactNearDuplicateBytes?: number;
  /** Default 0.8. */
  nearDuplicateThreshold?: number;
  /** Max problems kept with details (all are counted). Default 20. */
  maxProblems?: number;
  /** The files of a dataset made of several, by index (see `startFile`). */
  files?: readonly string[];
}

/** A profile could not be merged or restored: its settings or shape differ. */
export class ProfileStateError extends TuneguardError {}

/** n-gram size for train/held-out overlap, as in lm-evaluation-harness's decontamination. */
export const NGRAM_WORDS = 13;
/** Texts shorter than this many words give no n-gram (they are compared whole, by exact match). */
export const NGRAM_MIN_WORDS = 8;
/** One n-gram in this many is kept (by hash, the same on every dataset). */
export const NGRAM_SAMPLING = 2;
/** Common max sequence lengths reported in `tokensOver`. */
export const COMMON_SEQUENCE_LENGTHS = [512, 1024, 2048, 4096, 8192, 16384, 32768] as const;

const MAX_EXAMPLES = 5;
const MAX_LABELS = 1000;
const MAX_TEMPLATES = 50;
const FINGERPRINT_CAPACITY = 4_000_000;
const CONFLICT_CAPACITY = 2_000_000;
/** Rows of a band bucket a new row is compared with. */
const BUCKET_ROWS = 4;
/** Tables are sized for the whole input once this much of it is read. */
const RESERVE_AFTER_BYTES = 16 * 2 ** 20;
/** Rows analysed for near-duplicates at most (their signatures and band keys are kept: ~140 bytes a row). */
const NEAR_DUPLICATE_ROWS = 250_000;
const ROW_NGRAM_CAPACITY = 250_000;
const TWO_POW_20 = 1048576;
const TWO_POW_32 = 4294967296;
const CHAT_TOKENS_PER_TURN = 3;
const CHAT_TOKENS_PER_REPLY = 3;

// Fingerprint table columns: first position, second position, rows.
const FP_FIRST = 0;
const FP_SECOND = 1;
const FP_COUNT = 2;
/** Placeholder answers, compared lowercased and trimmed. */
const PLACEHOLDERS = new Set([
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  'nan',
  'undefined',
  'todo',
  'tbd',
  'tba',
  '...',
  '…',
  '-',
  '--',
  '?',
  '<noinput>',
  '<nooutput>',
  '<no input>',
  '<no output>',
  '<none>',
  '<empty>',
  '<blank>',
  '[placeholder]',
  'placeholder',
  'no output',
  'no answer',
  'lorem ipsum',
]);
// `{{ name }}` as Jinja, Mustache and LLaMA-Factory's identity data write it; not `${{ … }}` (GitHub Actions).
const TEMPLATE_VARIABLE = /(?<!\$)\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

interface Tally {
  rows: number;
  positions: number[];
}

interface FormatTally {
  rows: number;
  errors: Map<RecordErrorKind, Tally>;
}

interface OutputExample {
  kind: 'empty' | 'placeholder' | 'placeholder-input';
  position: number;
  value: string;
}

/**
 * The rows analysed for near-duplicates, in order: position, LSH band keys and packed MinHash signature
 * of each. Whether a row is a near-duplicate is decided from these at the end, so that shards merge by
 * concatenation into what one pass would have found.
 */
export interface NearDuplicateRows {
  positions: number[];
  keys: Float64Array;
  signatures: Uint8Array;
  /** The shingle sets of rows with at most `SMALL_SET` shingles (compared exactly): the end of each row's, in `shingles`. */
  shingleEnds: number[];
  shingles: number[];
  /** Rows past `NEAR_DUPLICATE_ROWS` were not analysed. */
  full: boolean;
}

interface TemplateTally {
  rows: number;
  position: number;
}

/** A profiler's accumulated state as plain data (typed arrays for the large parts); see `toState`. */
export interface ProfileState {
  version: 1;
  settings: ProfileSettings;
  files: { path: string; bytes: number; rows: number }[];
  bytes: number;
  rows: number;
  malformedRows: number;
  problems: (RowProblem & { file?: number })[];
  shapes: [string, Tally][];
  fields: [string, { present: number; empty: number }][];
  objectRows: number;
  chars: HistogramState;
  tokens: HistogramState;
  tokenizedRows: number;
  tokenizedChars: number;
  fingerprints: HashTableState;
  formats: [RecordFormat, { rows: number; errors: [RecordErrorKind, Tally][] }][];
  labels: [string, number][];
  labelOtherRows: number;
  outputs: {
    empty: number;
    placeholder: number;
    placeholderInputs: number;
    examples: OutputExample[];
    templateRows: number;
    templates: [string, TemplateTally][];
  };
  conflicts: HashTableState;
  nearRows: NearDuplicateRows;
  ngrams: Uint32Array;
  rowNgrams: { positions: number[]; ends: number[]; hashes: number[]; full: boolean };
}

/**
 * Accumulates a dataset's profile one record at a time, in memory bounded whatever the number of rows
 * (hash tables that fall back to uniform samples, histograms instead of lists), and merges with the
 * profiler of another part of the same dataset: profiling shards and merging them gives the profile one
 * pass over the whole would give, field by field, as long as each part was given its rows' true lines.
 * Every sampling decision depends on a row's content only, never on its order or shard.
 */
export class DatasetProfiler {
  readonly settings: ProfileSettings;
  readonly banding: LshBands;
  files: { path: string; bytes: number; rows: number }[];
  bytes = 0;
  rows = 0;
  malformedRows = 0;
  problems: (RowProblem & { file?: number })[] = [];
  shapes = new Map<string, Tally>();
  fields = new Map<string, { present: number; empty: number }>();
  objectRows = 0;
  chars = new CountHistogram();
  tokens = new CountHistogram();
  tokenizedRows = 0;
  tokenizedChars = 0;
  fingerprints = new SampledHashTable(['f64', 'f64', 'u32'], FINGERPRINT_CAPACITY);
  formats = new Map<RecordFormat, FormatTally>();
  labels = new Map<string, number>();
  labelOtherRows = 0;
  outputs = {
    empty: 0,
    placeholder: 0,
    placeholderInputs: 0,
    examples: [] as OutputExample[],
    templateRows: 0,
    templates: new Map<string, TemplateTally>(),
  };
  conflicts = new SampledHashTable(['f64', 'f64', 'u32', 'u32', 'u32'], CONFLICT_CAPACITY);
  nearRows: NearDuplicateRows = {
    positions: [],
    keys: new Float64Array(0),
    signatures: new Uint8Array(0),
    shingleEnds: [],
    shingles: [],
    full: false,
  };
  ngrams: BloomFilter;
  rowNgrams = { positions: [] as number[], ends: [] as number[], hashes: [] as number[], full: false };

  private readonly maxProblems: number;
  private readonly plannedBytes: number | undefined;
  private readonly tokenCounter: TokenCounter | undefined;
  private fileIndex = 0;
  private readonly digest: RecordDigest = { fingerprint: 0, chars: 0 };
  private readonly hasher = new RecordHasher();
  private readonly signature = new Uint32Array(SIGNATURE_SIZE);
  private readonly smallSet = new Uint32Array(SMALL_SET + 8);
  private readonly bandKeys: Float64Array;

  constructor(options: DatasetProfilerOptions) {
    const expected = options.expectedBytes;
    const rate = (budget: number): number =>
      expected === undefined || expected <= budget ? 1 : Math.max(budget / expected, 1e-6);
    this.tokenCounter = options.tokenCounter;
    this.settings = {
      format: options.format,
      tokenizer: options.tokenCounter?.name ?? options.deferTokens?.name ?? '',
      tokenRate:
        options.tokenCounter || options.deferTokens ? rate(options.exactTokenBytes ?? 16 * 2 ** 20) : 0,
      nearDuplicateRate: rate(options.exactNearDuplicateBytes ?? 128 * 2 ** 20),
      nearDuplicateThreshold: options.nearDuplicateThreshold ?? 0.8,
      ngramBits: 24,
    };
    if (expected !== undefined) {
      // About one kept n-gram per 12 bytes analysed (6-byte words, one n-gram in two), 8 bits each.
      const analysed = expected * this.settings.nearDuplicateRate;
      this.settings.ngramBits = Math.min(26, Math.max(20, Math.ceil(Math.log2((analysed / 12) * 8))));
    }
    this.ngrams = new BloomFilter(this.settings.ngramBits);
    // Candidates are verified on their signatures afterwards, so the banding aims a little below the
    // threshold: it may find more pairs, not miss them.
    this.banding = chooseLshBands(Math.round(this.settings.nearDuplicateThreshold * 0.85 * 100) / 100);
    this.bandKeys = new Float64Array(this.banding.bands);
    this.maxProblems = options.maxProblems ?? 20;
    this.plannedBytes = options.plannedBytes ?? options.expectedBytes;
    this.files = (options.files ?? []).map((path) => ({ path, bytes: 0, rows: 0 }));
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
    this.fingerprints.reserve(Math.ceil(this.fingerprints.size * scale));
    this.conflicts.reserve(Math.ceil(this.conflicts.size * scale));
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
    const position = this.fileIndex * TWO_POW_32 + line;
    // Rows are sampled by position (file and line), which every shard knows the same way.
    const sampleKey = mix32(Math.imul(this.fileIndex + 1, 0x9e3779b1) ^ line);
    const analyseWords =
      this.settings.nearDuplicateRate >= 1 || sampleKey / TWO_POW_32 < this.settings.nearDuplicateRate;
    let view: RecordView;
    let digest: RecordDigest;
    try {
      view = inspectRecord(record);
      this.hasher.rememberTextHashes(view.texts, analyseWords);
      digest = this.hasher.hashRecord(record, this.digest);
    } catch (error) {
      // JSON.parse accepts nesting deeper than a recursive walk can follow: such a record is malformed here.
      if (!(error instanceof RangeError)) throw error;
      this.addProblem({ line, reason: 'record nested too deeply to analyse' });
      return;
    }
    this.rows += 1;
    const file = this.files[this.fileIndex];
    if (file) file.rows += 1;
    if (analyseWords) this.tallyWords(position);
    this.tallyShape(record, position);
    this.chars.add(digest.chars);

    const fingerprint = digest.fingerprint;
    const slot = this.fingerprints.upsert(fingerprint);
    if (slot !== -1) {
      const columns = this.fingerprints.columns;
      if (this.fingerprints.isNew) {
        (columns[FP_FIRST] as Float64Array)[slot] = position;
        (columns[FP_COUNT] as Uint32Array)[slot] = 1;
      } else {
        (columns[FP_COUNT] as Uint32Array)[slot] = ((columns[FP_COUNT] as Uint32Array)[slot] as number) + 1;
        if ((columns[FP_SECOND] as Float64Array)[slot] === 0)
          (columns[FP_SECOND] as Float64Array)[slot] = position;
      }
    }

    this.tallyFormat(view.format, view.errors, position);
    if (view.label !== undefined) {
      const count = this.labels.get(view.label);
      if (count !== undefined) this.labels.set(view.label, count + 1);
      else if (this.labels.size < MAX_LABELS) this.labels.set(view.label, 1);
      else this.labelOtherRows += 1;
    }
    this.tallyOutputs(view.format, record, view.output, view.texts, position);
    if (view.input !== undefined && view.output !== undefined) {
      this.tallyConflict(
        this.hasher.hashTexts(view.input),
        Math.floor(this.hasher.findTextHash(view.output) / TWO_POW_20),
        position,
      );
    }

    if (
      this.settings.tokenRate > 0 &&
      (this.settings.tokenRate >= 1 || mix32(sampleKey ^ 0x27d4eb2f) / TWO_POW_32 < this.settings.tokenRate)
    ) {
      const text = view.sequence.length === 1 ? (view.sequence[0] as string) : view.sequence.join('\n');
      const overhead = view.turns > 0 ? view.turns * CHAT_TOKENS_PER_TURN + CHAT_TOKENS_PER_REPLY : 0;
      if (this.tokenCounter === undefined) {
        this.pendingTokens.texts.push(text);
        this.pendingTokens.extra.push(overhead);
        this.pendingTokens.chars.push(digest.chars);
      } else this.addTokenCount(this.tokenCounter.count(text) + overhead, digest.chars);
    }
  }

  /** Texts sampled for tokens but not counted yet (`deferTokens`): take them with `takePendingTokens`. */
  private pendingTokens = { texts: [] as string[], extra: [] as number[], chars: [] as number[] };

  /** The texts waiting to be counted, emptied: count each (`count(text) + extra`) and pass them to `addTokenCounts`. */
  takePendingTokens(): { texts: string[]; extra: number[]; chars: number[] } {
    const pending = this.pendingTokens;
    this.pendingTokens = { texts: [], extra: [], chars: [] };
    return pending;
  }

  /** Adds the token counts of texts sampled by a profiler with `deferTokens` (or by itself). */
  addTokenCounts(counts: readonly number[], chars: readonly number[]): void {
    counts.forEach((count, index) => this.addTokenCount(count, chars[index] ?? 0));
  }

  private addTokenCount(count: number, chars: number): void {
    this.tokens.add(count);
    this.tokenizedRows += 1;
    this.tokenizedChars += chars;
  }

  private tallyShape(record: unknown, position: number): void {
    const shape = computeShape(record);
    const tally = this.shapes.get(shape);
    if (tally === undefined) this.shapes.set(shape, { rows: 1, positions: [position] });
    else {
      tally.rows += 1;
      if (tally.positions.length < MAX_EXAMPLES) tally.positions.push(position);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
    this.objectRows += 1;
    const object = record as Record<string, unknown>;
    for (const name in object) {
      let field = this.fields.get(name);
      if (field === undefined) {
        field = { present: 0, empty: 0 };
        this.fields.set(name, field);
      }
      field.present += 1;
      if (isEmptyField(object[name])) field.empty += 1;
    }
  }

  private tallyFormat(format: RecordFormat, errors: readonly RecordErrorKind[], position: number): void {
    let tally = this.formats.get(format);
    if (tally === undefined) {
      tally = { rows: 0, errors: new Map() };
      this.formats.set(format, tally);
    }
    tally.rows += 1;
    for (const kind of errors) {
      const error = tally.errors.get(kind);
      if (error === undefined) tally.errors.set(kind, { rows: 1, positions: [position] });
      else {
        error.rows += 1;
        if (error.positions.length < MAX_EXAMPLES) error.positions.push(position);
      }
    }
  }

  private tallyOutputs(
    format: RecordFormat,
    record: unknown,
    output: string | undefined,
    texts: readonly string[],
    position: number,
  ): void {
    const outputs = this.outputs;
    const example = (kind: OutputExample['kind'], value: string): void => {
      if (outputs.examples.filter((e) => e.kind === kind).length < MAX_EXAMPLES) {
        outputs.examples.push({ kind, position, value: value.slice(0, 80) });
      }
    };
    if (output !== undefined && format !== 'classification') {
      if (!/\S/.test(output)) {
        outputs.empty += 1;
        example('empty', output);
      } else if (output.length <= 24 && PLACEHOLDERS.has(output.trim().toLowerCase())) {
        outputs.placeholder += 1;
        example('placeholder', output.trim());
      }
    }
    if (format === 'alpaca') {
      const input = (record as { input?: unknown }).input;
      if (typeof input === 'string' && input.length <= 24 && PLACEHOLDERS.has(input.trim().toLowerCase())) {
        outputs.placeholderInputs += 1;
        example('placeholder-input', input.trim());
      }
    }
    let names: Set<string> | undefined;
    for (const text of texts) {
      if (!text.includes('{{')) continue;
      for (const match of text.matchAll(TEMPLATE_VARIABLE)) (names ??= new Set()).add(match[1] as string);
    }
    if (names === undefined) return;
    outputs.templateRows += 1;
    for (const name of names) {
      const tally = outputs.templates.get(name);
      if (tally !== undefined) tally.rows += 1;
      else if (outputs.templates.size < MAX_TEMPLATES) outputs.templates.set(name, { rows: 1, position });
    }
  }

  private tallyConflict(inputKey: number, output: number, position: number): void {
    const table = this.conflicts;
    const slot = table.upsert(inputKey);
    if (slot === -1) return;
    const [first, other, firstOutput, otherOutput, count] = table.columns as [
      Float64Array,
      Float64Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    if (table.isNew) {
      first[slot] = position;
      firstOutput[slot] = output;
      count[slot] = 1;
      return;
    }
    count[slot] = (count[slot] as number) + 1;
    if (other[slot] === 0 && firstOutput[slot] !== output) {
      other[slot] = position;
      otherOutput[slot] = output;
    }
  }

  /** Near-duplicate signature and n-grams of the row whose words `rememberTextHashes` just collected. */
  private tallyWords(position: number): void {
    const { words, count } = this.hasher.lastWordHashes();
    if (!computeMinhashSignature(words, count, this.signature)) return;
    const near = this.nearRows;
    if (!near.full) {
      const row = near.positions.length;
      if (row === NEAR_DUPLICATE_ROWS) near.full = true;
      else {
        const bands = this.banding.bands;
        if ((row + 1) * bands > near.keys.length) {
          near.keys = growFloat64(near.keys, Math.max(1024 * bands, Math.ceil((row + 1) * 1.5) * bands));
          near.signatures = growBytes(near.signatures, (near.keys.length / bands) * SIGNATURE_SIZE);
        }
        computeBandKeys(this.signature, this.banding, this.bandKeys);
        near.keys.set(this.bandKeys, row * bands);
        packSignature(this.signature, near.signatures, row * SIGNATURE_SIZE);
        near.positions.push(position);
        const size = collectSmallShingleSet(words, count, this.smallSet);
        for (let index = 0; index < size; index += 1) near.shingles.push(this.smallSet[index] as number);
        near.shingleEnds.push(near.shingles.length);
      }
    }
    const rowNgrams = this.rowNgrams;
    const ngrams = this.ngrams;
    const start = rowNgrams.hashes.length;
    // One n-gram in NGRAM_SAMPLING, chosen by hash, so both sides of a comparison keep the same ones: a
    // copied passage shares dozens of n-grams, so it is still found, for half the work.
    forEachNgram(words, count, NGRAM_WORDS, NGRAM_MIN_WORDS, NGRAM_SAMPLING, (hash) => {
      ngrams.add(hash);
      if (!rowNgrams.full) rowNgrams.hashes.push(hash);
    });
    if (rowNgrams.full || rowNgrams.hashes.length === start) return;
    if (rowNgrams.hashes.length > ROW_NGRAM_CAPACITY) {
      // The first row that does not fit closes the list: a merge of shards then keeps the same rows.
      rowNgrams.hashes.length = start;
      rowNgrams.full = true;
      return;
    }
    rowNgrams.positions.push(position);
    rowNgrams.ends.push(rowNgrams.hashes.length);
  }

  /**
   * Adds another part of the same dataset, profiled with the same settings; `other` must hold rows that
   * come after this profiler's rows (a later shard), or be any part when lines are absolute (as they
   * are when every shard was given its true first line). Throws `ProfileStateError` on other settings.
   */
  merge(other: DatasetProfiler): void {
    this.mergeParts(other, other.fingerprints, other.conflicts);
  }

  /**
   * `merge` with a profile state (a worker's, a shard file's), its hash tables read in place rather
   * than rebuilt first: merging a million-row part then holds its table once, not twice.
   */
  mergeState(state: ProfileState): void {
    const other = DatasetProfiler.fromState(state, undefined, { tables: false });
    this.mergeParts(other, readTableState(state.fingerprints), readTableState(state.conflicts));
  }

  private mergeParts(other: DatasetProfiler, fingerprints: ReadableTable, conflicts: ReadableTable): void {
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
    mergeTallies(this.shapes, other.shapes);
    for (const [name, field] of other.fields) {
      const mine = this.fields.get(name);
      if (mine === undefined) this.fields.set(name, { ...field });
      else {
        mine.present += field.present;
        mine.empty += field.empty;
      }
    }
    this.objectRows += other.objectRows;
    this.chars.merge(other.chars);
    this.tokens.merge(other.tokens);
    this.tokenizedRows += other.tokenizedRows;
    this.tokenizedChars += other.tokenizedChars;
    for (const [format, tally] of other.formats) {
      const mine = this.formats.get(format);
      if (mine === undefined)
        this.formats.set(format, { rows: tally.rows, errors: cloneTallies(tally.errors) });
      else {
        mine.rows += tally.rows;
        mergeTallies(mine.errors, tally.errors);
      }
    }
    for (const [label, count] of other.labels) {
      const mine = this.labels.get(label);
      if (mine !== undefined) this.labels.set(label, mine + count);
      else if (this.labels.size < MAX_LABELS) this.labels.set(label, count);
      else this.labelOtherRows += count;
    }
    this.labelOtherRows += other.labelOtherRows;
    this.mergeOutputs(other);
    mergeTables(this.fingerprints, fingerprints, mergeFingerprintSlot);
    mergeTables(this.conflicts, conflicts, mergeConflictSlot);
    this.mergeNearRows(other);
    this.ngrams.merge(other.ngrams);
    this.mergeRowNgrams(other);
  }

  private mergeOutputs(other: DatasetProfiler): void {
    const mine = this.outputs;
    const theirs = other.outputs;
    mine.empty += theirs.empty;
    mine.placeholder += theirs.placeholder;
    mine.placeholderInputs += theirs.placeholderInputs;
    mine.templateRows += theirs.templateRows;
    mine.examples = (['empty', 'placeholder', 'placeholder-input'] as const)
      .flatMap((kind) =>
        [...mine.examples, ...theirs.examples]
          .filter((e) => e.kind === kind)
          .sort((a, b) => a.position - b.position)
          .slice(0, MAX_EXAMPLES),
      )
      .sort((a, b) => a.position - b.position);
    for (const [name, tally] of theirs.templates) {
      const existing = mine.templates.get(name);
      if (existing === undefined) {
        if (mine.templates.size < MAX_TEMPLATES) mine.templates.set(name, { ...tally });
      } else {
        existing.rows += tally.rows;
        existing.position = Math.min(existing.position, tally.position);
      }
    }
  }

  private mergeNearRows(other: DatasetProfiler): void {
    const bands = this.banding.bands;
    const rows = [...nearRowsOf(this.nearRows, bands), ...nearRowsOf(other.nearRows, bands)].sort(
      (a, b) => a.position - b.position,
    );
    const kept = rows.slice(0, NEAR_DUPLICATE_ROWS);
    const merged: NearDuplicateRows = {
      positions: kept.map((row) => row.position),
      keys: new Float64Array(kept.length * bands),
      signatures: new Uint8Array(kept.length * SIGNATURE_SIZE),
      shingleEnds: [],
      shingles: [],
      full: this.nearRows.full || other.nearRows.full || rows.length > NEAR_DUPLICATE_ROWS,
    };
    kept.forEach((row, index) => {
      merged.keys.set(row.keys, index * bands);
      merged.signatures.set(row.signature, index * SIGNATURE_SIZE);
      for (const shingle of row.shingles) merged.shingles.push(shingle);
      merged.shingleEnds.push(merged.shingles.length);
    });
    this.nearRows = merged;
  }

  private mergeRowNgrams(other: DatasetProfiler): void {
    // The lists are each part's first rows, up to the first that did not fit: the earlier part's rows
    // come first, and when it did not keep all of its rows, no later row can be kept either.
    const parts = [this.rowNgrams, other.rowNgrams].sort(
      (a, b) => (a.positions[0] ?? Number.POSITIVE_INFINITY) - (b.positions[0] ?? Number.POSITIVE_INFINITY),
    );
    const merged = { positions: [] as number[], ends: [] as number[], hashes: [] as number[], full: false };
    for (const part of parts) {
      for (const row of rowsOf(part)) {
        if (merged.hashes.length + row.hashes.length > ROW_NGRAM_CAPACITY) {
          merged.full = true;
          break;
        }
        for (const hash of row.hashes) merged.hashes.push(hash);
        merged.positions.push(row.position);
        merged.ends.push(merged.hashes.length);
      }
      if (merged.full || part.full) {
        merged.full = true;
        break;
      }
    }
    this.rowNgrams = merged;
  }

  /** The profile's figures for the report. */
  finish(): DatasetProfile {
    const ref = (position: number): RowRef => this.rowRef(position);
    let recordShape = '';
    let dominant: Tally | undefined;
    for (const [shape, tally] of this.shapes) {
      // On a tie the shape seen first wins (by position, so shards agree).
      if (
        dominant === undefined ||
        tally.rows > dominant.rows ||
        (tally.rows === dominant.rows && (tally.positions[0] ?? 0) < (dominant.positions[0] ?? 0))
      ) {
        recordShape = shape;
        dominant = tally;
      }
    }
    const offShape = [...this.shapes]
      .filter(([shape]) => shape !== recordShape)
      .flatMap(([, tally]) => tally.positions)
      .sort((a, b) => a - b)
      .slice(0, MAX_EXAMPLES);
    const fields: FieldStats[] = [...this.fields]
      .sort(([a], [b]) => compareText(a, b))
      .map(([name, { present, empty }]) => ({ name, present, missing: this.objectRows - present, empty }));

    const duplicates = this.finishDuplicates();
    const chars = this.chars.quantiles();
    const tokens = this.tokens.quantiles();
    const estimatedTokens = this.settings.tokenRate < 1;
    const totalTokens =
      this.tokenizedRows === 0
        ? 0
        : estimatedTokens
          ? Math.round((this.tokens.sum / Math.max(1, this.tokenizedChars)) * this.chars.sum)
          : this.tokens.sum;
    const multiFile = this.files.length > 1;
    const profile: DatasetProfile = {
      format: this.settings.format,
      bytes: this.bytes,
      rows: this.rows,
      malformedRows: this.malformedRows,
      recordShape,
      offShapeRows: this.rows - (dominant?.rows ?? 0),
      offShapeExamples: offShape.map((position) => lineOf(position)),
      ...(multiFile ? { offShapeFiles: offShape.map((position) => this.fileOf(position)) } : {}),
      duplicateRows: duplicates.rows,
      duplicateExamples: duplicates.examples.map(([position, first]) => ({
        line: lineOf(position),
        firstLine: lineOf(first),
        ...(multiFile ? { file: this.fileOf(position), firstFile: this.fileOf(first) } : {}),
      })),
      fields,
      ...(chars === undefined ? {} : { chars }),
      ...(tokens === undefined ? {} : { tokens }),
      totalTokens,
      ...(multiFile ? { files: this.files.map((file) => ({ ...file })) } : {}),
      ...(this.fingerprints.level > 0 ? { duplicatesEstimated: true } : {}),
    };
    if (this.rows === 0) return profile;
    profile.recordFormat = this.finishFormats(ref);
    if (this.settings.tokenizer !== '') {
      profile.tokenizer = {
        name: this.settings.tokenizer,
        estimated: estimatedTokens || this.tokens.coarse,
        sampledRows: this.tokenizedRows,
      };
      profile.tokensOver = COMMON_SEQUENCE_LENGTHS.map((length) => ({ length, rows: this.rowsOver(length) }));
    }
    profile.nearDuplicates = this.finishNearDuplicates(ref);
    profile.conflicts = this.finishConflicts(ref);
    if (this.labels.size > 0) {
      profile.labels = {
        classes: [...this.labels]
          .sort(([a, x], [b, y]) => y - x || compareText(a, b))
          .map(([label, rows]) => ({ label, rows })),
        otherRows: this.labelOtherRows,
      };
    }
    const outputs = this.outputs;
    profile.outputs = {
      empty: outputs.empty,
      placeholder: outputs.placeholder,
      placeholderInputs: outputs.placeholderInputs,
      examples: outputs.examples.map((e) => ({ kind: e.kind, row: ref(e.position), value: e.value })),
      templateRows: outputs.templateRows,
      templates: [...outputs.templates]
        .sort(([a, x], [b, y]) => y.rows - x.rows || compareText(a, b))
        .map(([name, tally]) => ({ name, rows: tally.rows, example: ref(tally.position) })),
    };
    return profile;
  }

  /**
   * Rows longer than `length` tokens; scaled from the tokenised sample when tokens were sampled, so an
   * estimate then (`tokenizer.estimated`).
   */
  rowsOver(length: number): number {
    const over = this.tokens.countAbove(length);
    if (this.settings.tokenRate >= 1 || this.tokenizedRows === 0) return over;
    return Math.round((over / this.tokenizedRows) * this.rows);
  }

  /** The file and line of a position. */
  rowRef(position: number): RowRef {
    const line = lineOf(position);
    return this.files.length > 1 ? { line, file: this.fileOf(position) } : { line };
  }

  private fileOf(position: number): string {
    return this.files[Math.floor(position / TWO_POW_32)]?.path ?? '';
  }

  private finishDuplicates(): { rows: number; examples: [number, number][] } {
    const table = this.fingerprints;
    const [first, second, count] = table.columns as [Float64Array, Float64Array, Uint32Array];
    let rows = 0;
    const examples: [number, number][] = [];
    table.forEachSlot((slot) => {
      rows += (count[slot] as number) - 1;
      const position = second[slot] as number;
      if (position !== 0) examples.push([position, first[slot] as number]);
    });
    examples.sort((a, b) => a[0] - b[0]);
    return { rows: rows * 2 ** table.level, examples: examples.slice(0, MAX_EXAMPLES) };
  }

  private finishFormats(ref: (position: number) => RowRef): DatasetProfile['recordFormat'] {
    const formats = [...this.formats].sort(
      ([a, x], [b, y]) => y.rows - x.rows || RECORD_FORMATS.indexOf(a) - RECORD_FORMATS.indexOf(b),
    );
    const [format, tally] = formats[0] as [RecordFormat, FormatTally];
    return {
      format,
      rows: tally.rows,
      formats: formats.map(([name, { rows }]) => ({ format: name, rows })),
      errors: [...tally.errors]
        .sort(([a, x], [b, y]) => y.rows - x.rows || compareText(a, b))
        .map(([kind, error]) => ({ kind, rows: error.rows, examples: error.positions.map(ref) })),
    };
  }

  private finishNearDuplicates(ref: (position: number) => RowRef): DatasetProfile['nearDuplicates'] {
    const { positions, keys, signatures, shingleEnds, full } = this.nearRows;
    const shingles = Uint32Array.from(this.nearRows.shingles);
    const setOf = (row: number): Uint32Array =>
      shingles.subarray(row === 0 ? 0 : shingleEnds[row - 1], shingleEnds[row]);
    const similarity = (earlier: number, row: number): number => {
      const a = setOf(earlier);
      const b = setOf(row);
      // Small sets are compared exactly; a large one with a small one cannot reach the threshold.
      if (a.length > 0 && b.length > 0) return computeJaccard(a, b);
      if (a.length > 0 || b.length > 0) return 0;
      return estimateSimilarity(signatures, earlier * SIGNATURE_SIZE, row * SIGNATURE_SIZE);
    };
    const bands = this.banding.bands;
    const threshold = this.settings.nearDuplicateThreshold;
    // The first rows of each band key (up to BUCKET_ROWS); a row is a near-duplicate when one of them
    // came before it and is similar at the threshold. Decided here, in row order, from the kept rows
    // only, so a merge of shards decides exactly as one pass. One band at a time: each band's buckets
    // are independent of the others', and one band's table is a ninth of all of them.
    const match = new Int32Array(positions.length).fill(-1);
    // One table for every band, sized once and emptied between bands.
    const buckets = new SampledHashTable(['u32', 'u32', 'u32', 'u32', 'u32'], Number.MAX_SAFE_INTEGER);
    buckets.reserve(positions.length);
    for (let band = 0; band < bands; band += 1) {
      if (band > 0) buckets.clear();
      for (let row = 0; row < positions.length; row += 1) {
        const slot = buckets.upsert(keys[row * bands + band] as number);
        const columns = buckets.columns as Uint32Array[];
        const size = (columns[0] as Uint32Array)[slot] as number;
        for (let member = 0; member < size && match[row] === -1; member += 1) {
          const earlier = (columns[member + 1] as Uint32Array)[slot] as number;
          if (similarity(earlier, row) >= threshold) match[row] = earlier;
        }
        if (size < BUCKET_ROWS) {
          (columns[size + 1] as Uint32Array)[slot] = row;
          (columns[0] as Uint32Array)[slot] = size + 1;
        }
      }
    }
    let sampled = 0;
    const examples: [number, number][] = [];
    match.forEach((earlier, row) => {
      if (earlier === -1) return;
      sampled += 1;
      if (examples.length < MAX_EXAMPLES)
        examples.push([positions[row] as number, positions[earlier] as number]);
    });
    const rate = this.settings.nearDuplicateRate;
    // A pair is seen when both its rows were sampled: scale by the square of the rate.
    const rows = rate >= 1 ? sampled : Math.min(this.rows, Math.round(sampled / (rate * rate)));
    return {
      rows,
      threshold,
      estimated: rate < 1 || full,
      examples: examples.map(([row, similar]) => ({ row: ref(row), similarTo: ref(similar) })),
    };
  }

  private finishConflicts(ref: (position: number) => RowRef): DatasetProfile['conflicts'] {
    const table = this.conflicts;
    const [first, other, , , count] = table.columns as [
      Float64Array,
      Float64Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    let inputs = 0;
    let rows = 0;
    const examples: [number, number][] = [];
    table.forEachSlot((slot) => {
      if (other[slot] === 0) return;
      inputs += 1;
      rows += count[slot] as number;
      examples.push([other[slot] as number, first[slot] as number]);
    });
    examples.sort((a, b) => a[0] - b[0]);
    const scale = 2 ** table.level;
    return {
      inputs: inputs * scale,
      rows: rows * scale,
      estimated: table.level > 0,
      examples: examples.slice(0, MAX_EXAMPLES).map(([row, previous]) => ({
        row: ref(row),
        conflictsWith: ref(previous),
      })),
    };
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
      shapes: sortedEntries(this.shapes),
      fields: sortedEntries(this.fields),
      objectRows: this.objectRows,
      chars: this.chars.toState(),
      tokens: this.tokens.toState(),
      tokenizedRows: this.tokenizedRows,
      tokenizedChars: this.tokenizedChars,
      fingerprints: this.fingerprints.toState(),
      formats: [...this.formats]
        .sort(([a], [b]) => RECORD_FORMATS.indexOf(a) - RECORD_FORMATS.indexOf(b))
        .map(([format, tally]) => [format, { rows: tally.rows, errors: sortedEntries(tally.errors) }]),
      labels: sortedEntries(this.labels),
      labelOtherRows: this.labelOtherRows,
      outputs: {
        empty: this.outputs.empty,
        placeholder: this.outputs.placeholder,
        placeholderInputs: this.outputs.placeholderInputs,
        examples: this.outputs.examples,
        templateRows: this.outputs.templateRows,
        templates: sortedEntries(this.outputs.templates),
      },
      conflicts: this.conflicts.toState(),
      nearRows: {
        positions: this.nearRows.positions,
        keys: this.nearRows.keys.slice(0, this.nearRows.positions.length * this.banding.bands),
        signatures: this.nearRows.signatures.slice(0, this.nearRows.positions.length * SIGNATURE_SIZE),
        shingleEnds: this.nearRows.shingleEnds,
        shingles: this.nearRows.shingles,
        full: this.nearRows.full,
      },
      ngrams: this.ngrams.bits.slice(),
      rowNgrams: this.rowNgrams,
    };
  }

  /** Restores a profiler from `toState`'s data; it can merge and finish, and count tokens only if given a counter. */
  static fromState(
    state: ProfileState,
    tokenCounter?: TokenCounter,
    { tables = true }: { tables?: boolean } = {},
  ): DatasetProfiler {
    if (state.version !== 1)
      throw new ProfileStateError(`unknown profile state version ${String(state.version)}`);
    const settings = state.settings;
    const profiler = new DatasetProfiler({
      format: settings.format,
      nearDuplicateThreshold: settings.nearDuplicateThreshold,
      files: state.files.map((file) => file.path),
      ...(tokenCounter ? { tokenCounter } : {}),
    });
    Object.assign(profiler, {
      settings: { ...settings },
      files: state.files.map((file) => ({ ...file })),
      bytes: state.bytes,
      rows: state.rows,
      malformedRows: state.malformedRows,
      problems: [...state.problems],
      shapes: new Map(
        state.shapes.map(([key, tally]) => [key, { ...tally, positions: [...tally.positions] }]),
      ),
      fields: new Map(state.fields.map(([key, field]) => [key, { ...field }])),
      objectRows: state.objectRows,
      chars: CountHistogram.fromState(state.chars),
      tokens: CountHistogram.fromState(state.tokens),
      tokenizedRows: state.tokenizedRows,
      tokenizedChars: state.tokenizedChars,
      ...(tables
        ? {
            fingerprints: SampledHashTable.fromState(
              state.fingerprints,
              ['f64', 'f64', 'u32'],
              FINGERPRINT_CAPACITY,
            ),
            conflicts: SampledHashTable.fromState(
              state.conflicts,
              ['f64', 'f64', 'u32', 'u32', 'u32'],
              CONFLICT_CAPACITY,
            ),
          }
        : {}),
      formats: new Map(
        state.formats.map(([format, tally]) => [
          format,
          {
            rows: tally.rows,
            errors: new Map(tally.errors.map(([kind, t]) => [kind, { ...t, positions: [...t.positions] }])),
          },
        ]),
      ),
      labels: new Map(state.labels),
      labelOtherRows: state.labelOtherRows,
      outputs: {
        ...state.outputs,
        examples: [...state.outputs.examples],
        templates: new Map(state.outputs.templates.map(([name, tally]) => [name, { ...tally }])),
      },
      nearRows: {
        positions: [...state.nearRows.positions],
        keys: state.nearRows.keys.slice(),
        signatures: state.nearRows.signatures.slice(),
        shingleEnds: [...state.nearRows.shingleEnds],
        shingles: [...state.nearRows.shingles],
        full: state.nearRows.full,
      },
      ngrams: new BloomFilter(settings.ngramBits, state.ngrams.slice()),
      rowNgrams: {
        positions: [...state.rowNgrams.positions],
        ends: [...state.rowNgrams.ends],
        hashes: [...state.rowNgrams.hashes],
        full: state.rowNgrams.full,
      },
    });
    return profiler;
  }
}

/** The line of a position (positions are `file index × 2^32 + line`). */
function lineOf(position: number): number {
  return position % TWO_POW_32;
}

function nearRowsOf(
  list: NearDuplicateRows,
  bands: number,
): { position: number; keys: Float64Array; signature: Uint8Array; shingles: number[] }[] {
  return list.positions.map((position, index) => ({
    position,
    keys: list.keys.subarray(index * bands, (index + 1) * bands),
    signature: list.signatures.subarray(index * SIGNATURE_SIZE, (index + 1) * SIGNATURE_SIZE),
    shingles: list.shingles.slice(index === 0 ? 0 : list.shingleEnds[index - 1], list.shingleEnds[index]),
  }));
}

function growFloat64(array: Float64Array, length: number): Float64Array {
  const bigger = new Float64Array(length);
  bigger.set(array);
  return bigger;
}

function growBytes(array: Uint8Array, length: number): Uint8Array {
  const bigger = new Uint8Array(length);
  bigger.set(array);
  return bigger;
}

function rowsOf(list: DatasetProfiler['rowNgrams']): { position: number; hashes: number[] }[] {
  return list.positions.map((position, index) => ({
    position,
    hashes: list.hashes.slice(index === 0 ? 0 : list.ends[index - 1], list.ends[index]),
  }));
}

function sortedEntries<K extends string, V>(map: Map<K, V>): [K, V][] {
  return [...map].sort(([a], [b]) => compareText(a, b));
}

function cloneTallies<K>(tallies: Map<K, Tally>): Map<K, Tally> {
  return new Map(
    [...tallies].map(([key, tally]) => [key, { rows: tally.rows, positions: [...tally.positions] }]),
  );
}

function mergeTallies<K>(into: Map<K, Tally>, from: Map<K, Tally>): void {
  for (const [key, tally] of from) {
    const mine = into.get(key);
    if (mine === undefined) into.set(key, { rows: tally.rows, positions: [...tally.positions] });
    else {
      mine.rows += tally.rows;
      mine.positions = [...mine.positions, ...tally.positions].sort((a, b) => a - b).slice(0, MAX_EXAMPLES);
    }
  }
}

type SlotMerge = (
  into: SampledHashTable,
  slot: number,
  isNew: boolean,
  from: ReadableTable,
  fromSlot: number,
) => void;

/** Adds every key of `from` to `into` at the higher of their sampling levels, combining values with `combine`. */
/** What merging reads of a table: a `SampledHashTable`, or a table's state read in place (`readTableState`). */
type ReadableTable = Pick<
  SampledHashTable,
  'keys' | 'columns' | 'level' | 'overflowed' | 'size' | 'forEachSlot'
>;

/** A table's state as the `from` side of a merge, without rebuilding a hash table from it. */
function readTableState(state: HashTableState): ReadableTable {
  return {
    keys: state.keys,
    columns: state.columns,
    level: state.level,
    overflowed: state.overflowed,
    size: state.keys.length,
    forEachSlot: (visit) => {
      for (let slot = 0; slot < state.keys.length; slot += 1) visit(slot);
    },
  };
}

function mergeTables(into: SampledHashTable, from: ReadableTable, combine: SlotMerge): void {
  into.setLevel(from.level);
  into.overflowed ||= from.overflowed;
  // One resize for all the keys to come, instead of growing through copies.
  into.reserve(into.size + from.size);
  from.forEachSlot((fromSlot) => {
    const slot = into.upsert(from.keys[fromSlot] as number);
    if (slot === -1) return;
    const isNew = into.isNew;
    if (isNew) {
      into.columns.forEach((column, c) => {
        column[slot] = (from.columns[c] as Float64Array | Uint32Array)[fromSlot] as number;
      });
    } else combine(into, slot, isNew, from, fromSlot);
  });
}

/** Keeps the two smallest positions (0 is none) with their companion values. */
function twoSmallest(candidates: [number, number][]): [[number, number], [number, number]] {
  const present = candidates.filter(([position]) => position !== 0).sort((a, b) => a[0] - b[0]);
  return [present[0] ?? [0, 0], present[1] ?? [0, 0]];
}

function mergeFingerprintSlot(
  into: SampledHashTable,
  slot: number,
  _isNew: boolean,
  from: ReadableTable,
  fromSlot: number,
): void {
  const [first, second, count] = into.columns as [Float64Array, Float64Array, Uint32Array];
  const [fromFirst, fromSecond, fromCount] = from.columns as [Float64Array, Float64Array, Uint32Array];
  const [a, b] = twoSmallest([
    [first[slot] as number, 0],
    [second[slot] as number, 0],
    [fromFirst[fromSlot] as number, 0],
    [fromSecond[fromSlot] as number, 0],
  ]);
  first[slot] = a[0];
  second[slot] = b[0];
  count[slot] = (count[slot] as number) + (fromCount[fromSlot] as number);
}

function mergeConflictSlot(
  into: SampledHashTable,
  slot: number,
  _isNew: boolean,
  from: ReadableTable,
  fromSlot: number,
): void {
  const [first, other, output, otherOutput, count] = into.columns as [
    Float64Array,
    Float64Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  const [fFirst, fOther, fOutput, fOtherOutput, fCount] = from.columns as [
    Float64Array,
    Float64Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  count[slot] = (count[slot] as number) + (fCount[fromSlot] as number);
  // The earlier side's first output stays first; the other output is the earliest row, on either side,
  // whose output differs from it.
  const mineFirst = (first[slot] as number) <= (fFirst[fromSlot] as number);
  const entries: [number, number, number, number] = mineFirst
    ? [first[slot] as number, output[slot] as number, other[slot] as number, otherOutput[slot] as number]
    : [
        fFirst[fromSlot] as number,
        fOutput[fromSlot] as number,
        fOther[fromSlot] as number,
        fOtherOutput[fromSlot] as number,
      ];
  const later: [number, number, number, number] = mineFirst
    ? [
        fFirst[fromSlot] as number,
        fOutput[fromSlot] as number,
        fOther[fromSlot] as number,
        fOtherOutput[fromSlot] as number,
      ]
    : [first[slot] as number, output[slot] as number, other[slot] as number, otherOutput[slot] as number];
  const [firstPosition, firstOutput, ownOther, ownOtherOutput] = entries;
  const candidates: [number, number][] = [];
  if (ownOther !== 0) candidates.push([ownOther, ownOtherOutput]);
  if (later[1] !== firstOutput) candidates.push([later[0], later[1]]);
  else if (later[2] !== 0) candidates.push([later[2], later[3]]);
  candidates.sort((a, b) => a[0] - b[0]);
  first[slot] = firstPosition;
  output[slot] = firstOutput;
  other[slot] = candidates[0]?.[0] ?? 0;
  otherOutput[slot] = candidates[0]?.[1] ?? 0;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object's sorted key set joined by `,` (`{}` when it has none), else the value's kind. */
function computeShape(record: unknown): string {
  if (isPlainObject(record)) {
    const keys = Object.keys(record);
    return keys.length === 0 ? '{}' : keys.sort(compareText).join(',');
  }
  if (Array.isArray(record)) return 'array';
  if (record === null) return 'null';
  return typeof record;
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return !/\S/.test(value);
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) {
    for (const _ in value) return false;
    return true;
  }
  return false;
}

/**
 * Empty itself, or a chat list (OpenAI `messages` with `content`, ShareGPT `conversations` with `value`)
 * holding a turn whose text is empty. An assistant turn that carries a tool call instead of text is not empty.
 */
function isEmptyField(value: unknown): boolean {
  if (isEmptyValue(value)) return true;
  if (!Array.isArray(value)) return false;
  for (const turn of value) {
    if (!isPlainObject(turn) || 'tool_calls' in turn || 'function_call' in turn) continue;
    if (
      ('content' in turn && isEmptyValue(turn['content'])) ||
      ('value' in turn && isEmptyValue(turn['value']))
    )
      return true;
  }
  return false;
}
