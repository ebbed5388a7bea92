import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { analyze } from '../src/analyze.js';
import { parseConfig } from '../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../src/io/git.js';
import { reportSchema, type MetricDiff, type Report } from '../src/model/report-schema.js';
import { renderMarkdown } from '../src/render/render-markdown.js';
import { createTestRepo } from './helpers/git-repo.js';

/*
 * The cases of DVC's own `metrics diff` and `params diff` tests (iterative/dvc at 9f901e57,
 * tests/func/metrics/test_diff.py and tests/func/params/test_diff.py; see fixtures/dvc/SOURCES.md),
 * each re-created as a real git repository: the commits the DVC test makes, then the workspace as the
 * head commit (`dvc metrics diff` compares a revision with the workspace; a pull request compares base
 * with head). Metrics DVC keeps in its cache are committed as `cache: false` outputs: tuneguard reads
 * commits, not DVC's cache. `expected` is the value DVC's test asserts, copied as a literal; where
 * tuneguard answers otherwise on purpose, `tuneguard` is its answer and `why` says why.
 *
 * tuneguard's answer is written in DVC's shape: for each file, each metric or param that differs
 * (all of them with `all`), named as DVC names it (`a.b.c`; a file holding one value is `""`), with its
 * old and new value (`null` where a side lacks it) and the difference when both are numbers.
 * `errors` lists the files that could not be read (DVC's `errors`, tuneguard's unreadable files).
 *
 * Left out: `test_no_commits` of both files (a pull request always has two commits).
 */

type Value = string | number | boolean | null | Value[];
type Change = { old: Value; new: Value; diff?: number };
type Answer = { diff: Record<string, Record<string, Change>>; errors?: string[] };
type Files = Record<string, string | null>;

interface DvcCase {
  /** The DVC test function (and its parameters) the case re-creates. */
  dvc: string;
  kind: 'metrics' | 'params';
  /** The commits, in order; the last is the head (DVC's workspace). */
  commits: Files[];
  /** The base: how many commits before the head (`HEAD~2` is 2; the head itself is 0). */
  back: number;
  /** DVC's `all=True`: unchanged values are listed too. */
  all?: boolean;
  /** tuneguard's config, for DVC's `targets`. */
  config?: string;
  expected: Answer;
  tuneguard?: Answer;
  why?: string;
}

const dvcYaml = (stage: string, lines: string[]): string =>
  ['stages:', `  ${stage}:`, ...lines.map((line) => `    ${line}`), ''].join('\n');
/** The stage `run_copy_metrics` writes, its metrics committed to git (`cache: false`). */
const copyMetrics = (file: string, temp = 'm_temp.yaml', name = 'copy-metrics'): string =>
  dvcYaml(name, [
    `cmd: python copy.py ${temp} ${file}`,
    'deps:',
    `- ${temp}`,
    'metrics:',
    `- ${file}:`,
    '    cache: false',
  ]);
const echoParams = (keys: string[]): string =>
  dvcYaml('echo-params', ['cmd: echo params.yaml', 'params:', ...keys.map((key) => `- ${key}`)]);
/** `{"a": {"b": {"c": v, "d": 1, "e": str(v)}}}` as DVC's test dumps it. */
const abcYaml = (v: number): string => `a:\n  b:\n    c: ${v}\n    d: 1\n    e: '${v}'\n`;
const abcJson = (v: number): string => JSON.stringify({ a: { b: { c: v, d: 1, e: String(v) } } }, null, 4);
const M_YAML = copyMetrics('m.yaml');
const M_JSON = copyMetrics('m.json', 'm_temp.json');
const PARAMS_FOO = echoParams(['foo']);

