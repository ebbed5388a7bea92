import { z } from 'zod';
import type { DatasetProfile } from '../../../model/report-schema.js';
import type { TokenCounter } from '../create-token-counter.js';
import { mix32 } from '../hash-record.js';
import { CountHistogram, type HistogramState } from '../sketches/count-histogram.js';
import { TWO_POW_32, type Figure, type FigureContext, type FigureKind, type ProfiledRow } from './figure.js';
import { histogramSchema } from './state-codec.js';

/** The tokens figure's state: characters of every row, tokens of the sampled rows. */
export interface TokensState {
  chars: HistogramState;
  tokens: HistogramState;
  tokenizedRows: number;
  tokenizedChars: number;
}

/** Texts sampled for tokens but not counted yet (see `TokensFigure.takePending`). */
export interface PendingTokens {
  texts: string[];
  extra: number[];
  chars: number[];
}

/** Common max sequence lengths reported in `tokensOver`. */
export const COMMON_SEQUENCE_LENGTHS = [512, 1024, 2048, 4096, 8192, 16384, 32768] as const;
const CHAT_TOKENS_PER_TURN = 3;
const CHAT_TOKENS_PER_REPLY = 3;

/**
 * Row lengths in characters (every row) and in tokens (every row, or a sample chosen by position on
 * large datasets), with the chat template's overhead of a few tokens per turn. Without a counter, the
 * sampled texts wait in `takePending` for another thread to count them.
 */
export class TokensFigure implements Figure<TokensState> {
  chars = new CountHistogram();
  tokens = new CountHistogram();
  tokenizedRows = 0;
  tokenizedChars = 0;
  private pending: PendingTokens = { texts: [], extra: [], chars: [] };
  private readonly tokenRate: number;
  private readonly tokenizer: string;
  private readonly tokenCounter: TokenCounter | undefined;

  constructor(context: FigureContext) {
    this.tokenRate = context.settings.tokenRate;
    this.tokenizer = context.settings.tokenizer;
    this.tokenCounter = context.tokenCounter;
  }

  add(row: ProfiledRow): void {
    const chars = row.digest.chars;
    this.chars.add(chars);
    const rate = this.tokenRate;
    if (rate <= 0 || (rate < 1 && mix32(row.sampleKey ^ 0x27d4eb2f) / TWO_POW_32 >= rate)) return;
    const view = row.view;
    const text = view.sequence.length === 1 ? (view.sequence[0] as string) : view.sequence.join('\n');
    const overhead = view.turns > 0 ? view.turns * CHAT_TOKENS_PER_TURN + CHAT_TOKENS_PER_REPLY : 0;
    if (this.tokenCounter === undefined) {
      this.pending.texts.push(text);
      this.pending.extra.push(overhead);
      this.pending.chars.push(chars);
    } else this.addCount(this.tokenCounter.count(text) + overhead, chars);
  }

  /** The texts waiting to be counted, emptied: count each (`count(text) + extra`) and pass them to `addCounts`. */
  takePending(): PendingTokens {
    const pending = this.pending;
    this.pending = { texts: [], extra: [], chars: [] };
    return pending;
  }

  /** Adds the token counts of texts sampled by a figure without a counter (or by itself). */
  addCounts(counts: readonly number[], chars: readonly number[]): void {
    counts.forEach((count, index) => this.addCount(count, chars[index] ?? 0));
  }

  private addCount(count: number, chars: number): void {
    this.tokens.add(count);
    this.tokenizedRows += 1;
    this.tokenizedChars += chars;
  }

  /**
   * Rows longer than `length` tokens of `rows` in all; scaled from the tokenised sample when tokens
   * were sampled, so an estimate then.
   */
  rowsOver(length: number, rows: number): number {
    const over = this.tokens.countAbove(length);
    if (this.tokenRate >= 1 || this.tokenizedRows === 0) return over;
    return Math.round((over / this.tokenizedRows) * rows);
  }

  merge(other: this): void {
    this.chars.merge(other.chars);
    this.tokens.merge(other.tokens);
    this.tokenizedRows += other.tokenizedRows;
    this.tokenizedChars += other.tokenizedChars;
  }

  mergeState(state: TokensState): void {
    this.chars.merge(CountHistogram.fromState(state.chars));
    this.tokens.merge(CountHistogram.fromState(state.tokens));
    this.tokenizedRows += state.tokenizedRows;
    this.tokenizedChars += state.tokenizedChars;
  }

  toState(): TokensState {
    return {
      chars: this.chars.toState(),
      tokens: this.tokens.toState(),
      tokenizedRows: this.tokenizedRows,
      tokenizedChars: this.tokenizedChars,
    };
  }

  transferables(): ArrayBuffer[] {
    return [];
  }

  finish(into: DatasetProfile): void {
    const chars = this.chars.quantiles();
    const tokens = this.tokens.quantiles();
    const estimated = this.tokenRate < 1;
    if (chars !== undefined) into.chars = chars;
    if (tokens !== undefined) into.tokens = tokens;
    into.totalTokens =
      this.tokenizedRows === 0
        ? 0
        : estimated
          ? Math.round((this.tokens.sum / Math.max(1, this.tokenizedChars)) * this.chars.sum)
          : this.tokens.sum;
    if (into.rows === 0 || this.tokenizer === '') return;
    into.tokenizer = {
      name: this.tokenizer,
      estimated: estimated || this.tokens.coarse,
      sampledRows: this.tokenizedRows,
    };
    into.tokensOver = COMMON_SEQUENCE_LENGTHS.map((length) => ({
      length,
      rows: this.rowsOver(length, into.rows),
    }));
  }
}

/** Restores a tokens figure from its state; it counts tokens only if `context` has a counter. */
export function restoreTokens(state: TokensState, context: FigureContext): TokensFigure {
  const figure = new TokensFigure(context);
  figure.chars = CountHistogram.fromState(state.chars);
  figure.tokens = CountHistogram.fromState(state.tokens);
  figure.tokenizedRows = state.tokenizedRows;
  figure.tokenizedChars = state.tokenizedChars;
  return figure;
}

/** The tokens figure as registered. */
export const tokensKind: FigureKind<TokensFigure, TokensState, TokensState> = {
  create: (context) => new TokensFigure(context),
  restore: restoreTokens,
  schema: z.object({
    chars: histogramSchema,
    tokens: histogramSchema,
    tokenizedRows: z.number(),
    tokenizedChars: z.number(),
  }),
  serialize: (state) => state,
  parse: (json) => json,
};
