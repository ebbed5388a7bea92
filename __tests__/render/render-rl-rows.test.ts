import { describe, expect, it } from '@jest/globals';
import { DETAIL_LEVELS } from '../../src/render/markdown-parts.js';
import { renderTrainingSection } from '../../src/render/render-training.js';
import { fixtureText, trainingEntry } from '../checks/helpers/build-context.js';

const PATH = 'grpo/trainer_state.json';
const NO_SHORT = { lines: [], counted: [] };

/** The training table's rows by their label, as `[base, head]`. */
function rowsOf(markdown: string): Record<string, [string, string]> {
  const rows: Record<string, [string, string]> = {};
  for (const line of markdown.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const [label, base, head] = cells;
    if (cells.length === 3 && label && base !== undefined && head !== undefined) rows[label] = [base, head];
  }
  return rows;
}

describe('the training table of an RL run', () => {
  // Means of the first and last 5 logged values, computed with python3 (see profile-rl-run.test.ts).
  const markdown =
    renderTrainingSection(
      [
        trainingEntry(PATH, {
          base: fixtureText('training/tinyllama-chat-dpo_trainer_state.json'),
          head: fixtureText('training/chaos-economy-grpo_trainer_state.json'),
        }),
      ],
      NO_SHORT,
      DETAIL_LEVELS[0] ?? { fullFindings: 5, listedFindings: 30, rows: 60, files: 20 },
    ) ?? '';
  const rows = rowsOf(markdown);

  it('says "GRPO run: reward x → y" first, where the DPO base is no RL run', () => {
    // The first key is the header's separator row (`---`).
    expect(Object.keys(rows).slice(0, 3)).toEqual(['---', 'Run', 'Last step']);
    expect(rows['Run']).toEqual(['not an RL run', 'GRPO run: reward 0.3908 → 0.1967']);
  });

  it('shows each signal as start → end, shares as percentages', () => {
    expect(rows['Mean completion length']).toEqual(['—', '446.9 → 509.7']);
    expect(rows['Completions cut at the limit']).toEqual(['—', '76.0% → 98.0%']);
    expect(rows['Groups with all-equal rewards']).toEqual(['—', '0.0% → 16.0%']);
    expect(rows['KL from the reference']).toEqual(['—', '0.000911 → 0.03631']);
    expect(rows['Entropy']).toBeUndefined();
  });
});
