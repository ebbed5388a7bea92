import { describe, expect, it } from '@jest/globals';
import type { Baseline } from '../../src/model/report-schema.js';
import { describeBaseline, renderBaseline } from '../../src/render/render-baseline.js';

const BASELINE: Baseline = {
  runId: 123,
  url: 'https://github.com/octo-org/tuned/actions/runs/123',
  sha: 'abc1234def5678abc1234def5678abc1234def56',
  branch: 'main',
  event: 'push',
  commitsBack: 0,
  createdAt: '2025-02-24T22:00:00Z',
  ageDays: 3,
  files: [{ path: 'results/r.json', baselinePath: 'results/r.json' }],
};

describe('describeBaseline', () => {
  it.each([
    [{}, 'run 123 on main at abc1234, 3 days old'],
    [{ ageDays: 0 }, 'run 123 on main at abc1234, less than a day old'],
    [{ ageDays: 1, commitsBack: 2 }, 'run 123 on main at abc1234 (2 commits before the base), 1 day old'],
    [{ sha: 'not a sha' }, 'run 123 on main at (not a commit), 3 days old'],
  ])('%j gives %s', (change, expected) => {
    expect(describeBaseline({ ...BASELINE, ...change })).toBe(expected);
  });
});

describe('renderBaseline', () => {
  it('links the run, shows the branch as code and says what the baseline stands in for', () => {
    expect(renderBaseline(BASELINE)).toBe(
      '**Baseline:** [run 123](https://github.com/octo-org/tuned/actions/runs/123) on <code>main</code> at abc1234, 3 days old. ' +
        "The base commit has no results file: 1 results file on head is compared with that run's report.",
    );
  });

  it('escapes a hostile branch name and a link that tries to end early', () => {
    const line = renderBaseline({
      ...BASELINE,
      branch: '<img src=x onerror=alert(1)>',
      url: 'https://example.com/a)[b](https://evil',
    });
    expect(line).not.toContain('<img');
    expect(line).toContain('[run 123](https://example.com/a%29[b]%28https://evil)');
  });
});
