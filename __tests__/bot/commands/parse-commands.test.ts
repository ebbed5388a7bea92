import { describe, expect, it } from '@jest/globals';
import { parseCommands } from '../../../bot/commands/parse-commands.js';

describe('parseCommands', () => {
  it.each([
    ['a bare command', '/tuneguard recheck', [{ name: 'recheck', args: [] }]],
    ['a bare /tuneguard asks for help', '/tuneguard', [{ name: 'help', args: [] }]],
    ['any letter case; trailing spaces', '/TuneGuard ReCheck  ', [{ name: 'recheck', args: [] }]],
    [
      'on its own line anywhere, CRLF',
      'Thanks!\r\n\r\n/tuneguard rerun-eval limit=5\r\nbye',
      [{ name: 'rerun-eval', args: ['limit=5'] }],
    ],
    ['up to three spaces of indentation', '   /tuneguard help', [{ name: 'help', args: [] }]],
    [
      'double quotes group words',
      '/tuneguard accept eval-regression "known drop, see #12"',
      [{ name: 'accept', args: ['eval-regression', 'known drop, see #12'] }],
    ],
    [
      'single and typographic quotes',
      "/tuneguard accept a 'one two' “three four”",
      [{ name: 'accept', args: ['a', 'one two', 'three four'] }],
    ],
    [
      'quotes inside a word join it',
      '/tuneguard rerun-eval note="a b"c',
      [{ name: 'rerun-eval', args: ['note=a bc'] }],
    ],
    [
      'a backslash escapes in double quotes',
      '/tuneguard accept x "say \\"hi\\""',
      [{ name: 'accept', args: ['x', 'say "hi"'] }],
    ],
    ['an empty quoted argument is kept', '/tuneguard accept x ""', [{ name: 'accept', args: ['x', ''] }]],
    [
      'an unclosed quote is an error',
      '/tuneguard accept x "oops',
      [{ name: 'accept', error: 'the quote " opened at character 10 is never closed' }],
    ],
    ['text before the command on the line: not a command', 'please /tuneguard recheck', []],
    ['a longer word: not a command', '/tuneguarding recheck', []],
    ['a quoted reply: not a command', '> /tuneguard recheck', []],
    ['four spaces: a code block, not a command', '    /tuneguard recheck', []],
    ['inside a fenced block: not a command', '```\n/tuneguard recheck\n```\n~~~~\n/tuneguard help\n~~~~', []],
    [
      'a fence closes only with its own character and length',
      '````\n```\n/tuneguard recheck\n````\n/tuneguard help',
      [{ name: 'help', args: [] }],
    ],
    [
      'at most three commands',
      '/tuneguard help\n/tuneguard recheck\n/tuneguard help\n/tuneguard recheck',
      [
        { name: 'help', args: [] },
        { name: 'recheck', args: [] },
        { name: 'help', args: [] },
      ],
    ],
    ['inside a one-line HTML comment: not a command', '<!-- /tuneguard recheck -->', []],
    [
      'inside a multi-line HTML comment: not a command',
      'Looks good\n<!--\n/tuneguard accept eval-regression "hidden"\n-->\n/tuneguard help',
      [{ name: 'help', args: [] }],
    ],
    [
      'a comment opened at the end of a line hides the lines after it',
      'Thanks <!-- note\n/tuneguard rerun-eval\n  /tuneguard recheck -->',
      [],
    ],
    [
      'a comment never closed hides the rest of the text',
      '/tuneguard help\n<!--\n/tuneguard recheck\n\n/tuneguard rerun-eval',
      [{ name: 'help', args: [] }],
    ],
    [
      'after a comment closes, commands count again',
      '<!-- a --> <!-- b\n--> x\n/tuneguard recheck',
      [{ name: 'recheck', args: [] }],
    ],
    ['an empty comment <!--> closes itself', '<!-->\n/tuneguard recheck', [{ name: 'recheck', args: [] }]],
    [
      'a fence inside a comment is no fence',
      '<!--\n```\n-->\n/tuneguard recheck',
      [{ name: 'recheck', args: [] }],
    ],
    [
      'a comment opener inside a fence opens nothing',
      '```\n<!--\n```\n/tuneguard recheck',
      [{ name: 'recheck', args: [] }],
    ],
    ['a quote of several levels: not a command', '> > /tuneguard recheck\n>/tuneguard help', []],
    ['empty text', '', []],
  ])('%s', (_, body, expected) => {
    expect(parseCommands(body)).toEqual(expected);
  });
});
