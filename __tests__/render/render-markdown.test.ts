import { describe, expect, it } from '@jest/globals';
import { JSDOM } from 'jsdom';
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from '../../src/render/render-markdown.js';
import { renderLossChart } from '../../src/render/render-loss-chart.js';
import type { Finding, MetricDiff, Report } from '../../src/model/report-schema.js';
import { buildSampleReport } from '../helpers/sample-report.js';
import { LINKING_ESCAPED, LINKING_FINDING } from '../helpers/linking-finding.js';

const DETAILS_URL = 'https://github.com/octo/repo/actions/runs/42';
const CUT = '> ✂️ This report was cut to fit in';
/** The only elements the renderer writes itself. */
const OWN_ELEMENTS = new Set(['CODE', 'DETAILS', 'SUMMARY', 'B', 'SUB']);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/** What a reader sees of some markdown text: character references decoded once, zero-width spaces invisible. */
function visible(markdown: string): string {
  return markdown
    .replace(/&(?:#(\d+)|([a-z]+));/gi, (whole, decimal?: string, name?: string) =>
      decimal !== undefined ? String.fromCodePoint(Number(decimal)) : (NAMED[name ?? ''] ?? whole),
    )
    .replace(/\u200b/g, '');
}

function lines(markdown: string): string[] {
  return markdown.split('\n');
}

function findingLines(markdown: string): string[] {
  return lines(markdown).filter((line) => /^- /.test(line));
}

/** Every table, as the cell counts of its rows, split on pipes as GFM does (the renderer writes no backslash). */
function tableShapes(markdown: string): number[][] {
  const tables: number[][] = [];
  let current: number[] | undefined;
  for (const line of lines(markdown)) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line.split('|').length - 2);
    } else if (current) {
      tables.push(current);
      current = undefined;
    }
  }
  if (current) tables.push(current);
  return tables;
}

function elementNames(markdown: string): Set<string> {
  const body = new JSDOM(markdown).window.document.body;
  return new Set([...body.querySelectorAll('*')].map((element) => element.tagName));
}

function sectionTitles(markdown: string): string[] {
  return [...markdown.matchAll(/^<details><summary><b>([^<]*)<\/b>/gm)].map((match) => match[1] ?? '');
}

function withFindings(findings: Finding[]): Report {
  return buildSampleReport({ findings });
}

const sample = buildSampleReport();
const full = renderMarkdown(sample, { marker: 'tuneguard-comment', detailsUrl: DETAILS_URL });

