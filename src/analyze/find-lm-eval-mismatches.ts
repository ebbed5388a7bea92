import type { CardDataset, CardValue } from '../loaders/read-model-card.js';
import type { MetricsFile, MetricValue } from '../loaders/parse-metrics.js';
import type { CardMismatch } from '../checks/check-context.js';
import { agreesAtCardPrecision } from './agrees-at-card-precision.js';

/** One lm-eval results file read on one side. */
export interface LmEvalFile {
  path: string;
  results: MetricsFile;
}

/** Configs that name no task of their own: the dataset's type does. */
const GENERIC_CONFIGS = new Set(['', 'main', 'all', 'default', 'none']);

/**
 * A card's dataset names that are known to be another lm-eval task's name: TruthfulQA's
 * `multiple_choice` config is `truthfulqa_mc2` (legacy `truthfulqa_mc`), whose `mc2` the cards state.
 */
const TASK_ALIASES: Readonly<Record<string, readonly string[]>> = {
  truthfulqamultiplechoice: ['truthfulqamc2', 'truthfulqamc'],
};

/**
 * The card's `model-index` numbers and `.eval_results` entries that lm-eval results beside it do not
 * hold. A number is paired only
 * when the pairing is clear: its dataset names one lm-eval task (its `type` and `config`: `ai2_arc` +
 * `ARC-Challenge` is `arc_challenge`, `hellaswag` is `hellaswag`; the most specific name that any file
 * holds wins), its metric `type` is that task's metric as lm-eval names it (`acc_norm`; a filtered metric
 * such as `exact_match,strict-match` pairs with no card metric), the task is no group (a group's
 * aggregate is weighted in more than one way; a task other tasks of the file extend, `mmlu` beside
 * `mmlu_humanities`, is one), and the card's `num_few_shot`, when it states one, is
 * the file's n-shot when it states one. A `.eval_results` entry names its dataset by `id` and `task_id`
 * and no metric (its benchmark defines one): it pairs only with a task the file holds one metric of,
 * whatever its filter, and a task with more (`acc` and `acc_norm`) is not clear. A number that agrees with any paired result, at the card's
 * precision or as a percentage, is no mismatch; one paired with results that disagree among themselves
 * (two runs, two models) is ambiguous and left alone.
 */
export function findLmEvalMismatches(
  card: string,
  values: readonly CardValue[],
  files: readonly LmEvalFile[],
): CardMismatch[] {
  const mismatches: CardMismatch[] = [];
  for (const stated of values) {
    if (stated.from === 'list' || stated.dataset === undefined) continue;
    const paired = pairResults(stated, stated.dataset, files);
    if (paired.length === 0 || paired.some((result) => agreesAtCardPrecision(stated, result.actual)))
      continue;
    const first = paired[0];
    if (!first || paired.some((result) => result.actual !== first.actual)) continue;
    mismatches.push({ card, stated, ...first });
  }
  return mismatches;
}

/** The lm-eval results one card number names: one task by its most specific name, one metric. */
function pairResults(
  stated: CardValue,
  dataset: CardDataset,
  files: readonly LmEvalFile[],
): { results: string; key: string; actual: number }[] {
  const metric = normalise(stated.label);
  for (const name of taskNames(dataset)) {
    const paired = files.flatMap(({ path, results }) => {
      const task = results.metrics.filter(
        (m) =>
          normalise(m.task) === name &&
          !isGroup(results, m.task) &&
          sameShots(dataset.fewShot, results.tasks[m.task]?.nShot),
      );
      const named =
        stated.from === 'eval-results'
          ? onlyMetric(task)
          : task.filter((m) => normalise(m.metric) === metric);
      return named
        .filter((m) => Number.isFinite(m.value))
        .map((m) => ({ results: path, key: m.key, actual: m.value }));
    });
    if (paired.length > 0) return paired;
  }
  return [];
}

/** A task's one metric; none when it has more, since a `.eval_results` entry does not say which it is. */
function onlyMetric(metrics: readonly MetricValue[]): readonly MetricValue[] {
  return metrics.length === 1 ? metrics : [];
}

/** The task names a card's dataset may have in lm-eval, most specific first. */
function taskNames(dataset: CardDataset): string[] {
  const type = normalise(dataset.type?.split('/').pop() ?? '');
  const config = normalise(dataset.config ?? '');
  const names = GENERIC_CONFIGS.has(config) ? [type] : [type + config, config, type];
  return [...new Set(names.flatMap((name) => TASK_ALIASES[name] ?? [name]))].filter((n) => n !== '');
}

/** A group by lm-eval's `group_subtasks`, or by other tasks of the file that extend its name (`mmlu_humanities`). */
function isGroup(results: MetricsFile, task: string): boolean {
  if ((results.groups[task]?.length ?? 0) > 0) return true;
  return results.metrics.some((metric) => metric.task.startsWith(`${task}_`));
}

function sameShots(card: number | undefined, file: number | undefined): boolean {
  return card === undefined || file === undefined || card === file;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
