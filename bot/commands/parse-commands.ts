/** The slash commands the App answers, as typed after `/tuneguard`. */
export const COMMAND_NAMES = ['rerun-eval', 'recheck', 'accept', 'help'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/**
 * One `/tuneguard …` line of a comment: the command's name (lower-cased, as typed) and its arguments,
 * or, when the arguments cannot be split (an unclosed quote), the reason in `error`.
 */
export type ParsedCommand = { name: string; args: string[] } | { name: string; error: string };

/** Commands read from one comment; the rest are ignored, so one comment cannot queue unbounded work. */
export const MAX_COMMANDS_PER_COMMENT = 3;

const COMMAND_LINE = /^ {0,3}\/tuneguard(?:[ \t]+(.*))?$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const QUOTES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '“': '”', '‘': '’', '„': '“' };

/**
 * Finds the slash commands in a comment: each is a line of its own that starts with `/tuneguard`
 * (up to three spaces of indentation, any letter case), anywhere in the comment. Lines inside fenced
 * code blocks, quoted lines (`> /tuneguard …`, as in a reply) and lines inside an HTML comment
 * (`<!-- … -->`, which GitHub does not show, over as many lines as it spans, to the end of the text when
 * it is never closed) are not commands. A bare `/tuneguard`
 * asks for `help`. Arguments split on whitespace; double, single and typographic quotes group words,
 * and a backslash escapes the next character inside double quotes. At most
 * {@link MAX_COMMANDS_PER_COMMENT} commands are returned, in order.
 * @example parseCommands('LGTM\n/tuneguard accept eval-regression "known drop"')
 *   // [{ name: 'accept', args: ['eval-regression', 'known drop'] }]
 */
export function parseCommands(body: string): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  let fence: string | undefined;
  let hidden = false;
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    // A line an HTML comment was open at the start of is hidden, whatever it holds.
    if (hidden) {
      hidden = isCommentOpenAfter(line, true);
      continue;
    }
    const opening = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      // A fence closes with the same character, at least as long as the one that opened it.
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length)
        fence = undefined;
      continue;
    }
    if (opening !== undefined) {
      fence = opening;
      continue;
    }
    const match = COMMAND_LINE.exec(line.trimEnd());
    hidden = isCommentOpenAfter(line, false);
    if (!match) continue;
    const words = splitArguments(match[1] ?? '');
    if (typeof words === 'string') {
      const name = (match[1] ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      commands.push({ name, error: words });
    } else {
      const [name = 'help', ...args] = words;
      commands.push({ name: name.toLowerCase(), args });
    }
    if (commands.length === MAX_COMMANDS_PER_COMMENT) break;
  }
  return commands;
}

/**
 * Whether an HTML comment is still open at the end of `line`, given whether one was open at its start:
 * `<!--` opens one and the next `-->` closes it (`<!-->` is a whole, empty comment).
 */
function isCommentOpenAfter(line: string, openAtStart: boolean): boolean {
  let open = openAtStart;
  let index = 0;
  for (;;) {
    const next = line.indexOf(open ? '-->' : '<!--', index);
    if (next < 0) return open;
    // After `<!--`, the search for `-->` starts at its first dash, so that `<!-->` closes itself.
    index = open ? next + 3 : next + 2;
    open = !open;
  }
}

/** Whether a parsed name is one of {@link COMMAND_NAMES}. */
export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** Splits a command's arguments like a shell would, without expansion; returns the error text when a quote is left open. */
function splitArguments(text: string): string[] | string {
  const words: string[] = [];
  let word: string | undefined;
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      index += 1;
      continue;
    }
    const close = QUOTES[char];
    if (close === undefined) {
      word = (word ?? '') + char;
      index += 1;
      continue;
    }
    let quoted = '';
    let end = index + 1;
    for (; end < text.length; end += 1) {
      const inner = text[end] ?? '';
      if (inner === close) break;
      if (char === '"' && inner === '\\' && end + 1 < text.length) {
        end += 1;
        quoted += text[end] ?? '';
        continue;
      }
      quoted += inner;
    }
    if (end >= text.length) return `the quote ${char} opened at character ${index + 1} is never closed`;
    word = (word ?? '') + quoted;
    index = end + 1;
  }
  if (word !== undefined) words.push(word);
  return words;
}
