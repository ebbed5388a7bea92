import { describe, expect, it } from '@jest/globals';
import { neutralizeTerminalText } from '../../src/text/neutralize-terminal-text.js';

describe('neutralizeTerminalText', () => {
  it.each([
    ['plain text, unchanged', 'data/train.jsonl: 400 → 318 rows ×10', 'data/train.jsonl: 400 → 318 rows ×10'],
    ['a colour (SGR)', 'a\u001b[31mred\u001b[0m', 'ared'],
    ['erase line and carriage return', 'ok\u001b[2K\rall good', 'ok all good'],
    ['a cursor move with parameters', 'x\u001b[10;20Hy', 'xy'],
    ['a window title (OSC 0, BEL)', '\u001b]0;owned\u0007t', 't'],
    ['a hyperlink (OSC 8, ST)', '\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['a clipboard write (OSC 52)', 'a\u001b]52;c;ZWNobyBoaQ==\u0007b', 'ab'],
    ['a device control string (DCS)', 'a\u001bPq#0;2;0;0;0\u001b\\b', 'ab'],
    ['a C1 control sequence introducer', 'a\u009b31mb', 'ab'],
    ['a lone escape at the end', 'end\u001b', 'end'],
    ['tab and line breaks, as spaces', 'a\tb\nc\r\nd', 'a b c d'],
    [
      'NUL, BEL, DEL and a C1 control, shown',
      'a\u0000b\u0007c\u007fd\u0085e',
      'a\ufffdb\ufffdc\ufffdd\ufffde',
    ],
    ['bidirectional overrides and isolates, shown', 'a\u202eb\u2066c\u2069d', 'a\ufffdb\ufffdc\ufffdd'],
    ['the empty string', '', ''],
  ])('%s', (_, input, expected) => {
    expect(neutralizeTerminalText(input)).toBe(expected);
  });
});