const CASES: DvcCase[] = [
  // tests/func/metrics/test_diff.py
  {
    dvc: 'test_metrics_diff_simple',
    kind: 'metrics',
    commits: [{ 'dvc.yaml': M_YAML, 'm.yaml': '1' }, { 'm.yaml': '2' }, { 'm.yaml': '3' }],
    back: 2,
    expected: { diff: { 'm.yaml': { '': { old: 1, new: 3, diff: 2 } } } },
  },
  {
    dvc: 'test_metrics_diff_yaml',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': M_YAML, 'm.yaml': abcYaml(1) },
      { 'm.yaml': abcYaml(2) },
      { 'm.yaml': abcYaml(3) },
    ],
    back: 2,
    expected: {
      diff: { 'm.yaml': { 'a.b.e': { old: '1', new: '3' }, 'a.b.c': { old: 1, new: 3, diff: 2 } } },
    },
  },
  {
    dvc: 'test_metrics_diff_json',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': M_JSON, 'm.json': abcJson(1) },
      { 'm.json': abcJson(2) },
      { 'm.json': abcJson(3) },
    ],
    back: 2,
    expected: {
      diff: { 'm.json': { 'a.b.e': { old: '1', new: '3' }, 'a.b.c': { old: 1, new: 3, diff: 2 } } },
    },
  },
  {
    dvc: 'test_metrics_diff_json_unchanged',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': M_JSON, 'm.json': abcJson(1) },
      { 'm.json': abcJson(2) },
      { 'm.json': abcJson(1) },
    ],
    back: 2,
    expected: { diff: {} },
  },
  {
    dvc: 'test_metrics_diff_broken_json',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': M_JSON, 'm.json': JSON.stringify({ a: { b: { c: 1, d: 1, e: '3' } } }) },
      { 'm.json': `${JSON.stringify({ a: { b: { c: 1, d: 1, e: '3' } } })}ma\nlformed\n` },
    ],
    back: 1,
    expected: {
      diff: {
        'm.json': {
          'a.b.e': { old: '3', new: null },
          'a.b.c': { old: 1, new: null },
          'a.b.d': { old: 1, new: null },
        },
      },
      errors: ['m.json'],
    },
    tuneguard: { diff: {}, errors: ['m.json'] },
    why: 'a head that cannot be read is not diffed (its metrics would all look removed): the unreadable file is reported with its line',
  },
  {
    dvc: 'test_metrics_diff_no_metrics',
    kind: 'metrics',
    commits: [{}, { foo: 'foo' }],
    back: 1,
    expected: { diff: {} },
  },
  {
    dvc: 'test_metrics_diff_new_metric',
    kind: 'metrics',
    commits: [{}, { 'dvc.yaml': M_JSON, 'm.json': JSON.stringify({ a: { b: { c: 1, d: 1, e: '3' } } }) }],
    back: 1,
    expected: {
      diff: {
        'm.json': {
          'a.b.e': { old: null, new: '3' },
          'a.b.c': { old: null, new: 1 },
          'a.b.d': { old: null, new: 1 },
        },
      },
    },
  },
  {
    dvc: 'test_metrics_diff_deleted_metric',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': M_JSON, 'm.json': JSON.stringify({ a: { b: { c: 1, d: 1, e: '3' } } }) },
      { 'm.json': null },
    ],
    back: 1,
    expected: {
      diff: {
        'm.json': {
          'a.b.e': { old: '3', new: null },
          'a.b.c': { old: 1, new: null },
          'a.b.d': { old: 1, new: null },
        },
      },
      errors: ['m.json'],
    },
    tuneguard: {
      diff: {
        'm.json': {
          'a.b.e': { old: '3', new: null },
          'a.b.c': { old: 1, new: null },
          'a.b.d': { old: 1, new: null },
        },
      },
    },
    why: 'a deleted file is not an unreadable one: its metrics are removed (an eval-metric-removed finding), not an error',
  },
  {
    dvc: 'test_metrics_diff_with_unchanged',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': copyMetrics('metrics.yaml', 'metrics_temp.yaml'), 'metrics.yaml': 'foo: 1\nxyz: 10' },
      { 'metrics.yaml': 'foo: 2\nxyz: 10' },
      { 'metrics.yaml': 'foo: 3\nxyz: 10' },
    ],
    back: 2,
    all: true,
    expected: {
      diff: { 'metrics.yaml': { foo: { old: 1, new: 3, diff: 2 }, xyz: { old: 10, new: 10, diff: 0 } } },
    },
  },
  {
    dvc: 'test_metrics_diff_dirty',
    kind: 'metrics',
    commits: [{ 'dvc.yaml': M_YAML, 'm.yaml': '1' }, { 'm.yaml': '2' }, { 'm.yaml': '3' }, { 'm.yaml': '4' }],
    back: 1,
    expected: { diff: { 'm.yaml': { '': { old: 3, new: 4, diff: 1 } } } },
  },
  {
    dvc: 'test_metrics_diff_cli',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': M_YAML, 'm.yaml': 'foo: 1.23456789' },
      { 'm.yaml': 'foo: 2.34567891011' },
      { 'm.yaml': 'foo: 3.45678910111213' },
    ],
    back: 2,
    // DVC's table prints 1.23457, 3.45679 and 2.22222 (see the renderer cases below); the values:
    // python3: 3.45678910111213 - 1.23456789 == 2.22222121111213.
    expected: {
      diff: { 'm.yaml': { foo: { old: 1.23456789, new: 3.45678910111213, diff: 2.22222121111213 } } },
    },
  },
  {
    dvc: 'test_metrics_diff_non_metrics',
    kind: 'metrics',
    commits: [{ 'some_file.yaml': 'foo: 1' }, { 'some_file.yaml': 'foo: 2' }, { 'some_file.yaml': 'foo: 3' }],
    back: 2,
    // DVC's `targets=["some_file.yaml"]` is tuneguard's metrics list.
    config: 'metrics: [some_file.yaml]\n',
    expected: { diff: { 'some_file.yaml': { foo: { old: 1, new: 3, diff: 2 } } } },
  },
  ...(
    [
      ['dvc.yaml', 'my_metrics.yaml', 'my_metrics.yaml'],
      ['dir/dvc.yaml', 'my_metrics.yaml', 'dir/my_metrics.yaml'],
      ['dir/dvc.yaml', '../my_metrics.yaml', 'my_metrics.yaml'],
    ] as const
  ).map(([dvcfile, declared, file]): DvcCase => ({
    dvc: `test_diff_top_level_metrics[${dvcfile}-${declared}]`,
    kind: 'metrics',
    commits: [{ [dvcfile]: `metrics:\n- ${declared}\n`, [file]: 'foo: 3\n' }, { [file]: 'foo: 5\n' }],
    back: 1,
    expected: { diff: { [file]: { foo: { diff: 2, new: 5, old: 3 } } } },
  })),
  {
    dvc: 'test_metrics_diff_active_branch_unchanged',
    kind: 'metrics',
    commits: [
      { 'dvc.yaml': copyMetrics('m.yaml', 'm_temp.yaml', 'copy-metric'), 'm.yaml': abcYaml(1) },
      { 'm.yaml': abcYaml(2) },
      { 'm.yaml': abcYaml(1) },
    ],
    back: 0,
    expected: { diff: {} },
  },

  // tests/func/metrics/test_show.py: what DVC shows of a TOML metrics file, as the diff that adds it.
  {
    dvc: 'test_show_toml (metrics, {"foo": {"bar": 1.2}})',
    kind: 'metrics',
    commits: [
      {},
      {
        'dvc.yaml': copyMetrics('metrics.toml', 'metrics_t.toml'),
        'metrics.toml': '[foo]\nbar = 1.2',
      },
    ],
    back: 1,
    expected: { diff: { 'metrics.toml': { 'foo.bar': { old: null, new: 1.2 } } } },
  },

  // tests/func/params/test_diff.py
  { dvc: 'test_diff_no_params', kind: 'params', commits: [{}], back: 0, expected: { diff: {} } },
  {
    dvc: 'test_diff_no_changes',
    kind: 'params',
    commits: [{ 'params.yaml': 'foo: bar', 'dvc.yaml': PARAMS_FOO }],
    back: 0,
    expected: { diff: {} },
  },
  {
    dvc: 'test_diff',
    kind: 'params',
    commits: [
      { 'params.yaml': 'foo: bar', 'dvc.yaml': PARAMS_FOO },
      { 'params.yaml': 'foo: baz' },
      { 'params.yaml': 'foo: qux' },
    ],
    back: 2,
    expected: { diff: { 'params.yaml': { foo: { old: 'bar', new: 'qux' } } } },
  },
  {
    dvc: 'test_diff_dirty',
    kind: 'params',
    commits: [
      { 'params.yaml': 'foo: bar', 'dvc.yaml': PARAMS_FOO },
      { 'params.yaml': 'foo: baz' },
      { 'params.yaml': 'foo: qux' },
    ],
    back: 1,
    expected: { diff: { 'params.yaml': { foo: { old: 'baz', new: 'qux' } } } },
  },
  {
    dvc: 'test_diff_new',
    kind: 'params',
    commits: [{}, { 'params.yaml': 'foo: bar', 'dvc.yaml': PARAMS_FOO }],
    back: 1,
    expected: { diff: { 'params.yaml': { foo: { old: null, new: 'bar' } } } },
  },
  {
    dvc: 'test_diff_deleted',
    kind: 'params',
    commits: [{ 'params.yaml': 'foo: bar', 'dvc.yaml': PARAMS_FOO }, { 'params.yaml': null }],
    back: 1,
    expected: { diff: { 'params.yaml': { foo: { old: 'bar', new: null } } }, errors: ['params.yaml'] },
    tuneguard: { diff: { 'params.yaml': { foo: { old: 'bar', new: null } } } },
    why: 'a deleted file is not an unreadable one: its keys are removed',
  },
  {
    dvc: 'test_diff_list',
    kind: 'params',
    commits: [
      { 'params.yaml': 'foo:\n- bar\n- baz', 'dvc.yaml': PARAMS_FOO },
      { 'params.yaml': 'foo:\n- bar\n- baz\n- qux' },
    ],
    back: 1,
    expected: { diff: { 'params.yaml': { foo: { old: "['bar', 'baz']", new: "['bar', 'baz', 'qux']" } } } },
    tuneguard: { diff: { 'params.yaml': { foo: { old: ['bar', 'baz'], new: ['bar', 'baz', 'qux'] } } } },
    why: "a list stays a list (DVC prints Python's repr of it): the report is JSON, read by programs",
  },
  {
    dvc: 'test_diff_dict',
    kind: 'params',
    commits: [
      { 'params.yaml': 'foo:\n  bar: baz', 'dvc.yaml': PARAMS_FOO },
      { 'params.yaml': 'foo:\n  bar: qux' },
    ],
    back: 1,
    expected: { diff: { 'params.yaml': { 'foo.bar': { old: 'baz', new: 'qux' } } } },
  },
  {
    dvc: 'test_diff_with_unchanged',
    kind: 'params',
    commits: [
      { 'params.yaml': 'foo: bar\nxyz: val', 'dvc.yaml': echoParams(['foo,xyz']) },
      { 'params.yaml': 'foo: baz\nxyz: val' },
      { 'params.yaml': 'foo: qux\nxyz: val' },
    ],
    back: 2,
    all: true,
    expected: {
      diff: { 'params.yaml': { foo: { old: 'bar', new: 'qux' }, xyz: { old: 'val', new: 'val' } } },
    },
    tuneguard: { diff: { 'params.yaml': { foo: { old: 'bar', new: 'qux' } } } },
    why: 'the hyperparameter diff lists what changed; unchanged keys are not repeated in a review',
  },
  {
    dvc: 'test_pipeline_tracked_params',
    kind: 'params',
    commits: [
      {
        foo: 'foo',
        'params.yaml': 'foo: bar\nxyz: val',
        'dvc.yaml': dvcYaml('copy-foo-bar', [
          'cmd: python copy.py foo bar',
          'deps:',
          '- foo',
          'params:',
          '- foo,xyz',
          'outs:',
          '- bar',
        ]),
      },
      { 'params.yaml': 'foo: baz\nxyz: val' },
      { 'params.yaml': 'foo: qux\nxyz: val' },
    ],
    back: 2,
    expected: { diff: { 'params.yaml': { foo: { old: 'bar', new: 'qux' } } } },
  },
  ...[
    {
      step: 'a new vars file',
      commits: [
        {},
        {
          'test_params.yaml': 'vars:\n  model1:\n    epoch: 15\n  model2:\n    epoch: 35\n',
          'dvc.yaml': VARS_DVC_YAML(),
        },
      ],
      expected: {
        diff: {
          'test_params.yaml': {
            'vars.model1.epoch': { new: 15, old: null },
            'vars.model2.epoch': { new: 35, old: null },
          },
        },
      },
    },
    {
      step: 'a changed vars file',
      commits: [
        {
          'test_params.yaml': 'vars:\n  model1:\n    epoch: 15\n  model2:\n    epoch: 35\n',
          'dvc.yaml': VARS_DVC_YAML(),
        },
        { 'test_params.yaml': 'vars:\n  model1:\n    epoch: 20\n  model2:\n    epoch: 35\n' },
      ],
      expected: { diff: { 'test_params.yaml': { 'vars.model1.epoch': { new: 20, old: 15, diff: 5 } } } },
    },
  ].map(({ step, commits, expected }): DvcCase => ({
    dvc: `test_vars_shows_on_params_diff (${step})`,
    kind: 'params',
    commits,
    back: 1,
    expected,
  })),
  ...(
    [
      [
        undefined,
        {
          'params.yaml': { foo: { old: 'bar', new: 'qux' } },
          'other_params.yaml': { xyz: { old: 'val', new: 'val3' } },
        },
      ],
      ['params.yaml', { 'params.yaml': { foo: { old: 'bar', new: 'qux' } } }],
      ['other_params.yaml', { 'other_params.yaml': { xyz: { old: 'val', new: 'val3' } } }],
    ] as const
  ).map(([target, diff]): DvcCase => ({
    dvc: `test_diff_targeted${target === undefined ? '' : ` (targets=[${target}])`}`,
    kind: 'params',
    commits: [
      {
        foo: 'foo',
        'params.yaml': 'foo: bar',
        'other_params.yaml': 'xyz: val',
        'dvc.yaml': dvcYaml('copy-foo-bar', [
          'cmd: python copy.py foo bar',
          'deps:',
          '- foo',
          'params:',
          '- foo',
          '- other_params.yaml:',
          '  - xyz',
          'outs:',
          '- bar',
        ]),
      },
      { 'params.yaml': 'foo: baz', 'other_params.yaml': 'xyz: val2' },
      { 'params.yaml': 'foo: qux', 'other_params.yaml': 'xyz: val3' },
    ],
    back: 2,
    // DVC's `targets` is tuneguard's params list.
    ...(target === undefined ? {} : { config: `params: [${target}]\n` }),
    expected: { diff },
  })),
  ...(['params.yaml', 'other_params.yaml'] as const).map((file): DvcCase => ({
    dvc: `test_diff_without_targets_specified[${file}]`,
    kind: 'params',
    commits: [
      {
        [file]: "foo:\n  bar: bar\nx: '0'\n",
        'dvc.yaml': dvcYaml('test', [`cmd: echo ${file}`, 'params:', `- ${file}:`]),
      },
      { [file]: "foo:\n  bar: baz\ny: '100'\n" },
    ],
    back: 1,
    expected: {
      diff: {
        [file]: {
          'foo.bar': { new: 'baz', old: 'bar' },
          x: { new: null, old: '0' },
          y: { new: '100', old: null },
        },
      },
    },
  })),
  ...(
    [
      ['dvc.yaml', 'my_params.yaml', 'my_params.yaml'],
      ['dir/dvc.yaml', 'my_params.yaml', 'dir/my_params.yaml'],
      ['dir/dvc.yaml', '../my_params.yaml', 'my_params.yaml'],
    ] as const
  ).map(([dvcfile, declared, file]): DvcCase => ({
    dvc: `test_diff_top_level_params[${dvcfile}-${declared}]`,
    kind: 'params',
    commits: [{ [dvcfile]: `params:\n- ${declared}\n`, [file]: 'foo: 3\n' }, { [file]: 'foo: 5\n' }],
    back: 1,
    expected: { diff: { [file]: { foo: { diff: 2, new: 5, old: 3 } } } },
  })),
  // tests/func/params/test_show.py: what DVC shows of a TOML params file, as the diff that adds it.
  {
    dvc: 'test_show_toml (params, {"foo": {"bar": 42, "baz": [1, 2]}})',
    kind: 'params',
    commits: [
      {},
      {
        'params.toml': '[foo]\nbar = 42\nbaz = [1, 2]\n',
        'dvc.yaml': dvcYaml('echo-params', ['cmd: echo params.toml', 'params:', '- params.toml:', '  - foo']),
      },
    ],
    back: 1,
    // DVC's tracked key `foo` is diffed by its leaves, as in test_diff_dict; a list is printed as in test_diff_list.
    expected: {
      diff: { 'params.toml': { 'foo.bar': { old: null, new: 42 }, 'foo.baz': { old: null, new: '[1, 2]' } } },
    },
    tuneguard: {
      diff: { 'params.toml': { 'foo.bar': { old: null, new: 42 }, 'foo.baz': { old: null, new: [1, 2] } } },
    },
    why: "a list stays a list (DVC prints Python's repr of it): the report is JSON, read by programs",
  },
  {
    dvc: 'test_diff_active_branch_no_changes',
    kind: 'params',
    commits: [{ 'params.yaml': 'foo: bar', 'dvc.yaml': PARAMS_FOO }],
    back: 0,
    expected: { diff: {} },
  },
];

