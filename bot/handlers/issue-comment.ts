import type { Context } from 'probot';
import { describeError } from '../../src/model/errors.js';
import { escapeCode, escapeMarkdown } from '../../src/render/escape-markdown.js';
import type { AppIdentity } from '../github/app-identity.js';
import { accept } from '../commands/accept.js';
import type { CommandContext, CommandOutcome } from '../commands/command-context.js';
import { help } from '../commands/help.js';
import { recheck } from '../commands/recheck.js';
import { rerunEval } from '../commands/rerun-eval.js';
import { getPermission, hasRole } from '../github/get-permission.js';
import { isCommandName, parseCommands, type ParsedCommand } from '../commands/parse-commands.js';

/**
 * `issue_comment` created on a pull request: runs the `/tuneguard` commands in it.
 * 1. ignore comments on issues, comments by bots (the App's own replies included) and comments
 *    without a command;
 * 2. acknowledge with an `eyes` reaction, which also records that the comment was taken up: GitHub
 *    answers 201 when it creates the App's reaction and 200 when it exists already, so a redelivered
 *    event (or one delivered twice at once, to this copy of the App or another) stops here;
 * 3. check the commenter's role: commands need write access (each command checks what more it needs);
 * 4. run the commands in order; a failing API call is reported, not thrown;
 * 5. react `+1` when all went through, `confused` otherwise, and reply with the outcome.
 */
export async function handleIssueComment(
  context: Context<'issue_comment.created'>,
  identity: AppIdentity,
): Promise<void> {
  const { comment, issue, sender } = context.payload;
  // 1.
  if (!issue.pull_request) return;
  if (comment.user?.type === 'Bot' || sender.type === 'Bot' || comment.user?.login.endsWith('[bot]')) return;
  const commands = parseCommands(comment.body ?? '');
  const [first] = commands;
  if (!first || !comment.user) return;
  const repo = context.repo();
  const login = comment.user.login;
  const react = (content: '+1' | 'eyes' | 'confused') =>
    context.octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content });

  // 2. The reaction is GitHub state, so the record survives restarts and is shared by replicas.
  const acknowledged = await react('eyes');
  if (acknowledged.status === 200) {
    context.log.info({ comment: comment.id }, 'command comment already taken up: delivery ignored');
    return;
  }

  // 3.
  const role = await getPermission(context.octokit, repo, login);
  const outcomes: { command: ParsedCommand; outcome: CommandOutcome }[] = [];
  if (!hasRole(role, 'write')) {
    outcomes.push({
      command: first,
      outcome: {
        ok: false,
        text: `Sorry, tuneguard commands are for people with write access to this repository (yours is ${role}). A maintainer can run them for you.`,
      },
    });
  } else {
    // 4.
    const commandContext: CommandContext = {
      octokit: context.octokit,
      repo,
      prNumber: issue.number,
      login,
      role,
      appId: await identity.appId(),
      log: context.log,
    };
    for (const command of commands) {
      outcomes.push({ command, outcome: await runCommand(commandContext, command) });
    }
  }

  // 5.
  await react(outcomes.every(({ outcome }) => outcome.ok) ? '+1' : 'confused');
  await context.octokit.rest.issues.createComment({
    ...repo,
    issue_number: issue.number,
    body: renderReply(login, outcomes),
  });
}

async function runCommand(context: CommandContext, command: ParsedCommand): Promise<CommandOutcome> {
  if ('error' in command) {
    return { ok: false, text: `The command could not be read: ${escapeMarkdown(command.error)}.` };
  }
  if (!isCommandName(command.name)) {
    return { ok: false, text: `${escapeCode(command.name)} is not a tuneguard command.\n\n${help().text}` };
  }
  try {
    switch (command.name) {
      case 'help':
        return help();
      case 'recheck':
        return await recheck(context);
      case 'accept':
        return await accept(context, command.args);
      case 'rerun-eval':
        return await rerunEval(context, command.args);
    }
  } catch (error) {
    context.log.error({ err: error, command: command.name }, 'tuneguard command failed');
    return { ok: false, text: `The command failed: ${escapeMarkdown(describeError(error))}` };
  }
}

function renderReply(
  login: string,
  outcomes: readonly { command: ParsedCommand; outcome: CommandOutcome }[],
): string {
  if (outcomes.length === 1 && outcomes[0]) return `@${login} ${outcomes[0].outcome.text}\n`;
  const sections = outcomes.map(
    ({ command, outcome }) =>
      `**${outcome.ok ? '✅' : '⚠️'} ${escapeCode(`/tuneguard ${command.name}`)}**\n\n${outcome.text}`,
  );
  return `@${login}\n\n${sections.join('\n\n')}\n`;
}
