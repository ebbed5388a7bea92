import type { Finding } from '../model/report-schema.js';
import { detectFileFramework } from '../profile/compute-canonical-params.js';
import { FRAMEWORK_TRAITS } from '../profile/param-vocabulary.js';
import type { CheckContext, ParamsEntry } from './check-context.js';
import { asNotice, createFinding } from './create-finding.js';

/**
 * `params-text-number`: numbers the pull request writes (adds, changes, or rewrites) in a form PyYAML reads as a
 * string, `learning_rate: 1e-5`, in a config whose framework passes PyYAML's values to the trainer as
 * they are. A warning for HF TrainingArguments read with HfArgumentParser; a notice for LLaMA-Factory,
 * whose versions before July 2025 did so and later ones do not. Frameworks that convert the value
 * (Axolotl, TRL, torchtune, verl, MLX-LM) get none: their trainer receives the number.
 */
export function checkTextNumbers(entry: ParamsEntry, context: CheckContext): Finding | undefined {
  const head = entry.head;
  if (!head?.textNumbers) return undefined;
  const traits = FRAMEWORK_TRAITS[detectFileFramework(head)];
  if (traits.yamlNumbers === 'number') return undefined;
  // Written by the pull request: not already this text on base (a rewrite of 2.0e-05 as 2e-05 counts).
  const before = entry.base?.textNumbers;
  const written = [...head.textNumbers].filter(([key, text]) => before?.get(key) !== text);
  const [first] = written;
  if (!first) return undefined;
  const [key, text] = first;
  const path = entry.report.path;
  const line = head.lines.get(key);
  const subject = written.length === 1 ? `${key}: ${text} reaches` : `${written.length} numbers reach`;
  const finding = createFinding('params-text-number', context.config, {
    title: `${subject} ${traits.label} as text in ${path}`,
    details: [
      ...written.map(
        ([name, value]) =>
          `${name}: ${value} is the string "${value}" to PyYAML; write ${toPyYamlFloat(value)}.`,
      ),
      `PyYAML reads YAML 1.1, where a float needs a dot and a signed exponent. ${traits.label}: ${traits.yamlNumbersWhy}.`,
    ],
    location: { path, ...(line !== undefined ? { line } : {}) },
  });
  return traits.yamlNumbers === 'text' ? finding : asNotice(finding);
}

/**
 * The same number in a form PyYAML reads as a float: a dot in the mantissa and a sign on the exponent.
 * @example toPyYamlFloat('1e-5') // '1.0e-5'
 * @example toPyYamlFloat('2E5') // '2.0E+5'
 */
export function toPyYamlFloat(text: string): string {
  const match = /^([-+]?)([0-9_]*)(\.[0-9_]*)?(?:([eE])([-+]?)([0-9]+))?$/.exec(text.trim());
  if (!match) return text;
  const [, sign = '', whole = '', fraction, e, expSign, exponent] = match;
  const mantissa = `${sign}${whole === '' ? '0' : whole}${fraction ?? '.0'}`;
  return e === undefined
    ? mantissa
    : `${mantissa}${e}${expSign === '' || expSign === undefined ? '+' : expSign}${exponent ?? ''}`;
}
