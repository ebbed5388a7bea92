/**
 * The hidden marker that starts tuneguard's sticky PR comment, shared by the Action and the App so
 * the two update one comment instead of posting twice. `scope` separates several runs in one PR
 * (a monorepo running tuneguard per folder or config); it is reduced to safe characters.
 * @example renderCommentMarker() // '<!-- tuneguard:report -->'
 * @example renderCommentMarker('models/a') // '<!-- tuneguard:report scope=models/a -->'
 */
export function renderCommentMarker(scope?: string): string {
  const safe = (scope ?? '').replace(/[^A-Za-z0-9._/-]/g, '_').replace(/^[./]+|[./]+$/g, '');
  return safe === '' ? '<!-- tuneguard:report -->' : `<!-- tuneguard:report scope=${safe} -->`;
}
