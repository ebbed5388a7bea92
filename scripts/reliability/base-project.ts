import type { Files } from './git-pair.js';

/** Words for generated rows: a seeded draw, so rows differ and nothing is a near-duplicate. */
const WORDS = (
  'model data learning rate batch token layer adapter prompt answer question dataset metric loss step ' +
  'epoch train eval split shard sample chat system user assistant reward policy value gradient warmup ' +
  'schedule cosine linear decay weight bias norm head attention window context length vocabulary merge'
).split(' ');

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** `count` Alpaca rows of 24 drawn words each, distinct for a seed. */
export function alpacaRows(count: number, seed: number): string[] {
  const next = random(seed);
  const words = (n: number): string =>
    Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)] ?? 'x').join(' ');
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({ instruction: `${words(12)} ${index}?`, input: '', output: `${words(12)}.` }),
  );
}

export const TRAIN_ROWS = 200;

/** An lm-eval (current format) results file with one task. */
export function lmEvalResults(task: string, acc: number, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      results: { [task]: { alias: task, 'acc,none': acc, 'acc_stderr,none': 0.01, ...extra } },
      versions: { [task]: 1 },
      'n-shot': { [task]: 0 },
      config: { model: 'hf', model_args: 'pretrained=org/model' },
    },
    null,
    2,
  )}\n`;
}

export const SFT_YAML = [
  'base_model: org/model',
  'learning_rate: 0.0002',
  'num_train_epochs: 3',
  'per_device_train_batch_size: 4',
  'gradient_accumulation_steps: 2',
  'cutoff_len: 1024',
  '',
].join('\n');

/** The sane fine-tuning project every case starts from: train and eval data, a config, results. */
export function baseProject(): Files {
  return {
    'data/train.jsonl': `${alpacaRows(TRAIN_ROWS, 1).join('\n')}\n`,
    'data/eval.jsonl': `${alpacaRows(60, 2).join('\n')}\n`,
    'configs/sft.yaml': SFT_YAML,
    'results/results.json': lmEvalResults('arc_easy', 0.7),
  };
}