describe('renderMarkdown of the sample report', () => {
  it('starts with the marker, the verdict and the short SHAs', () => {
    expect(lines(full).slice(0, 3)).toEqual([
      '<!-- tuneguard-comment -->',
      // The fixture's findings: 4 failures, 2 warnings, 2 notices.
      '### ❌ tuneguard: 4 failures, 2 warnings, 2 notices',
      // First 7 characters of the fixture SHAs 2eb7ff95… and 22810c97…, bare so GitHub links the commits.
      '**Base** 2eb7ff9 (<code>main</code>) → **head** 22810c9 (<code>refs/pull/2897/head</code>)',
    ]);
  });

  it('lists failures, then warnings, then notices, keeping the report order within each', () => {
    const checks = findingLines(full).map((line) => /<code>([^<]*)<\/code>/.exec(line)?.[1]);
    expect(checks).toEqual([
      'data-shrink',
      'eval-regression',
      'eval-regression',
      'eval-regression',
      'data-duplicates',
      'train-eval-loss-rising',
      'params-changed',
      'params-changed',
    ]);
    const icons = findingLines(full).map((line) => /^- (❌|⚠️|ℹ️) /u.exec(line)?.[1]);
    expect(icons).toEqual(['❌', '❌', '❌', '❌', '⚠️', '⚠️', 'ℹ️', 'ℹ️']);
  });

  it('shows a finding with its location, evidence base → head and details', () => {
    // Fixture: acc 0.6881428294197555 → 0.41063458179701146, delta -0.277508247622744; python3 '%.4g'
    // gives 0.6881, 0.4106 and -0.2775.
    const index = lines(full).indexOf(
      '- ❌ <code>eval-regression</code> lambada&#95;openai acc fell by 27.75 points · ' +
        '<code>results/lambada&#95;openai.json:7</code> · 0.6881 → 0.4106 (-0.2775)',
    );
    expect(index).toBeGreaterThan(0);
    expect(lines(full)[index + 1]).toBe('  - The drop is 29.48 standard errors: significant at 0.05.');
  });

  it('puts the sections in order, each collapsed and closed', () => {
    expect(sectionTitles(full)).toEqual([
      'Data',
      'Hyperparameters',
      'Metrics',
      'Training',
      'Files that could not be read',
    ]);
    expect(full.match(/<details>/g)).toHaveLength(5);
    expect(full.match(/<\/details>/g)).toHaveLength(5);
  });

  it.each([
    [
      'a dataset row: rows 910 → 500 with the delta -410 and (500-910)/910 = -45.1%, tokens p50/p90 18/21 → 23/44',
      '| <code>data/identity&#95;chat.json</code> | train | modified | 910 → 500 (-410, -45.1%) | 0 | 0 | 18 / 21 → 23 / 44 | 0 |',
    ],
    [
      'a dataset row with a duplicate on both sides',
      '| <code>data/wikisql/train.jsonl</code> | train | modified | 1,000 | 1 | 0 | 37 / 49 | 0 |',
    ],
    [
      'a renamed hyperparameter (evaluation_strategy → eval_strategy, line 19 of the head file)',
      '| <code>evaluation&#95;strategy</code> → <code>eval&#95;strategy</code> · line 19 | <code>epoch</code> | <code>epoch</code> |',
    ],
    ['a removed hyperparameter', '| <code>warmup&#95;steps</code> | <code>10</code> | — |'],
    [
      'an added hyperparameter, shown exactly',
      '| <code>warmup&#95;ratio</code> · line 57 | — | <code>0.1</code> |',
    ],
    [
      'the effective batch size (2 × 2 on both sides)',
      'Effective batch size: 4 (per device: 2 × 2 accumulation; multiply by the number of GPUs)',
    ],
    [
      'a metric row: acc 0.6881 ± 0.006454 → 0.4106 ± 0.006854 (python3 %.4g of the fixture numbers)',
      '| <code>lambada&#95;openai</code> | <code>acc</code> | 0.6881 ± 0.006454 | 0.4106 ± 0.006854 | -0.2775 | ↑ | 🔴 regressed |',
    ],
    [
      'a lower-is-better metric row: perplexity 4.263 → 20.09, delta +15.83',
      '| <code>lambada&#95;openai</code> | <code>perplexity</code> | 4.263 ± 0.09183 | 20.09 ± 0.7332 | +15.83 | ↓ | 🔴 regressed |',
    ],
    [
      'a metric without direction',
      '| <code>mc&#95;taco</code> | <code>em</code> | 0.1126 | 0.1096 | -0.003003 | ? | — |',
    ],
    ['the final eval losses (eval_loss at steps 1900 and 2900)', '| Final eval loss | 0.5125 | 0.5142 |'],
    ['the best eval losses and their steps', '| Best eval loss (step) | 0.5125 (1,900) | 0.5123 (2,100) |'],
    [
      'the eval − train gaps (0.5125181 - 0.4685, 0.5141671 - 0.3322)',
      '| Eval − train gap | 0.04402 | 0.182 |',
    ],
    ['the eval trends', '| Eval loss trend | falling | rising, 8 rising evals |'],
    [
      'an unreadable file',
      '| <code>results/samples&#95;lambada&#95;openai.jsonl</code> | head | 3 | Unexpected end of JSON input |',
    ],
  ])('renders %s', (_name, line) => {
    expect(lines(full)).toContain(line);
  });

  it('puts regressions first in a metrics table, then improvements, then the rest', () => {
    const start = full.indexOf(
      '\n<code>results/common&#95;sense&#95;reasoning&#95;0-shot.json</code> · modified',
    );
    const file = full.slice(start, full.indexOf('</details>', start));
    const tasks = lines(file)
      .filter((line) => line.startsWith('| <code>'))
      .map((line) =>
        visible(/<code>([^<]*)<\/code> \| <code>([^<]*)<\/code>/.exec(line)?.slice(1).join('/') ?? ''),
      );
    expect(tasks).toEqual([
      'boolq/acc',
      'hellaswag/acc_norm',
      'arc_challenge/acc',
      'piqa/acc',
      'openbookqa/acc_norm',
      'mc_taco/em',
      'mc_taco/f1',
    ]);
  });

  it('embeds the loss charts of the training log', () => {
    const log = sample.training[0];
    const train = renderLossChart(
      'Train loss - outputs/trainer_state.json',
      log?.base?.trainCurve,
      log?.head?.trainCurve,
    );
    const evalChart = renderLossChart(
      'Eval loss - outputs/trainer_state.json',
      log?.base?.evalCurve,
      log?.head?.evalCurve,
    );
    expect(train).toBeDefined();
    expect(full).toContain(`\n${train ?? ''}\n`);
    expect(full).toContain(`\n${evalChart ?? ''}\n`);
  });

  it('keeps every table row as wide as its header and writes no element of its own beyond a few', () => {
    for (const shape of tableShapes(full)) expect(new Set(shape).size).toBe(1);
    expect([...elementNames(full)].filter((name) => !OWN_ELEMENTS.has(name))).toEqual([]);
  });

  it('ends with the footer linking the full report', () => {
    expect(lines(full).at(-2)).toBe(
      `<sub>tuneguard 0.1.0 · report schema 1 · [full report](${DETAILS_URL})</sub>`,
    );
  });
});

