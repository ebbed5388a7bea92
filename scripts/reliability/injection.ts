import { execFileSync } from 'node:child_process';
import { alpacaRows, lmEvalResults, SFT_YAML } from './base-project.js';
import type { Files } from './git-pair.js';

/**
 * Text a pull request's author controls, put where a reviewer reads it. `{n}` is the number of the place
 * the payload is put in, so that whatever comes alive in the bot's words is traced to its place.
 */
export const PAYLOADS = [
  'https://evil{n}.example/x',
  'www.evil{n}.example',
  'mail{n}@evil.example',
  '@evil{n}',
  '#{n}00',
  'GH-{n}00',
  'evil/repo#{n}00',
  '[click](https://evil{n}.example)',
  '![x](https://evil{n}.example/p.png)',
  '<img src="https://evil{n}.example/p.png">',
  '<a href="https://evil{n}.example">x</a>',
  '<script>evil{n}()</script>',
  '<details open>evil{n}',
  '</details>evil{n}',
  '| evil{n} | x |',
  '```evil{n}',
  '<!-- evil{n} -->',
  '[x]: https://evil{n}.example',
  '\u202eevil{n}',
  'evil{n}\n# heading',
  '**evil{n}**',
  'ftp://evil{n}.example',
  '<https://evil{n}.example>',
  'HTTPS://EVIL{n}.EXAMPLE',
  ':+1: evil{n}',
  '${{ evil{n} }}',
  '\\<script>evil{n}',
  '&lt;script&gt;evil{n}',
  'javascript:evil{n}()',
  'org/evil{n}@main',
  'x\u0000evil{n}',
  'evil{n}\ttab',
  'evil{n}\u200b@x',
];

/** A place in a fine-tuning repository where a reviewer reads the author's text. */
interface Place {
  name: string;
  /** The files of base and head that put `text` in this place. */
  files: (text: string) => { base: Files; head: Files };
}

// eslint-disable-next-line no-control-regex -- NUL is the one byte a git path cannot hold
const pathSafe = (text: string): string => text.replace(/[/\u0000]/g, '_').replace(/^\.+/, '_');
const csvField = (text: string): string => `"${text.replace(/"/g, '""')}"`;
const labelled = (labels: string[]): string =>
  `${labels.map((label, i) => JSON.stringify({ text: `a labelled example number ${i}`, label })).join('\n')}\n`;

export const PLACES: Place[] = [
  {
    name: 'file name',
    files: (text) => ({ base: {}, head: { [`data/${pathSafe(text)}.jsonl`]: '{"text": "a"}\n{"broken\n' } }),
  },
  {
    name: 'folder of a training log',
    files: (text) => {
      const path = `outputs/${pathSafe(text)}/trainer_state.json`;
      const log = (last: number): string =>
        JSON.stringify({ log_history: [1, 2, 3].map((i) => ({ step: i * 10, loss: i === 3 ? last : 1 })) });
      return { base: { [path]: log(1) }, head: { [path]: log(Number.NaN).replace('null', 'NaN') } };
    },
  },
  {
    name: 'hyperparameter key',
    files: (text) => ({
      base: { 'configs/extra.yaml': 'learning_rate: 0.0002\n' },
      head: { 'configs/extra.yaml': `learning_rate: 0.0002\n${JSON.stringify(text)}: 1\n` },
    }),
  },
  {
    name: 'hyperparameter value (base model)',
    files: (text) => ({
      base: {},
      head: {
        'configs/sft.yaml': SFT_YAML.replace('base_model: org/model', `base_model: ${JSON.stringify(text)}`),
      },
    }),
  },
  {
    name: 'lm-eval task name',
    files: (text) => ({
      base: { 'results/task.json': lmEvalResults(text, 0.8) },
      head: { 'results/task.json': lmEvalResults(text, 0.4) },
    }),
  },
  {
    name: 'metric name',
    files: (text) => ({
      base: { 'results/metrics.json': JSON.stringify({ [text]: 0.8, accuracy: 0.8 }) },
      head: { 'results/metrics.json': JSON.stringify({ [text]: 0.4, accuracy: 0.4 }) },
    }),
  },
  {
    name: 'CSV column name',
    files: (text) => ({
      base: {},
      head: {
        'data/extra.csv': `text,${csvField(text)}\n${Array.from({ length: 30 }, (_, i) => `row ${i},${i % 3 === 0 ? 'x' : ''}`).join('\n')}\n`,
      },
    }),
  },
  {
    name: 'JSONL field name',
    files: (text) => ({
      base: {},
      head: {
        'data/fields.jsonl': `${Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `row ${i}`, [text]: i % 3 === 0 ? 'x' : '' })).join('\n')}\n`,
      },
    }),
  },
  {
    name: 'class label',
    files: (text) => ({
      base: { 'data/labels.jsonl': labelled(Array.from({ length: 100 }, (_, i) => (i % 2 ? 'pos' : 'neg'))) },
      head: {
        'data/labels.jsonl': labelled(Array.from({ length: 100 }, (_, i) => (i % 5 < 2 ? text : 'pos'))),
      },
    }),
  },
  {
    name: 'eval setting (model_args)',
    files: (text) => ({
      base: { 'results/setting.json': lmEvalResults('piqa', 0.7) },
      head: { 'results/setting.json': lmEvalResults('piqa', 0.7).replace('pretrained=org/model', text) },
    }),
  },
  {
    name: 'broken JSON near the text',
    files: (text) => ({ base: {}, head: { 'results/broken.json': `{"results": ${text}` } }),
  },
  {
    name: 'dataset row (placeholder answer)',
    files: (text) => ({
      base: {},
      head: {
        'data/answers.jsonl': `${[...alpacaRows(40, 21), ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ instruction: `question ${i} ${text}`, input: '', output: '{{answer}}' }))].join('\n')}\n`,
      },
    }),
  },
];

/** One place's files, the payload numbered for it. */
export function payloadAt(payload: string, place: number): string {
  return payload.replaceAll('{n}', String(place + 1));
}

/** The branch name a payload can be, when git accepts it as one. */
export function branchFor(payload: string): string | undefined {
  const name = payloadAt(payload, PLACES.length);
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return name;
  } catch {
    return undefined;
  }
}
