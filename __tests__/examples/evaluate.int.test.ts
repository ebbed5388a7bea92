import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, main } from '../../cli/main.js';
import { parseMetricsFile } from '../../src/loaders/parse-metrics.js';
import { reportSchema } from '../../src/model/report-schema.js';
import { createEvaluatedRepo } from '../helpers/evaluated-repo.js';
import { readSampleLog } from '../../src/loaders/read-sample-log.js';

/*
 * The example evaluator (examples/eval/evaluate.mjs) run as CI runs it: a child process of Node on the
 * WikiSQL aggregation fixture (1,000 training questions, 100 held-out ones; fixtures/eval/SOURCES.md).
 * The accuracies were computed at writing time by an independent Python implementation of the same
 * classifier (the same seeded subsample, word counts and add-one smoothing): seed 1 → 73/100, seed 2 →
 * 75/100, seed 3 → 74/100, seed 1 on the first 40 items → 30/40; standard errors as lm-eval's
 * `mean_stderr`, √(Σ(x−x̄)²/(n−1))/√n. The line format is Python's `json.dumps`, checked byte for byte.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const EVALUATE = join(root, 'examples/eval/evaluate.mjs');
const TRAIN = join(root, '__tests__/fixtures/eval/wikisql_agg_train.jsonl');
const TEST = join(root, '__tests__/fixtures/eval/wikisql_agg_test.jsonl');
const MODEL_FOLDER = 'tuneguard-demo__wikisql-nb';

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'tuneguard-eval-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function evaluate(output: string, ...args: string[]) {
  return spawnSync(
    process.execPath,
    [
      EVALUATE,
      ...['--train', TRAIN, '--test', TEST, '--output', output],
      ...['--model-name', 'tuneguard-demo/wikisql-nb', '--task', 'wikisql_agg'],
      ...args,
    ],
    { encoding: 'utf8' },
  );
}

/** The results and samples files one run wrote, parsed. */
function readRun(folder: string) {
  const names = readdirSync(folder).sort();
  const results = names.find((name) => name.startsWith('results_')) ?? '';
  const samples = names.find((name) => name.startsWith('samples_')) ?? '';
  return {
    names,
    resultsPath: join(folder, results),
    samplesPath: join(folder, samples),
    results: JSON.parse(readFileSync(join(folder, results), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >,
    lines: readFileSync(join(folder, samples), 'utf8').split('\n').filter(Boolean),
  };
}

describe('examples/eval/evaluate.mjs', () => {
  it.each([
    ['1', [], 73, 100, 0.73, 0.044619604333847394],
    ['2', [], 75, 100, 0.75, 0.04351941398892446],
    ['3', [], 74, 100, 0.74, 0.04408440022768077],
    ['1', ['--limit', '40'], 30, 40, 0.75, 0.06933752452815363],
  ])(
    'seed %s %j: %i of %i right, written as lm-eval 0.4 writes it',
    (seed, extra, right, items, accuracy, stderr) => {
      const output = join(out, `seed-${seed}-${extra.length}`);
      const run = evaluate(output, '--seed', seed, ...extra);
      expect(run.status).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe(
        `wikisql_agg: acc ${accuracy.toFixed(4)} ± ${stderr.toFixed(4)} on ${items} items (seed ${seed}, trained on 900 of 1000 rows)`,
      );
      const { names, results, lines } = readRun(join(output, MODEL_FOLDER));
      expect(names).toEqual([
        expect.stringMatching(/^results_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6}\.json$/),
        expect.stringMatching(/^samples_wikisql_agg_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6}\.jsonl$/),
      ]);
      expect(results['results']).toEqual({
        wikisql_agg: { alias: 'wikisql_agg', 'acc,none': accuracy, 'acc_stderr,none': stderr },
      });
      expect(results['n-samples']).toEqual({ wikisql_agg: { original: 100, effective: items } });
      expect(results['config']).toMatchObject({
        limit: extra.length > 0 ? 40 : null,
        random_seed: Number(seed),
      });
      expect(results['model_name_sanitized']).toBe(MODEL_FOLDER);
      expect(lines).toHaveLength(items);
      const samples = lines.map((line) => JSON.parse(line) as { acc: number; doc_id: number });
      expect(samples.reduce((sum, sample) => sum + sample.acc, 0)).toBe(right);
      expect(samples.map((sample) => sample.doc_id)).toEqual([...Array(items).keys()]);
    },
  );

  it("writes each sample line and the hashes as lm-eval's Python does", () => {
    const output = join(out, 'format');
    expect(evaluate(output, '--seed', '1', '--limit', '1').status).toBe(0);
    const { lines, results } = readRun(join(output, MODEL_FOLDER));
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const context = "Question: What is terrence ross' nationality\nAnswer:";
    const doc = '{\n  "text": "What is terrence ross\' nationality",\n  "label": "NONE"\n}';
    const line = lines[0] ?? '';
    // Python's separators (", " and ": "), the choices in label order, responses as text, acc a float.
    expect(line).toMatch(
      /^\{"doc_id": 0, "doc": \{"text": "What is terrence ross' nationality", "label": "NONE"\}, "target": "NONE", "arguments": \{"gen_args_0": \{"arg_0": "Question: What is terrence ross' nationality\\nAnswer:", "arg_1": " COUNT"\}, /,
    );
    expect(line).toMatch(
      /"filtered_resps": \[\["-\d+\.\d+", "False"\], \["-\d+\.\d+", "False"\], \["-\d+\.\d+", "False"\], \["-\d+\.\d+", "True"\]\], "filter": "none", "metrics": \["acc"\], /,
    );
    expect(line).toContain(
      `"doc_hash": "${sha(doc)}", "prompt_hash": "${sha(context)}", "target_hash": "${sha('NONE')}", "acc": 1.0}`,
    );
    expect(results['task_hashes']).toEqual({ wikisql_agg: sha(sha(doc) + sha(context) + sha('NONE')) });
  });

  it('is read by tuneguard as lm-eval results with a per-item log paired by doc_hash', async () => {
    const output = join(out, 'read');
    expect(evaluate(output, '--seed', '2').status).toBe(0);
    const { resultsPath, samplesPath } = readRun(join(output, MODEL_FOLDER));
    const file = parseMetricsFile(readFileSync(resultsPath, 'utf8'), resultsPath);
    expect(file.format).toBe('lm-eval');
    expect(file.problems).toEqual([]);
    expect(file.metrics.map((m) => [m.key, m.value])).toEqual([['wikisql_agg/acc', 0.75]]);
    expect(file.tasks['wikisql_agg']).toMatchObject({ nShot: 0, samples: { original: 100, effective: 100 } });
    const log = await readSampleLog(createReadStream(samplesPath), samplesPath);
    expect(log).toMatchObject({ task: 'wikisql_agg', matchedBy: 'doc_hash', rows: 100, problems: [] });
    expect([...(log.scores.get('acc')?.values() ?? [])].filter((score) => score === 1)).toHaveLength(75);
  });

  it.each([
    ['a line that is not JSON', '{"text": "a", "label": "X"}\n{oops\n', /train\.jsonl:2: not JSON/],
    [
      'a row without a label',
      '{"text": "a"}\n',
      /train\.jsonl:1: expected \{"text": string, "label": string\}/,
    ],
    ['a file without rows', '\n', /train\.jsonl: no training rows to learn from/],
  ])('stops on %s, naming the file', (_, text, message) => {
    const dir = mkdtempSync(join(out, 'bad-'));
    writeFileSync(join(dir, 'train.jsonl'), text);
    const run = spawnSync(
      process.execPath,
      [EVALUATE, '--train', join(dir, 'train.jsonl'), '--test', TEST, '--output', join(dir, 'out')],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('tuneguard diff on two commits evaluated by the example evaluator', () => {
  it('reads them as lm-eval results with per-item logs, and finds the regression by pairing the items', async () => {
    // The head relabels every COUNT question NONE (helpers/evaluated-repo.ts). Computed with Python at writing time: 73 → 62 right
    // of 100; 15 items lost, 4 gained; McNemar's exact p = 2·P(X ≤ 4 | X ~ Bin(19, ½)) = 0.0192108154296875.
    const { repo, headRef } = createEvaluatedRepo();
    try {
      let stdout = '';
      let stderr = '';
      const code = await main(['diff', '--base', 'main', '--head', headRef, '--format', 'json'], {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        cwd: repo.dir,
      });
      expect([code, stderr]).toEqual([
        EXIT.failure,
        'tuneguard: failure (1 failure, 1 warning, 0 notices)\n',
      ]);
      const report = reportSchema.parse(JSON.parse(stdout));
      expect(report.metrics).toHaveLength(1);
      expect(report.metrics[0]).toMatchObject({ format: 'lm-eval', pairedTasks: ['wikisql_agg'] });
      expect(report.metrics[0]?.metrics).toEqual([
        expect.objectContaining({
          key: 'wikisql_agg/acc',
          base: 0.73,
          head: 0.62,
          change: 'regressed',
          significance: expect.objectContaining({
            basis: 'per-sample',
            method: 'McNemar',
            n: 100,
            significant: true,
          }),
        }),
      ]);
      expect(report.metrics[0]?.metrics[0]?.significance?.pValue).toBeCloseTo(0.0192108154296875, 12);
    } finally {
      repo.remove();
    }
  });
});
