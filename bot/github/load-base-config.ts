import { DEFAULT_CONFIG_PATH, parseConfig } from '../../src/config/parse-config.js';
import type { Config } from '../../src/config/schema.js';
import { ConfigError, describeError, ParseError } from '../../src/model/errors.js';
import { findMergeBase } from './find-merge-base.js';
import type { Octokit, RepoRef } from './octokit.js';
import { readRepoContent, type RepoContent } from './read-repo-file.js';

/** The config as committed on a commit of a pull request's base side, or why it is invalid. */
export type BaseConfig =
  | {
      valid: true;
      config: Config;
      /** Absent when there is no config file (the defaults apply). */ path?: string;
    }
  | { valid: false; error: ConfigError };

/** The commit a pull request's config is read at: the merge-base, or base itself when there is none. */
export interface ConfigCommit {
  sha: string;
  /** False when GitHub found no common ancestor, and base itself was read. */
  mergeBase: boolean;
}

/**
 * The config that judges a pull request, read where the CLI and the Action read it: at the merge-base of
 * its base and head (what the pull request is compared against), or at base itself when the two share no
 * history. Never from the head, so a pull request cannot loosen the checks that judge it.
 */
export async function loadPullRequestConfig(
  octokit: Octokit,
  repo: RepoRef,
  pr: { baseSha: string; headSha: string },
): Promise<{ config: BaseConfig; at: ConfigCommit }> {
  const mergeBase = await findMergeBase(octokit, repo, pr);
  const at = { sha: mergeBase ?? pr.baseSha, mergeBase: mergeBase !== undefined };
  return { config: await loadBaseConfig(octokit, repo, at.sha), at };
}

/**
 * Reads `.github/tuneguard.yml` as committed on `ref`, a commit or branch of the base side (never the pull
 * request's head, so a pull request cannot loosen the rules that judge it), and parses it with the same
 * code as the Action and the CLI. A missing file gives the defaults; an invalid one gives the parser's
 * `ConfigError`, for the caller to report. Other API errors are thrown.
 */
export async function loadBaseConfig(octokit: Octokit, repo: RepoRef, ref: string): Promise<BaseConfig> {
  let content: RepoContent;
  try {
    content = await readRepoContent(octokit, repo, { path: DEFAULT_CONFIG_PATH, ref });
  } catch (error) {
    // Bytes that are not UTF-8 make the config invalid; an API error is the caller's.
    if (!(error instanceof ParseError)) throw error;
    const message = `Invalid config in ${DEFAULT_CONFIG_PATH}: ${describeError(error)}`;
    return {
      valid: false,
      error: new ConfigError(message, DEFAULT_CONFIG_PATH, undefined, { cause: error }),
    };
  }
  if (content === 'missing') return { valid: true, config: parseConfig('', DEFAULT_CONFIG_PATH) };
  if (content === 'not-a-file') {
    const message = `Invalid config in ${DEFAULT_CONFIG_PATH}: it is not a file on ${ref}.`;
    return { valid: false, error: new ConfigError(message, DEFAULT_CONFIG_PATH) };
  }
  try {
    return { valid: true, config: parseConfig(content.text, DEFAULT_CONFIG_PATH), path: DEFAULT_CONFIG_PATH };
  } catch (error) {
    if (error instanceof ConfigError) return { valid: false, error };
    throw error;
  }
}
