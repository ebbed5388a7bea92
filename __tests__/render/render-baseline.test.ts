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
  const RUN_URL = 'https://github.com/octo-org/tuned/actions/runs/456';

  it('links the run, shows the branch as code and says what the baseline stands in for', () => {
    expect(renderBaseline(BASELINE, RUN_URL)).toBe(
      '**Baseline:** [run 123](https://github.com/octo-org/tuned/actions/runs/123) on <code>main</code> at abc1234, 3 days old. ' +
        "The base commit has no results file: 1 results file on head is compared with that run's report.",
    );
  });

  it.each([
    ['another host', 'https://evil.example/octo-org/tuned/actions/runs/123'],
    ['another repository', 'https://github.com/mallory/tuned/actions/runs/123'],
    ['another run', 'https://github.com/octo-org/tuned/actions/runs/124'],
    ['a link that tries to end early', 'https://github.com/octo-org/tuned/actions/runs/123)[x](https://evil'],
  ])('links no run page of %s: a report is untrusted', (_what, url) => {
    expect(renderBaseline({ ...BASELINE, url }, RUN_URL)).toMatch(/^\*\*Baseline:\*\* run 123 on /);
  });

  it('links nothing without the page of the rendering run (the CLI, the job summary)', () => {
    expect(renderBaseline(BASELINE)).toMatch(/^\*\*Baseline:\*\* run 123 on <code>main<\/code> at abc1234/);
  });

  it('escapes a hostile branch name', () => {
    const line = renderBaseline({ ...BASELINE, branch: '<img src=x onerror=alert(1)>' }, RUN_URL);
    expect(line).not.toContain('<img');
    expect(line).toContain('<code>&lt;img src=x onerror=alert(1)&gt;</code>');
  });
});
