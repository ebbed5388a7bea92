import nock from 'nock';
import type { Report } from '../../../src/model/report-schema.js';
import { buildSampleReport } from '../../helpers/sample-report.js';
import {
  artifactData,
  BASE_REF,
  BASE_SHA,
  HEAD_REF,
  HEAD_SHA,
  PR_NUMBER,
  REPO_PATH,
  RUN_ID,
  zipReport,
} from './events.js';
import { fixture, gitPatch, type GitHubMock } from './github-app.js';

/** Where GitHub's artifact download redirects to: short-lived blob storage, another host than the API. */
export const BLOB = 'https://productionresultssa0.blob.core.windows.net';

/** The sample report (see helpers/sample-report.ts) as the pull request's head reports it. */
export function sampleReport(overrides: Partial<Report> = {}): Report {
  return buildSampleReport({
    base: { ref: BASE_REF, sha: BASE_SHA },
    head: { ref: HEAD_REF, sha: HEAD_SHA },
    ...overrides,
  });
}

/**
 * The pull request's files as `GET …/pulls/{n}/files` answers, with the patches git itself makes from
 * the fixtures the sample report was read from (helpers/sample-report.ts names them). GitHub leaves out
 * the patch of a large file: data/identity_chat.json has none, as its rewrite of 500 rows would not be shown.
 */
export function sampleFiles() {
  const file = (filename: string, patch: string | undefined) => ({
    sha: '0123456789abcdef0123456789abcdef01234567',
    filename,
    status: 'modified',
    additions: (patch?.match(/^\+/gm) ?? []).length,
    deletions: (patch?.match(/^-/gm) ?? []).length,
    changes: 0,
    blob_url: `https://github.com/Codertocat/Hello-World/blob/${HEAD_SHA}/${filename}`,
    raw_url: `https://github.com/Codertocat/Hello-World/raw/${HEAD_SHA}/${filename}`,
    contents_url: `https://api.github.com/repos/Codertocat/Hello-World/contents/${filename}?ref=${HEAD_SHA}`,
    ...(patch !== undefined ? { patch } : {}),
  });
  return [
    file('data/identity_chat.json', undefined),
    file(
      'data/wikisql/train.jsonl',
      gitPatch(
        fixture('datasets/mlx_wikisql_train.base.jsonl'),
        fixture('pairs/mlx_wikisql_train.pr632.jsonl'),
      ),
    ),
    file(
      'configs/lora-1b.yml',
      gitPatch(fixture('params/llama3-lora-1b.before.yml'), fixture('params/llama3-lora-1b.after.yml')),
    ),
    file(
      'recipes/zephyr-7b-beta/sft/config_full.yaml',
      gitPatch(
        fixture('params/zephyr-7b-beta_sft_config_full.before-pr182.yaml'),
        fixture('params/zephyr-7b-beta_sft_config_full.after-pr182.yaml'),
      ),
    ),
    file(
      'results/lambada_openai.json',
      gitPatch(
        fixture('metrics/v047_rwkv7-1.5b_lambada_run-good.json'),
        fixture('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json'),
      ),
    ),
    file(
      'results/common_sense_reasoning_0-shot.json',
      gitPatch(
        fixture('metrics/harness-legacy_llama-7B_common_sense_reasoning_0-shot.json'),
        fixture('pairs/harness-legacy_llama-13B_common_sense_reasoning_0-shot.json'),
      ),
    ),
  ];
}

/**
 * Mocks a workflow run's report artifact: the artifact list, the download (a 302 to blob storage, as
 * GitHub answers) and the blob itself, which must be fetched without the App's token.
 */
export function mockArtifact(
  github: GitHubMock,
  zip: Buffer,
  options: {
    id?: number;
    name?: string;
    runId?: number;
    digest?: string;
    size?: number;
    download?: boolean;
  } = {},
): nock.Scope | undefined {
  const id = options.id ?? 5001;
  const name = options.name ?? `tuneguard-report-pr${PR_NUMBER}-${HEAD_SHA}`;
  github.api
    .get(`${REPO_PATH}/actions/runs/${options.runId ?? RUN_ID}/artifacts`)
    .query({ per_page: 100 })
    .reply(200, {
      total_count: 2,
      artifacts: [
        artifactData(4990, 'coverage-report', Buffer.from('other')),
        artifactData(id, name, zip, {
          ...(options.digest !== undefined ? { digest: options.digest } : {}),
          ...(options.size !== undefined ? { size: options.size } : {}),
        }),
      ],
    });
  if (options.download === false) return undefined;
  github.api
    .get(`${REPO_PATH}/actions/artifacts/${id}/zip`)
    .reply(302, '', { location: `${BLOB}/artifacts/${id}.zip?sig=signed` });
  return nock(BLOB, { badheaders: ['authorization'] })
    .get(`/artifacts/${id}.zip`)
    .query({ sig: 'signed' })
    .reply(200, zip, { 'content-type': 'application/zip' });
}

/** The sample report zipped as the Action uploads it. */
export function sampleZip(overrides: Partial<Report> = {}): Buffer {
  return zipReport(sampleReport(overrides));
}

/**
 * Answers a first publication on the pull request: the reviews listed before posting and again after
 * (none), the new review, and the sticky comment: listed (none), created as comment 13, and listed again
 * by the check for a duplicate a concurrent delivery made.
 */
export function mockFreshPublication(api: nock.Scope): void {
  api
    .post('/graphql')
    .times(2)
    .reply(200, {
      data: {
        repository: {
          pullRequest: { reviews: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } },
        },
      },
    });
  api.post(`${REPO_PATH}/pulls/${PR_NUMBER}/reviews`).reply(200, {
    id: 80,
    node_id: 'PRR_new',
    html_url: `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}#pullrequestreview-80`,
  });
  const comment = `https://github.com/Codertocat/Hello-World/pull/${PR_NUMBER}#issuecomment-13`;
  api.get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).query({ per_page: 100 }).reply(200, []);
  api.post(`${REPO_PATH}/issues/${PR_NUMBER}/comments`).reply(201, { id: 13, html_url: comment });
  api
    .get(`${REPO_PATH}/issues/${PR_NUMBER}/comments`)
    .query({ per_page: 100 })
    .reply(200, [
      {
        id: 13,
        body: '<!-- tuneguard:report -->',
        user: { login: 'tuneguard[bot]', type: 'Bot' },
        html_url: comment,
      },
    ]);
}
