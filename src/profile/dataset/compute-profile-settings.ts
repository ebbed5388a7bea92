import type { DatasetFormat } from '../../model/vocabulary.js';
import type { TokenCounter } from './create-token-counter.js';
import type { ProfileSettings } from './figures/figure.js';

/** Options of a profiler. */
export interface DatasetProfilerOptions {
  format: DatasetFormat;
  /** Counts tokens; without it (or `deferTokens`) the profile has no token figures. */
  tokenCounter?: TokenCounter;
  /**
   * Instead of counting tokens, keep the sampled texts for another thread to count (`takePendingTokens`,
   * then `addTokenCounts`), so parallel workers share one tokenizer: `name` is that tokenizer's.
   */
  deferTokens?: { name: string };
  /**
   * Size in bytes of the whole dataset (all shards), when known: datasets larger than `exactTokenBytes`
   * get token figures from a sample, larger than `exactNearDuplicateBytes` near-duplicate and n-gram
   * figures from a sample. Unknown size: everything exact.
   */
  expectedBytes?: number;
  /**
   * Bytes this profiler will read, when it reads only part of `expectedBytes` (a shard, a worker's
   * share): its tables are sized from it once the first rows show how many bytes a row takes.
   */
  plannedBytes?: number;
  /** Default 16 MiB. */
  exactTokenBytes?: number;
  /** Default 128 MiB. */
  exactNearDuplicateBytes?: number;
  /** Default 0.8. */
  nearDuplicateThreshold?: number;
  /** Max problems kept with details (all are counted). Default 20. */
  maxProblems?: number;
  /** The files of a dataset made of several, by index (see `startFile`). */
  files?: readonly string[];
}

/** The settings implied by a profiler's options: which figures are sampled, at what rate. */
export function computeProfileSettings(options: DatasetProfilerOptions): ProfileSettings {
  const expected = options.expectedBytes;
  const rate = (budget: number): number =>
    expected === undefined || expected <= budget ? 1 : Math.max(budget / expected, 1e-6);
  const settings: ProfileSettings = {
    format: options.format,
    tokenizer: options.tokenCounter?.name ?? options.deferTokens?.name ?? '',
    tokenRate:
      options.tokenCounter || options.deferTokens ? rate(options.exactTokenBytes ?? 16 * 2 ** 20) : 0,
    nearDuplicateRate: rate(options.exactNearDuplicateBytes ?? 128 * 2 ** 20),
    nearDuplicateThreshold: options.nearDuplicateThreshold ?? 0.8,
    ngramBits: 24,
  };
  if (expected !== undefined) {
    // About one kept n-gram per 12 bytes analysed (6-byte words, one n-gram in two), 8 bits each.
    const analysed = expected * settings.nearDuplicateRate;
    settings.ngramBits = Math.min(26, Math.max(20, Math.ceil(Math.log2((analysed / 12) * 8))));
  }
  return settings;
}
