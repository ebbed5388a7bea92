import { decodeText } from '../../src/loaders/decode-text.js';
import { statusOf } from '../../src/io/github/status-of.js';
import type { Octokit, RepoRef } from './octokit.js';

/** What the contents API holds at a path on a ref: a file's text, nothing, or something that is no file. */
export type RepoContent = { text: string } | 'missing' | 'not-a-file';

/**
 * The text of a file as committed on `ref`, read with the contents API's raw media type; `undefined`
 * when there is no file at that path (GitHub's 404, or a folder). Other API errors are thrown.
 */
export async function readRepoFile(
  octokit: Octokit,
  repo: RepoRef,
  file: { path: string; ref: string },
): Promise<string | undefined> {
  const content = await readRepoContent(octokit, repo, file);
  return typeof content === 'string' ? undefined : content.text;
}

/**
 * What is at `path` on `ref`, read with the contents API's raw media type: the file's text (a
 * `ParseError` is thrown when it is not UTF-8), `missing` on GitHub's 404, `not-a-file` for a folder's
 * listing. Other API errors are thrown.
 */
export async function readRepoContent(
  octokit: Octokit,
  repo: RepoRef,
  file: { path: string; ref: string },
): Promise<RepoContent> {
  let data: unknown;
  try {
    const response = await octokit.rest.repos.getContent({
      ...repo,
      path: file.path,
      ref: file.ref,
      mediaType: { format: 'raw' },
    });
    data = response.data;
  } catch (error) {
    if (statusOf(error) === 404) return 'missing';
    throw error;
  }
  // The raw media type answers with the file's bytes: text, or binary data, depending on its content
  // type; a folder answers with its listing. The type check does not use `instanceof`: the data may come
  // from another realm.
  if (typeof data === 'string') return { text: data };
  if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') {
    return { text: decodeText(new Uint8Array(data as ArrayBuffer)) };
  }
  return 'not-a-file';
}
