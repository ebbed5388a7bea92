import * as core from '@actions/core';
import { posix } from 'node:path';
import { analyze } from '../src/analyze.js';
import { loadConfig } from '../src/config/load-config.js';
import type { BaselineLookup } from '../src/model/baseline-source.js';
import type { Report } from '../src/model/report-schema.js';
import { TOOL_VERSION } from '../src/model/version.js';
import { describeBaseline } from '../src/render/render-baseline.js';
import type { ReviewPair } from './open-review-pair.js';
import { toPosix } from './to-posix.js';

/**
 * Loads the config committed on the base and analyses the pair, with the `results` overlaid, with it;
 * `baseline` gives the base side's results from an earlier run's report when the base has none.
 */
export async function analyzeWithBaseConfig(
  review: ReviewPair,
  configInput: string,
  baseline: BaselineLookup,
): Promise<Report> {
  const { pair, overlay } = review;
  const configPath = posix.normalize(toPosix(configInput));
  const loaded = await loadConfig(pair.base, configPath);
  if (loaded.path === undefined) core.info(`No ${configPath} on the base commit: using the default checks.`);
  if (pair.changedFiles.includes(configPath)) {
    core.notice(
      `This pull request changes ${configPath}: it is reviewed with the config of its base commit${loaded.path === undefined ? ' (none: the defaults)' : ''}, and the new one applies once merged.`,
    );
  }
  const report = await analyze({
    pair,
    config: loaded.config,
    ...(loaded.path !== undefined ? { configPath: loaded.path } : {}),
    ...(loaded.text !== undefined ? { configText: loaded.text } : {}),
    ...overlay,
    toolVersion: TOOL_VERSION,
    baseline,
  });
  if (report.baseline) core.info(`Baseline: ${describeBaseline(report.baseline)}.`);
  return report;
}
