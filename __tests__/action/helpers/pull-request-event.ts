import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The package is one JSON file (CommonJS): read it as such.
const webhooks = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

/** The repository of the `pull_request` example payload: `GITHUB_REPOSITORY` must match it. */
export const EXAMPLE_REPOSITORY = { owner: 'Codertocat', repo: 'Hello-World' } as const;

/** What a test changes in the example payload. */
export interface PullRequestEventFields {
  number: number;
  baseSha: string;
  headSha: string;
  /** The head comes from a fork (`head.repo.fork`, `head.repo.full_name`). */
  fork?: boolean;
  /** The repository's default branch (`repository.default_branch`); the example's `master` when absent. */
  defaultBranch?: string;
}

/**
 * Writes a `pull_request` (`opened`) event payload to `dir/event.json` and returns its path: GitHub's
 * own example from @octokit/webhooks-examples with the number, SHAs and branch names of the test's pull
 * request put in.
 */
export function writePullRequestEvent(dir: string, fields: PullRequestEventFields): string {
  const definition = webhooks.find((d): d is WebhookDefinition<'pull_request'> => d.name === 'pull_request');
  const example = definition?.examples.find((e) => 'action' in e && e.action === 'opened');
  if (!example || !('pull_request' in example)) throw new Error('no pull_request.opened example');
  const payload = structuredClone(example);
  payload.number = fields.number;
  payload.pull_request.number = fields.number;
  payload.pull_request.base.sha = fields.baseSha;
  payload.pull_request.head.sha = fields.headSha;
  payload.pull_request.base.ref = 'main';
  payload.pull_request.head.ref = 'contributor';
  if (fields.fork && payload.pull_request.head.repo) {
    payload.pull_request.head.repo.fork = true;
    payload.pull_request.head.repo.full_name = `octocat/${EXAMPLE_REPOSITORY.repo}`;
  }
  if (fields.defaultBranch !== undefined) payload.repository.default_branch = fields.defaultBranch;
  const path = join(dir, 'event.json');
  writeFileSync(path, JSON.stringify(payload, null, 2));
  return path;
}
