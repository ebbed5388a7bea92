/**
 * The training frameworks whose configs tuneguard reads by their own key names, in the order they are
 * recognised (see {@link FRAMEWORK_MARKERS}); `generic` is any other file (DVC `params.yaml`, a
 * script's own config), read by the common names at any depth.
 */
export const FRAMEWORKS = [
  'verl',
  'torchtune',
  'deepspeed',
  'accelerate',
  'mlx-lm',
  'peft',
  'llama-factory',
  'axolotl',
  'alignment-handbook',
  'trl',
  'hf-trainer',
  'hf-trainer-card',
  'generic',
] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** How a framework's loader turns a number PyYAML reads as text (`1e-5`: YAML 1.1 wants a dot) into what the trainer gets. */
export type YamlNumbers = 'number' | 'text' | 'text-in-older-versions';

export interface FrameworkTraits {
  /** The name people know it by, for findings and the README. */
  label: string;
  /** What the trainer gets for `learning_rate: 1e-5` (a YAML 1.1 string), and why. */
  yamlNumbers: YamlNumbers;
  yamlNumbersWhy: string;
  /** Whether the trainer evaluates during training when no evaluation key is written at all. */
  evaluatesByDefault: boolean;
}

/** What each framework does with what it reads; each `yamlNumbersWhy` names the code that decides. */
export const FRAMEWORK_TRAITS: Record<Framework, FrameworkTraits> = {
  verl: {
    label: 'verl',
    yamlNumbers: 'number',
    yamlNumbersWhy: 'Hydra/OmegaConf, whose YAML loader reads 1e-5 as a float',
    evaluatesByDefault: true,
  },
  torchtune: {
    label: 'torchtune',
    yamlNumbers: 'number',
    yamlNumbersWhy: 'OmegaConf, whose YAML loader reads 1e-5 as a float',
    evaluatesByDefault: true,
  },
  deepspeed: {
    label: 'DeepSpeed',
    yamlNumbers: 'number',
    yamlNumbersWhy: 'a JSON config',
    evaluatesByDefault: true,
  },
  accelerate: {
    label: 'accelerate',
    yamlNumbers: 'number',
    yamlNumbersWhy: 'a launcher config without learning rates',
    evaluatesByDefault: true,
  },
  'mlx-lm': {
    label: 'MLX-LM',
    yamlNumbers: 'number',
    yamlNumbersWhy: 'mlx_lm/lora.py adds a float resolver to PyYAML that reads 1e-5 as a float',
    evaluatesByDefault: true,
  },
  peft: {
    label: 'PEFT',
    yamlNumbers: 'number',
    yamlNumbersWhy: 'a JSON adapter config',
    evaluatesByDefault: true,
  },
  'llama-factory': {
    label: 'LLaMA-Factory',
    yamlNumbers: 'text-in-older-versions',
    yamlNumbersWhy:
      'before July 2025 (PR #8505) it read the file with yaml.safe_load into HfArgumentParser.parse_dict, which keeps "1e-5" a string and the optimizer fails (issues #4014, #4149); later versions read it with OmegaConf, as a float',
    evaluatesByDefault: false,
  },
  axolotl: {
    label: 'Axolotl',
    yamlNumbers: 'number',
    yamlNumbersWhy:
      'its pydantic schema converts a string learning_rate with float() and coerces float fields',
    evaluatesByDefault: false,
  },
  'alignment-handbook': {
    label: 'alignment-handbook',
    yamlNumbers: 'number',
    yamlNumbersWhy:
      "TRL's TrlParser sets the values as argparse defaults, which argparse converts with each field's type",
    evaluatesByDefault: false,
  },
  trl: {
    label: 'TRL',
    yamlNumbers: 'number',
    yamlNumbersWhy:
      "TrlParser sets the values as argparse defaults, which argparse converts with each field's type",
    evaluatesByDefault: false,
  },
  'hf-trainer': {
    label: 'HF TrainingArguments',
    yamlNumbers: 'text',
    yamlNumbersWhy:
      'HfArgumentParser.parse_yaml_file passes PyYAML\'s values to the dataclass as they are, so "1e-5" stays a string and the optimizer fails',
    evaluatesByDefault: false,
  },
  'hf-trainer-card': {
    label: 'HF Trainer model card',
    yamlNumbers: 'number',
    yamlNumbersWhy:
      "the list the Trainer writes in a model card: its values are the run's, not read by any loader",
    evaluatesByDefault: false,
  },
  generic: {
    label: 'other',
    yamlNumbers: 'number',
    yamlNumbersWhy: 'unknown loader (DVC itself reads params with YAML 1.2, where 1e-5 is a float)',
    evaluatesByDefault: false,
  },
};

/**
 * How a file's framework is recognised from its flattened keys: the first framework with a matching
 * key wins, so the order of {@link FRAMEWORKS} matters (LLaMA-Factory v1 also writes `micro_batch_size`,
 * checked before Axolotl; TRL's recipes are TrainingArguments too, checked before them).
 */
