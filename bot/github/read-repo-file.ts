import { decodeText } from '../../src/loaders/decode-text.js';
import { statusOf } from '../../src/io/github/status-of.js';
import type { Octokit, RepoRef } from './octokit.js';

/**
 * The text of a file as committed on `ref`, read with the contents API's raw media type; `undefined`
 * when there is no file at that path (GitHub's 404, or a folder). Other API errors are thrown.
 */
export async function readRepoFile(
  octokit: Octokit,
  repo: RepoRef,
  file: { path: string; ref: string },
): Promise<string | undefined> {
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
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  // The raw media type answers with the file's bytes: text, or binary data, depending on its content
  // type; a folder answers with its listing. The type check does not use `instanceof`: the data may come
  // from another realm.
  if (typeof data === 'string') return data;
  if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') {
    return decodeText(new Uint8Array(data as ArrayBuffer));
  }
  return undefined;
}
