import { describe, expect, it } from '@jest/globals';
import type { Finding, Report } from '../../src/model/report-schema.js';
import { PLAIN, renderText, type TextStyle } from '../../src/render/render-text.js';
import { buildSampleReport } from '../helpers/sample-report.js';

const BASE = { ref: 'main', sha: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' };
const HEAD = { ref: 'feature', sha: '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' };

function report(findings: Finding[], counts: Report['counts'], verdict: Report['verdict']): Report {
  return buildSampleReport({
    base: BASE,
    head: HEAD,
    changedFiles: ['a', 'b', 'c'],
    findings,
    counts,
    verdict,
  });
}

const LONG_PATH = 'results/fla-hub__rwkv7-1.5B-world/results_2025-02-26T09-12-05.json';

const FINDINGS: Finding[] = [
  {
    check: 'data-leakage',
    severity: 'failure',
    title: '6 eval rows stand in train',
    details: ['data/eval.jsonl line 1 = data/train.jsonl line 313'],
    location: { path: 'data/train.jsonl', line: 313 },
  },
  {
    check: 'eval-regression',
    severity: 'failure',
    title: 'lambada_openai / acc regressed: 0.6881 → 0.4106',
    details: [],
    location: { path: LONG_PATH, line: 7 },
  },
  {
    check: 'data-shrink',
    severity: 'warning',
    title: 'The train split shrank by 20.5%',
    details: [],
    location: { path: 'data/train.jsonl' },
    also: [{ path: 'data/more.jsonl', line: 2 }],
  },
  {
    check: 'params-risky-change',
    severity: 'warning',
    title: 'Learning rate went ×10',
    details: [],
    accepted: { by: 'maint', reason: 'planned sweep' },
  },
  {
    check: 'config-unmatched',
    severity: 'notice',
    title: "The config's params entry x.yml matches no file on base or head",
    details: [],
    location: { path: '.github/tuneguard.yml', line: 2, side: 'base' },
  },
];

describe('renderText', () => {
  it('prints the verdict, the commits, then the findings by severity with aligned places', () => {
    const text = renderText(report(FINDINGS, { failure: 2, warning: 1, notice: 2 }, 'failure'), PLAIN);
    expect(text).toBe(
      [
        'tuneguard: failure (2 failures, 1 warning, 2 notices)',
        'feature (2222222) against main (1111111), 3 files changed',
        '',
        'Failures (2)',
        '  data/train.jsonl:313  data-leakage     6 eval rows stand in train',
        '                                         · data/eval.jsonl line 1 = data/train.jsonl line 313',
        `  ${LONG_PATH}:7`,
        '                        eval-regression  lambada_openai / acc regressed: 0.6881 → 0.4106',
        '',
        'Warnings (1)',
        '  data/train.jsonl  data-shrink  The train split shrank by 20.5%',
        '                                 · also data/more.jsonl:2',
        '',
        'Notices (2)',
        // The widest place, `.github/tuneguard.yml:2 (base)`, is 30 characters; the widest check 19.
        `  ${'-'.padEnd(30)}  params-risky-change  Learning rate went ×10`,
        `${' '.repeat(2 + 30 + 2 + 19 + 2)}· accepted by maint: planned sweep`,
        "  .github/tuneguard.yml:2 (base)  config-unmatched     The config's params entry x.yml matches no file on base or head",
        '',
      ].join('\n'),
    );
  });

  it('says when nothing looks wrong', () => {
    expect(renderText(report([], { failure: 0, warning: 0, notice: 0 }, 'pass'))).toBe(
      [
        'tuneguard: pass (0 failures, 0 warnings, 0 notices)',
        'feature (2222222) against main (1111111), 3 files changed',
        '',
        'Nothing tuneguard tracks looks wrong.',
        '',
      ].join('\n'),
    );
  });

  it('lists the changed files nothing reviewed after the findings: the first ten with why, and a count of the rest', () => {
    const notReviewed = [
      { path: 'data/train.jsonl.gz', reason: 'compressed (gzip): not read' },
      { path: 'data/link.jsonl', reason: 'a symbolic link, not followed' },
      ...Array.from({ length: 10 }, (_, index) => ({
        path: `raw/p${index}.csv`,
        reason: 'no rule claims it',
      })),
    ];
    const text = renderText({ ...report([], { failure: 0, warning: 0, notice: 0 }, 'pass'), notReviewed });
    expect(text.split('\n').slice(3)).toEqual([
      'Nothing tuneguard tracks looks wrong.',
      '',
      'Not reviewed (12): changed files that may hold data, settings or results',
      // Paths padded to the longest shown (data/train.jsonl.gz, 19 characters), then two spaces.
      '  data/train.jsonl.gz  compressed (gzip): not read',
      '  data/link.jsonl      a symbolic link, not followed',
      ...Array.from({ length: 8 }, (_, index) => `  raw/p${index}.csv${' '.repeat(9 + 2)}no rule claims it`),
      '  and 2 more files: the report lists them',
      '',
    ]);
  });

  it('shows a path with escape sequences in the not-reviewed list without them', () => {
    const notReviewed = [{ path: 'data/\u001b[31mred\u0007.csv', reason: 'no rule claims it' }];
    const text = renderText({ ...report([], { failure: 0, warning: 0, notice: 0 }, 'pass'), notReviewed });
    expect(text.split('\n').at(-2)).toBe('  data/red\ufffd.csv  no rule claims it');
  });

  it('has no markdown, HTML or diagram on the sample report', () => {
    const text = renderText(buildSampleReport());
    expect(text).not.toMatch(/&#\d+;|&[a-z]+;|<\/?(code|details|summary|sub|br)\b|```|mermaid|\*\*/);
    // Every finding of the sample is in it, by its title.
    for (const finding of buildSampleReport().findings) expect(text).toContain(finding.title);
  });

  it('styles the verdict and headings through the style it is given, and nothing else', () => {
    const tag = (name: string) => (text: string) => `<${name}>${text}</${name}>`;
    const style: TextStyle = {
      bold: tag('b'),
      dim: tag('d'),
      red: tag('r'),
      yellow: tag('y'),
      cyan: tag('c'),
      green: tag('g'),
    };
    const lines = renderText(
      report(FINDINGS.slice(2, 3), { failure: 0, warning: 1, notice: 0 }, 'warning'),
      style,
    ).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'tuneguard: <b><y>warning</y></b> (0 failures, 1 warning, 0 notices)',
      '<d>feature (2222222) against main (1111111), 3 files changed</d>',
      '',
      '<b><y>Warnings (1)</y></b>',
      '  data/train.jsonl  <y>data-shrink</y>  The train split shrank by 20.5%',
    ]);
  });

  it('neutralises escape sequences and control characters from the repository', () => {
    const hostile: Finding = {
      check: 'data-shrink\u001b[8m',
      severity: 'warning',
      // Clears the screen, sets the window title, writes the clipboard (OSC 52), moves the cursor home.
      title: 'shrank\u001b[2J\u001b]0;owned\u0007\u001b]52;c;ZWNobyBoaQ==\u001b\\\rall good',
      details: ['a\u202edetail\u0000with\u009b31mC1'],
      location: { path: 'data/\u001b[31mevil\u001b[0m.jsonl\n', line: 1 },
    };
    const text = renderText(report([hostile], { failure: 0, warning: 1, notice: 0 }, 'warning'), PLAIN);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('  data/evil.jsonl :1  data-shrink  shrank all good');
    expect(text).toContain('· a\ufffddetail\ufffdwithC1');
  });
});
