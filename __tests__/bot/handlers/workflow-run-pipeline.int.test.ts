import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import { analyze } from '../../../src/analyze.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../../../src/io/git.js';
import { createTestRepo, type TestRepo } from '../../helpers/git-repo.js';
import {
  checkRunData,
  INSTALLATION_ID,
  PR_NUMBER,
  pullRequestData,
  REPO_PATH,
  RUN_URL,
  workflowRunEvent,
  zipReport,
} from '../helpers/events.js';
import {
  createTestProbot,
  deliver,
  expectGitHubDone,
  fixture,
  mockGitHub,
  mockToken,
  type GitHubMock,
} from '../helpers/github-app.js';
import { mockArtifact, mockFreshPublication } from '../helpers/report-run.js';
import { useNock } from '../helpers/use-nock.js';

/*
 * The whole fork-safe flow on a real repository: the pipeline (`analyze`, as the Action runs it) reviews a
 * pull request that raises the learning rate ×10 in an Axolotl config (fixture llama3-lora-1b.before.yml,
 * `learning_rate: 0.0002` on line 44) and whose lambada results regressed (fixtures v047 run-good →
 * run-regressed); its report, zipped, is the artifact; the App publishes it. The pull request's files and
 * patches are git's own diff of the two commits.
 */

let repo: TestRepo;
let github: GitHubMock;
let baseSha: string;
let headSha: string;

useNock();
beforeAll(() => {
  repo = createTestRepo();
  const config = fixture('params/llama3-lora-1b.before.yml').toString('utf8');
  baseSha = repo.commit({
    'configs/sft.yml': config,
    'results/lambada_openai.json': fixture('metrics/v047_rwkv7-1.5b_lambada_run-good.json'),
  });
  repo.git('switch', '--quiet', '-c', 'changes');
  headSha = repo.commit({
    'configs/sft.yml': config.replace('learning_rate: 0.0002', 'learning_rate: 0.002'),
    'results/lambada_openai.json': fixture('metrics/v047_rwkv7-1.5b_lambada_run-regressed.json'),
  });
});
afterAll(() => repo.remove());
afterEach(() => {
  expectGitHubDone(github);
  nock.cleanAll();
});

function filesOfPullRequest() {
  return repo
    .git('diff', '--name-only', baseSha, headSha)
    .split('\n')
    .map((filename) => {
      const diff = repo.git('diff', '--no-color', '-U3', baseSha, headSha, '--', filename);
      return {
        sha: headSha,
        filename,
        status: 'modified',
        additions: 1,
        deletions: 1,
        changes: 2,
        patch: diff.slice(diff.indexOf('@@')),
      };
    });
}

it('the review comment sits on the changed learning_rate line, with base → head and the metric deltas', async () => {
  const git = await openGitRepository(repo.dir);
  const report = await analyze({
    pair: await openSnapshotPair(git, 'main', 'changes'),
    config: parseConfig('', '.github/tuneguard.yml'),
    toolVersion: '0.1.0',
  });
  github = mockGitHub();
  mockToken(github, INSTALLATION_ID);
  const blob = mockArtifact(github, zipReport(report), {
    name: `tuneguard-report-pr${PR_NUMBER}-${headSha}`,
  });
  github.api.get(`${REPO_PATH}/pulls/${PR_NUMBER}`).reply(200, pullRequestData({ headSha }));
  github.api
    .get(`${REPO_PATH}/pulls/${PR_NUMBER}/files`)
    .query({ per_page: 100 })
    .reply(200, filesOfPullRequest());
  github.api
    .get(`${REPO_PATH}/commits/${headSha}/check-runs`)
    .query(true)
    .reply(200, { total_count: 1, check_runs: [{ ...checkRunData({ id: 71 }), head_sha: headSha }] });
  github.api.patch(`${REPO_PATH}/check-runs/71`).reply(200, checkRunData({ id: 71, status: 'completed' }));
  mockFreshPublication(github.api);

  await deliver(await createTestProbot(), 'workflow_run', workflowRunEvent({ headSha }));
  blob?.done();

  // Two lambada regressions fail the check; the learning-rate jump warns; the diff itself is a notice.
  expect(github.body('PATCH', `${REPO_PATH}/check-runs/71`)).toMatchObject({
    conclusion: 'failure',
    details_url: RUN_URL,
    output: { title: '2 failures, 1 warning, 1 notice' },
  });
  const review = github.body<{ comments: { path: string; line: number; body: string }[] }>(
    'POST',
    `${REPO_PATH}/pulls/${PR_NUMBER}/reviews`,
  );
  expect(review.comments.map((c) => [c.path, c.line])).toEqual([
    ['results/lambada_openai.json', 5],
    ['results/lambada_openai.json', 7],
    ['configs/sft.yml', 44],
  ]);
  const learningRate = review.comments[2]?.body ?? '';
  // Both hyperparameter findings share the one comment on line 44: the warning first, then the notice.
  expect(learningRate).toContain(
    '⚠️ **<code>params-risky-change</code>** Learning rate went ×10: 0.0002 → 0.002 in configs/sft.yml',
  );
  expect(learningRate).toContain('**Base → head:** 0.0002 → 0.002 (+0.0018)');
  expect(learningRate).toContain('ℹ️ **<code>params-changed</code>**');
  // The metrics of the fixtures: perplexity 4.263079 → 20.088276, acc 0.688143 → 0.410635.
  expect(learningRate).toContain(
    '| <code>lambada&#95;openai/perplexity</code> | 4.263 | 20.09 | +15.83 | regressed |',
  );
  expect(learningRate).toContain(
    '| <code>lambada&#95;openai/acc</code> | 0.6881 | 0.4106 | -0.2775 | regressed |',
  );
});