function VARS_DVC_YAML(): string {
  return [
    'vars:',
    '- test_params.yaml',
    'stages:',
    '  build:',
    '    foreach: ${vars}',
    '    do:',
    '      cmd: script --epoch ${item.epoch}',
    '',
  ].join('\n');
}

/** Commits each state in turn on `main` and analyses the commit `back` commits before the last against the last. */
async function analyzeHistory(commits: Files[], back: number, configText = ''): Promise<Report> {
  const repo = createTestRepo();
  try {
    for (const [index, files] of commits.entries()) repo.commit(files, `state ${index}`);
    const git = await openGitRepository(repo.dir);
    const pair = await openSnapshotPair(git, `HEAD~${back}`, 'HEAD');
    const report = await analyze({
      pair,
      config: parseConfig(configText, '.github/tuneguard.yml'),
      toolVersion: '0.0.0-test',
    });
    return reportSchema.parse(JSON.parse(JSON.stringify(report)));
  } finally {
    repo.remove();
  }
}

/** A metric's name as DVC names it: the path of keys joined by dots; a file's one value is `""`. */
function dvcMetricName(path: string, metric: MetricDiff): string {
  const stem = (path.split('/').pop() ?? path).replace(/\.[^.]+$/, '');
  if (metric.task !== stem) return [...metric.task.split('/'), metric.metric].join('.');
  return metric.metric === stem ? '' : metric.metric;
}

