import type { MetricsFile, TaskSettings } from '../loaders/parse-metrics.js';

/** One reason two evaluation runs of a task cannot be compared. */
export interface Incomparability {
  /** The task, or `*` when the whole file differs (layout, harness version, prompt settings). */
  task: string;
  setting: string;
  base: string;
  head: string;
}

const TASK_SETTINGS: readonly {
  key: keyof TaskSettings;
  label: string;
  read: (s: TaskSettings) => unknown;
}[] = [
  { key: 'nShot', label: 'n-shot', read: (s) => s.nShot },
  { key: 'version', label: 'task version', read: (s) => s.version },
  { key: 'limit', label: 'sample limit', read: (s) => s.limit },
  { key: 'samples', label: 'effective samples', read: (s) => s.samples?.effective },
  { key: 'hash', label: 'task hash', read: (s) => s.hash },
  { key: 'promptHash', label: 'prompt hash', read: (s) => s.promptHash },
  { key: 'epochs', label: 'epochs', read: (s) => s.epochs },
  { key: 'dataset', label: 'dataset', read: (s) => s.dataset },
  { key: 'mode', label: 'inference mode', read: (s) => s.mode },
  { key: 'outputs', label: 'outputs per item', read: (s) => s.outputs },
  { key: 'temperature', label: 'temperature', read: (s) => s.temperature },
];

/**
 * Lists what makes base and head results of the same file incomparable: per task, a different
 * n-shot, task version, sample limit, effective sample count, task hash (lighteval: the examples'
 * hash), prompt hash, epochs, dataset, inference mode (OpenCompass's `gen`/`ppl`, HELM's adapter
 * method), outputs per item or temperature; for the whole file, a different results layout, harness
 * version, chat template, system instruction or multi-turn few-shot setting. A setting recorded on one side only is not a difference (older harnesses record less).
 * The model itself is expected to differ (that is what a fine-tuning PR changes) and is not compared.
 */
export function compareEvalSettings(base: MetricsFile, head: MetricsFile): Incomparability[] {
  const found: Incomparability[] = [];
  const differ = (task: string, setting: string, a: unknown, b: unknown): void => {
    if (a === undefined || b === undefined || a === null || b === null || a === b) return;
    found.push({ task, setting, base: showSetting(a), head: showSetting(b) });
  };
  differ('*', 'results layout', base.format, head.format);
  differ('*', 'harness version', base.evaluator.version, head.evaluator.version);
  differ('*', 'chat template', base.evaluator.chatTemplate, head.evaluator.chatTemplate);
  differ('*', 'system instruction', base.evaluator.systemInstruction, head.evaluator.systemInstruction);
  differ('*', 'few-shot as multi-turn', base.evaluator.fewshotAsMultiturn, head.evaluator.fewshotAsMultiturn);
  for (const [task, baseSettings] of Object.entries(base.tasks)) {
    const headSettings = head.tasks[task];
    if (!headSettings) continue;
    for (const setting of TASK_SETTINGS)
      differ(task, setting.label, setting.read(baseSettings), setting.read(headSettings));
  }
  return found;
}

/** A setting's value as text: strings and numbers as they are, anything else as JSON. */
function showSetting(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : (JSON.stringify(value) ?? 'null');
}
