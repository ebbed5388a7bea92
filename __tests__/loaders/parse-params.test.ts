import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseParamsFile } from '../../src/loaders/parse-params.js';
import { ParseError } from '../../src/model/errors.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/params/${name}`, import.meta.url), 'utf8');

describe('parseParamsFile', () => {
  // Values and lines read off the fixtures with `grep -n`.
  it.each([
    ['llama3-lora-1b.after.yml', 'learning_rate', 0.0002, 44],
    ['llama3-lora-1b.after.yml', 'warmup_ratio', 0.1, 57],
    ['llama3-lora-1b.after.yml', 'special_tokens.pad_token', '<|end_of_text|>', 62],
    ['llama3-lora-1b.after.yml', 'datasets[0].type', 'alpaca', 7],
    ['zephyr-7b-beta_sft_config_full.after-pr182.yaml', 'learning_rate', 2e-5, 26],
    ['zephyr-7b-beta_sft_config_full.after-pr182.yaml', 'per_device_train_batch_size', 16, 37],
    ['qwen3_full_sft.yaml', 'num_train_epochs', 3, 32],
    ['ds_z3_config.json', 'zero_optimization.stage', 3, 19],
    ['ds_z3_config.json', 'train_micro_batch_size_per_gpu', 'auto', 3],
    ['accelerate_zero3.head.yaml', 'num_processes', 8, 16],
    ['law-llm-lora_adapter_config.json', 'r', 4, 22],
  ])('%s: %s = %p at line %p', (file, key, value, line) => {
    const params = parseParamsFile(fixture(file), file);
    expect(params.values.get(key)).toEqual(value);
    expect(params.lines.get(key)).toBe(line);
  });

  it('keeps lists of scalars whole and in order', () => {
    const params = parseParamsFile(fixture('llama3-lora-1b.after.yml'), 'a.yml');
    expect(params.values.get('lora_target_modules')).toEqual([
      'gate_proj',
      'down_proj',
      'up_proj',
      'q_proj',
      'v_proj',
      'k_proj',
      'o_proj',
    ]);
    // An empty YAML value is a null, not a dropped key.
    expect(params.values.get('lora_model_dir')).toBeNull();
  });

  it('unwraps W&B value/desc entries', () => {
    const params = parseParamsFile(fixture('alpaca-repro_wandb_config.run2.yaml'), 'config.yaml');
    expect(params.values.get('learning_rate')).toBe(2e-5);
    expect(params.values.get('num_train_epochs')).toBe(3);
    expect(params.values.get('per_device_train_batch_size')).toBe(2);
    expect(params.lines.get('learning_rate')).toBe(302);
  });

  it('reads TOML tables with lines', () => {
    const text = 'seed = 42\n\n[training]\nlearning_rate = 1e-4\n"num_epochs" = 3\n\n[lora]\nr = 16\n';
    const params = parseParamsFile(text, 'params.toml');
    expect([...params.values]).toEqual([
      ['seed', 42],
      ['training.learning_rate', 0.0001],
      ['training.num_epochs', 3],
      ['lora.r', 16],
    ]);
    expect([...params.lines]).toEqual([
      ['seed', 1],
      ['training.learning_rate', 4],
      ['training.num_epochs', 5],
      ['lora.r', 8],
    ]);
  });

  it.each([
    ['broken.yaml', 'lr: 0.1\nlora:\n  r: [8\nseed: 1\n', /invalid YAML/],
    ['broken.json', '{\n  "lr": 0.1,\n  "r": \n}\n', /invalid JSON/],
    ['broken.toml', 'lr = 0.1\nr = = 8\n', /invalid TOML/],
    ['list.yaml', '- a\n- b\n', /mapping/],
  ])('%s becomes a ParseError with a line', (path, text, pattern) => {
    let error: unknown;
    try {
      parseParamsFile(text, path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(pattern);
    expect((error as ParseError).line).toBeGreaterThanOrEqual(1);
    // The line is a field of its own, not repeated in the message.
    expect((error as ParseError).message).not.toMatch(/at line \d+/);
  });

  it.each([
    [
      'deep.json',
      `{"lr": 0.1, "a": ${'{"b": '.repeat(20_000)}1${'}'.repeat(20_000)}}`,
      'nested too deeply to read: no hyperparameter file nests so far',
      undefined,
    ],
    [
      'deep.yaml',
      `lr: 0.1\na: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      'invalid YAML: nested too deeply to read',
      2,
    ],
  ])(
    '%s nested thousands of levels deep says so, not that the stack ran out',
    (path, text, message, line) => {
      let error: unknown;
      try {
        parseParamsFile(text, path);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ParseError);
      expect([(error as ParseError).message, (error as ParseError).line]).toEqual([message, line]);
    },
  );

  it('reads a file nested 200 levels deep as one dotted key', () => {
    const text = `{"lr": 0.1, "a": ${'{"b": '.repeat(200)}1${'}'.repeat(200)}}`;
    expect([...parseParamsFile(text, 'deep.json').values.keys()]).toEqual(['lr', `a${'.b'.repeat(200)}`]);
  });

  it.each([['empty.yaml'], ['empty.json'], ['empty.toml']])('%s has no keys', (path) => {
    expect(parseParamsFile('', path).values.size).toBe(0);
  });
});

describe('parseParamsFile on YAML anchors, aliases and merge keys', () => {
  // Each expected value is what PyYAML's safe_load gives for the same text, flattened.
  it.each([
    [
      'an alias of a scalar',
      'base_lr: &lr 0.001\nlearning_rate: *lr\n',
      { base_lr: 0.001, learning_rate: 0.001 },
    ],
    [
      'an alias of a map',
      'opt: &o { name: adam, beta: 0.9 }\noptimizer: *o\n',
      { 'opt.name': 'adam', 'opt.beta': 0.9, 'optimizer.name': 'adam', 'optimizer.beta': 0.9 },
    ],
    [
      'a merge key, whose map keeps its own keys wherever written',
      'defaults: &d { lr: 0.1, epochs: 3 }\nsft: { lr: 0.2, <<: *d }\n',
      { 'defaults.lr': 0.1, 'defaults.epochs': 3, 'sft.lr': 0.2, 'sft.epochs': 3 },
    ],
    [
      'a merge of two maps, the first winning',
      'a: &a { x: 1 }\nb: &b { x: 2, y: 2 }\nc: { <<: [*a, *b] }\n',
      { 'a.x': 1, 'b.x': 2, 'b.y': 2, 'c.x': 1, 'c.y': 2 },
    ],
    ['an alias of a list', 'l: &l [1, 2]\nm: *l\n', { l: [1, 2], m: [1, 2] }],
    ['an alias inside the map it names (left out)', 'a: &x { self: *x, k: 1 }\n', { 'a.k': 1 }],
  ])('%s', (_name, text, expected) => {
    expect(Object.fromEntries(parseParamsFile(text, 'sft.yaml').values)).toEqual(expected);
  });
});

describe('parseParamsFile: numbers PyYAML reads as strings', () => {
  // python3 + PyYAML 6.0.3 (yaml.safe_load) on each fixture: the values that are strings spelling a number.
  it.each([
    ['torchtune_llama3_2_1B_lora_single_device.yaml', [['optimizer.lr', '3e-4']]],
    [
      'verl_ppo_trainer_split.yaml',
      [
        ['actor_rollout_ref.actor.optim.lr', '1e-6'],
        ['critic.optim.lr', '1e-5'],
      ],
    ],
    ['mlx-lm_lora_config.yaml', [['learning_rate', '1e-5']]],
    ['qwen3_full_sft.yaml', []],
  ])('%s', (name, expected) => {
    const file = parseParamsFile(fixture(name), name);
    expect([...(file.textNumbers ?? new Map<string, string>())]).toEqual(expected);
    // The value itself stays the number the YAML 1.2 reading gives, for comparisons.
    for (const [key] of expected) expect(typeof file.values.get(key as string)).toBe('number');
  });

  it('forgets a text number that a later key or a merge overrides, and ignores quoted strings', () => {
    const text = 'base: &b\n  lr: 1e-5\nrun:\n  <<: *b\n  lr: 1.0e-5\nquoted: "1e-5"\n';
    expect(parseParamsFile(text, 'p.yaml').textNumbers).toEqual(new Map([['base.lr', '1e-5']]));
  });
});
