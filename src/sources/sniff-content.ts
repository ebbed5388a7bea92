import { visitJson } from '../loaders/visit-json.js';
import { parseYamlDocument } from '../loaders/parse-yaml.js';
import { isTrainingSummaryMetric } from '../model/training-summary.js';
import type { Prefix } from './read-prefix.js';

/** What the start of a JSON document shows of its structure. */
export interface JsonOutline {
  root: 'object' | 'array' | 'scalar' | undefined;
  /** The keys of the top-level object, in order. */
  keys: string[];
  /** Top-level keys whose value is an object holding objects (lm-eval's `results`: task → metrics). */
  nested: Set<string>;
  /** The names of the properties whose value is a number or a numeric string, at any depth. */
  numbers: string[];
  /** Whether the text is one JSON value without a syntax error (a prefix cut short is not). */
  valid: boolean;
}

const NUMERIC_STRING = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i;

/**
 * Outlines a JSON document, or the start of one, in one pass without building it: the root's type, the
 * top-level keys, which of them hold objects of objects, and the names of the numbers.
 * @example outlineJson('{"results": {"arc": {"acc": 0.5}}}').nested // Set { 'results' }
 */
export function outlineJson(text: string): JsonOutline {
  const outline: JsonOutline = { root: undefined, keys: [], nested: new Set(), numbers: [], valid: true };
  const begin = (kind: 'object' | 'array', path: () => (string | number)[]): void => {
    const at = path();
    // A root only when the document starts with it: bytes that are not JSON have none.
    if (at.length === 0 && outline.valid) outline.root ??= kind;
    const top = at[0];
    if (kind === 'object' && at.length === 2 && typeof top === 'string') outline.nested.add(top);
  };
  const visited = visitJson(
    text,
    {
      onObjectBegin: (_offset, _length, _line, _column, path) => begin('object', path),
      onArrayBegin: (_offset, _length, _line, _column, path) => begin('array', path),
      onObjectProperty: (name, _offset, _length, _line, _column, path) => {
        if (path().length === 0) outline.keys.push(name);
      },
      onLiteralValue: (value: unknown, _offset, _length, _line, _column, path) => {
        const at = path();
        if (at.length === 0 && outline.valid) outline.root ??= 'scalar';
        const name = at.at(-1);
        const numeric =
          typeof value === 'number' || (typeof value === 'string' && NUMERIC_STRING.test(value));
        if (numeric && typeof name === 'string') outline.numbers.push(name);
      },
      onError: () => {
        outline.valid = false;
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  // Nested too deeply to walk: no layout of ours nests so far.
  if (!visited) outline.valid = false;
  return outline;
}

/**
 * Whether a `.json` file's start is JSON Lines: its first line is one whole JSON object and another
 * object starts on a later line (Hugging Face `datasets` loads such a file as JSON Lines whatever its name).
 * @example isJsonLines('{"a": 1}\n{"a": 2}\n') // true
 * @example isJsonLines('{\n  "a": 1\n}\n') // false
 */
export function isJsonLines(text: string): boolean {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const [first, second] = lines;
  if (first === undefined || second === undefined || !second.trimStart().startsWith('{')) return false;
  try {
    const record = JSON.parse(first) as unknown;
    return typeof record === 'object' && record !== null && !Array.isArray(record);
  } catch {
    return false;
  }
}

/** Top-level keys of an lm-evaluation-harness results file besides `results`, in its current and legacy layouts. */
const LM_EVAL_KEYS = [
  'versions',
  'config',
  'n-shot',
  'configs',
  'group_subtasks',
  'higher_is_better',
  'n-samples',
  // lighteval's tracker writes the same `results` beside these.
  'config_general',
  'summary_tasks',
];

/**
 * Whether a JSON outline is lm-evaluation-harness results, whatever the file is called: a top-level
 * `results` object of task → metric objects beside `versions`, `config`, `n-shot` or `configs`.
 */
export function isLmEvalResults(outline: JsonOutline): boolean {
  return (
    outline.root === 'object' &&
    outline.nested.has('results') &&
    outline.keys.some((key) => LM_EVAL_KEYS.includes(key))
  );
}

/** Keys only files written by `save_pretrained` have: a model's config, its generation config. */
const SAVED_MODEL_KEYS = ['architectures', '_name_or_path', 'transformers_version'];
/** Keys of a tokenizer's or a processor's saved configuration. */
const TOKENIZER_KEYS = [
  'tokenizer_class',
  'added_tokens_decoder',
  'processor_class',
  'image_processor_type',
  'feature_extractor_type',
];

/**
 * Why a file named like a hyperparameter file is not one, from its start; `undefined` when it may be one.
 * Not hyperparameters: what `save_pretrained` writes beside a checkpoint (`config.json` with
 * `architectures`, `generation_config.json`, `tokenizer_config.json`, `special_tokens_map.json`), a W&B run
 * record (`wandb_version`), and a YAML or JSON document that is not a mapping (a list of rules). A PEFT
 * adapter config (`peft_type`: LoRA rank and alpha) is one.
 * @example findNotParamsReason({ text: '- match: {class: Linear}\n', complete: true }, 'rules.yaml') // 'a YAML list, not a mapping of hyperparameters'
 */
export function findNotParamsReason(prefix: Prefix, path: string): string | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) {
    const outline = outlineJson(prefix.text);
    if (outline.root === 'array') return 'a JSON array, not an object of hyperparameters';
    if (outline.root !== 'object' || outline.keys.includes('peft_type')) return undefined;
    const saved = outline.keys.filter((key) => SAVED_MODEL_KEYS.includes(key));
    if (saved.length > 0) return `a saved model's file (${saved.join(', ')}), not training hyperparameters`;
    const tokenizer = outline.keys.filter((key) => TOKENIZER_KEYS.includes(key));
    if (tokenizer.length > 0)
      return `a saved tokenizer's or processor's file (${tokenizer.join(', ')}), not training hyperparameters`;
    const tokens = outline.keys.filter(
      (key) => key.endsWith('_token') || key === 'additional_special_tokens',
    );
    if (tokens.length > 0 && tokens.length === outline.keys.length)
      return `a tokenizer's special tokens (${tokens.slice(0, 3).join(', ')}), not training hyperparameters`;
    return undefined;
  }
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    const { shape, keys } = outlineYaml(prefix.text);
    if (shape === 'list') return 'a YAML list, not a mapping of hyperparameters';
    if (shape === 'scalar') return 'a YAML scalar, not a mapping of hyperparameters';
    const wandb = keys.filter((key) => key === 'wandb_version' || key === '_wandb');
    if (wandb.length > 0) return `a W&B run record (${wandb.join(', ')}), not a training config`;
  }
  return undefined;
}

