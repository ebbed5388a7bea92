import { validate } from '@octokit/graphql-schema';
import { describe, expect, it } from '@jest/globals';
import { findWorkflowRunId, renderExternalId } from '../../bot/github/check-run.js';
import { createKeyedQueue } from '../../bot/publish/create-keyed-queue.js';
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

describe("the check run's external_id", () => {
  it.each([
    [30433642, undefined, '30433642'],
    [30433642, 5001, '30433642:5001'],
  ])('run %s and artifact %s: %s, and the run id reads back', (runId, artifactId, externalId) => {
    expect(renderExternalId(runId, artifactId)).toBe(externalId);
    expect(findWorkflowRunId(renderExternalId(runId, artifactId))).toBe(runId);
  });

  it.each([null, undefined, '', '0', '12:', ':5', '12:0', '12:5:6', 'abc', '1'.repeat(17)])(
    'reads no run id from %p',
    (externalId) => {
      expect(findWorkflowRunId(externalId)).toBeUndefined();
    },
  );
});

describe('createKeyedQueue', () => {
  it('runs tasks of one key one after another, other keys alongside, and goes on after a failure', async () => {
    const queue = createKeyedQueue();
    const events: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run('a', task('a1', true)),
      queue.run('a', task('a2')),
      queue.run('b', task('b1')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(events.indexOf('a2 start')).toBeGreaterThan(events.indexOf('a1 end'));
    expect(events.indexOf('b1 start')).toBeLessThan(events.indexOf('a1 end'));
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