function change(old: Value | undefined, now: Value | undefined, delta?: number): Change {
  const both = typeof old === 'number' && typeof now === 'number';
  return { old: old ?? null, new: now ?? null, ...(both ? { diff: delta ?? now - old } : {}) };
}

/** tuneguard's report in DVC's shape (see the comment at the top). */
function toDvcAnswer(report: Report, kind: DvcCase['kind'], all: boolean): Answer {
  const diff: Answer['diff'] = {};
  if (kind === 'metrics') {
    for (const file of report.metrics) {
      const shown = file.metrics.filter((metric) => all || metric.change !== 'unchanged');
      if (shown.length === 0) continue;
      diff[file.path] = Object.fromEntries(
        shown.map((metric) => [
          dvcMetricName(file.path, metric),
          change(metric.baseText ?? metric.base, metric.headText ?? metric.head, metric.delta),
        ]),
      );
    }
  } else {
    for (const file of report.params) {
      if (file.changes.length === 0) continue;
      diff[file.path] = Object.fromEntries(
        file.changes.map((entry) => [
          entry.key,
          change(
            entry.kind === 'added' ? undefined : (entry.base as Value),
            entry.kind === 'removed' ? undefined : (entry.head as Value),
          ),
        ]),
      );
    }
  }
  const errors = [...new Set(report.unreadable.map((entry) => entry.path))];
  return { diff, ...(errors.length > 0 ? { errors } : {}) };
}

