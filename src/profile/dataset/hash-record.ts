/** A record's fingerprint and text size, as `hashRecord` computes them in one walk. */
export interface RecordDigest {
  /** 52-bit hash of the normalised record, never 0 (see `hashRecord`). */
  fingerprint: number;
  /** Characters (code points) of all string leaves; keys are not text of the record. */
  chars: number;
}

const TWO_POW_20 = 1048576;
const MULTIPLIER_A = 0x9e3779b1;
const MULTIPLIER_B = 0x01000193;

const MAX_REMEMBERED = 64;
const LANE_A = 0;
const LANE_B = 1;
const TEXT_A = 2;
const TEXT_B = 3;

/**
 * Hashes records and texts for one profiler: two 32-bit lanes with different multipliers kept in its
 * fields so a walk allocates nothing (one pair for the record's structure, one for the string being
 * hashed), the texts of the current record remembered (`rememberTextHashes`) so the record's walk and
 * its parts (a prompt, an answer) read each long text once, and the word hashes of the last texts
 * collected for near-duplicates and n-grams.
 */
export class RecordHasher {
  // The lanes as raw 32-bit integers: stores into a typed array need no boxing of numbers beyond 2^30.
  private readonly lanes = new Int32Array(4);
  private charCount = 0;
  // A handful of texts per record: found by a linear search, where the same string object compares
  // equal at once (a Map would read the whole string to hash it).
  private readonly rememberedTexts: string[] = [];
  private readonly rememberedHashes: number[] = [];
  private remembered = 0;
  private wordBuffer = new Int32Array(4096);
  private wordCount = 0;

  /**
   * Hashes a record so that copies differing only in key order, letter case or whitespace collide:
   * object keys are taken in sorted order (and kept as they are), string values are lowercased, trimmed
   * and their inner whitespace runs collapsed to one space, and the structure (objects, arrays, numbers,
   * booleans, null) is part of the hash. The result is a 52-bit integer, exact in a double, never 0;
   * collisions are expected once in about 2^26 distinct records (67 million). Also counts the characters
   * (code points) of the string leaves. Throws `RangeError` only for a record nested too deeply to walk.
   *
   * Written as one loop over the characters because a JavaScript loop is faster here than the native
   * string operations it replaces (lowercasing, a whitespace regex, JSON, SHA-1), each of which copies
   * the text once more.
   *
   * @example
   * hasher.hashRecord({ b: ' Hello  World', a: 1 }).fingerprint === hasher.hashRecord({ a: 1, b: 'hello world' }).fingerprint; // => true
   */
  hashRecord(record: unknown, into: RecordDigest = { fingerprint: 0, chars: 0 }): RecordDigest {
    this.lanes[LANE_A] = 0x811c9dc5;
    this.lanes[LANE_B] = 0x2545f491;
    this.charCount = 0;
    this.walk(record);
    into.fingerprint = finish(this.lanes[LANE_A], this.lanes[LANE_B]);
    into.chars = this.charCount;
    return into;
  }

  /**
   * The 52-bit hash of a text after the same normalisation as string values in `hashRecord` (lowercase,
   * trimmed, whitespace runs collapsed), never 0.
   *
   * @example
   * hasher.hashText(' Who are  YOU? ') === hasher.hashText('who are you?'); // => true
   */
  hashText(text: string): number {
    this.lanes[TEXT_A] = 0x811c9dc5;
    this.lanes[TEXT_B] = 0x2545f491;
    this.feedNormalised(text);
    return finish(this.lanes[TEXT_A], this.lanes[TEXT_B]);
  }

