import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The pull request a run reviews, as its event describes it. */
export interface EventPullRequest {
  number: number;
  baseSha: string;
  headSha: string;
  /** The base branch's name (`main`), shown next to the SHA in the report. */
  baseRef?: string;
  /** The head branch's name, shown next to the SHA in the report. */
  headRef?: string;
}

/** What the runner tells the Action about the run, read when the run starts (never at import time). */
export interface RunContext {
  /** `GITHUB_EVENT_NAME`, e.g. `pull_request`; empty outside a runner. */
  eventName: string;
  /** The pull request of a `pull_request` or `pull_request_target` event, else `undefined`. */
  pullRequest: EventPullRequest | undefined;
  /** `GITHUB_REPOSITORY` split into owner and name, else `undefined`. */
  repository: { owner: string; repo: string } | undefined;
  /** `GITHUB_WORKSPACE`, else the current directory. */
  workspace: string;
  /** `GITHUB_API_URL`, else `https://api.github.com`. */
  apiUrl: string;
  /** The workflow run's page (where the job summary is), when the runner names the run. */
  runUrl: string | undefined;
  /** The repository's default branch, from the event's `repository.default_branch`, else `undefined`. */
  defaultBranch: string | undefined;
}

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);
const pullRequestEventSchema = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    base: z.object({ sha, ref: z.string().optional() }),
    head: z.object({ sha, ref: z.string().optional() }),
  }),
});

const repositoryEventSchema = z.object({ repository: z.object({ default_branch: z.string().min(1) }) });

/**
 * Reads the run's context from the runner's environment variables and the event file
 * (`GITHUB_EVENT_PATH`). A missing or unreadable event file, or an event without a pull request, gives
 * `pullRequest: undefined`: the Action then needs the `base` and `head` inputs.
 * @example await readRunContext(process.env, process.cwd())
 */
export async function readRunContext(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<RunContext> {
  const payload = await readEventPayload(env['GITHUB_EVENT_PATH']);
  const event = pullRequestEventSchema.safeParse(payload);
  const repositoryEvent = repositoryEventSchema.safeParse(payload);
  const [owner, repo, ...rest] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  const repository = owner && repo && rest.length === 0 ? { owner, repo } : undefined;
  const serverUrl = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const runId = env['GITHUB_RUN_ID'];
  return {
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    pullRequest: event.success ? toPullRequest(event.data.pull_request) : undefined,
    repository,
    workspace: env['GITHUB_WORKSPACE'] || cwd,
    apiUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, ''),
    runUrl:
      repository && runId && /^\d+$/.test(runId)
        ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}`
        : undefined,
    defaultBranch: repositoryEvent.success ? repositoryEvent.data.repository.default_branch : undefined,
  };
}

function toPullRequest(data: z.infer<typeof pullRequestEventSchema>['pull_request']): EventPullRequest {
  return {
    number: data.number,
    baseSha: data.base.sha,
    headSha: data.head.sha,
    ...(data.base.ref ? { baseRef: data.base.ref } : {}),
    ...(data.head.ref ? { headRef: data.head.ref } : {}),
  };
}

async function readEventPayload(path: string | undefined): Promise<unknown> {
  if (!path) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    // The runner always writes the event file; a missing one means a run outside Actions, where the
    // `base` and `head` inputs say what to compare.
    return undefined;
  }
}
