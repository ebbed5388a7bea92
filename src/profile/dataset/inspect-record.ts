import { RECORD_ERROR_KINDS, type RecordErrorKind, type RecordFormat } from '../../model/vocabulary.js';
import { isBlank } from './hash-record.js';
/** One record as the profile sees it: its format, what is wrong with it, and its parts. */
export interface RecordView {
  format: RecordFormat;
  /** Distinct error kinds, in the order of `RECORD_ERROR_KINDS`' checks. */
  errors: RecordErrorKind[];
  /** All the record's text (turn contents, fields), for near-duplicate and n-gram analysis. */
  texts: string[];
  /** The longest sequence the model trains on (for preference pairs: the prompt and the longer answer). */
  sequence: string[];
  /** Chat turns in `sequence` (0 outside chat formats): chat templates add a few tokens per turn. */
  turns: number;
  /**
   * The prompt side, as the strings it is made of (roles and turn texts, or instruction and input): two
   * rows with equal parts (after case and whitespace normalisation) ask the same thing.
   */
  input?: readonly string[];
  /** The answer: the last assistant turn, `output`, `completion`, `chosen`, or the label. */
  output?: string;
  /** The class label (`label` as text), for classification, KTO and similar. */
  label?: string;
}

type Side = 'system' | 'user' | 'assistant' | 'tool';

const CHAT_ROLES = new Map<string, Side>([
  ['system', 'system'],
  ['developer', 'system'],
  ['user', 'user'],
  ['assistant', 'assistant'],
  ['tool', 'tool'],
  ['function', 'tool'],
  ['ipython', 'tool'],
]);

// LLaMA-Factory's ShareGPT roles (human/gpt/observation/function_call) and the common aliases.
const SHAREGPT_ROLES = new Map<string, Side>([
  ['system', 'system'],
  ['human', 'user'],
  ['user', 'user'],
  ['gpt', 'assistant'],
  ['assistant', 'assistant'],
  ['chatgpt', 'assistant'],
  ['bing', 'assistant'],
  ['bard', 'assistant'],
  ['function_call', 'assistant'],
  ['observation', 'tool'],
  ['tool', 'tool'],
]);

// OpenAI's fine-tuning format (role, content, name, weight, tool calls), plus refusal, reasoning and
// LLaMA-Factory v1's per-message loss_weight.
const CHAT_TURN_KEYS = new Set([
  'role',
  'content',
  'name',
  'weight',
  'tool_calls',
  'tool_call_id',
  'function_call',
  'refusal',
  'reasoning_content',
  'loss_weight',
]);
const SHAREGPT_TURN_KEYS = new Set(['from', 'value', 'weight', 'loss']);

const EMPTY: string[] = [];

/**
 * Tells a record's format from its keys and checks it against that format's rules, returning its parts.
 * Chat rules (OpenAI chat and ShareGPT) follow OpenAI's fine-tuning data checks and LLaMA-Factory's
 * ShareGPT reader: every turn an object with a known role and non-empty content (an assistant turn
 * carrying a tool call may have none), no unknown turn keys, system turns only first, the first other
 * turn from the user, user and assistant alternating (tool results count as the user's side, and
 * consecutive tool results as one), at least one assistant turn, and the last turn the assistant's.
 * Never throws.
 *
 * @example
 * inspectRecord({ instruction: 'hi', input: '', output: '' }).errors; // => ['empty-output']
 */
