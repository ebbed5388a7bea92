/**
 * The form a scope takes in names GitHub stores (artifact names, comment markers): runs of any
 * character but letters, digits, `.`, `_` and `-` become `_`, so the App can rebuild the Action's marker
 * from the artifact name.
 * @example computeScopeSlug('models/sft:cfg.yml') // 'models_sft_cfg.yml'
 */
export function computeScopeSlug(scope: string): string {
  return scope.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * The hidden marker that starts tuneguard's sticky PR comment, shared by the Action and the App so
 * the two update one comment instead of posting twice. `scope` separates several runs in one PR
 * (a monorepo running tuneguard per folder or config); it is reduced by `computeScopeSlug`.
 * @example renderCommentMarker() // '<!-- tuneguard:report -->'
 * @example renderCommentMarker('models/a') // '<!-- tuneguard:report scope=models_a -->'
 */
export function renderCommentMarker(scope?: string): string {
  const safe = computeScopeSlug(scope ?? '').replace(/^[._]+|[._]+$/g, '');
  return safe === '' ? '<!-- tuneguard:report -->' : `<!-- tuneguard:report scope=${safe} -->`;
}
