import { describe, expect, it } from '@jest/globals';
import { hashRecord, hashText, RecordHasher } from '../../../src/profile/dataset/hash-record.js';

const hasher = new RecordHasher();

// The normalisation the hashes promise, written with the platform's own string functions: lowercase,
// whitespace runs (as `\s` knows them) collapsed to one space, trimmed.
const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();
// Words as lm-evaluation-harness's decontamination sees them: runs of ASCII letters and digits or of
// characters beyond ASCII other than whitespace.
const referenceWords = (text: string): string[] =>
  normalise(text).match(/(?:[a-z0-9]|[^\s\p{ASCII}])+/gu) ?? [];

const TEXTS = [
  '  Hello,\n\n\tWORLD!  ',
  'Ünïcode ÀÉÎ and ΑΒΓ and ԱԲԳ (Armenian, beyond U+0530)',
  '\u00a0non-breaking\u00a0\u00a0spaces\u2003em space\u3000ideographic\ufeff',
  'tabs\tand\r\nwindows\r\nline ends',
  'x',
  '',
  '   ',
  'emoji 😀 pairs 👍🏽 stay as they are',
  'Mixed CASE with trailing spaces    \n',
];

describe('hashText', () => {
  it('gives equal hashes exactly when the normalised texts are equal', () => {
    for (const text of TEXTS) {
      expect(hashText(text)).toBe(hashText(normalise(text)));
      expect(hashText(text)).not.toBe(hashText(`${normalise(text)}.`));
    }
    // A space inside the text is kept: only runs collapse.
    expect(hashText('ab')).not.toBe(hashText('a b'));
    expect(hashText('a  b')).toBe(hashText('a b'));
  });

  it('is the same whether or not the text was remembered, and with or without collecting words', () => {
    const long = `${TEXTS[1]} ${TEXTS[2]} ${TEXTS[3]}`;
    const direct = hashText(long);
    hasher.rememberTextHashes([long], false);
    expect(hasher.findTextHash(long)).toBe(direct);
    hasher.rememberTextHashes([long], true);
    expect(hasher.findTextHash(long)).toBe(direct);
  });

  it('makes records differing in key order, case and whitespace collide, and counts code points', () => {
    const a = hashRecord({ messages: [{ role: 'user', content: ' Hi  THERE 😀' }], id: 1 });
    const b = hashRecord({ id: 1, messages: [{ content: 'hi there 😀', role: 'USER' }] });
    expect(b.fingerprint).toBe(a.fingerprint);
    // 'user' (4) + 'Hi  THERE 😀' as code points: [...' Hi  THERE 😀'].length = 12.
    expect(a.chars).toBe(4 + [...' Hi  THERE 😀'].length);
    const c = hashRecord({ id: 2, messages: [{ content: 'hi there 😀', role: 'user' }] });
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('word hashes', () => {
  it('finds the words the reference finds, equal words hashing equal', () => {
    for (const text of TEXTS) {
      const expected = referenceWords(text);
      const count = hasher.collectWordHashes([text]);
      expect(count).toBe(expected.length);
      const hashes = Array.from(hasher.lastWordHashes().words.subarray(0, count));
      // Equal words get equal hashes, different words different ones.
      const byWord = new Map<string, number>();
      expected.forEach((word, index) => {
        const known = byWord.get(word);
        if (known === undefined) byWord.set(word, hashes[index] as number);
        else expect(hashes[index]).toBe(known);
      });
      expect(new Set(hashes).size).toBe(byWord.size);
    }
  });

  it('collects the words of several texts in order, beyond the initial buffer', () => {
    const many = Array.from({ length: 3000 }, (_, index) => `w${index % 7}`).join(' ');
    const count = hasher.collectWordHashes([many, 'Tail END']);
    expect(count).toBe(3002);
    const words = hasher.lastWordHashes().words;
    expect(words[0]).toBe(words[7]);
    expect(words[3001]).not.toBe(words[3000]);
    hasher.collectWordHashes(['tail']);
    expect(hasher.lastWordHashes().words[0]).toBe(words[3000]);
  });
});