/**
 * Why a file named like evaluation results is not any, from its content; `undefined` when it may be.
 * Not results: a document that is not an object (a list), one without a single number (a prompt
 * template), and a training run's summary whose every number is training bookkeeping (`train_loss`,
 * `train_runtime`, `epoch`, `total_flos`; see `isTrainingSummaryMetric`). The last two are judged only
 * on a file read whole and valid: a prefix cannot tell that no number follows.
 */
export function findNotResultsReason(prefix: Prefix, path: string): string | undefined {
  const lower = path.toLowerCase();
  let root: JsonOutline['root'];
  let numbers: string[];
  if (lower.endsWith('.json')) {
    const outline = outlineJson(prefix.text);
    if (outline.root === 'array') return 'a JSON array, not an object of metrics';
    if (isLmEvalResults(outline) || !prefix.complete || !outline.valid) return undefined;
    ({ root, numbers } = outline);
  } else if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    const shape = outlineYaml(prefix.text).shape;
    if (shape === 'list') return 'a YAML list, not a mapping of metrics';
    const parsed = prefix.complete ? tryParseYaml(prefix.text) : undefined;
    if (parsed === undefined) return undefined;
    root = shape === 'mapping' ? 'object' : 'scalar';
    numbers = listNumberKeys(parsed);
  } else return undefined;
  if (root !== 'object') return undefined;
  if (numbers.length === 0) return 'holds no number: not evaluation results';
  if (numbers.every(isTrainingSummaryMetric)) {
    const names = [...new Set(numbers)].slice(0, 3).join(', ');
    return `a training run's summary (${names}): no evaluation metric`;
  }
  return undefined;
}

/** The shape of a YAML document's top level, from the first line that holds content, and its top-level keys. */
export function outlineYaml(text: string): {
  shape: 'mapping' | 'list' | 'scalar' | undefined;
  keys: string[];
} {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((line) => !/^\s*(?:#.*)?$/.test(line) && !/^(?:%|---\s*$|---\s+#)/.test(line));
  const keys = lines.flatMap((line) => /^([A-Za-z_][\w.-]*)\s*:(?:\s|$)/.exec(line)?.[1] ?? []);
  if (first === undefined) return { shape: undefined, keys };
  const content = first.replace(/^---\s+/, '').trimStart();
  if (/^-(?:\s|$)/.test(content) || content.startsWith('[')) return { shape: 'list', keys };
  if (/^[{?]/.test(content) || /^(?:"[^"]*"|'[^']*'|[^\s#'"][^#]*?)\s*:(?:\s|$)/.test(content))
    return { shape: 'mapping', keys };
  return { shape: 'scalar', keys };
}

function tryParseYaml(text: string): unknown {
  try {
    return parseYamlDocument(text).doc.toJS() as unknown;
  } catch {
    return undefined;
  }
}

/** The names of the numeric values of a parsed document's mappings (numeric strings included; lists are no metrics). */
function listNumberKeys(value: unknown, name?: string, depth = 0): string[] {
  if (depth > 64) return [];
  if (typeof value === 'number' || (typeof value === 'string' && NUMERIC_STRING.test(value)))
    return name === undefined ? [] : [name];
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return Object.entries(value).flatMap(([key, child]) => listNumberKeys(child, key, depth + 1));
  return [];
}
