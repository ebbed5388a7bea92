import type { ParamsFile, ParamValue } from './parse-params.js';

/** `### Training hyperparameters` (any heading level from 2 to 4), as the Trainer's card writes it. */
const HEADING = /^#{2,4}\s+Training hyperparameters\s*$/i;
const ANY_HEADING = /^#{1,6}\s/;
const FENCE = /^\s*(```|~~~)/;
/** `- learning_rate: 5e-05`: a key as the Trainer names it, then its value as written. */
const ITEM = /^\s*[-*]\s+([A-Za-z_][\w.]*)\s*:\s*(.*?)\s*$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The "Training hyperparameters" list of a Hugging Face Trainer model card (`README.md`) as a
 * hyperparameter file: each `- name: value` line under that heading, up to the next heading, with its
 * line. Values are read as the card writes them: a number as a number (`5e-05`, `3.0`), anything else
 * (`linear`, `Native AMP`, the optimizer's description) as its text. Lists inside code blocks are
 * skipped. Gives `undefined` when the card has no such heading with at least one item under it.
 * @example readCardHyperparameters('### Training hyperparameters\n\n- learning_rate: 5e-05\n')?.values // Map { 'learning_rate' => 0.00005 }
 */
export function readCardHyperparameters(text: string): ParamsFile | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const values = new Map<string, ParamValue>();
  const lineOf = new Map<string, number>();
  let fenced = false;
  let inList = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (FENCE.test(line)) fenced = !fenced;
    if (fenced) continue;
    if (ANY_HEADING.test(line)) {
      inList = HEADING.test(line);
      continue;
    }
    const match = inList ? ITEM.exec(line) : null;
    if (match?.[1] === undefined || match[2] === undefined || values.has(match[1])) continue;
    values.set(match[1], readValue(match[2]));
    lineOf.set(match[1], index + 1);
  }
  return values.size === 0 ? undefined : { format: 'model-card', values, lines: lineOf };
}

function readValue(text: string): ParamValue {
  return DECIMAL.test(text) ? Number(text) : text;
}