describe('renderMarkdown of other reports', () => {
  it('says clearly that nothing looks wrong when there is no finding', () => {
    const markdown = renderMarkdown(
      buildSampleReport({
        findings: [],
        verdict: 'pass',
        counts: { failure: 0, warning: 0, notice: 0 },
        unreadable: [],
      }),
    );
    expect(lines(markdown).slice(0, 4)).toEqual([
      '### ✅ tuneguard: no problems found',
      '**Base** 2eb7ff9 (<code>main</code>) → **head** 22810c9 (<code>refs/pull/2897/head</code>)',
      '',
      // The fixture has 3 datasets, 2 params files, 2 metrics files and 1 training log.
      '✅ Nothing tuneguard tracks looks wrong: compared 3 datasets, 2 hyperparameter files, 2 metrics files and 1 training log.',
    ]);
    expect(findingLines(markdown)).toEqual([]);
    expect(sectionTitles(markdown)).toEqual(['Data', 'Hyperparameters', 'Metrics', 'Training']);
  });

  it('treats notices alone as nothing wrong, and still lists them', () => {
    const sampleNotices = sample.findings.filter((finding) => finding.severity === 'notice');
    const markdown = renderMarkdown(
      buildSampleReport({
        findings: sampleNotices,
        verdict: 'pass',
        counts: { failure: 0, warning: 0, notice: 2 },
      }),
    );
    expect(lines(markdown)[0]).toBe('### ✅ tuneguard: 2 notices');
    expect(markdown).toContain('✅ Nothing tuneguard tracks looks wrong');
    expect(findingLines(markdown)).toHaveLength(2);
  });

  it('omits empty sections and says when there was nothing to compare', () => {
    const markdown = renderMarkdown(
      buildSampleReport({
        findings: [],
        verdict: 'pass',
        counts: { failure: 0, warning: 0, notice: 0 },
        datasets: [],
        params: [],
        metrics: [],
        training: [],
        unreadable: [],
      }),
    );
    expect(markdown).toBe(
      [
        '### ✅ tuneguard: no problems found',
        '**Base** 2eb7ff9 (<code>main</code>) → **head** 22810c9 (<code>refs/pull/2897/head</code>)',
        '',
        '✅ Nothing tuneguard tracks looks wrong: no dataset, hyperparameter, metrics or training-log file was found to compare.',
        '',
        '<sub>tuneguard 0.1.0 · report schema 1</sub>',
        '',
      ].join('\n'),
    );
  });

  it('warns in the header when files could not be read', () => {
    expect(full).toContain(
      '⚠️ 1 file could not be read, so this report is incomplete: see **Files that could not be read**.',
    );
  });

  it.each([
    ['cosine → linear', { base: 'cosine', head: 'linear' }, '<code>cosine</code> → <code>linear</code>'],
    ['a head-only value', { head: 0.1 }, '— → 0.1'],
    ['null and a boolean', { base: null, head: true }, '<code>null</code> → <code>true</code>'],
    ['learning rates 1e-5 → 2e-5', { base: 1e-5, head: 2e-5 }, '1e-5 → 2e-5 (+1e-5)'],
    // v047_rwkv7-1.5b_lambada_run-broken.json perplexity 20194.605893659573 vs run-good 4.263079441956042.
    [
      'a broken perplexity',
      { base: 20194.605893659573, head: 4.263079441956042 },
      '20,195 → 4.263 (-20,190)',
    ],
    ['equal counts', { base: 1, head: 1 }, '1 → 1'],
  ])('writes evidence of %s', (_name, evidence, expected) => {
    const markdown = renderMarkdown(
      withFindings([{ check: 'x', severity: 'warning', title: 'T', details: [], evidence }]),
    );
    expect(findingLines(markdown)).toEqual([`- ⚠️ <code>x</code> T · ${expected}`]);
  });

  it('shows a finding on the base side and an accepted one', () => {
    const markdown = renderMarkdown(
      withFindings([
        {
          check: 'eval-metric-removed',
          severity: 'failure',
          title: 'wsc273 acc is gone',
          details: [],
          location: { path: 'results/a.json', line: 12, side: 'base' },
          accepted: { by: 'octocat', reason: 'wsc273 was retired upstream' },
        },
      ]),
    );
    expect(lines(markdown)).toContain(
      '- ❌ <code>eval-metric-removed</code> wsc273 acc is gone · <code>results/a.json:12</code> (base)',
    );
    expect(lines(markdown)).toContain('  - ✔️ Accepted by octocat: wsc273 was retired upstream');
  });

  it('names the canonical key and shows the effective batch size change', () => {
    const report = buildSampleReport();
    const params = report.params[1];
    if (!params) throw new Error('the sample has two params files');
    params.changes = [
      {
        key: 'per_device_train_batch_size',
        canonical: 'micro_batch_size',
        kind: 'changed',
        base: 16,
        head: 32,
        line: 37,
      },
    ];
    params.derived = { base: { effectiveBatchSize: 16 }, head: { effectiveBatchSize: 32 } };
    const markdown = renderMarkdown(report);
    expect(lines(markdown)).toContain(
      '| <code>per&#95;device&#95;train&#95;batch&#95;size</code> (<code>micro&#95;batch&#95;size</code>) · line 37 | <code>16</code> | <code>32</code> |',
    );
    // 16 → 32: +16, (32-16)/16 = +100.0%.
    expect(lines(markdown)).toContain('Effective batch size: 16 → 32 (+16, +100.0%)');
  });

  it.each([
    ['a bare name', 'tuneguard', '<!-- tuneguard -->'],
    ['an HTML comment', '<!-- tuneguard:v1 -->', '<!-- tuneguard:v1 -->'],
    ['text that would close the comment', 'x --> <b>@y</b>', '<!-- x - <b@y</b -->'],
    [
      'a scoped comment with a double dash',
      '<!-- tuneguard:report scope=a--b -->',
      '<!-- tuneguard:report scope=a--b -->',
    ],
    ['two comments with text between', '<!-- a --><b>x</b><!-- b -->', '<!-- <!- a -<bx</b<!- b - -->'],
  ])('places %s as the marker', (_name, marker, expected) => {
    expect(lines(renderMarkdown(sample, { marker }))[0]).toBe(expected);
  });

  it('uses the heading in the verdict line', () => {
    expect(lines(renderMarkdown(sample, { heading: 'tuneguard (sft)' }))[0]).toBe(
      '### ❌ tuneguard (sft): 4 failures, 2 warnings, 2 notices',
    );
  });

  it('leaves out a details URL that is not http(s)', () => {
    const markdown = renderMarkdown(sample, { detailsUrl: 'javascript:alert(1)', maxLength: 2000 });
    expect(markdown).not.toContain('javascript');
    expect(markdown).toContain(CUT);
  });

  it('shows a metric that is not a finite number', () => {
    // v047_rwkv7-1.5b_lambada_run-good.json acc 0.6881428294197555 on the head side; NaN on the base side.
    const markdown = renderMarkdown(
      buildSampleReport({
        metrics: [
          {
            path: 'results/a.json',
            status: 'modified',
            format: 'lm-eval',
            metrics: [
              {
                key: 'l/acc',
                task: 'l',
                metric: 'acc',
                direction: 'higher',
                base: null,
                head: 0.6881428294197555,
                change: 'n/a',
              },
            ],
          },
        ],
      }),
    );
    expect(lines(markdown)).toContain(
      '| <code>l</code> | <code>acc</code> | not finite | 0.6881 | — | ↑ | — |',
    );
  });

  it('shows at most 60 rows of one metrics table and counts the rest', () => {
    const metrics: MetricDiff[] = Array.from({ length: 75 }, (_, index) => ({
      key: `hendrycksTest-${index}/acc`,
      task: `hendrycksTest-${index}`,
      metric: 'acc',
      direction: 'higher',
      base: 0.5,
      head: 0.5,
      delta: 0,
      change: 'unchanged',
    }));
    const markdown = renderMarkdown(
      buildSampleReport({
        metrics: [{ path: 'results/mmlu.json', status: 'modified', format: 'lm-eval', metrics }],
      }),
    );
    expect(lines(markdown).filter((line) => line.startsWith('| <code>hendrycksTest'))).toHaveLength(60);
    expect(lines(markdown)).toContain('15 more metrics not shown (unchanged or not comparable).');
  });
});

