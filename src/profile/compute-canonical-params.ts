import type { ParamsFile, ParamValue } from '../loaders/parse-params.js';
import {
  FRAMEWORK_MARKERS,
  FRAMEWORKS,
  PARAM_VOCABULARY,
  type CanonicalParam,
  type Framework,
  type VocabularyEntry,
} from './param-vocabulary.js';

export type { CanonicalParam, Framework } from './param-vocabulary.js';

const VOCABULARY: readonly [CanonicalParam, VocabularyEntry][] = Object.entries(PARAM_VOCABULARY) as [
  CanonicalParam,
  VocabularyEntry,
][];

const nameIndex = new Map<string, CanonicalParam>(
  VOCABULARY.flatMap(([canonical, entry]) => entry.names.map((name) => [name, canonical] as const)),
);

/**
 * The canonical name of a common (framework-independent) key name, such as `cutoff_len` or
 * `per_device_train_batch_size`; undefined for other names and for dotted keys, whose meaning depends on
 * the file's framework (see {@link resolveCanonicalKeys}).
 */
export function findCanonicalName(key: string): CanonicalParam | undefined {
  return nameIndex.get(key);
}

/**
 * The framework a flattened params file is written for, from its keys (see `FRAMEWORK_MARKERS`);
 * `generic` when none matches, as for a DVC `params.yaml`.
 * @example detectFramework(new Map([['actor_rollout_ref.actor.optim.lr', 1e-6]])) // 'verl'
 */
export function detectFramework(values: ReadonlyMap<string, ParamValue>): Framework {
  const keys = [...values.keys()];
  for (const framework of FRAMEWORKS) {
    if (framework === 'generic') continue;
    const marker = FRAMEWORK_MARKERS[framework];
    if (keys.some((key) => marker.test(key))) return framework;
  }
  return 'generic';
}

/** A file's framework: a model card's list is the Trainer card's; any other file is known by its keys. */
export function detectFileFramework(file: ParamsFile): Framework {
  return file.format === 'model-card' ? 'hf-trainer-card' : detectFramework(file.values);
}

/**
 * Which key of a flattened params file gives each canonical value: the framework's own dotted keys
 * first, then the common names at the top level, then (only in a file of no known framework, where
 * `train.lr` means what `lr` does) the common names at any depth, shallowest first. Keys inside lists
 * (`datasets[0].path`) never count. A file that sets `num_generations` (TRL's GRPO) uses `beta` as
 * its KL coefficient, not a preference beta.
 * @example resolveCanonicalKeys(new Map([['train.lr', 0.1]])) // Map { 'learning_rate' => 'train.lr' }
 */
export function resolveCanonicalKeys(
  values: ReadonlyMap<string, ParamValue>,
  framework: Framework = detectFramework(values),
): Map<CanonicalParam, string> {
  const result = new Map<CanonicalParam, string>();
  const keys = [...values.keys()].filter((key) => !key.includes('['));
  for (const [canonical, entry] of VOCABULARY) {
    const own = entry.paths?.[framework]?.find((path) => values.has(path));
    if (own !== undefined) result.set(canonical, own);
  }
  const grpo = values.has('num_generations');
  const nameOf = (key: string): CanonicalParam | undefined => {
    const leaf = key.slice(key.lastIndexOf('.') + 1);
    if (leaf === 'beta' && grpo) return 'kl_coef';
    return findCanonicalName(leaf);
  };
  const depth = (key: string): number => key.split('.').length;
  const candidates = keys.filter((key) => framework === 'generic' || !key.includes('.'));
  const byDepth = candidates
    .map((key, order) => ({ key, order, depth: depth(key) }))
    .sort((a, b) => a.depth - b.depth || a.order - b.order);
  for (const { key } of byDepth) {
    const canonical = nameOf(key);
    if (canonical !== undefined && !result.has(canonical)) result.set(canonical, key);
  }
  return result;
}

/**
 * Canonical values of one params file (see {@link resolveCanonicalKeys}), numeric strings read as
 * numbers, with the precision (`bf16`, `fp16`, a dtype) read from whichever way the file sets it.
 */
export function computeCanonicalParams(
  values: ReadonlyMap<string, ParamValue>,
  framework: Framework = detectFramework(values),
): Partial<Record<CanonicalParam, ParamValue>> {
  const result: Partial<Record<CanonicalParam, ParamValue>> = {};
  for (const [canonical, key] of resolveCanonicalKeys(values, framework)) {
    result[canonical] = normaliseNumber(values.get(key) ?? null);
  }
  const precision = result.precision ?? computePrecision(values);
  if (precision !== undefined) result.precision = precision;
  return result;
}

/**
 * The mixed precision a file turns on with a flag (`bf16: true`, Axolotl's `bf16: auto`, DeepSpeed's
 * `bf16.enabled`), bf16 before fp16 before tf32; undefined when none is on.
 */
function computePrecision(values: ReadonlyMap<string, ParamValue>): ParamValue | undefined {
  for (const flag of ['bf16', 'fp16', 'tf32'] as const) {
    for (const key of [flag, `${flag}.enabled`]) {
      const value = values.get(key);
      if (value === true || value === 'true') return flag;
      if (value === 'auto') return `${flag} (auto)`;
    }
  }
  return undefined;
}

/**
 * Effective batch size = micro batch × gradient accumulation × GPUs. Missing accumulation counts as 1;
 * unknown GPUs give the per-device figure and a note. DeepSpeed's `"auto"` is not a number: undefined.
 * A global batch written as such (DeepSpeed `train_batch_size`, verl `data.train_batch_size`) is the
 * figure itself. A `batch_size` key counts as it does in its framework: beside a micro batch without
 * accumulation it is Axolotl's micro batch × accumulation (so the accumulation is their quotient);
 * without a micro batch it is the batch itself (MLX, torchtune); beside both it is not used.
 * @example computeEffectiveBatch({ micro_batch_size: 2, gradient_accumulation_steps: 4 }) // { value: 8, note: 'per device…' }
 * @example computeEffectiveBatch({ batch_size: 8, micro_batch_size: 4 }).value // 8
 */
export function computeEffectiveBatch(params: Partial<Record<CanonicalParam, ParamValue>>): {
  value?: number;
  note?: string;
} {
  const global = asNumber(params.global_batch_size);
  if (global !== undefined) return { value: global, note: 'the global batch as written in the config' };
  const total = asNumber(params.batch_size);
  const micro = asNumber(params.micro_batch_size) ?? total;
  if (micro === undefined) return {};
  const given = asNumber(params.gradient_accumulation_steps);
  const fromTotal = given === undefined && total !== undefined && micro !== total ? total / micro : undefined;
  const accumulation = given ?? fromTotal ?? 1;
  const how =
    fromTotal === undefined
      ? `${micro} × ${accumulation} accumulation`
      : `${micro} × ${formatFactor(accumulation)} accumulation (batch_size ${total} ÷ micro_batch_size ${micro})`;
  const gpus = asNumber(params.num_gpus);
  if (gpus === undefined) {
    return {
      value: micro * accumulation,
      note: `per device: ${how}; multiply by the number of GPUs`,
    };
  }
  return { value: micro * accumulation * gpus, note: `${how} × ${gpus} GPUs` };
}

function formatFactor(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A finite number from a param value (numeric strings such as PyYAML's `"1e-4"` included), else undefined. */
export function asNumber(value: ParamValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function normaliseNumber(value: ParamValue): ParamValue {
  return asNumber(value) ?? value;
}
