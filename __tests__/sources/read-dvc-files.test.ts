import { describe, expect, it } from '@jest/globals';
import { ParseError } from '../../src/model/errors.js';
import { findDvcDeclaration, parseDvcFile } from '../../src/sources/read-dvc-files.js';

describe('parseDvcFile', () => {
  it('reads top-level, vars and stage declarations, relative to the file and the stage wdir', () => {
    const text = [
      'vars:',
      '- config/vars.yaml:train',
      '- { lr: 0.1 }',
      'metrics:',
      '- ../shared/metrics.json',
      'params:',
      '- my_params.toml',
      'plots:',
      '- logs/loss.csv',
      '- ROC:',
      '    x: fpr',
      '    y:',
      '      eval/roc.json: tpr',
      'stages:',
      '  train:',
      '    wdir: ..',
      '    cmd: python train.py',
      '    params:',
      '    - lr,epochs',
      '    - train.yaml:',
      '      - optimizer.lr',
      '    - whole.yaml:',
      '    metrics:',
      '    - out/scores.json:',
      '        cache: false',
      '    plots:',
      '    - out/curve.csv',
      '  each:',
      '    foreach: [a, b]',
      '    do:',
      '      cmd: run ${item}',
      '      metrics:',
      '      - out/${item}.json',
      '      - out/all.yaml',
      '  outside:',
      '    cmd: x',
      '    metrics:',
      '    - ../../../escape.json',
      '',
    ].join('\n');
    expect(parseDvcFile(text, 'pipelines/dvc.yaml').declared).toEqual([
      { kind: 'metrics', path: 'shared/metrics.json', where: 'top-level' },
      { kind: 'params', path: 'pipelines/my_params.toml', where: 'top-level' },
      { kind: 'params', path: 'pipelines/config/vars.yaml', where: 'vars' },
      { kind: 'plots', path: 'pipelines/logs/loss.csv', where: 'top-level' },
      { kind: 'plots', path: 'pipelines/eval/roc.json', where: 'top-level' },
      { kind: 'metrics', path: 'out/scores.json', where: 'train' },
      { kind: 'plots', path: 'out/curve.csv', where: 'train' },
      { kind: 'params', path: 'params.yaml', where: 'train', keys: ['lr', 'epochs'] },
      { kind: 'params', path: 'train.yaml', where: 'train', keys: ['optimizer.lr'] },
      { kind: 'params', path: 'whole.yaml', where: 'train' },
      { kind: 'metrics', path: 'pipelines/out/all.yaml', where: 'each' },
    ]);
  });

  it.each([
    // An unclosed `[` is reported where the file ends.
    ['stages:\n  train:\n    cmd: [\n', 4],
    ['- a\n- b\n', 1],
  ])('throws a ParseError with the line for %j', (text, line) => {
    let error: unknown;
    try {
      parseDvcFile(text, 'dvc.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).line).toBe(line);
  });

  it('gives no declaration for an empty file', () => {
    expect(parseDvcFile('', 'dvc.yaml').declared).toEqual([]);
  });
});

describe('findDvcDeclaration', () => {
  const files = [
    {
      path: 'dvc.yaml',
      declared: [
        { kind: 'plots' as const, path: 'dvclive/plots', where: 'top-level' },
        { kind: 'params' as const, path: 'params.yaml', where: 'train', keys: ['lr'] },
      ],
    },
  ];

  it.each([
    ['dvclive/plots/metrics/loss.tsv', { kind: 'plots', reason: 'dvc.yaml declares it a plot (top level)' }],
    ['params.yaml', { kind: 'params', reason: 'dvc.yaml declares it a params file (stage train, keys lr)' }],
    ['dvclive/plotsx.csv', undefined],
    ['other.yaml', undefined],
  ])('%s → %j', (path, expected) => {
    expect(findDvcDeclaration(files, path)).toEqual(expected);
  });
});
