import { readFileSync } from 'node:fs';
import { analyze } from '../../../src/analyze.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { openGitRepository, openSnapshotPair } from '../../../src/io/git.js';
import type { BaselineLookup } from '../../../src/model/baseline-source.js';
import { reportSchema, type Baseline, type Finding, type Report } from '../../../src/model/report-schema.js';
import { createTestRepo } from '../../helpers/git-repo.js';

/** Files of one commit: path → content; `null` deletes the file in the head commit. */
export type Files = Record<string, string | Buffer | null>;

/** The bytes of a fixture, by its path under `__tests__/fixtures/` (`pairs/...`, `datasets/...`). */
export function fixture(path: string): Buffer {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));
}

/**
 * Commits `base` on `main` and `head` on a branch of a real temporary git repository, runs the whole
 * analysis on the pair as a pull request would (`openGitRepository` → `openSnapshotPair` → `analyze`),
 * and returns the report after a JSON round trip validated by the report schema. `baseline` is the
 * lookup of an earlier run's report, as the Action gives it.
 */
export async function analyzePair(
  base: Files,
  head: Files,
  configText = '',
  baseline?: BaselineLookup,
): Promise<Report> {
  const repo = createTestRepo();
  try {
    repo.commit(base, 'base');
    repo.git('switch', '--quiet', '-c', 'pr');
    repo.commit(head, 'head');
    const git = await openGitRepository(repo.dir);
    const pair = await openSnapshotPair(git, 'main', 'pr');
    const report = await analyze({
      pair,
      config: parseConfig(configText, '.github/tuneguard.yml'),
      toolVersion: '0.0.0-test',
      ...(baseline ? { baseline } : {}),
    });
    return reportSchema.parse(JSON.parse(JSON.stringify(report)));
  } finally {
    repo.remove();
  }
}

/** The parts of a finding a reader sees, for exact comparisons. */
export function summarise(finding: Finding): Pick<Finding, 'check' | 'severity' | 'title' | 'location'> {
  return {
    check: finding.check,
    severity: finding.severity,
    title: finding.title,
    ...(finding.location ? { location: finding.location } : {}),
  };
}

/** A default-branch run whose report stands in for the base side: run 7 of octo-org/tuned, on `main`. */
export const BASELINE_RUN: Omit<Baseline, 'files'> = {
  runId: 7,
  url: 'https://github.com/octo-org/tuned/actions/runs/7',
  sha: 'b'.repeat(40),
  branch: 'main',
  event: 'push',
  commitsBack: 0,
  createdAt: '2026-12-01T00:00:00Z',
  ageDays: 2,
};