describe("DVC's metrics diff and params diff cases, re-created as git repositories", () => {
  it.each(
    CASES.map(
      (entry) =>
        [
          entry.why === undefined ? entry.dvc : `${entry.dvc}: differs on purpose, ${entry.why}`,
          entry,
        ] as const,
    ),
  )('%s', async (_name, entry) => {
    const report = await analyzeHistory(entry.commits, entry.back, entry.config);
    expect(toDvcAnswer(report, entry.kind, entry.all ?? false)).toEqual(entry.tuneguard ?? entry.expected);
  });
});

const getStarted = (name: string): string =>
  readFileSync(new URL(`fixtures/dvc/example-get-started${name}`, import.meta.url), 'utf8');

describe('a real DVC project (iterative/example-get-started): its dvc.yaml decides what each file is', () => {
  const GET_STARTED = getStarted('.dvc.yaml');
  const base = {
    'dvc.yaml': GET_STARTED,
    'params.yaml': getStarted('_bigrams.params.yaml'),
    'eval/live/metrics.json': getStarted('_bigrams.metrics.json'),
    'eval/live/plots/sklearn/cm/test.json': getStarted('_random-forest.cm-test.trimmed.json'),
  };
  const head = {
    'params.yaml': getStarted('_random-forest.params.yaml'),
    'eval/live/metrics.json': getStarted('_random-forest.metrics.json'),
    'eval/live/plots/sklearn/cm/test.json': `${getStarted('_random-forest.cm-test.trimmed.json')}\n`,
  };

  it('reads the declared metrics and params as DVC diffs them, and sets the confusion-matrix plot aside', async () => {
    const report = await analyzeHistory([base, head], 1);
    // python3: 0.9993200926993987 - 0.9743681430252835 == 0.02495194967411518, and so on.
    expect(toDvcAnswer(report, 'metrics', false)).toEqual({
      diff: {
        'eval/live/metrics.json': {
          'avg_prec.train': { old: 0.9743681430252835, new: 0.9993200926993987, diff: 0.02495194967411518 },
          'avg_prec.test': { old: 0.9249974999612706, new: 0.9268792615819422, diff: 0.0018817616206716625 },
          'roc_auc.train': { old: 0.9866678562450621, new: 0.9997087777418658, diff: 0.013040921496803692 },
          'roc_auc.test': { old: 0.9460213440787918, new: 0.945093365854111, diff: -0.0009279782246808255 },
        },
      },
    });
    expect(toDvcAnswer(report, 'params', false)).toEqual({
      diff: {
        'params.yaml': {
          'train.n_est': { old: 50, new: 100, diff: 50 },
          'train.min_split': { old: 0.01, new: 8, diff: 7.99 },
        },
      },
    });
    expect((report.kinds ?? []).map(({ path, kind, by, reason }) => ({ path, kind, by, reason }))).toEqual([
      {
        path: 'eval/live/metrics.json',
        kind: 'metrics',
        by: 'dvc-yaml',
        reason: 'dvc.yaml declares it a metrics file (stage evaluate)',
      },
      {
        path: 'eval/live/plots/sklearn/cm/test.json',
        kind: 'none',
        by: 'content',
        reason:
          'dvc.yaml declares it a plot (top level), not read: tuneguard reads a plot only as a CSV loss curve with a step or epoch column',
      },
      {
        path: 'params.yaml',
        kind: 'params',
        by: 'dvc-yaml',
        reason: 'dvc.yaml declares it a params file (stage prepare, keys prepare.seed, prepare.split)',
      },
    ]);
  });

  it('reads a declared CSV loss curve as a training log, whatever its name', async () => {
    const dvcYaml = `${GET_STARTED}  - logs/curve.csv:\n      x: step\n      y: loss\n`;
    const report = await analyzeHistory(
      [
        { 'dvc.yaml': dvcYaml, 'logs/curve.csv': 'step,loss\n1,2.0\n2,1.5\n' },
        { 'logs/curve.csv': 'step,loss\n1,2.0\n2,1.5\n3,1.25\n' },
      ],
      1,
    );
    expect(report.kinds).toEqual([
      {
        path: 'logs/curve.csv',
        kind: 'training-log',
        by: 'dvc-yaml',
        reason: 'dvc.yaml declares it a plot (top level): a loss curve (step, loss)',
      },
    ]);
    expect(report.training.map((log) => [log.path, log.head?.lastStep, log.head?.finalTrainLoss])).toEqual([
      ['logs/curve.csv', 3, 1.25],
    ]);
  });

  it('reports a dvc.yaml that is not valid YAML with its line, and still reviews the rest', async () => {
    const broken = 'stages:\n  train:\n    cmd: python train.py\n    metrics:\n    - m.json\n   bad: [\n';
    const report = await analyzeHistory(
      [
        { 'dvc.yaml': GET_STARTED, 'params.yaml': 'lr: 0.1\n' },
        { 'dvc.yaml': broken, 'params.yaml': 'lr: 0.2\n' },
      ],
      1,
    );
    expect(report.unreadable.map(({ path, side, line }) => ({ path, side, line }))).toEqual([
      { path: 'dvc.yaml', side: 'head', line: 6 },
    ]);
    expect(report.findings.map((finding) => [finding.check, finding.location?.path])).toContainEqual([
      'params-changed',
      'params.yaml',
    ]);
  });
});

