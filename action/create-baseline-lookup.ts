import * as core from '@actions/core';
import { findBaselineReport } from '../src/io/github/find-baseline-report.js';
import type { BaselineLookup } from '../src/model/baseline-source.js';
import { describeError } from '../src/model/errors.js';
import type { ActionDeps } from './deps.js';
import type { Inputs } from './inputs.js';
import type { RunContext } from './read-run-context.js';

/** Commits of the base's first-parent history whose reports may serve as its baseline, the base included. */
export const BASELINE_DEPTH = 50;

/** What the lookup needs: the run, the base commit, where its clone is, and the Action's scope. */
export interface BaselineRequest {
  inputs: Pick<Inputs, 'github-token'>;
  context: Pick<RunContext, 'repository' | 'apiUrl' | 'defaultBranch'>;
  /** The base commit's SHA, and the folder of its clone. */
  base: string;
  workingDirectory: string;
  scope: string | undefined;
}

/**
 * The Action's baseline lookup (called by the analysis only when the base has no results file): the
 * base's first-parent history in the clone, {@link BASELINE_DEPTH} commits at most (a shallow clone is
 * deepened from `origin` first), then {@link findBaselineReport} with the job's token. Never throws: a
 * missing token, repository or default branch, or a failure, is a `missing` outcome with its reason.
 */
export function createBaselineLookup(
  request: BaselineRequest,
  deps: Pick<ActionDeps, 'createOctokit' | 'openRepository'>,
): BaselineLookup {
  return async () => {
    const { inputs, context, base, workingDirectory, scope } = request;
    const token = inputs['github-token'];
    if (token === '') return { missing: 'the `github-token` input is empty, so no artifact can be listed' };
    if (!context.repository || context.defaultBranch === undefined) {
      return { missing: 'the run names no repository or default branch (GITHUB_REPOSITORY, the event)' };
    }
    try {
      const repo = await deps.openRepository(workingDirectory);
      // A shallow checkout holds few of the base's ancestors: fetch as many as a baseline may be looked for in.
      if (await repo.isShallow()) await repo.tryFetch('origin', [base], BASELINE_DEPTH);
      const commits = await repo.listFirstParents(base, BASELINE_DEPTH);
      core.info(
        `Looking for a baseline report of ${base} or its ${commits.length - 1} first parents on ${context.defaultBranch}.`,
      );
      return await findBaselineReport(deps.createOctokit(token, context.apiUrl), {
        repo: context.repository,
        commits: commits.length > 0 ? commits : [base],
        defaultBranch: context.defaultBranch,
        ...(scope !== undefined ? { scope } : {}),
        now: new Date(),
      });
    } catch (error) {
      return { missing: `looking for it failed: ${describeError(error)}` };
    }
  };
}