export const FRAMEWORK_MARKERS: Record<Exclude<Framework, 'generic'>, RegExp> = {
  verl: /^actor_rollout_ref\./,
  torchtune: /\._component_$/,
  deepspeed: /^(train_micro_batch_size_per_gpu|zero_optimization\.stage|zero_optimization)$/,
  accelerate: /^(compute_environment|distributed_type)$/,
  'mlx-lm': /^(lora_parameters\..+|fine_tune_type|iters)$/,
  peft: /^peft_type$/,
  'llama-factory': /^(finetuning_type|model_class|peft_config\..+|dist_config\..+|template)$/,
  axolotl:
    /^(sequence_len|micro_batch_size|base_model|val_set_size|sample_packing|adapter|datasets\[\d+\]\.type)$/,
  'alignment-handbook': /^(dataset_mixer\..+|dataset_mixture\..+)$/,
  trl: /^(num_generations|use_peft|dataset_name|dataset_train_split|max_prompt_length|beta|loss_type)$/,
  'hf-trainer':
    /^(per_device_train_batch_size|num_train_epochs|eval_strategy|evaluation_strategy|lr_scheduler_type)$/,
  // A card's list is known by its format (see readCardHyperparameters); these keys only such lists write.
  'hf-trainer-card':
    /^(total_train_batch_size|total_eval_batch_size|mixed_precision_training|lr_scheduler_warmup_(?:steps|ratio))$/,
};

/** One canonical hyperparameter: what people call it, its common names and each framework's own keys. */
export interface VocabularyEntry {
  label: string;
  /** Names read at the top level of any file, and at any depth in a file of no known framework. */
  names: readonly string[];
  /** Each framework's own dotted keys, read before the common names. */
  paths?: Partial<Record<Framework, readonly string[]>>;
}

/**
 * The one canonical vocabulary. Each framework's keys come from its own example configs (the README
 * table is this table): HF TrainingArguments/TRL and alignment-handbook use the common names;
 * Axolotl `micro_batch_size`, `sequence_len`, `lora_r`; LLaMA-Factory `cutoff_len`, `pref_beta`,
 * `val_size`, and v1 `model:` and `peft_config.r`; torchtune, DeepSpeed, verl and MLX-LM nest theirs.
 */
