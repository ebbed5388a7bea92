import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/model/report-schema.js';
import { groupByCause } from '../../src/render/group-by-cause.js';
import { DETAIL_LEVELS, formatBytes, renderArtifactLine } from '../../src/render/markdown-parts.js';
import { joinFindingBlocks, renderFindings } from '../../src/render/render-findings.js';

function finding(check: string, severity: Finding['severity'], path: string, also: string[] = []): Finding {
  return {
    check,
    severity,
    title: `${check} in ${path}`,
    details: ['why'],
    location: { path, line: 3 },
    ...(also.length > 0 ? { also: also.map((place) => ({ path: place })) } : {}),
  };
}

const [detailed, , , briefest] = DETAIL_LEVELS;
if (!detailed || !briefest) throw new Error('four detail levels');

describe('groupByCause', () => {
  it.each([
    ['no finding', [], []],
    [
      'one check at two severities: two causes, failures first',
      [finding('eval-regression', 'notice', 'a.json'), finding('eval-regression', 'failure', 'b.json')],
      [
        ['failure', 'eval-regression', 1, 1],
        ['notice', 'eval-regression', 1, 1],
      ],
    ],
    [
      'interleaved checks: each cause where its first finding stands, its files counted once',
      [
        finding('data-shrink', 'warning', 'a.jsonl'),
        finding('data-duplicates', 'warning', 'b.jsonl'),
        finding('data-shrink', 'warning', 'c.jsonl'),
        finding('data-shrink', 'warning', 'a.jsonl'),
      ],
      [
        ['warning', 'data-shrink', 3, 2],
        ['warning', 'data-duplicates', 1, 1],
      ],
    ],
    [
      'one finding for many files: its other places count',
      [finding('params-changed', 'notice', 'c0.yml', ['c1.yml', 'c2.yml', 'c0.yml'])],
      [['notice', 'params-changed', 1, 3]],
    ],
  ])('%s', (_, findings, expected) => {
    expect(
      groupByCause(findings).map((cause) => [
        cause.severity,
        cause.check,
        cause.findings.length,
        cause.files,
      ]),
    ).toEqual(expected);
  });
});

describe('renderFindings', () => {
  // 12 shrunk datasets and one regression: the shrink cause is longer than the 5 the detailed level shows.
  const shrinks = Array.from({ length: 12 }, (_, index) =>
    finding('data-shrink', 'warning', `d${index}.jsonl`),
  );
  const findings = [...shrinks, finding('eval-regression', 'failure', 'r.json')];

  it('puts a table of causes first, then each cause: the first in full, the others collapsed', () => {
    const text = joinFindingBlocks(renderFindings(findings, detailed));
    const lines = text.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '**Findings by cause**',
      '',
      '|  | Check | Findings | Files |',
      '|:-:|---|---:|---:|',
      '| ❌ | <code>eval-regression</code> | 1 | 1 |',
      '| ⚠️ | <code>data-shrink</code> | 12 | 12 |',
    ]);
    expect(lines.slice(6, 10)).toEqual([
      '',
      '- ❌ <code>eval-regression</code> eval-regression in r.json · <code>r.json:3</code>',
      '  - why',
      '- ⚠️ <code>data-shrink</code> data-shrink in d0.jsonl · <code>d0.jsonl:3</code>',
    ]);
    // 5 in full with their detail, then a blank line and the 7 others, one line each, collapsed.
    const collapsed = lines.indexOf(
      '<details><summary>⚠️ 7 more <code>data-shrink</code> warnings</summary>',
    );
    expect(collapsed).toBe(6 + 1 + 2 + 5 * 2 + 1);
    expect(lines[collapsed - 1]).toBe('');
    expect(lines.slice(collapsed + 1, collapsed + 3)).toEqual([
      '',
      '- ⚠️ <code>data-shrink</code> data-shrink in d5.jsonl · <code>d5.jsonl:3</code>',
    ]);
    expect(lines.slice(-2)).toEqual(['', '</details>']);
  });

  it('counts what it does not list, in a collapsed list or as the last item', () => {
    const level = { ...detailed, listedFindings: 3 };
    const text = joinFindingBlocks(renderFindings(findings, level));
    expect(text).toContain('\n\nAnd 4 more, in the full report.\n\n</details>');
    const brief = joinFindingBlocks(renderFindings(findings, briefest));
    expect(brief.split('\n').slice(-3)).toEqual([
      '- ⚠️ <code>data-shrink</code> data-shrink in d0.jsonl · <code>d0.jsonl:3</code>',
      '  - why',
      '- and 11 more <code>data-shrink</code> warnings',
    ]);
    expect(brief).not.toContain('<details>');
  });

  it('shows no table when every cause is shown in full', () => {
    const blocks = renderFindings(findings.slice(10), detailed);
    expect(blocks.map((block) => block.findings)).toEqual([1, 1, 1]);
    expect(joinFindingBlocks(blocks)).not.toContain('Findings by cause');
  });

  it('shows 10 lines of details, and counts the others, those the report left out too', () => {
    const long: Finding = {
      ...finding('data-format', 'warning', 'x.jsonl'),
      details: Array.from({ length: 14 }, (_, index) => `line ${index}`),
      omitted: { details: 6 },
    };
    const lines = joinFindingBlocks(renderFindings([long], detailed)).split('\n');
    expect(lines).toHaveLength(1 + 10 + 1);
    expect(lines.at(-2)).toBe('  - line 9');
    // 14 − 10 shown here, and 6 the report itself left out.
    expect(lines.at(-1)).toBe('  - and 10 more lines');
  });
});

describe('renderArtifactLine', () => {
  it.each([
    [
      {
        kind: 'dataset' as const,
        path: 'data/a.jsonl',
        status: 'modified' as const,
        split: 'train',
        rows: { base: 20, head: 15 },
      },
      '- <code>data/a.jsonl</code> · modified · train · rows 20 → 15 (-5, -25.0%)',
    ],
    [
      { kind: 'params' as const, path: 'c.yml', status: 'added' as const, changes: 1 },
      '- <code>c.yml</code> · added · 1 change',
    ],
    [
      {
        kind: 'metrics' as const,
        path: 'r_new.json',
        status: 'modified' as const,
        comparedWith: 'r_old.json',
        metrics: { unchanged: 2, regressed: 1 },
      },
      '- <code>r&#95;new.json</code> · modified · compared with <code>r&#95;old.json</code> · 3 metrics: 1 regressed, 2 unchanged',
    ],
    [
      { kind: 'training-log' as const, path: 't.json', status: 'removed' as const, lastStep: { base: 1900 } },
      '- <code>t.json</code> · removed · last step 1,900 → —',
    ],
  ])('line %#', (line, expected) => {
    expect(renderArtifactLine(line)).toBe(expected);
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '1 KiB'],
    [800 * 1024, '800 KiB'],
    [4 * 1024 * 1024, '4 MiB'],
    [7_994_504, '7.6 MiB'],
  ])('%p bytes → %p', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});
