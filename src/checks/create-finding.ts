import type { CheckId, Config } from '../config/schema.js';
import type { Finding } from '../model/report-schema.js';
import { CHECK_CATALOGUE } from './check-catalogue.js';

/** A finding before its severity is settled by the config. */
export type FindingDraft = Omit<Finding, 'check' | 'severity' | 'details'> & { details?: string[] };

/**
 * Builds a finding of `check` with the severity the config sets (or the catalogue's default);
 * returns undefined when the config turns the check `off`.
 */
export function createFinding(check: CheckId, config: Config, draft: FindingDraft): Finding | undefined {
  const configured = config.checks[check].severity;
  if (configured === 'off') return undefined;
  return { check, severity: configured ?? CHECK_CATALOGUE[check].severity, details: [], ...draft };
}

/** Whether the config turns a check off. */
export function isCheckOff(check: CheckId, config: Config): boolean {
  return config.checks[check].severity === 'off';
}

/**
 * A minor case of its check as a notice, whatever the check's severity: mentioned, never blocking.
 * Undefined stays undefined (the check is off).
 */
export function asNotice(finding: Finding | undefined): Finding | undefined {
  return finding && { ...finding, severity: 'notice' };
}
