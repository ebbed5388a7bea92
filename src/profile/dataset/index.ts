/**
 * The dataset engine's one door: everything outside `src/profile/dataset/` asks the engine through
 * these exports, never through its internals (lint enforces it).
 */
export { DatasetProfiler, NGRAM_WORDS } from './dataset-profiler.js';
export {
  createTokenCounter,
  DEFAULT_TOKENIZER,
  resolveTokenizerSpec,
  type TokenCounter,
  type TokenizerSpec,
} from './create-token-counter.js';
export { MIN_SHARED_NGRAMS, type DatasetSketch, type PassageOverlap } from './dataset-sketch.js';
export { findShardSpec } from './plan-dataset-shards.js';
export type { DatasetProfileResult } from './profile-dataset.js';
export {
  createProfileDocument,
  mergeProfileDocuments,
  parseProfileDocument,
  parseProfileDocumentText,
} from './profile-document.js';
export { profileSnapshotDataset } from './profile-snapshot-dataset.js';
export { profileLocalDataset } from './workers/profile-in-workers.js';
