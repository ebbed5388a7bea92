import { describe, expect, it } from '@jest/globals';
import { createTextStyle, shouldColor } from '../../cli/text-style.js';
import { PLAIN } from '../../src/render/render-text.js';

describe('shouldColor', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    // no-color.org: an empty NO_COLOR does not count.
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    // As Node decides for its own output, FORCE_COLOR wins over NO_COLOR.
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    // CI alone does not colour a pipe (picocolors' own detection would).
    [{ CI: 'true' }, false, false],
  ])('%p on a terminal %p: %p', (env, terminal, expected) => {
    expect(shouldColor(env, terminal)).toBe(expected);
  });
});

describe('createTextStyle', () => {
  it('colours with ANSI sequences when asked', () => {
    const style = createTextStyle(true);
    expect(style.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(style.bold('x')).toBe('\u001b[1mx\u001b[22m');
  });

  it('is plain otherwise', () => {
    expect(createTextStyle(false)).toBe(PLAIN);
    expect(PLAIN.red('x')).toBe('x');
  });
});
