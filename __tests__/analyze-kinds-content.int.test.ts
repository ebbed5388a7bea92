import { describe, expect, it } from '@jest/globals';
import { analyzePair, fixture, summarise } from './checks/helpers/analyze-pair.js';

/*
 * Files named like hyperparameters or results whose content says they are neither, on real temporary git
 * repositories. The data are real fixtures (SOURCES.md); the values below are read off them.
 */

const text = (path: string): string => fixture(path).toString('utf8');

describe('what save_pretrained writes beside a checkpoint is not a hyperparameter file', () => {
  // Silver-8ce/llamaTest: a TinyLlama DPO checkpoint with its Trainer summaries.
  const checkpoint = {
    'config.json': text('params/tinyllama-chat-dpo_config.json'),
    'generation_config.json': text('params/tinyllama-chat-dpo_generation_config.json'),
    'tokenizer_config.json': text('params/tinyllama-chat-dpo_tokenizer_config.json'),
    'special_tokens_map.json': text('params/tinyllama-chat-dpo_special_tokens_map.json'),
    'all_results.json': text('metrics/tinyllama-chat-dpo_all_results.json'),
    'eval_results.json': text('metrics/tinyllama-chat-dpo_eval_results.json'),
    'train_results.json': text('metrics/tinyllama-chat-dpo_train_results.json'),
  };

  it('a model config.json edited (26d45f26e drops _name_or_path) is no hyperparameter change, and no evaluation is stale', async () => {
    const config = checkpoint['config.json'];
    const edited = config.replace(/\n {2}"_name_or_path": [^\n]*/, '');
    expect(edited).not.toBe(config);
    const report = await analyzePair(checkpoint, { 'config.json': edited });
    expect(report.params).toEqual([]);
    expect(report.findings).toEqual([]);
    // The head's config.json holds `architectures` and `transformers_version` (its `_name_or_path` is gone).
    expect(report.kinds).toEqual([
      {
        path: 'config.json',
        kind: 'none',
        by: 'content',
        reason: "a saved model's file (architectures, transformers_version), not training hyperparameters",
      },
    ]);
  });

  it('a PEFT adapter config saved beside it still is one: its LoRA rank and alpha are diffed', async () => {
    // aaghaazkhan/law-llm 6a386b9d3 adds a LoRA checkpoint: adapter_config.json (r 4, lora_alpha 8) with the
    // model's and tokenizer's configs.
    const report = await analyzePair(
      { 'README.md': 'law-llm' },
      {
        'adapter_config.json': text('params/law-llm-lora_adapter_config.json'),
        'config.json': checkpoint['config.json'],
        'generation_config.json': checkpoint['generation_config.json'],
        'tokenizer_config.json': checkpoint['tokenizer_config.json'],
      },
    );
    expect(report.params.map((p) => p.path)).toEqual(['adapter_config.json']);
    const added = report.params[0]?.changes ?? [];
    expect(
      added.filter((c) => ['r', 'lora_alpha'].includes(c.key)).map((c) => [c.key, c.kind, c.head]),
    ).toEqual([
      ['lora_alpha', 'added', 8],
      ['r', 'added', 4],
    ]);
    expect(report.kinds?.map((k) => [k.path, k.kind, k.by])).toEqual([
      ['adapter_config.json', 'params', 'name'],
      ['config.json', 'none', 'content'],
      ['generation_config.json', 'none', 'content'],
      ['tokenizer_config.json', 'none', 'content'],
    ]);
    expect(report.kinds?.find((k) => k.path === 'tokenizer_config.json')?.reason).toBe(
      "a saved tokenizer's or processor's file (added_tokens_decoder, tokenizer_class), not training hyperparameters",
    );
  });
});

describe('W&B run records are not training configs', () => {
  // yc1999/stanford_alpaca 96f9f4ca4: the W&B config.yaml of a run holds the model's generation defaults,
  // `max_length: 20` among them; it is not the run's max sequence length.
  const wandb = text('params/alpaca-repro_wandb_config.run2.yaml');
  const train = fixture('datasets/mlx_wikisql_train.base.jsonl');

  it('under wandb/ they are not read, and no row is cut at their max_length of 20', async () => {
    const report = await analyzePair(
      { 'README.md': 'alpaca' },
      { 'wandb/run-20230707_160014-5hx57wy1/files/config.yaml': wandb, 'data/train.jsonl': train },
    );
    expect(report.params).toEqual([]);
    expect(report.findings.filter((f) => f.check === 'data-truncation')).toEqual([]);
    expect(report.datasets.map((d) => [d.path, d.status])).toEqual([['data/train.jsonl', 'added']]);
  });

  it('copied elsewhere, their content gives them away', async () => {
    const report = await analyzePair({ 'README.md': 'alpaca' }, { 'configs/run.yaml': wandb });
    expect(report.params).toEqual([]);
    expect(report.kinds).toEqual([
      {
        path: 'configs/run.yaml',
        kind: 'none',
        by: 'content',
        reason: 'a W&B run record (wandb_version, _wandb), not a training config',
      },
    ]);
  });
});

