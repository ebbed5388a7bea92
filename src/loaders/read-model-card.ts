import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseYamlDocument, type YamlDocument } from './parse-yaml.js';

/** One number a model card states about the model, where it states it. */
export interface CardValue {
  /** The name as the card writes it: `Wer`, `ROUGE-1`, `Validation Loss`. */
  label: string;
  value: number;
  /** Digits after the decimal point as written (`0.7449` has 4): the precision the card claims. */
  decimals: number;
  /** 1-based line in the card. */
  line: number;
  /** Where: the card's `model-index` front matter or a `- Name: value` line, or a `.eval_results` file. */
  from: 'model-index' | 'list' | 'eval-results';
  /** The dataset a `model-index` result names, when it names one; a `.eval_results` entry's `id` and `task_id`. */
  dataset?: CardDataset;
}

/** A `model-index` result's `dataset`: `type` (`ai2_arc`), `config` (`ARC-Challenge`), `args.num_few_shot`. */
export interface CardDataset {
  type?: string;
  name?: string;
  config?: string;
  fewShot?: number;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?(?:\n|$)/;
/** `- Loss: 0.4200`, `* ROUGE-1: 41.49`, `- Eval loss: 1.63` (a number and nothing after it). */
const LIST_VALUE = /^\s*[-*]\s+([A-Za-z][\w .()/-]{0,60}?)\s*:\s*(-?\d+(?:\.(\d+))?)\s*%?\s*$/;
const FENCE = /^\s*(```|~~~)/;
const HEADING = /^#{1,6}\s/;
/** The Trainer's list of what the run was given, not what it achieved (read by `readCardHyperparameters`). */
const HYPERPARAMETERS = /^#{1,6}\s+Training hyperparameters\s*$/i;

/**
 * The numbers a model card (`README.md` of a model folder) states: the `model-index` of its YAML front
 * matter and the `- Name: value` lines of its text (the Trainer's "It achieves the following results on
 * the evaluation set"). Code blocks and the "Training hyperparameters" section (the run's settings, not its
 * results) are skipped. A card whose front matter is not valid YAML still gives its text's numbers.
 * @example readModelCard('- Wer: 0.7449\n')[0] // { label: 'Wer', value: 0.7449, decimals: 4, line: 1, from: 'list' }
 */
export function readModelCard(text: string): CardValue[] {
  const front = FRONT_MATTER.exec(text);
  const values: CardValue[] = front?.[1] === undefined ? [] : readModelIndex(front[1]);
  const lines = text.split('\n');
  const start = front ? front[0].split('\n').length - 1 : 0;
  let fenced = false;
  let settings = false;
  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (FENCE.test(line)) fenced = !fenced;
    if (fenced) continue;
    if (HEADING.test(line)) settings = HYPERPARAMETERS.test(line);
    if (settings) continue;
    const match = LIST_VALUE.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      values.push({
        label: match[1],
        value: Number(match[2]),
        decimals: match[3]?.length ?? 0,
        line: index + 1,
        from: 'list',
      });
    }
  }
  return values;
}

/** The `model-index[].results[].metrics[]` values of a card's front matter (none if it is not YAML). */
function readModelIndex(yaml: string): CardValue[] {
  let document: YamlDocument;
  try {
    document = parseYamlDocument(yaml);
  } catch {
    return [];
  }
  const values: CardValue[] = [];
  const index = document.doc.get('model-index', true);
  for (const model of items(index)) {
    for (const result of items(field(model, 'results'))) {
      for (const metric of items(field(result, 'metrics'))) {
        const value = field(metric, 'value');
        if (!isScalar(value) || typeof value.value !== 'number') continue;
        const label = text(field(metric, 'type')) ?? text(field(metric, 'name'));
        if (label === undefined) continue;
        const dataset = readDataset(field(result, 'dataset'));
        values.push({
          label,
          value: value.value,
          decimals: countDecimals(value.source ?? String(value.value)),
          // The front matter starts on the card's line 2.
          line: (document.lineOf(value) ?? 0) + 1,
          from: 'model-index',
          ...(dataset ? { dataset } : {}),
        });
      }
    }
  }
  return values;
}

/** A result's `dataset` map; undefined when it names no type, name or config. */
function readDataset(node: unknown): CardDataset | undefined {
  const dataset: CardDataset = {};
  for (const key of ['type', 'name', 'config'] as const) {
    const value = text(field(node, key));
    if (value !== undefined) dataset[key] = value;
  }
  const fewShot = field(field(node, 'args'), 'num_few_shot');
  if (isScalar(fewShot) && typeof fewShot.value === 'number') dataset.fewShot = fewShot.value;
  return Object.keys(dataset).length === 0 ? undefined : dataset;
}

/**
 * A Hub `.eval_results/*.yaml` file: a list of `{dataset: {id, task_id}, value}`, named by the dataset
 * (`cais/hle` → `hle`) and its task when it has one, with the dataset as `type` (its `id`) and `config`
 * (its `task_id`). The entry states no metric: the benchmark's own defines it.
 */
export function readEvalResultsYaml(yaml: string): CardValue[] {
  const document = parseYamlDocument(yaml);
  const values: CardValue[] = [];
  for (const entry of items(document.doc.contents ?? undefined)) {
    const value = field(entry, 'value');
    const dataset = field(entry, 'dataset');
    const id = text(field(dataset, 'id'));
    if (!isScalar(value) || typeof value.value !== 'number' || id === undefined) continue;
    const task = text(field(dataset, 'task_id'));
    const name = id.split('/').pop() ?? id;
    values.push({
      label: task === undefined || task === 'default' ? name : `${name} ${task}`,
      value: value.value,
      decimals: countDecimals(value.source ?? String(value.value)),
      line: document.lineOf(value) ?? 1,
      from: 'eval-results',
      dataset: { type: id, ...(task === undefined ? {} : { config: task }) },
    });
  }
  return values;
}

function countDecimals(source: string): number {
  const match = /\.(\d+)(?:[eE]|$)/.exec(source.trim());
  return match?.[1]?.length ?? 0;
}

function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

function field(node: unknown, key: string): unknown {
  return isMap(node) ? node.get(key, true) : undefined;
}

function text(node: unknown): string | undefined {
  if (!isScalar(node as Node)) return undefined;
  const value = (node as { value: unknown }).value;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
