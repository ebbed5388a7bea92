import { describe, expect, it } from '@jest/globals';
import { parseYamlDocument } from '../../src/loaders/parse-yaml.js';
import { parseParamsFile } from '../../src/loaders/parse-params.js';

describe('parseYamlDocument reads YAML as PyYAML does', () => {
  // Each expected value is what python3's yaml.safe_load (PyYAML 6) gives for the same text.
  it.each([
    ['lr: 5.0e-5\nsteps: 500_000\nwarmup: 1_0', { lr: 5e-5, steps: 500000, warmup: 10 }],
    [
      'packing: yes\neval: off\nflag: On\ny: 1\nn: n',
      { packing: true, eval: false, flag: true, y: 1, n: 'n' },
    ],
    ['mode: 0o17\nperm: 017', { mode: '0o17', perm: 15 }],
    ['system: "You are a helpful\nassistant."\nlr: 2', { system: 'You are a helpful assistant.', lr: 2 }],
    ['a:\n  prompt: "line one\n line two\n"\n  k: 3', { a: { prompt: 'line one line two ', k: 3 } }],
    ["s: 'it''s\nmore'\nz: 3", { s: "it's more", z: 3 }],
    ['d: "quote \\" inside\nstill"\ne: 1', { d: 'quote " inside still', e: 1 }],
  ])('%p', (text, expected) => {
    expect(parseYamlDocument(text).doc.toJS()).toEqual(expected);
  });

  it('keeps every line number when it mends a quoted scalar', () => {
    const { doc, lineOf } = parseYamlDocument('a: 1\nsystem: "two\nlines"\nlr: 2\n');
    const items = (doc.contents as { items: { key: unknown }[] }).items;
    expect(items.map((item) => lineOf(item.key))).toEqual([1, 2, 4]);
  });

  it.each([
    ['bad: [1, 2', 1],
    ['a: "never closed\nb: 2', 2],
  ])('still reports YAML that PyYAML rejects too: %p at line %p', (text, line) => {
    expect(() => parseYamlDocument(text)).toThrow(expect.objectContaining({ line }));
  });

  it('gives hyperparameters the numbers the frameworks load', () => {
    const params = parseParamsFile(
      'max_steps: 500_000\nsystem_prompt: "Be\nbrief."\nlearning_rate: 1.0e-5\n',
      'sft.yaml',
    );
    expect(Object.fromEntries(params.values)).toEqual({
      max_steps: 500000,
      system_prompt: 'Be brief.',
      learning_rate: 1e-5,
    });
    expect(params.lines.get('learning_rate')).toBe(4);
  });
});
