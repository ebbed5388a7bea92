import type {
  CheckRunRerequestedEvent,
  CheckSuiteRerequestedEvent,
  IssueCommentCreatedEvent,
  PullRequest,
  PullRequestOpenedEvent,
  Repository,
  WorkflowRunCompletedEvent,
} from '@octokit/webhooks-types';
import { createHash } from 'node:crypto';
import type { Report } from '../../../src/model/report-schema.js';
import { documentedExample } from '../../helpers/github-openapi.js';
import { APP_ID, examplePayload, type GitHubMock } from './github-app.js';
import { createZip } from './zip.js';

/*
 * Webhook payloads and API answers built from @octokit/webhooks-examples. The pull_request example (a PR
 * #2 of Codertocat/Hello-World from branch `changes` into `master`) sets the scene; the other events'
 * examples are moved into that repository and installation, changing only fields GitHub's payloads have.
 */

const PULL_REQUEST_EVENT = examplePayload<PullRequestOpenedEvent>(
  'pull_request',
  (p) => p['action'] === 'opened' && p['installation'] !== undefined,
);
/** The example pull request's repository, installation and numbers. */
export const REPOSITORY: Repository = PULL_REQUEST_EVENT.repository;
export const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
export const REPO_PATH = '/repos/Codertocat/Hello-World';
export const INSTALLATION_ID = 1;
export const PR_NUMBER = 2;
export const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
export const HEAD_REF = 'changes';
export const BASE_REF = 'master';
/** The merge-base of the example's base and head, as the tests' compare API answers it. */
export const MERGE_BASE_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
export const RUN_ID = 30433642;
export const RUN_URL = `https://github.com/Codertocat/Hello-World/actions/runs/${RUN_ID}`;

/** The example `pull_request` event with `action`, optionally on another head commit or from a fork. */
export function pullRequestEvent(
  action: 'opened' | 'synchronize' | 'reopened',
  options: { headSha?: string } = {},
): PullRequestOpenedEvent {
  const payload = structuredClone(PULL_REQUEST_EVENT);
  (payload as { action: string }).action = action;
  if (options.headSha) payload.pull_request.head.sha = options.headSha;
  return payload;
}

/**
 * The pull request as `GET /repos/{owner}/{repo}/pulls/{n}` answers, from the example's pull request;
 * `changedFiles` sets the count of changed files GitHub gives (the example's is 1).
 */
export function pullRequestData(
  options: { headSha?: string; fork?: boolean; state?: 'open' | 'closed'; changedFiles?: number } = {},
): PullRequest {
  const pull = structuredClone(PULL_REQUEST_EVENT.pull_request) as PullRequest;
  if (options.headSha) pull.head.sha = options.headSha;
  if (options.state) pull.state = options.state;
  if (options.changedFiles !== undefined) pull.changed_files = options.changedFiles;
  if (options.fork) {
    pull.head.repo = { ...structuredClone(REPOSITORY), full_name: 'forker/Hello-World', name: 'Hello-World' };
    pull.head.label = 'forker:changes';
  }
  return pull;
}

/** The example `workflow_run` completed event, as a run of this repository (run `RUN_ID` unless `runId`). */
export function workflowRunEvent(
  options: { event?: string; headSha?: string; path?: string; pullRequests?: boolean; runId?: number } = {},
): WorkflowRunCompletedEvent {
  const payload = examplePayload<WorkflowRunCompletedEvent>(
    'workflow_run',
    (p) => p['action'] === 'completed',
  );
  payload.repository = structuredClone(REPOSITORY);
  payload.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  const run = payload.workflow_run as WorkflowRunCompletedEvent['workflow_run'] & { path?: string };
  run.id = options.runId ?? RUN_ID;
  run.html_url =
    options.runId === undefined ? RUN_URL : RUN_URL.replace(String(RUN_ID), String(options.runId));
  run.event = options.event ?? 'pull_request';
  run.head_sha = options.headSha ?? HEAD_SHA;
  run.head_branch = HEAD_REF;
  run.conclusion = 'failure';
  run.path = options.path ?? '.github/workflows/tuneguard.yml';
  run.repository = structuredClone(REPOSITORY) as never;
  run.head_repository = structuredClone(REPOSITORY) as never;
  run.pull_requests = options.pullRequests
    ? [
        {
          id: 279147437,
          number: PR_NUMBER,
          url: `https://api.github.com/repos/Codertocat/Hello-World/pulls/${PR_NUMBER}`,
          head: {
            ref: HEAD_REF,
            sha: run.head_sha,
            repo: { id: REPOSITORY.id, name: REPOSITORY.name, url: REPOSITORY.url },
          },
          base: {
            ref: BASE_REF,
            sha: BASE_SHA,
            repo: { id: REPOSITORY.id, name: REPOSITORY.name, url: REPOSITORY.url },
          },
        },
      ]
    : [];
  return payload;
}