  /**
   * The hash of a sequence of texts, each normalised as by `hashText` (so it depends on the texts and
   * their order, not on how they are spelled in case and whitespace). Texts remembered for the current
   * record are not read again. Never 0.
   *
   * @example
   * hasher.hashTexts(['user', 'Hi ']) === hasher.hashTexts(['USER', 'hi']); // => true
   */
  hashTexts(texts: readonly string[]): number {
    let a = 0x2f1b3c4d;
    let b = 0x6a09e667;
    for (let index = 0; index < texts.length; index += 1) {
      const hash = this.findTextHash(texts[index] as string);
      const high = Math.floor(hash / TWO_POW_20);
      a = (Math.imul(a, MULTIPLIER_A) + high) | 0;
      b = Math.imul(b ^ (hash % TWO_POW_20), MULTIPLIER_B) ^ high;
    }
    return finish(a, b);
  }

  /**
   * Hashes the texts of the record about to be hashed (its turn contents, say) and remembers them until
   * the next call, so `hashRecord`, `hashTexts` and `findTextHash` do not read them again; with
   * `collectWords`, also collects their word hashes (`lastWordHashes`). Short texts are not worth
   * remembering.
   */
  rememberTextHashes(texts: readonly string[], collectWords = false): void {
    this.remembered = 0;
    this.wordCount = 0;
    // Indexed loops in this file: a `for…of` around an inlined character loop makes V8 compile the
    // character loop two to three times slower.
    for (let index = 0; index < texts.length; index += 1) {
      const text = texts[index] as string;
      if (!collectWords && text.length < 32) continue;
      this.lanes[TEXT_A] = 0x811c9dc5;
      this.lanes[TEXT_B] = 0x2545f491;
      if (collectWords) this.feedNormalisedWords(text);
      else this.feedNormalised(text);
      if (text.length < 32 || this.remembered === MAX_REMEMBERED) continue;
      this.rememberedTexts[this.remembered] = text;
      this.rememberedHashes[this.remembered] = finish(this.lanes[TEXT_A], this.lanes[TEXT_B]);
      this.remembered += 1;
    }
  }

  /**
   * The word hashes of the texts last given to `rememberTextHashes` with `collectWords` (or to
   * `collectWordHashes`): a word is a maximal run of letters and digits (or characters beyond ASCII
   * other than spaces), lowercased; punctuation and whitespace separate words, as lm-evaluation-harness's
   * decontamination normalises text. The buffer is reused by the next call; its first `count` entries
   * are valid.
   */
  lastWordHashes(): { words: Int32Array; count: number } {
    return { words: this.wordBuffer, count: this.wordCount };
  }

  /** The buffer of `lastWordHashes`, without an object around it (for the per-row figures). */
  get lastWords(): Int32Array {
    return this.wordBuffer;
  }

  /** How many entries of `lastWords` are valid. */
  get lastWordCount(): number {
    return this.wordCount;
  }

  /** Collects the word hashes of texts (see `lastWordHashes`) and returns how many there are. */
  collectWordHashes(texts: readonly string[]): number {
    this.rememberTextHashes(texts, true);
    return this.wordCount;
  }

  /** `hashText` of a text, free when it was remembered by the last `rememberTextHashes`. */
  findTextHash(text: string): number {
    if (text.length >= 32) {
      for (let index = 0; index < this.remembered; index += 1) {
        if (this.rememberedTexts[index] === text) return this.rememberedHashes[index] as number;
      }
    }
    return this.hashText(text);
  }

  private feedCode(code: number): void {
    this.lanes[LANE_A] = (Math.imul(this.lanes[LANE_A] as number, MULTIPLIER_A) + code) | 0;
    this.lanes[LANE_B] = Math.imul((this.lanes[LANE_B] as number) ^ code, MULTIPLIER_B);
  }