/*
 * DVC's renderer cases (tests/unit/test_compare.py, and the table of test_metrics_diff_cli): the diff each
 * one renders, re-created as a metrics file changed between two commits, and the rows of the PR comment's
 * Metrics table. `dvc` is DVC's expected row (Path, Metric, HEAD, workspace, Change), copied as a literal;
 * `tuneguard` is the row of the comment (Task, Metric, Base, Head, Δ, Better, Change). They differ on
 * purpose in their form: a generic file's metric is shown as its task (the path of keys) and its name;
 * numbers are shown to 4 significant digits (`formatNumber`; python3 '%.4g' gives the same digits), and
 * the change is computed from the two values and signed. Each case's `why` says what else differs.
 */
interface RendererCase {
  dvc: string;
  path: string;
  base: string;
  head: string;
  expected: string[][];
  tuneguard: string[][];
  why: string;
}

const RENDERER_CASES: RendererCase[] = [
  {
    dvc: 'test_diff_table[Metric]',
    path: 'metrics.json',
    base: '{"a": {"b": {"c": 1}}}',
    head: '{"a": {"b": {"c": 2}}}',
    expected: [['metrics.json', 'a.b.c', '1', '2', '3']],
    tuneguard: [['<code>a/b</code>', '<code>c</code>', '1', '2', '+1', '?', '—']],
    why: "DVC's test renders a given diff of 3; tuneguard's change is head − base",
  },
  {
    dvc: 'test_diff_table_precision',
    path: 'metrics.json',
    base: '{"a": {"b": {"c": 1.1234}}}',
    head: '{"a": {"b": {"c": 2.2345}}}',
    expected: [['metrics.json', 'a.b.c', '1.12', '2.23', '3.35']],
    // python3: '%.4g' % 1.1234 == '1.123', '%.4g' % 2.2345 == '2.235', '%.4g' % (2.2345 - 1.1234) == '1.111'.
    tuneguard: [['<code>a/b</code>', '<code>c</code>', '1.123', '2.235', '+1.111', '?', '—']],
    why: '4 significant digits, not a precision of 3 (and the change is head − base)',
  },
  {
    dvc: 'test_diff_table_rounding',
    path: 'metrics.json',
    base: '{"a": {"b": {"c": 1.1234}}}',
    head: '{"a": {"b": {"c": 2.2345}}}',
    expected: [['metrics.json', 'a.b.c', '1.123', '2.235', '3.346']],
    tuneguard: [['<code>a/b</code>', '<code>c</code>', '1.123', '2.235', '+1.111', '?', '—']],
    why: 'the same digits for the values; the change is head − base',
  },
  {
    dvc: 'test_diff_unsupported_diff_message',
    path: 'metrics.json',
    base: '"1"',
    head: '"2"',
    expected: [['metrics.json', '', '1', '2', '-']],
    tuneguard: [['<code>metrics</code>', '<code>metrics</code>', '1', '2', '+1', '?', '—']],
    why: 'a string that spells a number is read as the number, so it has a change',
  },
  {
    dvc: 'test_diff_old_deleted',
    path: 'metric.json',
    base: '{"a": {"b": {"d": "old"}}}',
    head: '{}',
    expected: [['metric.json', 'a.b.d', 'old', '-', '-']],
    tuneguard: [],
    why: 'a file of texts alone holds no metric (it is reported as unreadable): texts count beside numbers',
  },
  {
    dvc: 'test_diff_sorted',
    path: 'metrics.yaml',
    base: 'x:\n  b: 5\na:\n  d:\n    e: 3\n  b:\n    c: 1\n',
    head: 'x:\n  b: 6\na:\n  d:\n    e: 4\n  b:\n    c: 2\n',
    expected: [
      ['metrics.yaml', 'a.b.c', '1', '2', '1'],
      ['metrics.yaml', 'a.d.e', '3', '4', '1'],
      ['metrics.yaml', 'x.b', '5', '6', '1'],
    ],
    tuneguard: [
      ['<code>x</code>', '<code>b</code>', '5', '6', '+1', '?', '—'],
      ['<code>a/d</code>', '<code>e</code>', '3', '4', '+1', '?', '—'],
      ['<code>a/b</code>', '<code>c</code>', '1', '2', '+1', '?', '—'],
    ],
    why: 'rows come in the order of the changes that matter most (regressions first), then the file’s order',
  },
  {
    dvc: 'test_diff_falsey_values',
    path: 'metrics.yaml',
    base: 'x:\n  b: 0\n',
    head: 'x:\n  b: 0.0\n',
    expected: [['metrics.yaml', 'x.b', '0', '0.0', '0.0']],
    tuneguard: [['<code>x</code>', '<code>b</code>', '0', '0', '0', '?', 'unchanged']],
    why: '0 and 0.0 are the same number, so the metric is unchanged',
  },
  {
    dvc: 'test_metrics_diff_cli (tests/func/metrics/test_diff.py)',
    path: 'm.yaml',
    base: 'foo: 1.23456789',
    head: 'foo: 3.45678910111213',
    expected: [['m.yaml', 'foo', '1.23457', '3.45679', '2.22222']],
    // python3: '%.4g' % 1.23456789 == '1.235', '%.4g' % 3.45678910111213 == '3.457', '%.4g' % 2.22222121111213 == '2.222'.
    tuneguard: [['<code>m</code>', '<code>foo</code>', '1.235', '3.457', '+2.222', '?', '—']],
    why: '4 significant digits, and a signed change',
  },
];

