import { z } from 'zod';
import { DEFAULT_CONFIG_PATH } from '../../src/config/parse-config.js';
import { escapeCode } from '../../src/render/escape-markdown.js';
import { checkRunName, upsertCheckRun } from '../github/check-run.js';
import { getPullRequest } from '../github/find-pull-request.js';
import { hasRole } from '../github/get-permission.js';
import { loadBaseConfig } from '../github/load-base-config.js';
import type { PullRequestRef } from '../publish/publish-report.js';
import type { CommandContext, CommandOutcome } from './command-context.js';

/** GitHub takes at most 25 inputs in one dispatch. */
const MAX_INPUTS = 25;

const INPUT_ARGUMENT = /^([A-Za-z_][A-Za-z0-9_-]{0,99})=(.*)$/s;
const dispatchResponseSchema = z.object({
  workflow_run_id: z.number().int().positive(),
  html_url: z.string(),
});
const PLACEHOLDER = /\{(pr|head-sha|head-ref|head-repo|base-sha|base-ref)\}/g;

/**
 * `/tuneguard rerun-eval [key=value …]`: dispatches the evaluation workflow of `commands.rerun-eval` in
 * the base branch's config (`workflow_dispatch`) for the pull request's head:
 * 1. read the config from the base branch's tip: the command is off without `commands.rerun-eval`;
 * 2. for a fork, refuse unless `allow-forks` is set and the commenter is a maintainer or admin (the
 *    workflow then runs the fork's code with this repository's secrets);
 * 3. dispatch on `ref` (default: the head branch, or the base branch for a fork, whose branch is not in
 *    this repository) with the configured inputs, placeholders filled in, and the command's `key=value`
 *    arguments on top;
 * 4. show the re-run as a `tuneguard` check run in progress, linked to the dispatched run; when that
 *    run's report arrives, `workflow_run` completes the check and updates the review.
 */
export async function rerunEval(context: CommandContext, args: readonly string[]): Promise<CommandOutcome> {
  const { octokit, repo } = context;
  const pr = await getPullRequest(octokit, repo, context.prNumber);
  if (!pr.open) return { ok: false, text: 'This pull request is closed: there is nothing to evaluate.' };

  // 1. The base branch's tip, not the merge-base that judges the pull request: the command acts on the
  // repository now, with its secrets, so a maintainer who turns `allow-forks` off is obeyed at once.
  const loaded = await loadBaseConfig(octokit, repo, pr.baseRef);
  if (!loaded.valid) {
    return {
      ok: false,
      text: `The config on \`${pr.baseRef}\` is invalid:\n\n\`\`\`text\n${loaded.error.message.replace(/```/g, "'''")}\n\`\`\``,
    };
  }
  const settings = loaded.config.commands['rerun-eval'];
  if (!settings) {
    return {
      ok: false,
      text: `\`rerun-eval\` is not set up for this repository. Name the evaluation workflow in \`${DEFAULT_CONFIG_PATH}\` on \`${pr.baseRef}\`:\n\n\`\`\`yaml\ncommands:\n  rerun-eval: { workflow: eval.yml }\n\`\`\``,
    };
  }
  const extra = parseInputArguments(args);
  if (typeof extra === 'string') return { ok: false, text: extra };

  // 2.
  const refusal = refuseFork(pr, settings['allow-forks'], context.role);
  if (refusal !== undefined) return { ok: false, text: refusal };

  // 3.
  const ref = settings.ref ?? (pr.isFork ? pr.baseRef : pr.headRef);
  const inputs = { ...fillPlaceholders(settings.inputs, pr), ...extra };
  if (Object.keys(inputs).length > MAX_INPUTS) {
    return {
      ok: false,
      text: `GitHub takes at most ${MAX_INPUTS} workflow inputs; this would send ${Object.keys(inputs).length}.`,
    };
  }
  // The REST description documents the 200 answer with the run's id; older Octokit types know only 204.
  const response: { status: number; data: unknown } = await octokit.rest.actions.createWorkflowDispatch({
    ...repo,
    workflow_id: settings.workflow,
    ref,
    inputs,
    return_run_details: true,
  });
  const details = dispatchResponseSchema.safeParse(response.data);
  const run = details.success ? { id: details.data.workflow_run_id, url: details.data.html_url } : undefined;

  // 4.
  const what = describeRun(String(settings.workflow), ref, inputs, pr);
  await upsertCheckRun(octokit, repo, undefined, {
    name: checkRunName(),
    headSha: pr.headSha,
    status: 'in_progress',
    ...(run ? { detailsUrl: run.url, externalId: String(run.id) } : {}),
    output: {
      title: 'Re-running the evaluation',
      summary: `@${context.login} asked to re-run the evaluation: ${what}\n\nThis check completes when the workflow's tuneguard report arrives.`,
    },
  });
  const link = run ? ` [Workflow run ${run.id}](${run.url}).` : '';
  return {
    ok: true,
    text: `Dispatched ${what}${link}\n\nThe \`tuneguard\` check shows the re-run in progress; the check and the review update when its report arrives.`,
  };
}