describe('renderMarkdown of an unchanged results file', () => {
  it('counts its metrics instead of listing zero deltas', () => {
    const sample = buildSampleReport();
    const file = sample.metrics[0];
    if (!file) throw new Error('the sample report has a metrics file');
    const unchanged = { ...file, path: 'results/mmlu.json', status: 'unchanged' as const };
    const text = renderMarkdown(buildSampleReport({ metrics: [unchanged] }));
    expect(text).toContain(`${file.metrics.length} metrics, identical on base and head.`);
    expect(text).not.toContain('| Task | Metric |');
  });
});

describe('renderMarkdown of hostile text', () => {
  const hostile = buildSampleReport({
    base: { ref: '<b>@main</b>', sha: 'not|a<sha>' },
    findings: [
      {
        check: 'eval-regression',
        severity: 'failure',
        title: '**pwned** @team [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
        details: ['one\n# heading\n| a | b |', '@octocat see #1'],
        evidence: { base: '<b>x</b>', head: '|' },
        location: { path: 'data/<script>alert(1)</script>|@evil.json', line: 3 },
        accepted: { by: '@mallory', reason: '<iframe src=x>' },
      },
    ],
    datasets: [{ path: '`rm`|<script>x</script>', split: 'train|@x\n- item', status: 'added' }],
    params: [
      {
        path: 'configs/<svg onload=alert(1)>.yml',
        status: 'modified',
        format: 'yaml',
        changes: [
          {
            key: '<img src=x onerror=alert(1)>|@octocat',
            canonical: 'lr|x',
            kind: 'changed',
            base: 'a|b',
            head: { nested: '</code><script>@x</script>' },
          },
        ],
        canonical: { base: {}, head: {} },
        derived: { base: {}, head: { effectiveBatchSize: 8, effectiveBatchNote: '@ops | <b>' } },
      },
    ],
    metrics: [
      {
        path: 'results/|x.json',
        status: 'added',
        format: '<i>lm-eval</i>',
        metrics: [
          {
            key: 'k',
            task: 'task|<b>@x</b>',
            metric: 'acc|x',
            direction: 'higher',
            head: 0.5,
            change: 'added',
          },
        ],
      },
    ],
    training: [
      {
        path: 'out/<script>|@x.json',
        status: 'added',
        head: {
          format: 'hf',
          lastStep: 2,
          evalTrend: 'n/a',
          risingEvals: 0,
          nanSteps: [],
          diverged: true,
          divergenceNote: 'loss <b>@x</b> | nan',
          evalSets: ['a', '@b|c'],
          evalSetSummaries: [],
          spikes: [],
          trainCurve: [
            { step: 1, value: 1 },
            { step: 2, value: 2 },
          ],
          evalCurve: [],
        },
      },
    ],
    unreadable: [{ path: '@x|<y>', side: 'base', reason: 'bad\n<script>@admin</script> | x' }],
  });
  const markdown = renderMarkdown(hostile);

  it('writes no HTML element of its own choosing', () => {
    expect([...elementNames(markdown)].filter((name) => !OWN_ELEMENTS.has(name))).toEqual([]);
  });

  it('keeps every table row as wide as its header', () => {
    const shapes = tableShapes(markdown);
    expect(shapes.length).toBeGreaterThanOrEqual(5);
    for (const shape of shapes) expect(new Set(shape).size).toBe(1);
  });

  it('mentions nobody, links nothing and starts no heading or list of its own', () => {
    expect(markdown).not.toMatch(/@[\w-]/);
    expect(markdown).not.toMatch(/(^|[^&])#\d/);
    expect(markdown).not.toMatch(/\]\(javascript/);
    expect(lines(markdown).filter((line) => /^#/.test(line))).toEqual([
      '### ❌ tuneguard: 4 failures, 2 warnings, 2 notices',
    ]);
    expect(lines(markdown).filter((line) => /^\s*- /.test(line))).toHaveLength(4); // the finding, its 2 details and its acceptance; no "- item"
  });

  it('still shows the text itself', () => {
    const key = lines(markdown).find((line) => line.includes('onerror') && line.startsWith('| '));
    expect(visible(key ?? '')).toContain('<img src=x onerror=alert(1)>|@octocat');
    expect(visible(markdown)).toContain(
      '**pwned** @team [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    );
    expect(visible(markdown)).toContain('bad <script>@admin</script> | x');
  });
});

describe('renderMarkdown of text GitHub would link', () => {
  it('breaks URLs, www. addresses and GH- references in titles, details and paths', () => {
    const markdown = renderMarkdown(withFindings([LINKING_FINDING]));
    expect(findingLines(markdown)).toEqual([
      `- ⚠️ <code>data-format</code> ${LINKING_ESCAPED.title} · ${LINKING_ESCAPED.place}`,
    ]);
    expect(lines(markdown)).toContain(`  - ${LINKING_ESCAPED.detail}`);
    expect(markdown).not.toMatch(/www\.evil|:\/\/(evil|files)|GH-\d/i);
  });
});

describe('renderMarkdown under a length cap', () => {
  it('returns the whole text when it fits', () => {
    expect(
      renderMarkdown(sample, {
        marker: 'tuneguard-comment',
        detailsUrl: DETAILS_URL,
        maxLength: full.length,
      }),
    ).toBe(full);
    expect(full).not.toContain(CUT);
  });

  it('shortens long tables before it drops a section', () => {
    const cut = renderMarkdown(sample, {
      marker: 'tuneguard-comment',
      detailsUrl: DETAILS_URL,
      maxLength: full.length - 1,
    });
    expect(cut.length).toBeLessThanOrEqual(full.length - 1);
    expect(sectionTitles(cut)).toEqual(sectionTitles(full));
    expect(findingLines(cut)).toEqual(findingLines(full));
    expect(cut).not.toContain(CUT);
    // The sample's common_sense_reasoning file has 7 metrics; the shortest tables show 5, and the two
    // left out are mc_taco's em and f1, whose direction is unknown (n/a).
    expect(lines(cut)).toContain('2 more metrics not shown (unchanged or not comparable).');
  });

  it.each([6000, 4000, 3000, 2000, 1500])(
    'under %p characters drops sections from the end, then findings, and counts what it left out',
    (maxLength) => {
      const cut = renderMarkdown(sample, { marker: 'tuneguard-comment', detailsUrl: DETAILS_URL, maxLength });
      expect(cut.length).toBeLessThanOrEqual(maxLength);
      expect(lines(cut)[0]).toBe('<!-- tuneguard-comment -->');
      const sections = sectionTitles(cut);
      expect(sections).toEqual(sectionTitles(full).slice(0, sections.length));
      // Every finding of the sample (8) is shown, counted in an "and N more" line, or counted as not shown.
      const shown = findingLines(cut).filter((line) => !line.startsWith('- and '));
      const more = findingLines(cut)
        .map((line) => /^- and (\d+) more /.exec(line)?.[1])
        .reduce((sum, count) => sum + Number(count ?? 0), 0);
      const hiddenSections = 5 - sections.length;
      const hiddenFindings = 8 - shown.length - more;
      const hidden = [
        ...(hiddenSections > 0 ? [`${hiddenSections} section${hiddenSections === 1 ? '' : 's'}`] : []),
        ...(hiddenFindings > 0 ? [`${hiddenFindings} finding${hiddenFindings === 1 ? '' : 's'}`] : []),
      ];
      if (hidden.length > 0) expect(cut).toContain(`${hidden.join(' and ')} not shown`);
      // Failures first: the first finding shown is the sample's data-shrink failure.
      expect(shown[0]).toMatch(/^- ❌ <code>data-shrink<\/code>/);
    },
  );

  it('keeps a finding of each cause before it drops a cause', () => {
    const cut = renderMarkdown(sample, { detailsUrl: DETAILS_URL, maxLength: 2000 });
    const checks = findingLines(cut).map((line) => /<code>([^<]*)<\/code>/.exec(line)?.[1]);
    // The sample's causes, failures first: data-shrink and eval-regression (3), then data-duplicates and
    // train-eval-loss-rising, then params-changed (2); a cut keeps the first ones.
    const causes = [
      'data-shrink',
      'eval-regression',
      'data-duplicates',
      'train-eval-loss-rising',
      'params-changed',
    ];
    const distinct = [...new Set(checks)];
    expect(distinct).toEqual(causes.slice(0, distinct.length));
    expect(distinct.length).toBeGreaterThan(1);
  });

  it.each([4000, 2500, 1200, 600, 300, 200, 120, 60, 10, 1, 0])(
    'never exceeds %p characters',
    (maxLength) => {
      const cut = renderMarkdown(sample, { marker: 'tuneguard-comment', detailsUrl: DETAILS_URL, maxLength });
      expect(cut.length).toBeLessThanOrEqual(maxLength);
      if (maxLength >= 300) {
        expect(cut).toContain(CUT);
        expect(cut.match(/<details>/g)?.length ?? 0).toBe(cut.match(/<\/details>/g)?.length ?? 0);
        expect(cut).not.toMatch(/&[#a-z0-9]*$/im);
      }
    },
  );

  it('fits a huge report in a GitHub comment by default', () => {
    const many: Finding[] = Array.from({ length: 3000 }, (_, index) => ({
      check: 'eval-regression',
      severity: index < 10 ? 'failure' : 'notice',
      title: `hendrycksTest-${index} acc fell`,
      details: ['x'.repeat(50)],
      evidence: { base: 0.5, head: 0.4, delta: -0.1 },
    }));
    const metrics = Array.from({ length: 100 }, (_, file) => ({
      path: `results/shard-${file}.json`,
      status: 'modified' as const,
      format: 'lm-eval',
      metrics: Array.from({ length: 60 }, (_, index): MetricDiff => ({
        key: `t${index}/acc`,
        task: `t${index}`,
        metric: 'acc',
        direction: 'higher',
        base: 0.5,
        head: 0.4,
        delta: -0.1,
        change: 'regressed',
      })),
    }));
    const markdown = renderMarkdown(
      buildSampleReport({ findings: many, metrics, counts: { failure: 10, warning: 0, notice: 2990 } }),
      { detailsUrl: DETAILS_URL },
    );
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(lines(markdown)[0]).toBe('### ❌ tuneguard: 10 failures, 2,990 notices');
    expect(
      findingLines(markdown)
        .slice(0, 5)
        .every((line) => line.startsWith('- ❌')),
    ).toBe(true);
    // Two causes: eval-regression as a failure (10) and as a notice (2,990), none naming a file.
    expect(markdown).toContain('| ❌ | <code>eval-regression</code> | 10 | 0 |');
    expect(markdown).toContain('| ℹ️ | <code>eval-regression</code> | 2,990 | 0 |');
    expect(markdown).toContain('<details><summary>❌ 5 more <code>eval-regression</code> failures</summary>');
    expect(markdown).toMatch(
      /<details><summary>ℹ️ 2,98\d more <code>eval-regression<\/code> notices<\/summary>/,
    );
    // 100 files of 60 regressions each.
    expect(markdown).toContain('<details><summary><b>Metrics</b> · 100 files, 6,000 regressions</summary>');
    expect(markdown.match(/<details>/g)?.length).toBe(markdown.match(/<\/details>/g)?.length);
    for (const shape of tableShapes(markdown)) {
      expect(new Set(shape).size).toBe(1);
      expect(shape.length).toBeLessThanOrEqual(62);
    }
  });
});
