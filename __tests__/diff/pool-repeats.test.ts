import { describe, expect, it } from '@jest/globals';
import { computeRepeatsNeeded } from '../../src/diff/compute-detectable.js';
import { findRepeats, poolRepeats, type SeriesRun } from '../../src/diff/pool-repeats.js';
import type { MetricsFile } from '../../src/loaders/parse-metrics.js';

/** A results file of one task with `acc` (and its stderr), run with `seed`. */
function run(path: string, acc: number, stderr: number | undefined, seed?: number, model = 'hf'): SeriesRun {
  const file: MetricsFile = {
    format: 'lm-eval',
    metrics: [
      { key: 'arc/acc', task: 'arc', metric: 'acc', value: acc, ...(stderr !== undefined ? { stderr } : {}) },
    ],
    tasks: { arc: { nShot: 0 } },
    evaluator: {
      model,
      modelArgs: 'pretrained=org/m',
      ...(seed !== undefined ? { seeds: `random_seed=${seed}` } : {}),
    },
    groups: {},
    problems: [],
  };
  return { path, file };
}

describe('findRepeats', () => {
  const anchor = run('r/results_3.json', 0.6, 0.05, 3);

  it('walks back while the runs have new seeds, the same model and the same settings', () => {
    const earlier = [run('r/results_2.json', 0.64, 0.05, 2), run('r/results_1.json', 0.68, 0.05, 1)];
    expect(findRepeats(anchor, earlier).map((r) => r.path)).toEqual([
      'r/results_3.json',
      'r/results_2.json',
      'r/results_1.json',
    ]);
  });

  it('stops at a seed seen already, another model, other settings, an ineligible run or no seeds', () => {
    const same = run('r/results_2.json', 0.64, 0.05, 3);
    expect(findRepeats(anchor, [same, run('r/results_1.json', 0.6, 0.05, 1)])).toHaveLength(1);
    expect(findRepeats(anchor, [run('r/results_2.json', 0.6, 0.05, 2, 'vllm')])).toHaveLength(1);
    const fiveShot = run('r/results_2.json', 0.6, 0.05, 2);
    fiveShot.file.tasks = { arc: { nShot: 5 } };
    expect(findRepeats(anchor, [fiveShot])).toHaveLength(1);
    expect(findRepeats(anchor, [run('r/results_2.json', 0.6, 0.05, 2)], () => false)).toHaveLength(1);
    expect(findRepeats(anchor, [run('r/results_2.json', 0.6, 0.05)])).toHaveLength(1);
    expect(
      findRepeats(run('r/results_3.json', 0.6, 0.05), [run('r/results_2.json', 0.6, 0.05, 2)]),
    ).toHaveLength(1);
  });
});

