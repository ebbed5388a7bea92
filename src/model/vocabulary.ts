/** The shared words of datasets: file formats, rows, record formats and their errors, files and shard pieces. */

/** The dataset file formats tuneguard reads. */
export const DATASET_FORMATS = ['jsonl', 'json', 'csv', 'tsv', 'parquet'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** One record of a dataset and the 1-based line where it starts. */
export interface DatasetRow {
  line: number;
  record: unknown;
}

/** A row that could not be read: its 1-based line and why, e.g. `invalid JSON: ...` or `not valid UTF-8`. */
export interface RowProblem {
  line: number;
  reason: string;
}

const FORMAT_BY_EXTENSION = new Map<string, DatasetFormat>([
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.parquet', 'parquet'],
]);

/**
 * Tells a dataset's format by its extension, case-insensitively: `.jsonl`/`.ndjson` → `jsonl`,
 * `.json` → `json`, `.csv` → `csv`, `.tsv` → `tsv`, `.parquet` → `parquet`; anything else (no extension
 * included) → `undefined`.
 *
 * @example
 * findDatasetFormat('data/train.ndjson'); // => 'jsonl'
 */
export function findDatasetFormat(path: string): DatasetFormat | undefined {
  const extension = /\.[^./\\]+$/.exec(path)?.[0];
  return extension === undefined ? undefined : FORMAT_BY_EXTENSION.get(extension.toLowerCase());
}

/**
 * The record formats tuneguard recognises:
 * - `openai-chat`: `messages: [{ role, content }]` (OpenAI fine-tuning, TRL, LLaMA-Factory `openai` and v1);
 * - `sharegpt`: `conversations: [{ from, value }]` (FastChat, LLaMA-Factory, Axolotl);
 * - `alpaca`: `instruction`, `input`, `output` (optionally `system`, `history`);
 * - `prompt-completion`: `prompt`, `completion`;
 * - `preference`: `chosen` and `rejected`, with the prompt in `prompt`, `conversations`, `messages`,
 *   `question` or `instruction` (DPO, ORPO, reward modelling);
 * - `classification`: `text` and `label`;
 * - `text`: `text` alone (pre-training style);
 * - `other`: anything else.
 */
export const RECORD_FORMATS = [
  'openai-chat',
  'sharegpt',
  'alpaca',
  'prompt-completion',
  'preference',
  'classification',
  'text',
  'other',
] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** What can be wrong with a record of a known format (each counted once per row). */
export const RECORD_ERROR_KINDS = [
  'not-an-object',
  'turns-not-a-list',
  'no-turns',
  'turn-not-an-object',
  'missing-role',
  'unknown-role',
  'missing-content',
  'empty-content',
  'unknown-turn-key',
  'system-not-first',
  'first-turn-not-user',
  'roles-not-alternating',
  'no-assistant-turn',
  'last-turn-not-assistant',
  'empty-instruction',
  'empty-output',
  'empty-prompt',
  'empty-completion',
  'empty-chosen',
  'empty-rejected',
  'chosen-equals-rejected',
  'empty-text',
  'missing-label',
] as const;
export type RecordErrorKind = (typeof RECORD_ERROR_KINDS)[number];

/** A file of a dataset, with its size. */
export interface DatasetFile {
  path: string;
  bytes: number;
  format: DatasetFormat;
}

/**
 * A byte range of one file of a dataset. A range of a JSONL file holds the lines that start inside it
 * (the reader moves `start` to the next line start, and reads the last line to its end); any other
 * format is only ever taken whole (`start` 0, `end` its size).
 */
export interface ShardPiece {
  /** Index of the file in the dataset's sorted file list. */
  file: number;
  path: string;
  format: DatasetFormat;
  start: number;
  end: number;
}
