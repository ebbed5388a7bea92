import { gzipSync } from 'node:zlib';
import type { Report } from '../../src/model/report-schema.js';
import { alpacaRows, lmEvalResults, SFT_YAML, TRAIN_ROWS } from './base-project.js';
import type { Files } from './git-pair.js';
import { named, readFine, reviewedAs, saidOnce, type Handling } from './judge.js';

/** One bad input a pull request can bring, and what handling it well means. */
export interface BadInput {
  name: string;
  /** Files added to the base project on base (a config, a file the head then changes). */
  base?: Files;
  head: Files;
  /** Handled well only by refusing to run (exit 2) with a message matching this. */
  refuses?: RegExp;
  judge: (report: Report) => Handling;
}

const rows = (count: number, seed: number): string => `${alpacaRows(count, seed).join('\n')}\n`;
const train = rows(TRAIN_ROWS, 1);
const withLine = (text: string, at: number, line: string): string => {
  const lines = text.split('\n');
  lines.splice(at - 1, 0, line);
  return lines.join('\n');
};
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const aliasBomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, index) => {
    const previous = 'abcdefgh'[index] ?? 'a';
    return `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`;
  }),
  '',
].join('\n');
const trainerState = (history: object[]): string =>
  JSON.stringify({ global_step: 100, epoch: 1, log_history: history }, null, 2);
const SAMPLE = (id: number): string =>
  JSON.stringify({ doc_id: id, doc_hash: `h${id}`, target: 'a', acc: id % 2 });
const csv = (header: string, count: number): string =>
  `${header}\n${Array.from({ length: count }, (_, i) => `row number ${i} of the set,${i % 2}`).join('\n')}\n`;

