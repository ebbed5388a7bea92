import type { Probot } from 'probot';
import { createAppIdentity } from './github/app-identity.js';
import { createKeyedQueue } from './publish/create-keyed-queue.js';
import { handleCheckRunRerequested, handleCheckSuiteRerequested } from './handlers/check-rerequested.js';
import { handleIssueComment } from './handlers/issue-comment.js';
import { handlePullRequest } from './handlers/pull-request.js';
import { handleWorkflowRun } from './handlers/workflow-run.js';

/**
 * The tuneguard GitHub App: registers its handlers on a Probot instance. It keeps no state of its own
 * (GitHub holds it in check runs, reviews, comments and reactions), so any number of copies can serve
 * one App; within one copy, deliveries for the same check run are handled one after the other.
 * - `pull_request` opened, synchronize, reopened: the `tuneguard` check, pending until the report;
 * - `workflow_run` completed: the report artifact, validated, as check run, review and sticky comment;
 * - `issue_comment` created: the `/tuneguard` slash commands;
 * - `check_run` and `check_suite` rerequested: the workflow run behind the report runs again.
 */
export default function tuneguardApp(app: Probot): void {
  const identity = createAppIdentity(app);
  const publishing = createKeyedQueue();
  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], (context) =>
    handlePullRequest(context),
  );
  app.on('workflow_run.completed', (context) => handleWorkflowRun(context, identity, publishing));
  app.on('issue_comment.created', (context) => handleIssueComment(context, identity));
  app.on('check_run.rerequested', (context) => handleCheckRunRerequested(context, identity));
  app.on('check_suite.rerequested', (context) => handleCheckSuiteRerequested(context, identity));
}
