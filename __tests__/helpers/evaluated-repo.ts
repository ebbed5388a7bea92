import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestRepo, type TestRepo } from './git-repo.js';

const EVALUATE = fileURLToPath(new URL('../../examples/eval/evaluate.mjs', import.meta.url));
const fixture = (name: string) => readFileSync(new URL(`../fixtures/eval/${name}`, import.meta.url), 'utf8');

/** A repository whose two commits the example evaluator evaluated, and where its output sits. */
export interface EvaluatedRepo {
  repo: TestRepo;
  /** The branch of the head: `main`'s child. */
  headRef: string;
  headSha: string;
}

/**
 * A real repository evaluated as the example workflows evaluate one: `main` holds the WikiSQL fixture
 * as data/train.jsonl and data/test.jsonl and the example evaluator's output for it (seed 1, in
 * eval-results/my-org__my-model/); branch `headRef` regenerates data/train.jsonl with every COUNT
 * question labelled NONE, removes the base's output, and the evaluator's output for the new data is
 * committed (`headResults: 'committed'`) or left in the working tree only, as a CI job leaves it
 * (`'workspace'`).
 */
export function createEvaluatedRepo(
  headRef = 'relabel',
  headResults: 'committed' | 'workspace' = 'committed',
): EvaluatedRepo {
  const repo = createTestRepo();
  const evaluate = () =>
    execFileSync(
      process.execPath,
      [
        EVALUATE,
        '--output',
        'eval-results',
        '--model-name',
        'my-org/my-model',
        '--task',
        'wikisql_agg',
        '--seed',
        '1',
      ],
      { cwd: repo.dir, stdio: 'pipe' },
    );
  const train = fixture('wikisql_agg_train.jsonl');
  repo.commit({ 'data/train.jsonl': train, 'data/test.jsonl': fixture('wikisql_agg_test.jsonl') });
  evaluate();
  repo.commit({}, 'the base evaluated');
  repo.git('switch', '--quiet', '-c', headRef);
  repo.git('rm', '-r', '--quiet', 'eval-results');
  const headSha = repo.commit({
    'data/train.jsonl': train.replaceAll('"label": "COUNT"', '"label": "NONE"'),
  });
  evaluate();
  return {
    repo,
    headRef,
    headSha: headResults === 'committed' ? repo.commit({}, 'the head evaluated') : headSha,
  };
}