describe("a tool's dot-file config is not a hyperparameter file", () => {
  it("lm-evaluation-harness 21e128d80: .pre-commit-config.yaml's language_version is no hyperparameter", async () => {
    // The same pull request raises a real config's learning rate 5e-6 → 5e-5: only that is reported.
    const dpo = text('params/qwen3_lora_dpo.yaml');
    const report = await analyzePair(
      {
        '.pre-commit-config.yaml': text('params/harness_pre-commit-config.before.yaml'),
        'examples/dpo.yaml': dpo,
      },
      {
        '.pre-commit-config.yaml': text('params/harness_pre-commit-config.after.yaml'),
        'examples/dpo.yaml': dpo.replace('learning_rate: 5.0e-6', 'learning_rate: 5.0e-5'),
      },
    );
    expect(report.params.map((p) => [p.path, p.changes.map((c) => [c.key, c.base, c.head])])).toEqual([
      ['examples/dpo.yaml', [['learning_rate', 5e-6, 5e-5]]],
    ]);
  });
});

describe('a YAML file named like a config that is not a mapping', () => {
  // LLaMA-Factory's KTransformers optimize rules: a YAML list of module match/replace rules under examples/.
  const rules = text('params/llamafactory_kt_optimize_rules_DeepSeek-V2-Lite-Chat-sft-amx.yaml');
  const dpo = text('params/qwen3_lora_dpo.yaml');
  const base = {
    'examples/kt_optimize_rules/DeepSeek-V2-Lite-Chat-sft-amx.yaml': rules,
    'examples/dpo.yaml': dpo,
  };
  const head = { 'examples/dpo.yaml': dpo.replace('num_train_epochs: 3.0', 'num_train_epochs: 2.0') };

  it('is set aside silently when only its name picked it', async () => {
    const report = await analyzePair(base, head);
    expect(report.unreadable).toEqual([]);
    expect(report.findings.filter((f) => f.check === 'input-unreadable')).toEqual([]);
    expect(report.params.map((p) => p.path)).toEqual(['examples/dpo.yaml']);
  });

  it('stays unreadable when the config names it as hyperparameters', async () => {
    const report = await analyzePair(base, head, 'params: ["examples/**/*.yaml"]\n');
    expect(report.unreadable).toEqual([
      {
        path: 'examples/kt_optimize_rules/DeepSeek-V2-Lite-Chat-sft-amx.yaml',
        side: 'base',
        line: 1,
        reason: 'expected a mapping of hyperparameters at the top level',
      },
    ]);
  });
});

describe('a JSON file named like results that holds none', () => {
  // gururise/AlpacaDataCleaned 9161f71be rewords eval/templates/piqa.json, a prompt template: strings only.
  const before = text('metrics/alpacadatacleaned_piqa_template.before.json');
  const after = text('metrics/alpacadatacleaned_piqa_template.after.json');

  it('a prompt template is set aside silently, with the reason in the kinds', async () => {
    const report = await analyzePair(
      { 'eval/templates/piqa.json': before },
      { 'eval/templates/piqa.json': after },
    );
    expect(report.unreadable).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.kinds).toEqual([
      {
        path: 'eval/templates/piqa.json',
        kind: 'none',
        by: 'content',
        reason: 'holds no number: not evaluation results',
      },
    ]);
  });

  it('is unreadable on both sides when the config names it as results', async () => {
    const report = await analyzePair(
      { 'eval/templates/piqa.json': before },
      { 'eval/templates/piqa.json': after },
      'metrics: ["eval/**/*.json"]\n',
    );
    expect(report.unreadable.map((u) => [u.path, u.side, u.reason])).toEqual([
      ['eval/templates/piqa.json', 'base', 'the file holds no numeric metric'],
      ['eval/templates/piqa.json', 'head', 'the file holds no numeric metric'],
    ]);
  });
});

describe("a training run's summary is not evaluation results", () => {
  // JustinBStrong/qlora 2d91e4573 deletes the diverged run's output: its Trainer summaries (epoch, train_loss
  // 15.31, train_runtime, throughputs) and its trainer_state.json.
  const summary = text('metrics/qlora-diverging_all_results.json');
  const files = {
    'output/all_results.json': summary,
    'output/train_results.json': summary,
    'output/metrics.json': text('metrics/qlora-diverging_metrics.json'),
    'README.md': 'qlora',
  };

  it('deleting the summaries is no evaluation metric removed', async () => {
    const report = await analyzePair(files, {
      'output/all_results.json': null,
      'output/train_results.json': null,
      'output/metrics.json': null,
    });
    expect(report.metrics).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.kinds?.map((k) => [k.path, k.kind, k.reason])).toEqual([
      [
        'output/all_results.json',
        'none',
        "a training run's summary (epoch, train_loss, train_runtime): no evaluation metric",
      ],
      [
        'output/metrics.json',
        'none',
        "a training run's summary (train_runtime, train_samples_per_second, train_steps_per_second): no evaluation metric",
      ],
      [
        'output/train_results.json',
        'none',
        "a training run's summary (epoch, train_loss, train_runtime): no evaluation metric",
      ],
    ]);
  });

  it('a summary that also holds evaluation metrics counts only those when deleted', async () => {
    // TinyLlama DPO all_results.json: 9 eval metrics (logits, logps, loss, rewards) beside epoch, the eval
    // run time, sample count and throughputs, and 5 train figures.
    const report = await analyzePair(
      { 'all_results.json': text('metrics/tinyllama-chat-dpo_all_results.json'), 'README.md': 'a' },
      { 'all_results.json': null },
    );
    expect(report.findings.map(summarise)).toEqual([
      {
        check: 'eval-metric-removed',
        severity: 'warning',
        title: 'The results file all_results.json was deleted (9 metrics)',
        location: { path: 'all_results.json', side: 'base' },
      },
    ]);
  });
});
