import { describe, expect, it } from '@jest/globals';
import { parseRenames } from '../../src/io/git.js';

describe('parseRenames', () => {
  it.each([
    ['', []],
    ['R100\0a.json\0b.json\0', [{ from: 'a.json', to: 'b.json', similarity: 1 }]],
    [
      'R087\0data/old name.jsonl\0data/new\tname.jsonl\0R050\0x.yml\0y.yml\0',
      [
        { from: 'data/old name.jsonl', to: 'data/new\tname.jsonl', similarity: 0.87 },
        { from: 'x.yml', to: 'y.yml', similarity: 0.5 },
      ],
    ],
    // Other entries name one path (copies two) and are skipped; the command asks for renames only.
    [
      'M\0a.json\0C075\0d.json\0e.json\0R090\0b.json\0c.json\0',
      [{ from: 'b.json', to: 'c.json', similarity: 0.9 }],
    ],
  ])('reads %p', (output, renames) => {
    expect(parseRenames(output)).toEqual(renames);
  });
});
