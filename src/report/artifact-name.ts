/** What an artifact name says: the pull request (when there is one), the head commit and the scope's slug. */
export interface ArtifactNameParts {
  /** The pull request number; absent for a run outside a pull request. */
  pr?: number;
  /** The head commit the report is about (40 or 64 hex digits). */
  sha: string;
  /**
   * The Action's scope (a folder or config of a monorepo). The writer takes it as the user wrote it;
   * the parser gives back its slug ({@link computeScopeSlug}), the form the name can hold.
   */
  scope?: string;
}

const PREFIX = 'tuneguard-report-';
const ARTIFACT_NAME =
  /^tuneguard-report-(?:pr([1-9]\d{0,9})-)?([0-9a-f]{40}|[0-9a-f]{64})(?:-([A-Za-z0-9._-]+))?$/;

/**
 * The form a scope takes in names GitHub stores (artifact names, comment markers): runs of any
 * character but ASCII letters, digits, `.`, `_` and `-` become `_`, so the App can rebuild the Action's
 * marker from the artifact name.
 * @example computeScopeSlug('models/sft:cfg.yml') // 'models_sft_cfg.yml'
 * @example computeScopeSlug('') // ''
 */
export function computeScopeSlug(scope: string): string {
  return scope.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * The report artifact's name, as the Action uploads it and the App looks for it:
 * `tuneguard-report-pr<N>-<head sha>`, then `-<scope slug>` when there is a scope. Without a pull
 * request the `pr<N>-` part is left out; an empty scope is no scope. {@link parseArtifactName} reads it back.
 * @example computeArtifactName({ pr: 7, sha: 'ab12…', scope: 'models/sft' }) // 'tuneguard-report-pr7-ab12…-models_sft'
 */
export function computeArtifactName(parts: ArtifactNameParts): string {
  const slug = parts.scope === undefined ? '' : computeScopeSlug(parts.scope);
  const pr = parts.pr === undefined ? '' : `pr${parts.pr}-`;
  return `${PREFIX}${pr}${parts.sha}${slug === '' ? '' : `-${slug}`}`;
}

/**
 * Reads an artifact name written by {@link computeArtifactName}: the pull request, the head commit and
 * the scope's slug. Any other name (another tool's artifact, a malformed sha or number) gives `undefined`.
 * @example parseArtifactName('tuneguard-report-pr7-<40 hex>') // { pr: 7, sha: '<40 hex>' }
 */
export function parseArtifactName(name: string): ArtifactNameParts | undefined {
  const match = ARTIFACT_NAME.exec(name);
  if (!match?.[2]) return undefined;
  return {
    sha: match[2],
    ...(match[1] !== undefined ? { pr: Number(match[1]) } : {}),
    ...(match[3] !== undefined ? { scope: match[3] } : {}),
  };
}
