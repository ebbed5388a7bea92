import { describe, expect, it } from '@jest/globals';
import { inspectRecord } from '../../../src/profile/dataset/inspect-record.js';

const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });

describe('inspectRecord', () => {
  it.each([
    [
      'a valid OpenAI chat',
      { messages: [{ role: 'system', content: 'Be brief.' }, user('Hi'), assistant('Hello')] },
      'openai-chat',
      [],
    ],
    [
      'an empty assistant turn',
      { messages: [user('Hi'), assistant('  ')] },
      'openai-chat',
      ['empty-content'],
    ],
    [
      'a turn with no content',
      { messages: [user('Hi'), { role: 'assistant' }] },
      'openai-chat',
      ['missing-content'],
    ],
    [
      'a tool call instead of text',
      {
        messages: [
          user('Hi'),
          { role: 'assistant', content: null, tool_calls: [{ id: 'x' }] },
          { role: 'tool', content: '{}' },
          assistant('Done'),
        ],
      },
      'openai-chat',
      [],
    ],
    [
      'an unknown role and key',
      { messages: [user('Hi'), { role: 'bot', content: 'Hey', mood: 'ok' }] },
      'openai-chat',
      ['unknown-role', 'unknown-turn-key', 'no-assistant-turn'],
    ],
    [
      'the user last',
      { messages: [user('Hi'), assistant('Hello'), user('Bye')] },
      'openai-chat',
      ['last-turn-not-assistant'],
    ],
    [
      'two user turns in a row',
      { messages: [user('Hi'), user('Again'), assistant('Hello')] },
      'openai-chat',
      ['roles-not-alternating'],
    ],
    [
      'a system turn late, the assistant first',
      { messages: [assistant('Hello'), { role: 'system', content: 'x' }, user('y'), assistant('z')] },
      'openai-chat',
      ['system-not-first', 'first-turn-not-user'],
    ],
    ['no turns', { messages: [] }, 'openai-chat', ['no-turns']],
    ['messages not a list', { messages: 'hi' }, 'openai-chat', ['turns-not-a-list']],
    [
      'typed content parts (LLaMA-Factory v1)',
      {
        messages: [
          { role: 'user', content: [{ type: 'text', value: 'hi' }], loss_weight: 0 },
          { role: 'assistant', content: [{ type: 'text', text: 'Hello' }], loss_weight: 1 },
        ],
      },
      'openai-chat',
      [],
    ],
    [
      'ShareGPT with tool turns',
      {
        conversations: [
          { from: 'human', value: 'Cook?' },
          { from: 'function_call', value: '{}' },
          { from: 'observation', value: '{}' },
          { from: 'gpt', value: 'Yes' },
        ],
      },
      'sharegpt',
      [],
    ],
    [
      'ShareGPT missing a role',
      { conversations: [{ value: 'Hi' }, { from: 'gpt', value: 'Hello' }] },
      'sharegpt',
      ['missing-role', 'first-turn-not-user'],
    ],
    ['Alpaca', { instruction: 'Add', input: '1 1', output: '2' }, 'alpaca', []],
    [
      'Alpaca with no answer',
      { instruction: ' ', input: '', output: '' },
      'alpaca',
      ['empty-instruction', 'empty-output'],
    ],
    ['prompt and completion', { prompt: 'Q', completion: '' }, 'prompt-completion', ['empty-completion']],
    [
      'a preference pair with equal answers',
      { prompt: 'Q', chosen: 'A', rejected: ' A ' },
      'preference',
      ['chosen-equals-rejected'],
    ],
    [
      'a ShareGPT preference pair (LLaMA-Factory DPO)',
      {
        conversations: [{ from: 'human', value: 'Q' }],
        chosen: { from: 'gpt', value: 'A' },
        rejected: { from: 'gpt', value: 'B' },
      },
      'preference',
      [],
    ],
    ['classification', { text: 'great', label: 1 }, 'classification', []],
    ['classification with no label', { text: 'great', label: '' }, 'classification', ['missing-label']],
    ['plain text', { text: '' }, 'text', ['empty-text']],
    ['something else', { foo: 'bar' }, 'other', []],
    ['not an object', ['a'], 'other', ['not-an-object']],
  ])('reads %s', (_name, record, format, errors) => {
    const view = inspectRecord(record);
    expect(view.format).toBe(format);
    expect(view.errors).toEqual(errors);
  });

  it('splits a chat into its prompt (turns before the last answer) and answer', () => {
    const view = inspectRecord({
      messages: [user('Hi'), assistant('Hello'), user('Name?'), assistant('Ann')],
    });
    expect(view.input).toEqual(['user', 'Hi', 'assistant', 'Hello', 'user', 'Name?']);
    expect(view.output).toBe('Ann');
    expect(view.turns).toBe(4);
  });

  it('takes the label of a KTO row and the longer answer of a preference pair as its sequence', () => {
    expect(inspectRecord({ messages: [user('Q'), assistant('A')], label: true }).label).toBe('true');
    const pair = inspectRecord({ prompt: 'Q', chosen: 'short', rejected: 'a longer answer' });
    expect(pair.sequence).toEqual(['Q', 'a longer answer']);
    expect(pair.output).toBe('short');
  });
});