  private walk(value: unknown): void {
    if (typeof value === 'string') {
      const hash = this.findTextHash(value);
      this.feedCode(Math.floor(hash / TWO_POW_20));
      this.feedCode(hash % TWO_POW_20);
      this.feedCode(STRING_END);
      this.charCount += countCodePoints(value);
      return;
    }
    if (Array.isArray(value)) {
      this.feedCode(ARRAY_START);
      for (let index = 0; index < value.length; index += 1) this.walk(value[index]);
      this.feedCode(ARRAY_END);
      return;
    }
    if (isPlainObject(value)) {
      this.feedCode(OBJECT_START);
      const keys = Object.keys(value);
      // Most objects of a dataset are chat turns with two keys: ordered by hand, which costs far less than a sort call.
      if (keys.length === 2) {
        const first = keys[0] as string;
        const second = keys[1] as string;
        if (second < first) {
          keys[0] = second;
          keys[1] = first;
        }
      } else if (keys.length > 2) keys.sort(compareText);
      for (let index = 0; index < keys.length; index += 1) {
        const key = keys[index] as string;
        this.feedRaw(key);
        this.feedCode(KEY_END);
        this.walk(value[key]);
      }
      this.feedCode(OBJECT_END);
      return;
    }
    this.feedCode(SCALAR);
    this.feedRaw(JSON.stringify(value) ?? 'null');
  }

  private feedRaw(text: string): void {
    let a = this.lanes[LANE_A] as number;
    let b = this.lanes[LANE_B] as number;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      a = (Math.imul(a, MULTIPLIER_A) + code) | 0;
      b = Math.imul(b ^ code, MULTIPLIER_B);
    }
    this.lanes[LANE_A] = a;
    this.lanes[LANE_B] = b;
  }

  /**
   * Feeds the text lowercased, trimmed, with every whitespace run as one space. Without a branch on the
   * characters: a space that follows a space (or starts the text) is fed with a mask that leaves the
   * lanes as they were, because a branch taken at every word boundary costs more than the hashing.
   */
  private feedNormalised(text: string): void {
    const end = trimmedEnd(text);
    let a = this.lanes[TEXT_A] as number;
    let b = this.lanes[TEXT_B] as number;
    let previous = SPACE_BIT;
    for (let index = 0; index < end; index += 1) {
      const entry = NORMALISED[text.charCodeAt(index)] as number;
      const space = entry & SPACE_BIT;
      const keep = ((space & previous) >>> 16) - 1;
      previous = space;
      const code = entry & CODE_MASK;
      const nextA = (Math.imul(a, MULTIPLIER_A) + code) | 0;
      const nextB = Math.imul(b ^ code, MULTIPLIER_B);
      a ^= (nextA ^ a) & keep;
      b ^= (nextB ^ b) & keep;
    }
    this.lanes[TEXT_A] = a;
    this.lanes[TEXT_B] = b;
  }

  /** `feedNormalised`, also hashing the text's words into the word buffer (see `lastWordHashes`). */
  private feedNormalisedWords(text: string): void {
    const end = trimmedEnd(text);
    // A text of n characters has at most n/2 + 1 words: room for all of them, and for the write past the last.
    if (this.wordCount + end + 2 > this.wordBuffer.length) {
      const bigger = new Int32Array(Math.max(this.wordBuffer.length * 2, this.wordCount + end + 2));
      bigger.set(this.wordBuffer.subarray(0, this.wordCount));
      this.wordBuffer = bigger;
    }
    const words = this.wordBuffer;
    let count = this.wordCount;
    let a = this.lanes[TEXT_A] as number;
    let b = this.lanes[TEXT_B] as number;
    let previous = SPACE_BIT;
    let word = 0;
    let inWord = 0;
    for (let index = 0; index < end; index += 1) {
      const entry = NORMALISED[text.charCodeAt(index)] as number;
      const space = entry & SPACE_BIT;
      const keep = ((space & previous) >>> 16) - 1;
      previous = space;
      const code = entry & CODE_MASK;
      const nextA = (Math.imul(a, MULTIPLIER_A) + code) | 0;
      const nextB = Math.imul(b ^ code, MULTIPLIER_B);
      a ^= (nextA ^ a) & keep;
      b ^= (nextB ^ b) & keep;
      // Words without branches either: the running word is written at every step and kept (the count
      // moves on) only where a word ends; outside words it is reset to 0.
      const isWord = (entry & WORD_BIT) >>> 17;
      words[count] = word;
      count += inWord & (isWord ^ 1);
      word = ((Math.imul(word, 0x9e3779b1) + code) | 0) & -isWord;
      inWord = isWord;
    }
    words[count] = word;
    count += inWord;
    this.wordCount = count;
    this.lanes[TEXT_A] = a;
    this.lanes[TEXT_B] = b;
  }
}

