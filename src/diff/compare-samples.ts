import type { SampleLog } from '../loaders/read-sample-log.js';
import {
  computeMcNemarTest,
  computePairedBootstrap,
  type SignificanceTest,
} from '../stats/compute-significance.js';

/** A paired test of one metric over the items both runs scored. */
export interface SampleComparison extends SignificanceTest {
  /** Items scored by both runs (the pairs), and by only one side. */
  paired: number;
  onlyBase: number;
  onlyHead: number;
}

/**
 * Compares two per-item logs of the same task metric by metric, pairing items by `doc_hash` or id:
 * McNemar's test when every score is 0 or 1, a paired bootstrap otherwise. Metrics without a single
 * common item are left out. Keys are the metric names of the logs (`acc`, `exact_match[strict-match]`).
 */
export function compareSampleLogs(
  base: SampleLog,
  head: SampleLog,
  confidence = 0.95,
): Map<string, SampleComparison> {
  const result = new Map<string, SampleComparison>();
  for (const [metric, baseItems] of base.scores) {
    const headItems = head.scores.get(metric);
    if (!headItems) continue;
    const baseScores: number[] = [];
    const headScores: number[] = [];
    for (const [id, score] of baseItems) {
      const other = headItems.get(id);
      if (other === undefined) continue;
      baseScores.push(score);
      headScores.push(other);
    }
    const paired = baseScores.length;
    if (paired === 0) continue;
    const counts = { paired, onlyBase: baseItems.size - paired, onlyHead: headItems.size - paired };
    const binary = baseScores.every(isBinary) && headScores.every(isBinary);
    if (binary) {
      let b = 0;
      let c = 0;
      baseScores.forEach((score, i) => {
        if (score === 1 && headScores[i] === 0) b++;
        if (score === 0 && headScores[i] === 1) c++;
      });
      result.set(metric, { ...computeMcNemarTest(b, c, paired, confidence), ...counts });
    } else {
      result.set(metric, { ...computePairedBootstrap(baseScores, headScores, { confidence }), ...counts });
    }
  }
  return result;
}

function isBinary(score: number): boolean {
  return score === 0 || score === 1;
}
