import { z } from 'zod';
import type { DatasetProfile, RowRef } from '../../../model/report-schema.js';
import {
  compareText,
  MAX_EXAMPLES,
  sortedEntries,
  type Figure,
  type FigureKind,
  type ProfiledRow,
} from './figure.js';
import { isBlank } from '../hash-record.js';

interface OutputExample {
  kind: 'empty' | 'placeholder' | 'placeholder-input';
  position: number;
  value: string;
}

interface TemplateTally {
  rows: number;
  position: number;
}

/** The outputs figure's state. */
export interface OutputsState {
  outputs: {
    empty: number;
    placeholder: number;
    placeholderInputs: number;
    examples: OutputExample[];
    templateRows: number;
    templates: [string, TemplateTally][];
  };
}

const MAX_TEMPLATES = 50;
const EXAMPLE_KINDS = ['empty', 'placeholder', 'placeholder-input'] as const;
/** Placeholder answers, compared lowercased and trimmed. */
const PLACEHOLDERS = new Set([
  'n/a',
  'na',
  'none',
  'null',
  'nil',
  'nan',
  'undefined',
  'todo',
  'tbd',
  'tba',
  '...',
  '…',
  '-',
  '--',
  '?',
  '<noinput>',
  '<nooutput>',
  '<no input>',
  '<no output>',
  '<none>',
  '<empty>',
  '<blank>',
  '[placeholder]',
  'placeholder',
  'no output',
  'no answer',
  'lorem ipsum',
]);
// `{{ name }}` as Jinja, Mustache and LLaMA-Factory's identity data write it; not `${{ … }}` (GitHub Actions).
const TEMPLATE_VARIABLE = /(?<!\$)\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
/** An answer that is nothing but one template variable: a placeholder answer. */
const ONLY_VARIABLE = /^\s*\{\{\s*[A-Za-z_][\w.-]*\s*\}\}\s*$/;
/**
 * Markup or fenced code: a closing or self-closing tag, a tag with an attribute, a code fence. In such a
 * text `{{ item.name }}` is Vue, Angular, Handlebars or Jinja syntax of the code being trained on, not a
 * prompt variable left unfilled.
 */
const CODE_OR_MARKUP = /```|<\/[A-Za-z][\w.:-]*\s*>|\/>|<[A-Za-z][\w.:-]*\s+[\w.:@#*()[\]-]+\s*=/;

/**
 * Empty and placeholder answers (and Alpaca inputs), and template variables left in the texts (not in
 * texts of code or markup, where `{{ … }}` is the code's own syntax).
 */
export class OutputsFigure implements Figure<OutputsState> {
  empty = 0;
  placeholder = 0;
  placeholderInputs = 0;
  examples: OutputExample[] = [];
  templateRows = 0;
  templates = new Map<string, TemplateTally>();

  add(row: ProfiledRow): void {
    const { format, output, texts } = row.view;
    const position = row.position;
    if (output !== undefined && format !== 'classification') {
      if (isBlank(output)) {
        this.empty += 1;
        this.example('empty', position, output);
      } else if (
        (output.length <= 24 && PLACEHOLDERS.has(output.trim().toLowerCase())) ||
        (output.length <= 64 && output.includes('{{') && ONLY_VARIABLE.test(output))
      ) {
        this.placeholder += 1;
        this.example('placeholder', position, output.trim());
      }
    }
    if (format === 'alpaca') {
      const input = (row.record as { input?: unknown }).input;
      if (typeof input === 'string' && input.length <= 24 && PLACEHOLDERS.has(input.trim().toLowerCase())) {
        this.placeholderInputs += 1;
        this.example('placeholder-input', position, input.trim());
      }
    }
    let names: Set<string> | undefined;
    for (const text of texts) {
      if (!text.includes('{{') || CODE_OR_MARKUP.test(text)) continue;
      for (const match of text.matchAll(TEMPLATE_VARIABLE)) (names ??= new Set()).add(match[1] as string);
    }
    if (names === undefined) return;
    this.templateRows += 1;
    for (const name of names) {
      const counted = this.templates.get(name);
      if (counted !== undefined) counted.rows += 1;
      else if (this.templates.size < MAX_TEMPLATES) this.templates.set(name, { rows: 1, position });
    }
  }

  private example(kind: OutputExample['kind'], position: number, value: string): void {
    if (this.examples.filter((e) => e.kind === kind).length < MAX_EXAMPLES) {
      this.examples.push({ kind, position, value: value.slice(0, 80) });
    }
  }

  merge(other: this): void {
    this.empty += other.empty;
    this.placeholder += other.placeholder;
    this.placeholderInputs += other.placeholderInputs;
    this.templateRows += other.templateRows;
    this.examples = EXAMPLE_KINDS.flatMap((kind) =>
      [...this.examples, ...other.examples]
        .filter((e) => e.kind === kind)
        .sort((a, b) => a.position - b.position)
        .slice(0, MAX_EXAMPLES),
    ).sort((a, b) => a.position - b.position);
    for (const [name, counted] of other.templates) {
      const existing = this.templates.get(name);
      if (existing === undefined) {
        if (this.templates.size < MAX_TEMPLATES) this.templates.set(name, { ...counted });
      } else {
        existing.rows += counted.rows;
        existing.position = Math.min(existing.position, counted.position);
      }
    }
  }

  mergeState(state: OutputsState): void {
    this.merge(restoreOutputs(state) as this);
  }

  toState(): OutputsState {
    return {
      outputs: {
        empty: this.empty,
        placeholder: this.placeholder,
        placeholderInputs: this.placeholderInputs,
        examples: this.examples,
        templateRows: this.templateRows,
        templates: sortedEntries(this.templates),
      },
    };
  }

  transferables(): ArrayBuffer[] {
    return [];
  }

  finish(into: DatasetProfile, refOf: (position: number) => RowRef): void {
    if (into.rows === 0) return;
    into.outputs = {
      empty: this.empty,
      placeholder: this.placeholder,
      placeholderInputs: this.placeholderInputs,
      examples: this.examples.map((e) => ({ kind: e.kind, row: refOf(e.position), value: e.value })),
      templateRows: this.templateRows,
      templates: [...this.templates]
        .sort(([a, x], [b, y]) => y.rows - x.rows || compareText(a, b))
        .map(([name, counted]) => ({ name, rows: counted.rows, example: refOf(counted.position) })),
    };
  }
}

/** Restores an outputs figure from its state. */
export function restoreOutputs(state: OutputsState): OutputsFigure {
  const figure = new OutputsFigure();
  const outputs = state.outputs;
  figure.empty = outputs.empty;
  figure.placeholder = outputs.placeholder;
  figure.placeholderInputs = outputs.placeholderInputs;
  figure.examples = outputs.examples.map((e) => ({ ...e }));
  figure.templateRows = outputs.templateRows;
  figure.templates = new Map(outputs.templates.map(([name, counted]) => [name, { ...counted }]));
  return figure;
}

/** The outputs figure as registered. */
export const outputsKind: FigureKind<OutputsFigure, OutputsState, OutputsState> = {
  create: () => new OutputsFigure(),
  restore: restoreOutputs,
  schema: z.object({
    outputs: z.object({
      empty: z.number(),
      placeholder: z.number(),
      placeholderInputs: z.number(),
      examples: z.array(z.object({ kind: z.enum(EXAMPLE_KINDS), position: z.number(), value: z.string() })),
      templateRows: z.number(),
      templates: z.array(z.tuple([z.string(), z.object({ rows: z.number(), position: z.number() })])),
    }),
  }),
  serialize: (state) => state,
  parse: (json) => json,
};