// For one-off hashing outside a profiler (fingerprints of single records, tests): a profiler owns its own.
let shared: RecordHasher | undefined;

/** `RecordHasher.hashRecord` for a one-off record, outside a profiler. */
export function hashRecord(record: unknown, into?: RecordDigest): RecordDigest {
  return (shared ??= new RecordHasher()).hashRecord(record, into);
}

/** `RecordHasher.hashText` for a one-off text, outside a profiler. */
export function hashText(text: string): number {
  return (shared ??= new RecordHasher()).hashText(text);
}

/** Formats a 52-bit hash as 13 hexadecimal digits. */
export function formatHash(hash: number): string {
  return hash.toString(16).padStart(13, '0');
}

/** Mixes a 32-bit integer into a well-spread 32-bit unsigned integer (MurmurHash3's finaliser). */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function finish(first: number, second: number): number {
  const a = mix32(first ^ Math.imul(second, 0x27d4eb2f));
  const b = mix32(second + Math.imul(a, 0x165667b1));
  const hash = a * TWO_POW_20 + (b >>> 12);
  return hash === 0 ? 1 : hash;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Structure markers sit below the space character, where no normalised text code can be confused with them.
const STRING_END = 1;
const ARRAY_START = 2;
const ARRAY_END = 3;
const OBJECT_START = 4;
const OBJECT_END = 5;
const KEY_END = 6;
const SCALAR = 7;

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Whether a UTF-16 code is whitespace for `\s` (ASCII, NBSP, Unicode spaces, line separators, BOM). */
export function isSpaceCode(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

// Every UTF-16 code unit normalised in one table lookup: the low 16 bits hold the code lowercased (as
// `toLowerCase` does when the result is one code unit; whitespace becomes a space), bit 16 says
// whitespace, bit 17 a word character (a letter or digit, or anything beyond ASCII but whitespace).
const SPACE_BIT = 0x10000;
const WORD_BIT = 0x20000;
const CODE_MASK = 0xffff;
const NORMALISED = new Int32Array(0x10000);
for (let code = 0; code < 0x10000; code += 1) {
  if (isSpaceCode(code)) {
    NORMALISED[code] = SPACE_BIT | 32;
    continue;
  }
  const lower = String.fromCharCode(code).toLowerCase();
  const normalised = lower.length === 1 ? lower.charCodeAt(0) : code;
  const word =
    (normalised >= 97 && normalised <= 122) || (normalised >= 48 && normalised <= 57) || normalised >= 128;
  NORMALISED[code] = normalised | (word ? WORD_BIT : 0);
}

/**
 * Whether a text is empty or all whitespace: `!/\S/.test(text)` without a regular expression call,
 * which costs more than the look at the first character that settles most texts.
 */
export function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (((NORMALISED[text.charCodeAt(index)] as number) & SPACE_BIT) === 0) return false;
  }
  return true;
}

/** Where a text ends once trailing whitespace is dropped. */
function trimmedEnd(text: string): number {
  let end = text.length;
  while (end > 0 && ((NORMALISED[text.charCodeAt(end - 1)] as number) & SPACE_BIT) !== 0) end -= 1;
  return end;
}

// Made once: a regular expression literal is a new object every time it is evaluated, here once per
// string of every record. `test` without the g flag keeps no state between texts.
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** Characters of a string as code points: a surrogate pair is one character in two UTF-16 units. */
export function countCodePoints(text: string): number {
  let count = text.length;
  if (HIGH_SURROGATE.test(text)) for (const _ of text.matchAll(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)) count -= 1;
  return count;
}