/** Every bad input, each a pull request of its own on the base project. */
export const BAD_INPUTS: BadInput[] = [
  {
    name: 'JSON results with a syntax error',
    head: { 'results/results.json': '{"results": {"arc_easy": {"acc,none": 0.5,}\n' },
    judge: named('results/results.json', /./, true),
  },
  {
    name: 'YAML hyperparameters that do not parse',
    head: { 'configs/sft.yaml': SFT_YAML.replace('num_train_epochs: 3', 'num_train_epochs: 3: oops') },
    judge: named('configs/sft.yaml', /./, true),
  },
  {
    name: 'TOML config that does not parse',
    head: { 'configs/train_config.toml': 'learning_rate = 0.0002\nepochs = [3\n' },
    judge: named('configs/train_config.toml', /./, true),
  },
  {
    name: 'JSONL with a malformed line 57',
    head: { 'data/train.jsonl': withLine(train, 57, '{"instruction": "an unterminated row') },
    judge: named('data/train.jsonl', /malformed|JSON|parse/i, true),
  },
  {
    name: 'CSV with an unbalanced quote',
    head: { 'data/extra.csv': 'text,label\n"an open quote,1\nplain,0\n' },
    judge: named('data/extra.csv', /quote|CSV|pars/i, true),
  },
  {
    name: 'Parquet that is not Parquet',
    head: { 'data/extra.parquet': Buffer.from('PAR1 this is not a parquet file at all PAR1') },
    judge: named('data/extra.parquet', /parquet|read/i, false),
  },
  {
    name: 'JSONL starting with a byte-order mark',
    head: { 'data/train.jsonl': `\ufeff${train}` },
    judge: readFine('data/train.jsonl', TRAIN_ROWS),
  },
  {
    name: 'JSONL with Windows line ends',
    head: { 'data/train.jsonl': train.replace(/\n/g, '\r\n') },
    judge: readFine('data/train.jsonl', TRAIN_ROWS),
  },
  {
    name: 'JSONL in UTF-16',
    head: { 'data/train.jsonl': Buffer.from(`\ufeff${train}`, 'utf16le') },
    judge: named('data/train.jsonl', /UTF-16|encod/i, false),
  },
  {
    name: 'JSONL with a NUL byte in line 3',
    head: { 'data/extra.jsonl': `${rows(2, 3)}{"instruction": "a\u0000b", "output": "c"}\n` },
    judge: named('data/extra.jsonl', /./, true),
  },
  {
    name: 'gzip-compressed data under a .jsonl name',
    head: { 'data/extra.jsonl': gzipSync(rows(50, 4)) },
    judge: named('data/extra.jsonl', /compress|gzip/i, false),
  },
  {
    name: 'a symbolic link where a dataset was expected',
    head: { 'data/extra.jsonl': { symlink: '../../../../etc/passwd' } },
    judge: named('data/extra.jsonl', /link/i, false),
  },
  {
    name: 'a submodule under data/',
    head: { 'data/vendor': { gitlink: 'a'.repeat(40) } },
    judge: named('data/vendor', /submodule/i, false),
  },
  {
    name: 'a 40 MB line in a JSONL dataset',
    head: {
      'data/extra.jsonl': `${rows(3, 5)}${JSON.stringify({ instruction: 'x '.repeat(20_000_000), output: 'y' })}\n`,
    },
    judge: named('data/extra.jsonl', /long|large|size|line/i, false),
  },
  {
    name: 'JSON results nested 100,000 deep',
    head: { 'results/deep.json': nested(100_000) },
    judge: named('results/deep.json', /nest|deep/i, false),
  },
  {
    name: 'a JSONL row nested 100,000 deep',
    head: { 'data/extra.jsonl': `${rows(3, 6)}${nested(100_000)}\n` },
    judge: named('data/extra.jsonl', /nest|deep/i, true),
  },
  {
    name: 'a dataset whose name holds a line break',
    head: { 'data/bad\nname.jsonl': `${rows(3, 7)}{"broken\n` },
    judge: named('data/bad\nname.jsonl', /./, true),
  },
  {
    name: 'a folder whose name holds terminal escapes',
    head: { 'data/\u001b[31mred/extra.jsonl': `${rows(3, 8)}{"broken\n` },
    judge: named('data/\u001b[31mred/extra.jsonl', /./, true),
  },
  {
    name: 'a 4,000-character path',
    head: { [`data/${`${'d'.repeat(195)}/`.repeat(20)}extra.jsonl`]: `${rows(3, 9)}{"broken\n` },
    judge: named(`data/${`${'d'.repeat(195)}/`.repeat(20)}extra.jsonl`, /not analysed|too long/i, false),
  },
  {
    name: 'an upper-case extension (TRAIN.JSONL)',
    head: { 'data/EXTRA.JSONL': rows(40, 10) },
    judge: reviewedAs('data/EXTRA.JSONL', 'dataset'),
  },
  {
    name: 'upper-case results (Results.JSON), regressed',
    base: { 'results/Results.JSON': lmEvalResults('hellaswag', 0.6) },
    head: { 'results/Results.JSON': lmEvalResults('hellaswag', 0.3) },
    judge: reviewedAs('results/Results.JSON', 'metrics', 'eval-regression'),
  },
  {
    name: 'a config under a broad dataset glob, learning rate ×10',
    base: {
      '.github/tuneguard.yml': "datasets:\n  - { path: 'data/**', split: train }\n",
      'data/train_config.yaml': SFT_YAML,
    },
    head: { 'data/train_config.yaml': SFT_YAML.replace('0.0002', '0.002') },
    judge: reviewedAs('data/train_config.yaml', 'params', 'params-risky-change'),
  },
  {
    name: 'a 1 KB YAML metrics file of nested aliases',
    head: { 'results/metrics.yaml': aliasBomb },
    judge: named('results/metrics.yaml', /alias/i, false),
  },
  {
    name: 'a billion-laughs config on base',
    base: { '.github/tuneguard.yml': aliasBomb },
    head: { 'data/train.jsonl': rows(TRAIN_ROWS, 11) },
    refuses: /alias/i,
    judge: () => 'lost',
  },
  {
    name: 'an emptied train split',
    head: { 'data/train.jsonl': '' },
    judge: named('data/train.jsonl', /shrank|empty|0 rows|deleted/i, false),
  },
  {
    name: 'CSV with a duplicate header',
    head: { 'data/extra.csv': csv('text,text', 30) },
    judge: named('data/extra.csv', /duplicate|header|column/i, true),
  },
  {
    name: 'CSV with an empty header',
    head: { 'data/extra.csv': csv('text,', 30) },
    judge: named('data/extra.csv', /empty|header|column/i, true),
  },
  {
    name: 'CSV in Latin-1',
    head: {
      'data/extra.csv': Buffer.concat([
        Buffer.from('text,label\ncaf'),
        Buffer.from([0xe9]),
        Buffer.from(',1\n'),
      ]),
    },
    judge: named('data/extra.csv', /UTF-8|encod/i, true),
  },
  {
    name: 'lm-eval results whose task is not an object',
    head: {
      'results/results.json': lmEvalResults('arc_easy', 0.7).replace(
        /"arc_easy": \{[^}]*\}/,
        '"arc_easy": 5',
      ),
    },
    judge: named('results/results.json', /arc_easy|object|section/i, false),
  },
  {
    name: 'a negative standard error',
    head: {
      'results/results.json': lmEvalResults('arc_easy', 0.7).replace(
        '"acc_stderr,none": 0.01',
        '"acc_stderr,none": -0.01',
      ),
    },
    judge: named('results/results.json', /stderr|standard error|negative/i, false),
  },
  {
    name: 'a NaN accuracy',
    head: {
      'results/results.json': lmEvalResults('arc_easy', 0.7).replace('"acc,none": 0.7', '"acc,none": NaN'),
    },
    judge: named('results/results.json', /NaN|not a number|finite/i, false),
  },
  {
    name: 'results with a duplicate key',
    head: {
      'results/results.json': lmEvalResults('arc_easy', 0.7).replace(
        '"acc,none": 0.7',
        '"acc,none": 0.7, "acc,none": 0.2',
      ),
    },
    judge: named('results/results.json', /duplicate|twice/i, true),
  },
  {
    name: 'results that are a JSON array',
    head: { 'results/list.json': '[1, 2, 3]\n' },
    judge: named('results/list.json', /layout|format|know|recogni/i, false),
  },
  {
    name: 'random bytes under a .json name',
    head: { 'results/blob.json': Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256)) },
    judge: named('results/blob.json', /UTF-8|binary|read|JSON/i, false),
  },
  {
    name: 'a per-item eval log with a broken line',
    base: {
      'results/samples_arc_easy_2025-01-01T00-00-00.jsonl': `${[1, 2, 3, 4].map(SAMPLE).join('\n')}\n`,
    },
    head: {
      'results/samples_arc_easy_2025-01-01T00-00-00.jsonl': `${[1, 2].map(SAMPLE).join('\n')}\n{"doc_id": 3,\n${SAMPLE(4)}\n`,
    },
    judge: named('results/samples_arc_easy_2025-01-01T00-00-00.jsonl', /./, true),
  },
  {
    name: 'trainer_state entries logged without a step',
    head: {
      'outputs/trainer_state.json': trainerState(
        Array.from({ length: 10 }, (_, i) => ({ loss: 1 - i / 20, epoch: i / 10 })),
      ),
    },
    judge: saidOnce('outputs/trainer_state.json', /step/i, 1),
  },
  {
    name: 'an infinite training loss',
    head: {
      'outputs/trainer_state.json': trainerState(
        Array.from({ length: 10 }, (_, i) => ({
          step: (i + 1) * 10,
          loss: i === 9 ? 'Infinity' : 1 - i / 20,
        })),
      ).replace('"Infinity"', 'Infinity'),
    },
    judge: named('outputs/trainer_state.json', /infinit|NaN|diverg/i, false),
  },
  {
    name: 'a dataset in Git LFS without its content',
    head: {
      'data/big.jsonl': `version https://git-lfs.github.com/spec/v1\noid sha256:${'ab'.repeat(32)}\nsize 123456789\n`,
    },
    judge: named('data/big.jsonl', /LFS|pointer/i, false),
  },
];
