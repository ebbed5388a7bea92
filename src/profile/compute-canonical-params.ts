import type { ParamValue } from '../loaders/parse-params.js';

/**
 * Canonical hyperparameter names and the keys that mean the same thing across Axolotl,
 * LLaMA-Factory, TRL/HF TrainingArguments, PEFT, DeepSpeed and accelerate configs.
 * The first alias of each list is the canonical name.
 */
export const PARAM_ALIASES = {
  learning_rate: ['learning_rate', 'lr'],
  micro_batch_size: ['micro_batch_size', 'per_device_train_batch_size', 'train_micro_batch_size_per_gpu'],
  gradient_accumulation_steps: ['gradient_accumulation_steps'],
  // Axolotl's `batch_size` is micro batch × accumulation per device; MLX's and torchtune's, the batch itself.
  batch_size: ['batch_size'],
  num_epochs: ['num_epochs', 'num_train_epochs', 'epochs'],
  max_steps: ['max_steps'],
  lora_r: ['lora_r', 'lora_rank', 'r'],
  lora_alpha: ['lora_alpha'],
  lora_dropout: ['lora_dropout'],
  max_seq_length: [
    'max_seq_length',
    'sequence_len',
    'cutoff_len',
    'max_length',
    'model_max_length',
    'max_seq_len',
  ],
  warmup_steps: ['warmup_steps'],
  warmup_ratio: ['warmup_ratio'],
  weight_decay: ['weight_decay'],
  lr_scheduler: ['lr_scheduler', 'lr_scheduler_type'],
  optimizer: ['optimizer', 'optim'],
  base_model: ['base_model', 'model_name_or_path', 'base_model_name_or_path', 'model_name', 'model_id'],
  eval_strategy: ['eval_strategy', 'evaluation_strategy'],
  eval_steps: ['eval_steps'],
  val_set_size: ['val_set_size', 'val_size'],
  num_gpus: ['num_processes', 'world_size', 'nproc_per_node'],
  pref_beta: ['pref_beta', 'beta', 'dpo_beta', 'rl_beta'],
  seed: ['seed'],
  early_stopping_patience: ['early_stopping_patience'],
  load_best_model_at_end: ['load_best_model_at_end'],
} as const;

export type CanonicalParam = keyof typeof PARAM_ALIASES;

const aliasIndex = new Map<string, CanonicalParam>(
  Object.entries(PARAM_ALIASES).flatMap(([canonical, aliases]) =>
    aliases.map((alias) => [alias, canonical as CanonicalParam] as const),
  ),
);

/** The canonical name of a flattened top-level key, or undefined when it has none (nested keys have none). */
export function findCanonicalName(key: string): CanonicalParam | undefined {
  return aliasIndex.get(key);
}

/** Canonical values of one params file (first alias found wins), numeric strings read as numbers. */
export function computeCanonicalParams(
  values: ReadonlyMap<string, ParamValue>,
): Partial<Record<CanonicalParam, ParamValue>> {
  const result: Partial<Record<CanonicalParam, ParamValue>> = {};
  for (const [key, value] of values) {
    const canonical = findCanonicalName(key);
    if (canonical && !(canonical in result)) result[canonical] = normaliseNumber(value);
  }
  return result;
}

/**
 * Effective batch size = micro batch × gradient accumulation × GPUs. Missing accumulation counts as 1;
 * unknown GPUs give the per-device figure and a note. DeepSpeed's `"auto"` is not a number: undefined.
 * A `batch_size` key counts as it does in its framework: beside a micro batch without accumulation it is
 * Axolotl's micro batch × accumulation (so the accumulation is their quotient); without a micro batch it
 * is the batch itself (MLX, torchtune); beside both it is not used.
 * @example computeEffectiveBatch({ micro_batch_size: 2, gradient_accumulation_steps: 4 }) // { value: 8, note: 'per device…' }
 * @example computeEffectiveBatch({ batch_size: 8, micro_batch_size: 4 }).value // 8
 */
export function computeEffectiveBatch(params: Partial<Record<CanonicalParam, ParamValue>>): {
  value?: number;
  note?: string;
} {
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
