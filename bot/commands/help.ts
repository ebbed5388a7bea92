import type { CommandOutcome } from './command-context.js';

/** `/tuneguard help`: the commands, who may run them, and how to write them. */
export function help(): CommandOutcome {
  return {
    ok: true,
    text: [
      '**tuneguard commands**, each on a line of its own (quote arguments that hold spaces):',
      '',
      '- `/tuneguard rerun-eval [key=value …]`: runs the evaluation workflow set under `commands.rerun-eval` in `.github/tuneguard.yml` on this pull request; `key=value` pairs become workflow inputs.',
      '- `/tuneguard recheck`: re-runs the workflow run that produced the report on the head commit, or starts the check again when no report arrived.',
      '- `/tuneguard accept <check-id> <reason>`: accepts the failures and warnings of one check on the head commit, with the reason; they count as notices until the next commit. Maintainers and admins only.',
      '- `/tuneguard help`: this list.',
      '',
      'Commands need write access to the repository.',
    ].join('\n'),
  };
}