/** The command's `key=value` arguments as workflow inputs, or why one is not an input. */
function parseInputArguments(args: readonly string[]): Record<string, string> | string {
  const inputs: Record<string, string> = {};
  for (const arg of args) {
    const match = INPUT_ARGUMENT.exec(arg);
    if (!match?.[1]) {
      return `${escapeCode(arg)} is not a workflow input: write inputs as \`key=value\`, for example \`/tuneguard rerun-eval limit=100\`.`;
    }
    inputs[match[1]] = match[2] ?? '';
  }
  return inputs;
}

/**
 * Why a fork's pull request may not be evaluated with this repository's secrets: unless `allowForks`
 * is set and the commenter maintains the repository. `undefined` when it may (or it is no fork).
 */
function refuseFork(
  pr: PullRequestRef,
  allowForks: boolean,
  role: CommandContext['role'],
): string | undefined {
  if (!pr.isFork) return undefined;
  const from = pr.headRepo === undefined ? 'a deleted fork' : `the fork \`${pr.headRepo}\``;
  if (!allowForks) {
    return `This pull request comes from ${from}. Re-running the evaluation would run its code with this repository's secrets, so \`rerun-eval\` is off for forks. A maintainer can allow it with \`allow-forks: true\` under \`commands.rerun-eval\`, and then run it.`;
  }
  if (!hasRole(role, 'maintain')) {
    return `Sorry, this pull request comes from ${from}, and running its code with this repository's secrets takes the maintain or admin role (yours is ${role}).`;
  }
  return undefined;
}

/** Fills `{pr}`, `{head-sha}`… in text inputs; numbers and booleans are sent as text, as dispatch inputs are. */
function fillPlaceholders(
  inputs: Record<string, string | number | boolean>,
  pr: PullRequestRef,
): Record<string, string> {
  const values: Record<string, string> = {
    pr: String(pr.number),
    'head-sha': pr.headSha,
    'head-ref': pr.headRef,
    'head-repo': pr.headRepo ?? '',
    'base-sha': pr.baseSha,
    'base-ref': pr.baseRef,
  };
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) => [
      key,
      typeof value === 'string'
        ? value.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '')
        : String(value),
    ]),
  );
}

/** Says exactly what will run: the workflow, the version of it, the inputs, and whose code. */
function describeRun(
  workflow: string,
  ref: string,
  inputs: Record<string, string>,
  pr: PullRequestRef,
): string {
  const listed = Object.entries(inputs);
  const withInputs =
    listed.length === 0
      ? 'with no inputs'
      : `with the inputs ${listed.map(([key, value]) => escapeCode(`${key}=${value}`)).join(', ')}`;
  const code = pr.isFork
    ? ` It runs with this repository's secrets; the pull request's head is ${pr.headSha.slice(0, 7)} from ${pr.headRepo === undefined ? 'a deleted fork' : escapeCode(pr.headRepo)}, which the workflow runs only as far as it checks it out.`
    : '';
  return `the workflow ${escapeCode(workflow)} as committed on ${escapeCode(ref)}, ${withInputs}.${code}`;
}
