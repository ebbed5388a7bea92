import { describe, expect, it } from '@jest/globals';
import { computeScopeSlug, renderCommentMarker } from '../../src/render/comment-marker.js';

describe('renderCommentMarker', () => {
  it.each([
    [undefined, '<!-- tuneguard:report -->'],
    ['', '<!-- tuneguard:report -->'],
    ['models/sft', '<!-- tuneguard:report scope=models_sft -->'],
    ['models/sft:cfg/tuneguard.yml', '<!-- tuneguard:report scope=models_sft_cfg_tuneguard.yml -->'],
    // Nothing in a scope can close the HTML comment early.
    ['a --> <b>', '<!-- tuneguard:report scope=a_--_b -->'],
  ])('%p → %p', (scope, marker) => {
    expect(renderCommentMarker(scope)).toBe(marker);
  });

  it('uses the slug of artifact names, so the App can rebuild the Action marker from one', () => {
    const slug = computeScopeSlug('models/sft');
    expect(`tuneguard-report-pr7-abc-${slug}`).toBe('tuneguard-report-pr7-abc-models_sft');
    expect(renderCommentMarker(slug)).toBe(renderCommentMarker('models/sft'));
  });
});
