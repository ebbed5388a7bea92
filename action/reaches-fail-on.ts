import type { Report } from '../src/model/report-schema.js';
import type { Inputs } from './inputs.js';

/**
 * Whether the verdict fails the step under the `fail-on` input: `failure` fails on a failure verdict,
 * `warning` on a warning or failure, `never` never.
 * @example reachesFailOn('warning', 'failure') // false
 */
export function reachesFailOn(verdict: Report['verdict'], failOn: Inputs['fail-on']): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'warning') return verdict !== 'pass';
  return verdict === 'failure';
}
