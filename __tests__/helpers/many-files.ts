/*
 * Files for a pull request that touches hundreds of artifacts at once, written so that every count a test
 * expects follows from the numbers here. Hand-made for tuneguard tests.
 */

/** `rows` JSONL records of an Alpaca-style dataset, each unique (the task and row number are in its text). */
export function alpacaRows(task: number, rows: number, duplicates = 0): string {
  const lines: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    lines.push(
      JSON.stringify({
        instruction: `Task ${task}: what is ${row} plus ${task}?`,
        input: '',
        output: `${row} plus ${task} is ${row + task}.`,
      }),
    );
  }
  // Copies of the first rows, after the originals.
  return [...lines, ...lines.slice(0, duplicates)].join('\n') + '\n';
}

/** An Axolotl-style config whose only varying value is `learning_rate`. */
export function trainConfig(run: number, learningRate: string): string {
  return [
    'base_model: meta-llama/Llama-3.2-1B',
    `datasets:\n  - path: data/task-${String(run).padStart(3, '0')}/train.jsonl\n    type: alpaca`,
    `learning_rate: ${learningRate}`,
    'micro_batch_size: 2',
    'gradient_accumulation_steps: 4',
    'num_epochs: 3',
    'weight_decay: 0.01',
    'val_set_size: 0.05',
    '',
  ].join('\n');
}

/**
 * An lm-evaluation-harness results file with `tasks` tasks named `task_0`…, each with `acc` and its
 * standard error; `acc` of task `t` is `base + t / 1000`.
 */
export function lmEvalResults(tasks: number, base: number, stderr = 0.002): string {
  const names = Array.from({ length: tasks }, (_, task) => `task_${task}`);
  const results = Object.fromEntries(
    names.map((name, task) => [
      name,
      { alias: name, 'acc,none': base + task / 1000, 'acc_stderr,none': stderr },
    ]),
  );
  return `${JSON.stringify(
    {
      results,
      versions: Object.fromEntries(names.map((name) => [name, 1])),
      'n-shot': Object.fromEntries(names.map((name) => [name, 0])),
      higher_is_better: Object.fromEntries(names.map((name) => [name, { acc: true }])),
    },
    null,
    2,
  )}\n`;
}
