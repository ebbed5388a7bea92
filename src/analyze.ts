import { applyBudget } from './analyze/apply-budget.js';
import { analyzeCardTraining } from './analyze/analyze-card-training.js';
import { analyzeDatasets } from './analyze/analyze-datasets.js';
import { analyzeLineage } from './analyze/analyze-lineage.js';
import { analyzeMetrics } from './analyze/analyze-metrics.js';
import { analyzeModelCards } from './analyze/analyze-model-cards.js';
import { analyzeParams } from './analyze/analyze-params.js';
import { analyzeTraining } from './analyze/analyze-training.js';
import { discoverChanges } from './analyze/discover-changes.js';
import { findUnmatchedConfigPaths } from './analyze/find-unmatched-config-paths.js';
import { UnreadableLog } from './analyze/unreadable-log.js';
import type { UnreadGlob } from './checks/check-context.js';
import { runChecks } from './checks/run-checks.js';
import type { Config } from './config/schema.js';
import type { BaselineLookup } from './model/baseline-source.js';
import type { Report, Workspace } from './model/report-schema.js';
import type { SnapshotPair } from './model/snapshot.js';
import { buildReport } from './report/build-report.js';
import { fitReportBudget } from './report/fit-report-budget.js';
import { cacheSmallFiles } from './sources/cache-small-files.js';

/** What one analysis needs: the two commits, the config, and the tool's version for the report. */
export interface AnalyzeInput {
  pair: SnapshotPair;
  config: Config;
  /** The config file's path; absent when the defaults apply. */
  configPath?: string;
  /** The config file's text, for the lines of its values in findings. */
  configText?: string;
  toolVersion: string;
  /** Gives the base side's results from an earlier run's report when the base has none (the Action's). */
  baseline?: BaselineLookup;
  /** Head files read from disk instead of its commit (see {@link Workspace}), named in the report. */
  workspace?: Workspace;
  /** The Action's `results` globs that read nothing: each a `config-unmatched` notice. */
  unreadGlobs?: readonly UnreadGlob[];
}

/**
 * Compares base and head of a fine-tuning repository and returns the report. The one place that
 * knows the order of the pipeline:
 * 1. discover the artifacts (datasets, hyperparameters, metrics, per-item eval logs, training logs) by
 *    name, by the splits dataset cards declare and by their content, pair each with its base
 *    counterpart across moves and re-runs, and the status of each between base and head (small files
 *    read to tell their kind are kept, not read again when loaded); the changed files that may matter
 *    but that no kind claimed; and the config's paths that match no file; then keep what the review's
 *    budget affords (`budget`), the touched artifacts first;
 * 2. load, profile and diff each kind on each side, once when the file is unchanged; results files on
 *    head when the base has none are compared with the `baseline` lookup's, when it finds one; a model
 *    card's "Training results" table is a training log where no `trainer_state.json` lies beside it, and
 *    its "Training hyperparameters" list the run's hyperparameters where no config of the run is;
 * 3. run the checks;
 * 4. assemble the report, within its size budget (`report.max-mb`): over it, what the change did not
 *    touch is summarised first, and the report says what it summarised.
 * A file that cannot be read becomes an `unreadable` entry and a finding; the rest still runs. A problem
 * in a file the change did not touch is reported once, on the base side (it predates the change).
 */
export async function analyze(input: AnalyzeInput): Promise<Report> {
  const { config } = input;
  const pair = cacheSmallFiles(input.pair);
  const log = new UnreadableLog();

  // 1. Discover.
  const discovered = await discoverChanges(pair, config, log);
  const { present, kinds, notReviewed, longPaths } = discovered;
  const { changes, overBudget } = await applyBudget({ pair, present, changes: discovered.changes, config });
  const unmatchedConfigPaths =
    input.configPath === undefined
      ? []
      : findUnmatchedConfigPaths(config, present, {
          path: input.configPath,
          ...(input.configText !== undefined ? { text: input.configText } : {}),
        });

  // 2. Load, profile and diff, kind by kind.
  const step = { pair, present, config, changes, log };
  const datasets = await analyzeDatasets(step);
  const params = await analyzeParams(step);
  const { entries: metrics, evalResults, baseline } = await analyzeMetrics(step, input.baseline);
  const training = [...(await analyzeTraining(step)), ...(await analyzeCardTraining(step))];
  const lineage = await analyzeLineage(step, params, datasets);
  const modelCards = await analyzeModelCards(step);

  // 3. Check.
  const changedFiles = new Set(pair.changedFiles);
  const context = {
    config,
    datasets,
    params,
    metrics,
    training,
    unreadable: log.entries,
    changedFiles,
    lineage,
    unmatchedConfigPaths,
    ...(input.unreadGlobs ? { unreadGlobs: input.unreadGlobs } : {}),
    ...(overBudget ? { overBudget } : {}),
    longPaths,
    ...(baseline ? { baseline } : {}),
    modelCards,
  };
  const findings = runChecks(context);

  // 4. Report.
  const report = buildReport({
    toolVersion: input.toolVersion,
    base: { ref: pair.base.ref, sha: pair.base.sha },
    head: {
      ref: pair.head.ref,
      sha: pair.head.sha,
      ...(input.workspace ? { workspace: input.workspace } : {}),
    },
    ...(input.configPath !== undefined ? { configPath: input.configPath } : {}),
    changedFiles: [...pair.changedFiles],
    kinds,
    notReviewed,
    findings,
    datasets: datasets.map((d) => d.report),
    params: params.map((p) => p.report),
    metrics: metrics.map((m) => m.report),
    training,
    unreadable: log.entries,
    ...(evalResults.length > 0 ? { evalResults } : {}),
    ...(baseline && 'used' in baseline ? { baseline: baseline.used } : {}),
  });
  return fitReportBudget(report, Math.floor(config.report['max-mb'] * 2 ** 20));
}
