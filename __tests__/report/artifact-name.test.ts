import { describe, expect, it } from '@jest/globals';
import { renderCommentMarker } from '../../src/io/github/sticky-comment.js';
import {
  computeArtifactName,
  computeScopeSlug,
  parseArtifactName,
  type ArtifactNameParts,
} from '../../src/report/artifact-name.js';

const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const SHA256 = 'a'.repeat(64);

describe('parseArtifactName reads the names the Action writes, and nothing else', () => {
  it.each([
    [`tuneguard-report-pr7-${SHA}`, { pr: 7, sha: SHA }],
    [`tuneguard-report-${SHA}`, { sha: SHA }],
    [
      `tuneguard-report-pr12-${SHA}-models_sft_.github_tuneguard.yml`,
      { pr: 12, sha: SHA, scope: 'models_sft_.github_tuneguard.yml' },
    ],
    [`tuneguard-report-pr0-${SHA}`, undefined],
    [`tuneguard-report-pr7-${SHA.slice(0, 39)}`, undefined],
    [`tuneguard-report-pr7-${SHA.toUpperCase()}`, undefined],
    [`tuneguard-report-pr7-${SHA}-`, undefined],
    [`tuneguard-report-pr7-${SHA}-models/sft`, undefined],
    ['coverage-report', undefined],
  ])('%s', (name, expected) => {
    expect(parseArtifactName(name)).toEqual(expected);
  });
});

describe('artifact names round-trip: every name the writer gives parses back to its pull request, commit and scope', () => {
  const scopes: [string | undefined, string | undefined][] = [
    // [the Action's scope, the scope the App reads back: its slug]
    [undefined, undefined],
    ['', undefined],
    ['models/sft', 'models_sft'],
    ['configs/a b.yml', 'configs_a_b.yml'],
    ['models/sft:configs/tuneguard.yml', 'models_sft_configs_tuneguard.yml'],
    ['données/été', 'donn_es_t_'],
    ['模型/微调', '_'],
    ['-leading-dash', '-leading-dash'],
    ['.hidden/..', '.hidden_..'],
    ['a --> <b>', 'a_--_b_'],
    ['UPPER_lower-9.x', 'UPPER_lower-9.x'],
  ];
  const cases = [undefined, 1, 7, 4_294_967_295].flatMap((pr) =>
    [SHA, SHA256].flatMap((sha) => scopes.map(([scope, slug]) => ({ pr, sha, scope, slug }))),
  );

  it.each(cases)('pr $pr, scope $scope', ({ pr, sha, scope, slug }) => {
    const written: ArtifactNameParts = {
      ...(pr !== undefined ? { pr } : {}),
      sha,
      ...(scope !== undefined ? { scope } : {}),
    };
    const name = computeArtifactName(written);
    expect(parseArtifactName(name)).toEqual({
      ...(pr !== undefined ? { pr } : {}),
      sha,
      ...(slug !== undefined ? { scope: slug } : {}),
    });
    // The App rebuilds the Action's comment marker from what the name gives back.
    expect(renderCommentMarker(parseArtifactName(name)?.scope)).toBe(renderCommentMarker(scope));
  });

  it('spells the name as the App and the docs expect it', () => {
    expect(computeArtifactName({ pr: 7, sha: SHA, scope: 'models/sft' })).toBe(
      `tuneguard-report-pr7-${SHA}-models_sft`,
    );
    expect(computeArtifactName({ sha: SHA })).toBe(`tuneguard-report-${SHA}`);
  });

  it('a slug is its own slug, so a scope read back from a name names the same things again', () => {
    for (const [scope] of scopes) {
      const slug = computeScopeSlug(scope ?? '');
      expect(computeScopeSlug(slug)).toBe(slug);
    }
  });
});
