import { describe, expect, it } from '@jest/globals';
import { groupFindings } from '../../src/checks/group-findings.js';
import type { Finding } from '../../src/model/report-schema.js';

const warmup = (path: string, line: number): Finding => ({
  check: 'params-changed',
  severity: 'notice',
  title: `warmup_steps renamed to warmup_ratio in ${path}`,
  details: [],
  location: { path, line },
});

describe('groupFindings', () => {
  it('makes one finding of one change swept across many files, listing the others', () => {
    const paths = Array.from(
      { length: 13 },
      (_, index) => `examples/m${String(index).padStart(2, '0')}/lora.yml`,
    );
    const [first, ...rest] = groupFindings(paths.map((path, index) => warmup(path, 50 + index)));
    expect(rest).toEqual([]);
    expect(first?.title).toBe(
      'warmup_steps renamed to warmup_ratio in examples/m00/lora.yml and 12 more files',
    );
    expect(first?.location).toEqual({ path: 'examples/m00/lora.yml', line: 50 });
    expect(first?.also).toEqual(paths.slice(1).map((path, index) => ({ path, line: 51 + index })));
    expect(first?.details).toEqual([`Also in ${paths.slice(1, 11).join(', ')} and 2 more.`]);
  });

  it('keeps apart findings that differ in more than their file, fewer than three alike, and data findings', () => {
    const findings: Finding[] = [
      warmup('a.yml', 1),
      warmup('b.yml', 1),
      { ...warmup('c.yml', 1), title: 'warmup_steps removed in c.yml' },
      ...['x.jsonl', 'y.jsonl', 'z.jsonl'].map((path): Finding => ({
        check: 'data-duplicates',
        severity: 'warning',
        title: `1 duplicate row added to ${path} (0 → 1, 1.0% of rows)`,
        details: [],
        location: { path, line: 5 },
      })),
    ];
    expect(groupFindings(findings)).toEqual(findings);
  });

  it('groups one format problem repeated across files: AlpacaDataCleaned Toolformer, five variants of one set', () => {
    // b91690ce1 adds five Toolformer files filtered from one generated set; the same stray row is in each.
    const files = ['dedupe-only', 'similarity-0.6', 'similarity-0.7', 'similarity-0.8', 'similarity-0.9'].map(
      (variant) => `Toolformer/toolformer-${variant}-dataset.json`,
    );
    const findings = files.map((path, index): Finding => ({
      check: 'data-format',
      severity: 'notice',
      title: `1 row off the dataset's shape {input,instruction,output} in ${path}`,
      details: [`first at lines ${20000 + index}`],
      location: { path, line: 20000 + index },
    }));
    const [grouped, ...rest] = groupFindings(findings);
    expect(rest).toEqual([]);
    expect(grouped?.title).toBe(
      "1 row off the dataset's shape {input,instruction,output} in Toolformer/toolformer-dedupe-only-dataset.json and 4 more files",
    );
    expect(grouped?.also).toEqual(findings.slice(1).map((f) => f.location));
  });
});
