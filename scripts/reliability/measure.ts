import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BAD_INPUTS, type BadInput } from './bad-inputs.js';
import { baseProject } from './base-project.js';
import { ALIVE, countAlive, outputsOf, type Alive } from './count-alive.js';
import { createPair, HEAD, removePair, type Files } from './git-pair.js';
import { branchFor, PAYLOADS, payloadAt, PLACES } from './injection.js';
import type { Handling } from './judge.js';
import { runDiff } from './run-cli.js';

/**
 * `npm run reliability`: the built CLI against hostile pull requests, each a real git repository.
 * 1. Bad inputs: every case of `bad-inputs.ts`, judged well handled (a finding that names the file and
 *    says what is wrong, with its line where it has one), weak (named, but vaguely), hang (over the time
 *    limit), crash (exit 2 or a stack trace) or lost (no word about the file).
 * 2. Injection: every payload of `injection.ts` in every place, rendered into the four outputs a
 *    reviewer reads; what came alive is counted.
 * Prints both tables and writes `scripts/reliability/summary.json`.
 */
const TIME_LIMIT_MS = 120_000;
type Outcome = Handling | 'hang' | 'crash';

function measureBadInput(input: BadInput): { outcome: Outcome; ms: number } {
  const repo = createPair({ ...baseProject(), ...input.base }, input.head);
  try {
    const run = runDiff(repo, TIME_LIMIT_MS);
    if (run.timedOut) return { outcome: 'hang', ms: run.ms };
    const stack = /\n\s+at .+:\d+:\d+\)?\n/.test(run.stderr);
    if (input.refuses) {
      const clear = run.code === 2 && input.refuses.test(run.stderr) && !stack;
      return { outcome: clear ? 'well' : run.code === 2 && !stack ? 'weak' : 'crash', ms: run.ms };
    }
    if (run.code === 2 || stack || run.report === undefined) return { outcome: 'crash', ms: run.ms };
    return { outcome: input.judge(run.report), ms: run.ms };
  } finally {
    removePair(repo);
  }
}

type Tally = Record<string, Record<Alive, number>>;

/** One pull request per payload, the payload in every place (numbered per place) and as the head branch when git allows. */
function measurePayload(payload: string, byOutput: Tally, byPlace: Tally): boolean {
  const base: Files = baseProject();
  const head: Files = {};
  PLACES.forEach((place, index) => {
    const files = place.files(payloadAt(payload, index));
    Object.assign(base, files.base);
    Object.assign(head, files.head);
  });
  const branch = branchFor(payload);
  const repo = createPair(base, head, branch ?? HEAD);
  try {
    const run = runDiff(repo, TIME_LIMIT_MS, branch ?? HEAD);
    if (run.report === undefined) return false;
    const places = [...PLACES.map((place) => place.name), 'head branch name'];
    for (const output of outputsOf(run.report)) {
      places.forEach((place, index) => {
        const alive = countAlive(output.markdown, index + 1);
        for (const kind of ALIVE) {
          (byOutput[output.name] ??= zero())[kind] += alive[kind];
          (byPlace[place] ??= zero())[kind] += alive[kind];
        }
      });
    }
    return true;
  } finally {
    removePair(repo);
  }
}

function zero(): Record<Alive, number> {
  return { link: 0, image: 0, html: 0, mention: 0, reference: 0 };
}

function badInputs(): { name: string; outcome: Outcome; seconds: number }[] {
  return BAD_INPUTS.map((input) => {
    const { outcome, ms } = measureBadInput(input);
    const seconds = Math.round(ms / 100) / 10;
    process.stdout.write(
      `${outcome.padEnd(6)} ${seconds.toFixed(1).padStart(6)} s  ${JSON.stringify(input.name)}\n`,
    );
    return { name: input.name, outcome, seconds };
  });
}

function injection(): { byOutput: Tally; byPlace: Tally; failedRuns: string[] } {
  const byOutput: Tally = {};
  const byPlace: Tally = {};
  const failedRuns = PAYLOADS.filter((payload) => !measurePayload(payload, byOutput, byPlace));
  return { byOutput, byPlace, failedRuns };
}

function printTally(title: string, tally: Tally): void {
  process.stdout.write(`\n${title.padEnd(36)}${ALIVE.map((kind) => kind.padStart(10)).join('')}\n`);
  for (const [name, counts] of Object.entries(tally)) {
    process.stdout.write(
      `${name.padEnd(36)}${ALIVE.map((kind) => String(counts[kind]).padStart(10)).join('')}\n`,
    );
  }
}

const bad = badInputs();
const outcomes = Object.fromEntries(
  (['well', 'weak', 'lost', 'crash', 'hang'] as const).map((outcome) => [
    outcome,
    bad.filter((b) => b.outcome === outcome).length,
  ]),
);
process.stdout.write(`\nbad inputs: ${JSON.stringify(outcomes)} of ${bad.length}\n`);
const alive = injection();
printTally(`alive by output (${PAYLOADS.length} payloads × ${PLACES.length + 1} places)`, alive.byOutput);
printTally('alive by place', alive.byPlace);
if (alive.failedRuns.length > 0) process.stdout.write(`no report for: ${JSON.stringify(alive.failedRuns)}\n`);
const summary = fileURLToPath(new URL('../../../scripts/reliability/summary.json', import.meta.url));
writeFileSync(
  summary,
  `${JSON.stringify({ badInputs: { outcomes, cases: bad }, injection: { payloads: PAYLOADS.length, places: PLACES.length + 1, ...alive } }, null, 2)}\n`,
);
process.stdout.write(`\nwrote ${summary}\n`);
