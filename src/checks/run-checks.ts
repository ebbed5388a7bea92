import type { Finding, Severity } from '../model/report-schema.js';
import { checkBaseline } from './check-baseline.js';
import { checkConfigPaths } from './check-config-paths.js';
import { checkData } from './check-data.js';
import { checkDataQuality } from './check-data-quality.js';
import { checkEval } from './check-eval.js';
import { checkInputs } from './check-inputs.js';
import { checkModelCards } from './check-model-cards.js';
import { checkNotAnalysed } from './check-not-analysed.js';
import { checkParams } from './check-params.js';
import { checkRlRun } from './check-rl-run.js';
import { checkTraining } from './check-training.js';
import type { CheckContext } from './check-context.js';
import { groupFindings } from './group-findings.js';

const RANK: Record<Severity, number> = { failure: 0, warning: 1, notice: 2 };

/**
 * Runs every check family and returns the findings, one per cause (see `groupFindings`), failures
 * first, then warnings, then notices.
 */
export function runChecks(context: CheckContext): Finding[] {
  const findings = [
    ...checkInputs(context),
    ...checkNotAnalysed(context),
    ...checkData(context),
    ...checkDataQuality(context),
    ...checkParams(context),
    ...checkTraining(context),
    ...checkRlRun(context),
    ...checkEval(context),
    ...checkBaseline(context),
    ...checkModelCards(context),
    ...checkConfigPaths(context),
  ];
  return groupFindings(findings)
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}