/** The example `issue_comment` created event, as a comment on the pull request by `user`. */
export function issueCommentEvent(
  body: string,
  user: { login: string; type: 'User' | 'Bot' } = { login: 'octocat', type: 'User' },
  options: { onPullRequest?: boolean } = {},
): IssueCommentCreatedEvent {
  const payload = examplePayload<IssueCommentCreatedEvent>(
    'issue_comment',
    (p) => p['action'] === 'created' && p['installation'] !== undefined,
  );
  payload.repository = structuredClone(REPOSITORY);
  payload.issue.number = PR_NUMBER;
  if (options.onPullRequest !== false) {
    payload.issue.pull_request = {
      url: `https://api.github.com/repos/Codertocat/Hello-World/pulls/${PR_NUMBER}`,
      html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}`,
      diff_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}.diff`,
      patch_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}.patch`,
      merged_at: null,
    };
  }
  payload.comment.body = body;
  payload.comment.user = { ...payload.comment.user, login: user.login, type: user.type };
  payload.sender = { ...payload.sender, login: user.login, type: user.type };
  return payload;
}

/** The example `check_run` rerequested event, for one of the App's check runs on the head. */
export function checkRunRerequestedEvent(
  options: { externalId?: string; appId?: number; name?: string; pullRequests?: boolean } = {},
): CheckRunRerequestedEvent {
  const payload = examplePayload<CheckRunRerequestedEvent>('check_run', (p) => p['action'] === 'rerequested');
  payload.repository = structuredClone(REPOSITORY);
  payload.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  const run = payload.check_run;
  run.id = 9001;
  run.name = options.name ?? 'tuneguard';
  run.head_sha = HEAD_SHA;
  run.external_id = options.externalId ?? '';
  run.details_url = options.externalId ? RUN_URL : 'https://github.com/apps/tuneguard';
  run.app = { ...run.app, id: options.appId ?? APP_ID };
  run.pull_requests = options.pullRequests
    ? [
        {
          url: `https://api.github.com/repos/Codertocat/Hello-World/pulls/${PR_NUMBER}`,
          id: 279147437,
          number: PR_NUMBER,
          head: {
            ref: HEAD_REF,
            sha: HEAD_SHA,
            repo: { id: REPOSITORY.id, name: REPOSITORY.name, url: REPOSITORY.url },
          },
          base: {
            ref: BASE_REF,
            sha: BASE_SHA,
            repo: { id: REPOSITORY.id, name: REPOSITORY.name, url: REPOSITORY.url },
          },
        },
      ]
    : [];
  return payload;
}

/** The example `check_suite` rerequested event, for the App's suite on the head. */
export function checkSuiteRerequestedEvent(): CheckSuiteRerequestedEvent {
  const payload = examplePayload<CheckSuiteRerequestedEvent>(
    'check_suite',
    (p) => p['action'] === 'rerequested',
  );
  payload.repository = structuredClone(REPOSITORY);
  payload.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  payload.check_suite.head_sha = HEAD_SHA;
  payload.check_suite.app = { ...payload.check_suite.app, id: APP_ID };
  return payload;
}