export function inspectRecord(record: unknown): RecordView {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { format: 'other', errors: ['not-an-object'], texts: EMPTY, sequence: EMPTY, turns: 0 };
  }
  const object = record as Record<string, unknown>;
  const label = readLabel(object['label']);
  if ('chosen' in object && 'rejected' in object) return withLabel(inspectPreference(object), label);
  if ('messages' in object) return withLabel(inspectChat(object['messages'], 'openai-chat'), label);
  if ('conversations' in object) return withLabel(inspectChat(object['conversations'], 'sharegpt'), label);
  if ('instruction' in object && 'output' in object) return withLabel(inspectAlpaca(object), label);
  if ('prompt' in object && 'completion' in object) {
    const prompt = textOf(object['prompt']);
    const completion = textOf(object['completion']);
    const errors: RecordErrorKind[] = [];
    if (isBlank(prompt)) errors.push('empty-prompt');
    if (isBlank(completion)) errors.push('empty-completion');
    const texts = [prompt, completion];
    return withLabel(
      {
        format: 'prompt-completion',
        errors,
        texts,
        sequence: texts,
        turns: 0,
        input: [prompt],
        output: completion,
      },
      label,
    );
  }
  if ('text' in object) {
    const text = textOf(object['text']);
    const errors: RecordErrorKind[] = isBlank(text) ? ['empty-text'] : [];
    if ('label' in object) {
      if (label === undefined) errors.push('missing-label');
      return {
        format: 'classification',
        errors,
        texts: [text],
        sequence: [text],
        turns: 0,
        input: [text],
        ...(label === undefined ? {} : { output: label, label }),
      };
    }
    return { format: 'text', errors, texts: [text], sequence: [text], turns: 0 };
  }
  const texts: string[] = [];
  collectStrings(object, texts);
  return withLabel({ format: 'other', errors: [], texts, sequence: texts, turns: 0 }, label);
}

/** The view with the record's label, when it has one (a function, not a closure made for every record). */
function withLabel(view: RecordView, label: string | undefined): RecordView {
  return label === undefined ? view : { ...view, label };
}

function readLabel(value: unknown): string | undefined {
  if (typeof value === 'string') return isBlank(value) ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The text of a value: a string, or the text parts of an OpenAI/LLaMA-Factory content list. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    let text = '';
    for (const part of value) {
      if (typeof part === 'string') text += part;
      else if (typeof part === 'object' && part !== null) {
        const { text: partText, value: partValue } = part as { text?: unknown; value?: unknown };
        if (typeof partText === 'string') text += partText;
        else if (typeof partValue === 'string') text += partValue;
      }
    }
    return text;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const key in value) collectStrings((value as Record<string, unknown>)[key], into);
  }
}

/**
 * A chat record's view, made by a constructor rather than an object literal: V8 may pretenure a
 * literal's objects after seeing them survive a collection, and a pretenured view would keep its texts
 * (most of a row's bytes) alive until the next full collection. A constructor has no allocation site to
 * pretenure. `input` and `output` are added when the record has an answer, as for the other formats' views.
 */
class ChatView implements RecordView {
  readonly sequence: string[];
  input?: readonly string[];
  output?: string;

  constructor(
    readonly format: RecordFormat,
    readonly errors: RecordErrorKind[],
    readonly texts: string[],
    readonly turns: number,
  ) {
    this.sequence = texts;
  }
}

/*
 * The turns of the chat being read (`readTurns`), in lists reused from record to record: a record's own
 * lists are `slice`d from them at their exact length, which allocates each once, without the growing
 * copies of `push` and without an allocation site V8 could pretenure (an array literal or `new Array` has
 * one; a pretenured list would keep its texts alive until the next full collection).
 */
let turnCount = 0;
const MAX_KEPT_TURNS = 256;
const turnSides: (Side | undefined)[] = [];
const turnTexts: string[] = [];
/** Role and text of each turn, in turn order: `[role, text, role, text, …]`. */
const turnParts: string[] = [];

const BIT = Object.fromEntries(RECORD_ERROR_KINDS.map((kind, index) => [kind, 2 ** index])) as Record<
  RecordErrorKind,
  number
>;
const NO_ERRORS: RecordErrorKind[] = [];

function errorsOf(mask: number): RecordErrorKind[] {
  if (mask === 0) return NO_ERRORS;
  return RECORD_ERROR_KINDS.filter((kind) => (mask & BIT[kind]) !== 0);
}

