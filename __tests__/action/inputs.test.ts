import { describe, expect, it } from '@jest/globals';
import { parseGlobLines, readInputs } from '../../action/inputs.js';

describe('the results input: one glob a line', () => {
  it.each([
    ['', []],
    ['results/*.json', ['results/*.json']],
    [
      '# lm-eval output\nresults/**/*.json\n\n  samples_*.jsonl  \n',
      ['results/**/*.json', 'samples_*.jsonl'],
    ],
    ['a.json\r\nb.json\r\n', ['a.json', 'b.json']],
    ['!results/tmp/**\n   # indented comment', ['!results/tmp/**']],
  ])('%j', (text, globs) => {
    expect(parseGlobLines(text)).toEqual(globs);
  });

  it('is read as a list of globs, empty when not set', () => {
    expect(readInputs((name) => (name === 'results' ? 'eval/*.json\n' : '')).results).toEqual([
      'eval/*.json',
    ]);
    expect(readInputs(() => '').results).toEqual([]);
  });
});
