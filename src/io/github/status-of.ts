/**
 * The HTTP status of an Octokit request error (its `status` number), else `undefined`.
 * @example statusOf(new RequestError('Forbidden', 403, …)) // 403
 */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