/**
 * Reads a list of turns under OpenAI (`role`/`content`) or ShareGPT (`from`/`value`) naming into the
 * turn lists (`turnCount` of them), returning its error bits.
 */
function readTurns(value: unknown, format: 'openai-chat' | 'sharegpt'): number {
  turnCount = 0;
  if (turnTexts.length > MAX_KEPT_TURNS) {
    // A very long chat was read: its texts are not kept alive until another as long overwrites them.
    turnSides.length = 0;
    turnTexts.length = 0;
    turnParts.length = 0;
  }
  if (!Array.isArray(value)) return BIT['turns-not-a-list'];
  if (value.length === 0) return BIT['no-turns'];
  let errors = 0;
  let count = 0;
  const chat = format === 'openai-chat';
  const roleKey = chat ? 'role' : 'from';
  const contentKey = chat ? 'content' : 'value';
  const roles = chat ? CHAT_ROLES : SHAREGPT_ROLES;
  const known = chat ? CHAT_TURN_KEYS : SHAREGPT_TURN_KEYS;
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors |= BIT['turn-not-an-object'];
      continue;
    }
    const turn = item as Record<string, unknown>;
    // The role and content keys are known: most keys are settled without a set lookup.
    for (const key in turn) {
      if (key !== roleKey && key !== contentKey && !known.has(key)) errors |= BIT['unknown-turn-key'];
    }
    const role = turn[roleKey];
    const side = typeof role === 'string' ? (roles.get(role) ?? roles.get(role.toLowerCase())) : undefined;
    if (typeof role !== 'string') errors |= BIT['missing-role'];
    else if (side === undefined) errors |= BIT['unknown-role'];
    const content = turn[contentKey];
    const text = textOf(content);
    if (content === undefined || content === null || isBlank(text)) {
      const callsTool =
        (Array.isArray(turn['tool_calls']) && turn['tool_calls'].length > 0) ||
        (typeof turn['function_call'] === 'object' && turn['function_call'] !== null);
      if (!callsTool) {
        errors |= content === undefined || content === null ? BIT['missing-content'] : BIT['empty-content'];
      }
    }
    turnSides[count] = side;
    turnTexts[count] = text;
    turnParts[2 * count] = typeof role === 'string' ? role : '';
    turnParts[2 * count + 1] = text;
    count += 1;
  }
  turnCount = count;
  return errors;
}

/** Order and alternation of the sides of the turns read, as error bits. */
function checkOrder(requireAnswer: boolean): number {
  let errors = 0;
  let previous: Side | undefined;
  let seenOther = false;
  let hasAssistant = false;
  for (let index = 0; index < turnCount; index += 1) {
    const side = turnSides[index];
    if (side === undefined) continue;
    if (side === 'system') {
      if (seenOther) errors |= BIT['system-not-first'];
      continue;
    }
    if (!seenOther && side !== 'user') errors |= BIT['first-turn-not-user'];
    seenOther = true;
    if (side === 'assistant') hasAssistant = true;
    const asUser = side === 'tool' ? 'user' : side;
    const previousAsUser = previous === 'tool' ? 'user' : previous;
    if (previousAsUser === asUser && !(side === 'tool' && previous === 'tool')) {
      errors |= BIT['roles-not-alternating'];
    }
    previous = side;
  }
  if (!requireAnswer) return errors;
  if (!hasAssistant) errors |= BIT['no-assistant-turn'];
  else if (previous !== 'assistant') errors |= BIT['last-turn-not-assistant'];
  return errors;
}

function inspectChat(value: unknown, format: 'openai-chat' | 'sharegpt'): RecordView {
  let errors = readTurns(value, format);
  const count = turnCount;
  if (count > 0) errors |= checkOrder(true);
  let answer = -1;
  for (let index = 0; index < count; index += 1) if (turnSides[index] === 'assistant') answer = index;
  const view = new ChatView(format, errorsOf(errors), turnTexts.slice(0, count), count);
  if (answer < 0) return view;
  // Role and text of the turns before the answer.
  view.input = turnParts.slice(0, 2 * answer);
  view.output = turnTexts[answer] as string;
  return view;
}