export const PARAM_VOCABULARY = {
  learning_rate: {
    label: 'learning rate',
    names: ['learning_rate', 'lr'],
    paths: {
      deepspeed: ['optimizer.params.lr'],
      torchtune: ['optimizer.lr'],
      verl: ['actor_rollout_ref.actor.optim.lr'],
    },
  },
  num_epochs: {
    label: 'epochs',
    names: ['num_epochs', 'num_train_epochs', 'epochs'],
    paths: { verl: ['trainer.total_epochs'] },
  },
  max_steps: {
    label: 'max steps',
    names: ['max_steps'],
    paths: {
      'mlx-lm': ['iters'],
      verl: ['trainer.total_training_steps'],
      'hf-trainer-card': ['training_steps'],
    },
  },
  micro_batch_size: {
    label: 'per-device batch',
    names: ['micro_batch_size', 'per_device_train_batch_size', 'train_micro_batch_size_per_gpu'],
    paths: {
      verl: ['actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu'],
      'hf-trainer-card': ['train_batch_size'],
    },
  },
  gradient_accumulation_steps: {
    label: 'gradient accumulation',
    names: ['gradient_accumulation_steps'],
    paths: { 'mlx-lm': ['grad_accumulation_steps'] },
  },
  // Axolotl's `batch_size` is micro batch × accumulation per device; MLX's and torchtune's, the batch itself.
  batch_size: { label: 'batch size', names: ['batch_size'] },
  global_batch_size: {
    label: 'global batch',
    names: ['global_batch_size'],
    paths: {
      deepspeed: ['train_batch_size'],
      verl: ['data.train_batch_size'],
      'hf-trainer-card': ['total_train_batch_size'],
    },
  },
  lora_r: {
    label: 'LoRA rank',
    names: ['lora_r', 'lora_rank', 'r'],
    paths: {
      'llama-factory': ['peft_config.r'],
      torchtune: ['model.lora_rank'],
      verl: ['actor_rollout_ref.model.lora_rank'],
      'mlx-lm': ['lora_parameters.rank'],
    },
  },
  lora_alpha: {
    label: 'LoRA alpha',
    names: ['lora_alpha'],
    paths: {
      'llama-factory': ['peft_config.lora_alpha'],
      torchtune: ['model.lora_alpha'],
      verl: ['actor_rollout_ref.model.lora_alpha'],
    },
  },
  lora_dropout: {
    label: 'LoRA dropout',
    names: ['lora_dropout'],
    paths: {
      'llama-factory': ['peft_config.lora_dropout'],
      torchtune: ['model.lora_dropout'],
      'mlx-lm': ['lora_parameters.dropout'],
    },
  },
  lora_target_modules: {
    label: 'LoRA target modules',
    names: ['lora_target_modules', 'lora_target', 'target_modules'],
    paths: {
      'llama-factory': ['peft_config.target_modules'],
      torchtune: ['model.lora_attn_modules'],
      verl: ['actor_rollout_ref.model.target_modules'],
      'mlx-lm': ['lora_parameters.keys'],
    },
  },
  max_seq_length: {
    label: 'max sequence length',
    names: ['max_seq_length', 'sequence_len', 'cutoff_len', 'max_length', 'model_max_length', 'max_seq_len'],
    paths: { torchtune: ['tokenizer.max_seq_len'] },
  },
  packing: {
    label: 'packing',
    names: ['packing', 'sample_packing'],
    paths: { torchtune: ['dataset.packed'] },
  },
  warmup_steps: {
    label: 'warmup steps',
    names: ['warmup_steps'],
    paths: {
      deepspeed: ['scheduler.params.warmup_num_steps'],
      torchtune: ['lr_scheduler.num_warmup_steps'],
      verl: ['actor_rollout_ref.actor.optim.lr_warmup_steps'],
      'mlx-lm': ['lr_schedule.warmup'],
      'hf-trainer-card': ['lr_scheduler_warmup_steps'],
    },
  },
  warmup_ratio: {
    label: 'warmup ratio',
    names: ['warmup_ratio'],
    paths: {
      verl: ['actor_rollout_ref.actor.optim.lr_warmup_steps_ratio'],
      'hf-trainer-card': ['lr_scheduler_warmup_ratio'],
    },
  },
  lr_scheduler: {
    label: 'scheduler',
    names: ['lr_scheduler', 'lr_scheduler_type'],
    paths: {
      deepspeed: ['scheduler.type'],
      torchtune: ['lr_scheduler._component_'],
      verl: ['actor_rollout_ref.actor.optim.lr_scheduler_type'],
      'mlx-lm': ['lr_schedule.name'],
    },
  },
  weight_decay: {
    label: 'weight decay',
    names: ['weight_decay'],
    paths: {
      deepspeed: ['optimizer.params.weight_decay'],
      torchtune: ['optimizer.weight_decay'],
      verl: ['actor_rollout_ref.actor.optim.weight_decay'],
    },
  },
  optimizer: {
    label: 'optimizer',
    names: ['optimizer', 'optim'],
    paths: { deepspeed: ['optimizer.type'], torchtune: ['optimizer._component_'] },
  },
  precision: {
    label: 'precision',
    // `bf16: true` / `fp16: true` (and DeepSpeed's `bf16.enabled`) are read by computePrecision.
    names: ['mixed_precision', 'torch_dtype', 'dtype'],
    paths: { 'hf-trainer-card': ['mixed_precision_training'] },
  },
  base_model: {
    label: 'base model',
    names: ['base_model', 'model_name_or_path', 'base_model_name_or_path', 'model_name', 'model_id'],
    paths: {
      'llama-factory': ['model'],
      'mlx-lm': ['model'],
      verl: ['actor_rollout_ref.model.path'],
      torchtune: ['checkpointer.checkpoint_dir'],
    },
  },
  seed: { label: 'seed', names: ['seed'], paths: { verl: ['data.seed'] } },
  pref_beta: {
    label: 'preference beta (DPO/KTO/ORPO/SimPO)',
    names: ['pref_beta', 'beta', 'dpo_beta', 'rl_beta'],
  },
  num_generations: {
    label: 'generations per prompt (GRPO)',
    names: ['num_generations'],
    paths: { verl: ['actor_rollout_ref.rollout.n'] },
  },
  temperature: {
    label: 'sampling temperature',
    names: ['temperature'],
    paths: { verl: ['actor_rollout_ref.rollout.temperature'] },
  },
  kl_coef: {
    label: 'KL coefficient',
    // TRL's GRPO calls it `beta`: read as the KL coefficient in a file that sets num_generations.
    names: ['kl_coef', 'init_kl_coef'],
    paths: { verl: ['algorithm.kl_ctrl.kl_coef', 'actor_rollout_ref.actor.kl_loss_coef'] },
  },
  eval_strategy: { label: 'eval strategy', names: ['eval_strategy', 'evaluation_strategy'] },
  eval_steps: {
    label: 'eval steps',
    names: ['eval_steps'],
    paths: { 'mlx-lm': ['steps_per_eval'], verl: ['trainer.test_freq'] },
  },
  do_eval: { label: 'do_eval', names: ['do_eval'] },
  val_set_size: { label: 'validation split size', names: ['val_set_size', 'val_size'] },
  eval_dataset: {
    label: 'eval dataset',
    names: ['eval_dataset', 'dataset_test_split'],
    paths: { verl: ['data.val_files'] },
  },
  num_gpus: {
    label: 'GPUs',
    names: ['num_processes', 'world_size', 'nproc_per_node'],
    paths: { verl: ['trainer.n_gpus_per_node'], 'hf-trainer-card': ['num_devices'] },
  },
  early_stopping_patience: { label: 'early stopping patience', names: ['early_stopping_patience'] },
  load_best_model_at_end: { label: 'load best model at end', names: ['load_best_model_at_end'] },
} as const satisfies Record<string, VocabularyEntry>;

export type CanonicalParam = keyof typeof PARAM_VOCABULARY;