/** Task, Metric, Base, Head, Δ, Better, Change. */
const METRIC_COLUMNS = 7;

/** The rows of the comment's Metrics table: the cells of its rows (they start with a code cell). */
function metricRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| <code>'))
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim()),
    )
    .filter((cells) => cells.length === METRIC_COLUMNS);
}

describe("DVC's renderer cases, as rows of the PR comment's Metrics table", () => {
  it.each(RENDERER_CASES.map((entry) => [`${entry.dvc}: differs on purpose, ${entry.why}`, entry] as const))(
    '%s',
    async (_name, entry) => {
      const report = await analyzeHistory(
        [{ [entry.path]: entry.base }, { [entry.path]: entry.head }],
        1,
        `metrics: [${entry.path}]\n`,
      );
      expect(metricRows(renderMarkdown(report))).toEqual(entry.tuneguard);
    },
  );
});

describe('text metrics in the PR comment', () => {
  it("shows a text metric's values as escaped code, never as markup", async () => {
    const hostile = '<img src=x onerror=alert(1)> **bold** [link](https://example.invalid)';
    const report = await analyzeHistory(
      [
        { 'dvc.yaml': 'metrics:\n- eval/m.yaml\n', 'eval/m.yaml': 'acc: 0.5\nstatus: converged\n' },
        { 'eval/m.yaml': `acc: 0.5\nstatus: '${hostile}'\n` },
      ],
      1,
    );
    expect(report.metrics[0]?.metrics.find((metric) => metric.metric === 'status')).toEqual({
      key: 'm/status',
      task: 'm',
      metric: 'status',
      direction: 'unknown',
      baseText: 'converged',
      headText: hostile,
      change: 'n/a',
    });
    const row = metricRows(renderMarkdown(report)).find((cells) => cells[1] === '<code>status</code>');
    expect(row?.[2]).toBe('<code>converged</code>');
    expect(row?.[3]).toMatch(/^<code>.*<\/code>$/);
    expect(row?.[3]).not.toContain('<img');
    expect(row?.[3]).not.toContain('**bold**');
    expect(row?.[3]).not.toContain('](');
  });
});