describe('poolRepeats', () => {
  it('means the values and adds the seeds variance over k to the items noise', () => {
    // Base 0.70, 0.74 (se 0.04, 0.05); head 0.60, 0.64, 0.68 (se 0.05 each). By hand (python3):
    // base: √((0.04² + 0.05²)/2 + 0.0008/2) = 0.04949747468305833;
    // head: √(0.05² + 0.0016/3) = 0.05507570547286104.
    const pooled = poolRepeats(
      [run('b/2', 0.7, 0.04, 2), run('b/1', 0.74, 0.05, 1)],
      [run('h/3', 0.6, 0.05, 3), run('h/2', 0.64, 0.05, 2), run('h/1', 0.68, 0.05, 1)],
    );
    expect(pooled.base.metrics[0]?.value).toBeCloseTo(0.72, 12);
    expect(pooled.head.metrics[0]?.value).toBeCloseTo(0.64, 12);
    expect(pooled.base.metrics[0]?.stderr).toBeCloseTo(0.04949747468305833, 12);
    expect(pooled.head.metrics[0]?.stderr).toBeCloseTo(0.05507570547286104, 12);
    const noise = pooled.noise.get('arc/acc');
    expect(noise?.base).toBe(2);
    expect(noise?.head).toBe(3);
    expect(noise?.within).toBeCloseTo((0.04 ** 2 + 0.05 ** 2) / 2 + 0.05 ** 2, 15);
    expect(noise?.seedVariance.base).toBeCloseTo(0.0008, 15);
    expect(noise?.seedVariance.head).toBeCloseTo(0.0016, 15);
    // Welch–Satterthwaite (python3): (w + 0.0008/2 + 0.0016/3)² / ((0.0008/2)²/1 + (0.0016/3)²/2) = 99.48621323529413.
    expect(noise?.df).toBeCloseTo(99.48621323529413, 9);
  });

  it('gives a single run the seeds variance the other side shows, and tests metrics without stderr', () => {
    const pooled = poolRepeats(
      [run('b/1', 0.7, undefined, 1)],
      [run('h/2', 0.6, undefined, 2), run('h/1', 0.64, undefined, 1)],
    );
    // Seeds variance on head: (0.02² + 0.02²)/1 = 0.0008.
    expect(pooled.base.metrics[0]?.stderr).toBeCloseTo(Math.sqrt(0.0008), 12);
    expect(pooled.head.metrics[0]?.stderr).toBeCloseTo(Math.sqrt(0.0008 / 2), 12);
    // One estimate (head's two runs, 1 df) behind both sides' seed parts: 1 degree of freedom.
    expect(pooled.noise.get('arc/acc')?.df).toBeCloseTo(1, 12);
  });

  it('leaves a metric alone when nothing says how noisy it is', () => {
    const pooled = poolRepeats(
      [run('b/1', 0.7, undefined, 1)],
      [run('h/2', 0.6, undefined, 2), run('h/1', 0.6, undefined, 1)],
    );
    expect(pooled.noise.size).toBe(0);
    expect(pooled.head.metrics[0]).toEqual(run('h/2', 0.6, undefined, 2).file.metrics[0]);
  });
});

describe('computeRepeatsNeeded', () => {
  it('is the runs a side that bring the detectable change down to the target', () => {
    // (z₀.₉₉₅ + z₀.₈)² = 3.4174505371218142²; (4e-4 + 2e-4) / (0.05²/3.41745² − 1e-5) = 2.9403 (python3) → 3.
    const noise = { base: 1, head: 2, within: 1e-5, seedVariance: { base: 4e-4, head: 2e-4 }, df: Infinity };
    expect(computeRepeatsNeeded(noise, 0.01, 0.05)).toBe(3);
    // At α = 0.05, target 0.02, no item noise: 2e-4 / (0.02² / 2.8015852²) = 3.9244 → 4.
    expect(
      computeRepeatsNeeded(
        { base: 3, head: 3, within: 0, seedVariance: { base: 1e-4, head: 1e-4 }, df: Infinity },
        0.05,
        0.02,
      ),
    ).toBe(4);
  });

  it("uses Student's t on the seeds' degrees of freedom", () => {
    // scipy: t.ppf(0.975, 4) + t.ppf(0.8, 4) = 3.717409682432975; 2e-4 / (0.02² / 3.7174²) = 6.9096 → 7.
    const noise = { base: 3, head: 3, within: 0, seedVariance: { base: 1e-4, head: 1e-4 }, df: 4 };
    expect(computeRepeatsNeeded(noise, 0.05, 0.02)).toBe(7);
  });

  it('promises nothing when the items noise alone exceeds the target, or seeds do not move the score', () => {
    expect(
      computeRepeatsNeeded(
        { base: 3, head: 3, within: 1e-3, seedVariance: { base: 1e-4, head: 1e-4 }, df: Infinity },
        0.05,
        0.02,
      ),
    ).toBeUndefined();
    expect(
      computeRepeatsNeeded(
        { base: 3, head: 3, within: 0, seedVariance: { base: 0, head: 0 }, df: Infinity },
        0.05,
        0.02,
      ),
    ).toBeUndefined();
  });
});