function inspectAlpaca(object: Record<string, unknown>): RecordView {
  const instruction = textOf(object['instruction']);
  const input = textOf(object['input']);
  const output = textOf(object['output']);
  const system = textOf(object['system']);
  const history: string[] = [];
  if (Array.isArray(object['history'])) collectStrings(object['history'], history);
  const errors: RecordErrorKind[] = [];
  if (isBlank(instruction)) errors.push('empty-instruction');
  if (isBlank(output)) errors.push('empty-output');
  const texts = [system, ...history, instruction, input, output].filter((text) => text !== '');
  return {
    format: 'alpaca',
    errors,
    texts,
    sequence: texts,
    turns: 0,
    input: [system, ...history, instruction, input],
    output,
  };
}

/** A preference answer: a string, a message object, or a list of messages (TRL's conversational form). */
function answerOf(value: unknown): { text: string; texts: string[] } {
  if (typeof value === 'string') return { text: value, texts: [value] };
  if (Array.isArray(value)) {
    const turns: readonly unknown[] = value;
    const texts = turns.map((turn) => textOf(turnContent(turn)));
    const last = [...turns].reverse().find((turn) => sideOfTurn(turn) === 'assistant');
    return { text: last === undefined ? texts.join('\n') : textOf(turnContent(last)), texts };
  }
  const text = textOf(turnContent(value));
  return { text, texts: [text] };
}

function turnContent(turn: unknown): unknown {
  if (typeof turn !== 'object' || turn === null) return turn;
  const { content, value } = turn as { content?: unknown; value?: unknown };
  return content ?? value;
}

function sideOfTurn(turn: unknown): Side | undefined {
  if (typeof turn !== 'object' || turn === null) return undefined;
  const { role, from } = turn as { role?: unknown; from?: unknown };
  if (typeof role === 'string') return CHAT_ROLES.get(role.toLowerCase());
  if (typeof from === 'string') return SHAREGPT_ROLES.get(from.toLowerCase());
  return undefined;
}

function inspectPreference(object: Record<string, unknown>): RecordView {
  let errors = 0;
  let promptTexts: string[] = [];
  let input: string[] = [];
  let turns = 0;
  const conversation = object['conversations'] ?? object['messages'] ?? object['prompt'];
  if (Array.isArray(conversation)) {
    const format = 'conversations' in object ? 'sharegpt' : 'openai-chat';
    errors |= readTurns(conversation, format);
    errors |= checkOrder(false);
    promptTexts = turnTexts.slice(0, turnCount);
    input = turnParts.slice(0, 2 * turnCount);
    turns = turnCount;
  } else {
    const parts = [
      object['system'],
      object['prompt'] ?? object['question'] ?? object['instruction'],
      object['input'],
    ]
      .map(textOf)
      .filter((text) => text !== '');
    promptTexts = parts;
    input = parts;
  }
  const chosen = answerOf(object['chosen']);
  const rejected = answerOf(object['rejected']);
  if (isBlank(chosen.text)) errors |= BIT['empty-chosen'];
  if (isBlank(rejected.text)) errors |= BIT['empty-rejected'];
  if (!isBlank(chosen.text) && chosen.text.trim() === rejected.text.trim())
    errors |= BIT['chosen-equals-rejected'];
  const longer = chosen.texts.join('').length >= rejected.texts.join('').length ? chosen : rejected;
  return {
    format: 'preference',
    errors: errorsOf(errors),
    texts: [...promptTexts, ...chosen.texts, ...rejected.texts],
    sequence: [...promptTexts, ...longer.texts],
    turns: turns > 0 ? turns + 1 : 0,
    input,
    output: chosen.text,
  };
}
