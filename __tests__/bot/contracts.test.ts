import { validate } from '@octokit/graphql-schema';
import { describe, expect, it } from '@jest/globals';
import { REVIEWS_QUERY, renderMinimizeMutation } from '../../bot/publish/publish-review.js';
import { parseReviewMarker, renderReviewMarker } from '../../src/render/render-review.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { ConfigError } from '../../src/model/errors.js';

const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

describe('GraphQL operations, against GitHub’s published schema', () => {
  it.each([1, 3, 25])('minimizing %s subjects in one request', (count) => {
    expect(validate(renderMinimizeMutation(count))).toEqual([]);
  });

  it('the reviews query', () => {
    expect(validate(REVIEWS_QUERY)).toEqual([]);
  });
});

describe('review markers', () => {
  it('round-trip with and without a scope; other text is no marker', () => {
    const marker = { sha: SHA, key: '0123456789abcdef' };
    expect(parseReviewMarker(`${renderReviewMarker(marker)}\nbody`)).toEqual(marker);
    expect(parseReviewMarker(renderReviewMarker({ ...marker, scope: 'models_sft' }))).toEqual({
      ...marker,
      scope: 'models_sft',
    });
    expect(parseReviewMarker('<!-- tuneguard:report -->')).toBeUndefined();
  });
});

describe('config: commands.rerun-eval', () => {
  it('defaults: off, no inputs, forks not allowed', () => {
    expect(Object.keys(parseConfig('', 'c.yml').commands)).toEqual([]);
    expect(parseConfig('', 'c.yml').commands['rerun-eval']).toBeUndefined();
    expect(
      parseConfig('commands:\n  rerun-eval: { workflow: eval.yml }\n', 'c.yml').commands['rerun-eval'],
    ).toEqual({
      workflow: 'eval.yml',
      inputs: {},
      'allow-forks': false,
    });
  });

  it.each([
    [
      'a path instead of a file name',
      'commands:\n  rerun-eval: { workflow: .github/workflows/eval.yml }\n',
      'name the workflow file',
    ],
    ['an unknown key', 'commands:\n  rerun-eval: { workflow: eval.yml, allow_forks: true }\n', 'allow_forks'],
    [
      'an object input',
      'commands:\n  rerun-eval: { workflow: eval.yml, inputs: { a: { b: 1 } } }\n',
      'inputs.a',
    ],
  ])('%s is a ConfigError', (_, text, message) => {
    expect(() => parseConfig(text, 'c.yml')).toThrow(ConfigError);
    expect(() => parseConfig(text, 'c.yml')).toThrow(message);
  });
});