/** A check run as the Checks API lists it, created by the App (or by `appId`). */
export function checkRunData(options: {
  id: number;
  status?: 'in_progress' | 'completed';
  conclusion?: string | null;
  externalId?: string | null;
  text?: string | null;
  name?: string;
  appId?: number;
}) {
  return {
    id: options.id,
    node_id: `CR_${options.id}`,
    name: options.name ?? 'tuneguard',
    head_sha: HEAD_SHA,
    external_id: options.externalId ?? null,
    url: `https://api.github.com/repos/Codertocat/Hello-World/check-runs/${options.id}`,
    html_url: `https://github.com/Codertocat/Hello-World/runs/${options.id}`,
    details_url: options.externalId ? RUN_URL : 'https://github.com/apps/tuneguard',
    status: options.status ?? 'in_progress',
    conclusion: options.conclusion ?? null,
    started_at: '2024-05-01T10:00:00Z',
    completed_at: null,
    output: {
      title: 'Waiting for the report',
      summary: 'tuneguard reviews the head when the report arrives.',
      text: options.text ?? null,
      annotations_count: 0,
      annotations_url: `https://api.github.com/repos/Codertocat/Hello-World/check-runs/${options.id}/annotations`,
    },
    check_suite: { id: 5 },
    app: { id: options.appId ?? APP_ID, slug: 'tuneguard', name: 'tuneguard' },
    pull_requests: [],
  };
}

/** A report artifact as `GET …/actions/runs/{id}/artifacts` lists it; the digest is the zip's real SHA-256. */
export function artifactData(
  id: number,
  name: string,
  zip: Buffer,
  options: { digest?: string; size?: number } = {},
) {
  return {
    id,
    node_id: `MDg6QXJ0aWZhY3Q${id}`,
    name,
    size_in_bytes: options.size ?? zip.length,
    url: `https://api.github.com/repos/Codertocat/Hello-World/actions/artifacts/${id}`,
    archive_download_url: `https://api.github.com/repos/Codertocat/Hello-World/actions/artifacts/${id}/zip`,
    expired: false,
    created_at: '2024-05-01T10:05:00Z',
    expires_at: '2024-07-30T10:05:00Z',
    updated_at: '2024-05-01T10:05:00Z',
    digest: options.digest ?? `sha256:${createHash('sha256').update(zip).digest('hex')}`,
    workflow_run: {
      id: RUN_ID,
      repository_id: REPOSITORY.id,
      head_repository_id: REPOSITORY.id,
      head_branch: HEAD_REF,
      head_sha: HEAD_SHA,
    },
  };
}

/** The report zipped as the Action uploads it: one file, `tuneguard-report.json`. */
export function zipReport(report: Report | unknown): Buffer {
  return createZip([{ name: 'tuneguard-report.json', data: `${JSON.stringify(report, null, 2)}\n` }]);
}

/** The compare API's answer for the example pull request: GitHub's documented example, with this merge-base. */
export function compareData(mergeBase: string = MERGE_BASE_SHA) {
  const data = documentedExample<{ merge_base_commit: { sha: string }; base_commit: { sha: string } }>(
    'commit-comparison',
  );
  data.merge_base_commit.sha = mergeBase;
  data.base_commit.sha = BASE_SHA;
  return data;
}

/** The path of the compare API for the example pull request's base and head. */
export const COMPARE_PATH = `${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`;

/**
 * Mocks the compare API for the example pull request: the merge-base `MERGE_BASE_SHA`, or GitHub's 404
 * for commits that share no history.
 */
export function mockMergeBase(github: GitHubMock, answer: 'found' | 'unrelated' = 'found'): void {
  const compare = github.api.get(COMPARE_PATH).query({ per_page: 1 });
  if (answer === 'found') compare.reply(200, compareData());
  else
    compare.reply(404, {
      message: `No common ancestor between ${BASE_SHA} and ${HEAD_SHA}.`,
      documentation_url: 'https://docs.github.com/rest/commits/commits#compare-two-commits',
    });
}
